//! Receipts to ESC/POS and back: Japanese text in Shift_JIS with Kanji mode around
//! double-byte runs, raster lines for what the printer's fonts lack, the QR payload and the
//! cut; and PNG previews of every receipt kind compared with reviewed snapshots.

use std::path::PathBuf;

use iki_core::receipt::Receipt;
use iki_core::{CitizenId, CitizenKind, Localised, LocalDay, Needs, Points, RideId, RideStatus, SeededIds, Timestamp};
use iki_devices::printer::decode::{PrinterOp, decode, text_lines};
use iki_devices::printer::preview::{render, to_png};
use iki_devices::printer::{PaperWidth, ReceiptFonts, encode};
use iki_kiosk_services::receipts::{self, Lang};
use iki_kiosk_services::{
    BallotReceipt, CheckInOutcome, CheckInRecorded, Greeting, GuestCheckIn, Redemption, Registered, RideReceipt, RideView,
};

fn at() -> Timestamp {
    Timestamp::at_local(LocalDay::from_ymd(2026, 12, 4).unwrap(), 9 * 60 + 30)
}

fn port() -> Localised {
    Localised { ko: Some("고노우라항".into()), zh: Some("乡之浦港".into()), ..Localised::new("郷ノ浦港", "Gōnoura Port") }
}

fn greeting(nickname: &str) -> Greeting {
    Greeting { citizen: CitizenId::new(&mut SeededIds::new(1, 0)), nickname: nickname.into(), kind: CitizenKind::ECitizen }
}

fn coupon(lang: Lang) -> Receipt {
    let r = Redemption {
        receipt_no: 42,
        item: Localised { ko: Some("이키 소주 미니 보틀".into()), ..Localised::new("壱岐焼酎 ミニボトル", "Iki shōchū, mini bottle") },
        merchant: "壱岐の蔵酒造".into(),
        cost: Points(500),
        coupon_code: "IKI-7KQ2-M9XD".into(),
        qr_payload: "IKI1:COUPON:IKI-7KQ2-M9XD".into(),
        balance_after: Points(10),
        issued_at: at(),
        offline: false,
    };
    receipts::coupon(&r, &port(), lang)
}

/// One receipt of every kind, with fixed contents so previews can be compared.
fn every_kind(lang: Lang) -> Vec<(&'static str, Receipt)> {
    let check_in = CheckInOutcome {
        greeting: greeting("さくら"),
        place: port(),
        day: at().local_day(),
        recorded: Some(CheckInRecorded { receipt_no: 1, points: Points(10), port_bonus: Points(500), points_expire_at: at().plus_days(365) }),
        balance: Points(510),
    };
    let ride = RideReceipt {
        receipt_no: 8,
        ride: RideView {
            id: RideId::new(&mut SeededIds::new(2, 0)),
            number: "GNR1-00008".into(),
            pickup: port(),
            destination: Localised { ko: Some("이키 병원".into()), ..Localised::new("壱岐病院", "Iki Hospital") },
            pickup_at: at(),
            asap: true,
            passengers: 1,
            needs: Needs { wheelchair: true, assistance: true },
            status: RideStatus::Requested,
            vehicle: None,
            eta: None,
        },
    };
    let ballot = BallotReceipt {
        receipt_no: 5,
        theme: Localised::new("港の待合室の使い方", "Using the port waiting rooms"),
        chosen: vec![Localised::new("島の産品の販売", "Island products for sale")],
        replaced: true,
        closes_at: at().plus_days(30),
        results: None,
    };
    vec![
        ("check_in", receipts::check_in(&check_in, at(), lang).unwrap()),
        ("registration", receipts::registration(&Registered { greeting: greeting("みなと"), receipt_no: 11 }, &port(), at(), lang)),
        ("guest", receipts::guest(&GuestCheckIn { place: port(), day: at().local_day(), receipt_no: 12, guests_today: 3 }, at(), lang)),
        ("coupon", coupon(lang)),
        ("ballot", receipts::ballot(&ballot, &port(), at(), lang)),
        ("ride", receipts::ride(&ride, at(), lang)),
    ]
}

#[test]
fn japanese_coupon_decodes_to_its_text_qr_and_cut() {
    let encoded = encode(&coupon(Lang::Ja), PaperWidth::Mm58, None);
    assert!(encoded.substituted.is_empty());
    assert_eq!(encoded.raster_lines, 0, "everything on a Japanese coupon is in the printer's fonts");
    let ops = decode(&encoded.bytes).expect("a well-formed ESC/POS job");
    let lines = text_lines(&ops);
    assert!(lines.contains(&"壱岐焼酎 ミニボトル".to_string()), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("クーポン番号") && l.ends_with("IKI-7KQ2-M9XD")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("残高") && l.ends_with("10 pt")));
    assert!(lines.iter().all(|l| iki_devices::printer::sjis::columns(l) <= 32), "fits 58 mm");
    assert!(ops.contains(&PrinterOp::Qr { payload: "IKI1:COUPON:IKI-7KQ2-M9XD".into(), module: 5 }));
    assert_eq!(ops.last(), Some(&PrinterOp::Cut));
    assert!(matches!(ops[0], PrinterOp::Image(_)), "the logo comes first");
}

#[test]
fn kanji_mode_brackets_every_double_byte_run() {
    let r = Receipt::new(iki_core::receipt::ReceiptKind::Test, 0).text("IKI 壱岐 Circle ｲｷ 500円");
    let bytes = encode(&r, PaperWidth::Mm80, None).bytes;
    // "IKI " then FS & 壱岐 FS . then " Circle " and half-width katakana as single bytes …
    let expected: &[u8] = &[b'I', b'K', b'I', b' ', 0x1C, 0x26, 0x88, 0xEB, 0x8A, 0xF2, 0x1C, 0x2E, b' ', b'C'];
    assert!(bytes.windows(expected.len()).any(|w| w == expected), "{bytes:02X?}");
    let line = text_lines(&decode(&bytes).unwrap()).into_iter().find(|l| l.contains("Circle")).unwrap();
    assert_eq!(line, "IKI 壱岐 Circle ｲｷ 500円");
    // The decoder refuses a double-byte character outside Kanji mode, so the check above has teeth.
    assert!(decode(&[0x88, 0xEB, 0x0A]).is_err());
}

#[test]
fn characters_outside_jis_x_0208_become_raster_lines_not_question_marks() {
    let fonts = ReceiptFonts::system().expect("fonts-noto-cjk and fonts-morisawa-bizud-gothic are installed by setup");
    let r = Receipt::new(iki_core::receipt::ReceiptKind::Test, 0).text("壱岐 ラーメン 麵").text("이키시 환영").text("emoji 😀").text("plain");
    let encoded = encode(&r, PaperWidth::Mm58, Some(&fonts));
    assert_eq!(encoded.raster_lines, 3);
    assert_eq!(encoded.substituted, vec!['😀'], "no installed face has emoji: drawn as 〓 and reported");
    let ops = decode(&encoded.bytes).unwrap();
    let images: Vec<_> = ops.iter().filter_map(|o| if let PrinterOp::Image(b) = o { Some(b) } else { None }).collect();
    assert_eq!(images.len(), 3, "three raster text lines (this receipt has no logo)");
    assert!(images.iter().all(|b| b.ink() > 50 && b.width() <= 384));
    assert!(text_lines(&ops).iter().all(|l| !l.contains('?')), "nothing printed as ?");
    assert_eq!(text_lines(&ops), vec!["plain"]);
    // Without fonts the printer still gets every character it can, and 〓 for the rest.
    let plain = encode(&r, PaperWidth::Mm58, None);
    assert!(text_lines(&decode(&plain.bytes).unwrap()).contains(&"壱岐 ラーメン 〓".to_string()));
}

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

#[test]
fn previews_match_the_reviewed_snapshots() {
    let fonts = ReceiptFonts::system().expect("receipt fonts");
    let mut changed = Vec::new();
    for lang in [Lang::Ja, Lang::En, Lang::Ko] {
        for (kind, receipt) in every_kind(lang) {
            if lang == Lang::Ko && kind != "coupon" && kind != "ride" {
                continue;
            }
            let png = to_png(&render(&receipt, PaperWidth::Mm58, &fonts));
            let path = snapshot_dir().join(format!("{kind}-{}.png", lang.tag()));
            match std::fs::read(&path) {
                Ok(old) if old == png => {}
                _ => {
                    std::fs::write(path.with_extension("new.png"), &png).unwrap();
                    changed.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        changed.is_empty(),
        "previews differ from the snapshots (look at each .new.png; if right, rename it over the .png): {changed:#?}"
    );
}

#[test]
fn every_receipt_kind_encodes_for_both_paper_widths_in_every_language() {
    let fonts = ReceiptFonts::system().expect("receipt fonts");
    for lang in Lang::ALL {
        for (kind, receipt) in every_kind(lang) {
            for paper in [PaperWidth::Mm58, PaperWidth::Mm80] {
                let encoded = encode(&receipt, paper, Some(&fonts));
                let ops = decode(&encoded.bytes).unwrap_or_else(|e| panic!("{kind} {lang:?}: {e}"));
                assert_eq!(ops.last(), Some(&PrinterOp::Cut), "{kind}");
                assert!(encoded.substituted.is_empty(), "{kind} {lang:?}: {:?}", encoded.substituted);
                for op in &ops {
                    match op {
                        PrinterOp::Text(t) => assert!(iki_devices::printer::sjis::columns(t) <= paper.columns(), "{kind}: {t}"),
                        PrinterOp::Image(b) => assert!(b.width() <= paper.dots()),
                        _ => {}
                    }
                }
            }
        }
    }
}
