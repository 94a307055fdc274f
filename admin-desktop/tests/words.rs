//! Every word the admin screens use is in `ui/i18n.js` in Japanese and in English: the
//! `data-t` keys in `index.html`, the literal `t("…")` and `confirmDone("…")` keys in the
//! scripts, and the keys made from the hub's own values (kinds, statuses, audit actions).

use std::collections::BTreeSet;
use std::path::Path;

fn ui(file: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ui").join(file)).unwrap()
}

/// The text after each `open` (not part of a longer name) up to the next `close`; keys
/// completed at run time (`"ride_" + status`) are left to the list of made keys.
fn between(text: &str, open: &str, close: char) -> Vec<String> {
    text.match_indices(open)
        .filter(|(i, _)| !text[..*i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .filter_map(|(i, _)| text[i + open.len()..].split(close).next())
        .filter(|key| !key.ends_with('_'))
        .map(str::to_owned)
        .collect()
}

/// The keys of one language's table in i18n.js.
fn keys(i18n: &str, language: &str) -> BTreeSet<String> {
    let start = i18n.find(&format!("  {language}: {{")).unwrap();
    let end = start + i18n[start..].find("\n  },").unwrap();
    i18n[start..end]
        .lines()
        .skip(1)
        .flat_map(|line| line.split(", "))
        .filter_map(|part| part.trim().split_once(": ").map(|(k, _)| k.trim().to_owned()))
        .filter(|k| !k.starts_with("//") && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

#[test]
fn every_key_the_screens_use_is_in_both_languages() {
    let i18n = ui("i18n.js");
    let (ja, en) = (keys(&i18n, "ja"), keys(&i18n, "en"));
    assert!(ja.len() > 200, "{} keys read", ja.len());
    assert_eq!(ja.symmetric_difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "ja and en differ");

    let mut used: BTreeSet<String> = between(&ui("index.html"), "data-t=\"", '"').into_iter().collect();
    for script in ["app.js", "screens.js", "charts.js"] {
        let text = ui(script);
        used.extend(between(&text, "t(\"", '"'));
        used.extend(between(&text, "confirmDone(\"", '"'));
    }
    // Keys built from values: citizen kinds, roles, ages, ledger reasons, ride statuses,
    // place kinds, ballot origins, audit actions, visitor kinds, and problem codes.
    let made = [
        "resident e_citizen guest role_staff role_manager",
        "age_under_18 age_18_29 age_30s age_40s age_50s age_60s age_70_plus age_unstated",
        "reason_check_in reason_port_arrival_bonus reason_redemption reason_staff_adjustment reason_expiry",
        "ride_requested ride_assigned ride_picked_up ride_completed ride_cancelled ride_no_show",
        "place_telework_centre place_ferry_port place_community_hall origin_kiosk origin_staff",
        "act_adjust_points act_create_enrolment_code act_issue_card act_paper_ballot act_put_item act_put_place act_put_theme",
        "act_redeem_coupon act_register_citizen act_reset_pin act_revoke_card act_revoke_kiosk act_update_citizen act_update_ride",
        "visiting_citizens returning_citizens voting_citizens ballots points_earned points_spent reader_ok reader_problem",
        "unreachable wrong_password too_many_attempts signed_out not_allowed not_found server missing_credentials",
        "missing_card bad_citizen_id card_taken conflict card_rejected bad_card bad_date bad_time missing_code cannot_save no_reader",
    ];
    used.extend(made.iter().flat_map(|line| line.split_whitespace()).map(str::to_owned));
    let missing: Vec<_> = used.iter().filter(|k| !ja.contains(*k)).collect();
    assert!(missing.is_empty(), "not in i18n.js: {missing:?}");
}
