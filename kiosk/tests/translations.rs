//! Every string the kiosk's views show is translated: each `@tr("…")` in `ui/` has a
//! non-empty entry in the Japanese, Korean and Chinese `.po` files (English is the source),
//! with the same placeholders, and no `.po` file carries entries the views no longer use.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn slint_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            slint_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "slint") {
            out.push(path);
        }
    }
}

/// The text of a string literal starting just after its opening quote.
fn literal(rest: &str) -> String {
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return out,
            '\\' => out.push(match chars.next() {
                Some('n') => '\n',
                Some(other) => other,
                None => break,
            }),
            c => out.push(c),
        }
    }
    panic!("an unterminated string: {rest:.40}");
}

fn msgids_in_views() -> BTreeSet<String> {
    let mut files = Vec::new();
    slint_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("ui"), &mut files);
    let mut ids = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("@tr(\"") {
            ids.insert(literal(&text[at + 5..]));
        }
    }
    ids
}

fn po(lang: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../assets/translations/{lang}/LC_MESSAGES/iki-kiosk.po"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut entries = BTreeMap::new();
    let mut id = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            id = Some(literal(rest));
        } else if let Some(rest) = line.strip_prefix("msgstr \"") {
            let id = id.take().expect("msgstr after msgid");
            if !id.is_empty() {
                entries.insert(id, literal(rest));
            }
        }
    }
    entries
}

fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text.match_indices('{').filter_map(|(at, _)| text[at..].find('}').map(|end| text[at..at + end + 1].to_owned())).collect();
    found.sort();
    found
}

#[test]
fn every_view_string_is_translated_into_japanese_korean_and_chinese() {
    let ids = msgids_in_views();
    assert!(ids.len() > 150, "the views were read ({} strings)", ids.len());
    for lang in ["ja", "ko", "zh"] {
        let entries = po(lang);
        let missing: Vec<&String> = ids.iter().filter(|id| entries.get(*id).is_none_or(|t| t.trim().is_empty())).collect();
        assert!(missing.is_empty(), "{lang}: {} string(s) lack a translation: {missing:#?}", missing.len());
        for id in &ids {
            assert_eq!(placeholders(id), placeholders(&entries[id]), "{lang}: the placeholders of “{id}” differ");
        }
        let stale: Vec<&String> = entries.keys().filter(|k| !ids.contains(*k)).collect();
        assert!(stale.is_empty(), "{lang}: entries no view uses any more: {stale:#?}");
    }
}
