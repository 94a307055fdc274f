//! Receipts for each service outcome, in the person's language (Japanese, English, Korean,
//! Simplified Chinese). The printer or the preview renders them; nothing here prints.

use iki_core::receipt::{Receipt, ReceiptKind};
use iki_core::{Localised, Points, Timestamp};

use crate::outcomes::{BallotReceipt, CheckInOutcome, GuestCheckIn, Redemption, Registered, RideReceipt};

/// The language a receipt is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
    Ko,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Ja, Lang::En, Lang::Ko, Lang::Zh];

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
            Lang::Ko => "ko",
            Lang::Zh => "zh",
        }
    }

    pub fn parse(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.tag() == tag)
    }
}

/// Every fixed word a receipt prints, per language.
struct Words {
    island: &'static str,
    receipt_no: &'static str,
    check_in: &'static str,
    earned: &'static str,
    port_bonus: &'static str,
    balance: &'static str,
    expires: &'static str,
    registered: &'static str,
    welcome: &'static str,
    guest: &'static str,
    guests_today: &'static str,
    coupon: &'static str,
    coupon_code: &'static str,
    cost: &'static str,
    merchant: &'static str,
    show_coupon: &'static str,
    offline: &'static str,
    ballot: &'static str,
    ballot_changed: &'static str,
    closes: &'static str,
    ride: &'static str,
    ride_no: &'static str,
    from: &'static str,
    to: &'static str,
    time: &'static str,
    asap: &'static str,
    passengers: &'static str,
    wheelchair: &'static str,
    assistance: &'static str,
    cancelled: &'static str,
    thanks: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ja => &Words {
            island: "壱岐市 いきサークル",
            receipt_no: "受付番号",
            check_in: "チェックイン",
            earned: "獲得ポイント",
            port_bonus: "初上陸ボーナス",
            balance: "残高",
            expires: "ポイントの有効期限",
            registered: "e-市民登録",
            welcome: "ようこそ壱岐へ",
            guest: "ゲスト来訪",
            guests_today: "本日のゲスト",
            coupon: "交換クーポン",
            coupon_code: "クーポン番号",
            cost: "使用ポイント",
            merchant: "ご利用先",
            show_coupon: "お店でこの券をお見せください",
            offline: "オフライン受付（後で送信します）",
            ballot: "投票しました",
            ballot_changed: "投票を変更",
            closes: "締切",
            ride: "配車受付",
            ride_no: "配車番号",
            from: "乗車",
            to: "行き先",
            time: "時刻",
            asap: "すぐに",
            passengers: "人数",
            wheelchair: "車いす",
            assistance: "介助あり",
            cancelled: "取り消しました",
            thanks: "ありがとうございました",
        },
        Lang::En => &Words {
            island: "Iki City · Iki Circle",
            receipt_no: "Receipt no.",
            check_in: "Check-in",
            earned: "Points earned",
            port_bonus: "First-arrival bonus",
            balance: "Balance",
            expires: "Points expire",
            registered: "Registration",
            welcome: "Welcome to Iki",
            guest: "Guest visit",
            guests_today: "Guests today",
            coupon: "Coupon",
            coupon_code: "Coupon code",
            cost: "Points used",
            merchant: "Use at",
            show_coupon: "Show this coupon at the shop",
            offline: "Recorded offline (sent later)",
            ballot: "Vote recorded",
            ballot_changed: "Vote changed",
            closes: "Closes",
            ride: "Ride request",
            ride_no: "Ride no.",
            from: "From",
            to: "To",
            time: "Time",
            asap: "As soon as possible",
            passengers: "Passengers",
            wheelchair: "Wheelchair",
            assistance: "Assistance",
            cancelled: "Cancelled",
            thanks: "Thank you",
        },
        Lang::Ko => &Words {
            island: "이키시 · Iki Circle",
            receipt_no: "접수 번호",
            check_in: "체크인",
            earned: "적립 포인트",
            port_bonus: "첫 방문 보너스",
            balance: "잔액",
            expires: "포인트 유효기간",
            registered: "e-시민 등록",
            welcome: "이키에 오신 것을 환영합니다",
            guest: "게스트 방문",
            guests_today: "오늘의 게스트",
            coupon: "교환 쿠폰",
            coupon_code: "쿠폰 번호",
            cost: "사용 포인트",
            merchant: "사용처",
            show_coupon: "가게에서 이 쿠폰을 보여 주세요",
            offline: "오프라인 접수 (나중에 전송)",
            ballot: "투표 완료",
            ballot_changed: "투표 변경",
            closes: "마감",
            ride: "배차 접수",
            ride_no: "배차 번호",
            from: "승차",
            to: "목적지",
            time: "시각",
            asap: "바로",
            passengers: "인원",
            wheelchair: "휠체어",
            assistance: "도움 필요",
            cancelled: "취소되었습니다",
            thanks: "감사합니다",
        },
        Lang::Zh => &Words {
            island: "壹岐市 · Iki Circle",
            receipt_no: "受理编号",
            check_in: "签到",
            earned: "获得积分",
            port_bonus: "首次抵达奖励",
            balance: "余额",
            expires: "积分有效期",
            registered: "电子市民登记",
            welcome: "欢迎来到壹岐",
            guest: "访客来访",
            guests_today: "今日访客",
            coupon: "兑换券",
            coupon_code: "兑换码",
            cost: "使用积分",
            merchant: "使用地点",
            show_coupon: "请在店铺出示此券",
            offline: "离线受理（稍后发送）",
            ballot: "已记录您的投票",
            ballot_changed: "已更改您的投票",
            closes: "截止",
            ride: "叫车受理",
            ride_no: "叫车编号",
            from: "上车",
            to: "目的地",
            time: "时间",
            asap: "尽快",
            passengers: "人数",
            wheelchair: "轮椅",
            assistance: "需要协助",
            cancelled: "已取消",
            thanks: "谢谢",
        },
    }
}

fn header(kind: ReceiptKind, number: u64, lang: Lang, title: &str, place: &Localised, at: Timestamp) -> Receipt {
    let w = words(lang);
    Receipt::new(kind, number)
        .logo()
        .centred(w.island)
        .heading(title)
        .centred(place.get(lang.tag()))
        .centred(at.to_string())
        .rule()
}

fn footer(receipt: Receipt, lang: Lang) -> Receipt {
    let w = words(lang);
    let number = receipt_number(receipt.number);
    receipt.rule().pair(w.receipt_no, number).centred(w.thanks).feed(2)
}

fn receipt_number(n: u64) -> String {
    format!("{n:06}")
}

fn pt(p: Points) -> String {
    p.to_string()
}

/// A check-in (only when one was recorded).
pub fn check_in(out: &CheckInOutcome, at: Timestamp, lang: Lang) -> Option<Receipt> {
    let w = words(lang);
    let rec = out.recorded?;
    let mut r = header(ReceiptKind::CheckIn, rec.receipt_no, lang, w.check_in, &out.place, at)
        .big(out.greeting.nickname.clone())
        .pair(w.earned, pt(rec.points));
    if rec.port_bonus.is_positive() {
        r = r.pair(w.port_bonus, pt(rec.port_bonus));
    }
    r = r.total(w.balance, pt(out.balance)).pair(w.expires, rec.points_expire_at.local_day().to_string());
    Some(footer(r, lang))
}

pub fn registration(reg: &Registered, place: &Localised, at: Timestamp, lang: Lang) -> Receipt {
    let w = words(lang);
    let r = header(ReceiptKind::Registration, reg.receipt_no, lang, w.registered, place, at)
        .big(w.welcome)
        .big(reg.greeting.nickname.clone());
    footer(r, lang)
}

pub fn guest(g: &GuestCheckIn, at: Timestamp, lang: Lang) -> Receipt {
    let w = words(lang);
    let r = header(ReceiptKind::GuestCheckIn, g.receipt_no, lang, w.guest, &g.place, at)
        .big(w.welcome)
        .pair(w.guests_today, g.guests_today.to_string());
    footer(r, lang)
}

pub fn coupon(c: &Redemption, place: &Localised, lang: Lang) -> Receipt {
    let w = words(lang);
    let mut r = header(ReceiptKind::Coupon, c.receipt_no, lang, w.coupon, place, c.issued_at)
        .big(c.item.get(lang.tag()))
        .pair(w.merchant, c.merchant.clone())
        .pair(w.cost, pt(c.cost))
        .total(w.balance, pt(c.balance_after))
        .rule()
        .pair(w.coupon_code, c.coupon_code.clone())
        .qr(c.qr_payload.clone())
        .centred(w.show_coupon);
    if c.offline {
        r = r.centred(w.offline);
    }
    footer(r, lang)
}

pub fn ballot(b: &BallotReceipt, place: &Localised, at: Timestamp, lang: Lang) -> Receipt {
    let w = words(lang);
    let mut r = header(ReceiptKind::Ballot, b.receipt_no, lang, if b.replaced { w.ballot_changed } else { w.ballot }, place, at)
        .text(b.theme.get(lang.tag()));
    for choice in &b.chosen {
        r = r.big(format!("● {}", choice.get(lang.tag())));
    }
    footer(r.pair(w.closes, b.closes_at.to_string()), lang)
}

pub fn ride(rr: &RideReceipt, at: Timestamp, lang: Lang) -> Receipt {
    let w = words(lang);
    let v = &rr.ride;
    let title = if v.status == iki_core::RideStatus::Cancelled { w.cancelled } else { w.ride };
    let mut r = header(ReceiptKind::Ride, rr.receipt_no, lang, title, &v.pickup, at)
        .text(w.ride_no)
        .heading(v.number.clone())
        .pair(w.from, v.pickup.get(lang.tag()))
        .pair(w.to, v.destination.get(lang.tag()))
        .pair(w.time, if v.asap { w.asap.to_string() } else { v.pickup_at.to_string() })
        .pair(w.passengers, v.passengers.to_string());
    if v.needs.wheelchair {
        r = r.text(format!("● {}", w.wheelchair));
    }
    if v.needs.assistance {
        r = r.text(format!("● {}", w.assistance));
    }
    footer(r, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_word() {
        for lang in Lang::ALL {
            let w = words(lang);
            for word in [w.island, w.receipt_no, w.balance, w.coupon_code, w.thanks, w.ride_no, w.asap] {
                assert!(!word.is_empty(), "{lang:?}");
            }
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn a_coupon_receipt_carries_code_qr_and_balance() {
        let c = Redemption {
            receipt_no: 42,
            item: Localised::new("壱岐焼酎 ミニボトル", "Iki shōchū, mini bottle"),
            merchant: "壱岐の蔵酒造".into(),
            cost: Points(500),
            coupon_code: "IKI-7KQ2-M9XD".into(),
            qr_payload: "IKI1:COUPON:IKI-7KQ2-M9XD".into(),
            balance_after: Points(10),
            issued_at: Timestamp(1_780_000_000_000),
            offline: true,
        };
        let r = coupon(&c, &Localised::new("郷ノ浦港", "Gōnoura Port"), Lang::Ja);
        let texts = r.texts();
        assert!(texts.contains(&"クーポン番号 IKI-7KQ2-M9XD".to_string()), "{texts:?}");
        assert!(texts.contains(&"IKI1:COUPON:IKI-7KQ2-M9XD".to_string()));
        assert!(texts.contains(&"残高 10 pt".to_string()));
        assert!(texts.iter().any(|t| t.contains("オフライン")));
        assert!(texts.contains(&"受付番号 000042".to_string()));
    }
}
