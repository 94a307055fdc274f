//! Iki as the demo knows it: real places and destinations (coordinates approximate, WGS 84),
//! a points catalogue, open dialogue themes and four named demo citizens.

use iki_core::secret::{SALT_LEN, hash_secret};
use iki_core::{
    AgeBand, CardUid, CatalogueItem, Citizen, CitizenId, CitizenKind, Coordinates, Eligibility, HomeRegion, ItemId,
    Kiosk, KioskId, Localised, Nickname, Place, PlaceId, PlaceKind, Points, SeededIds, Stock, Stop, StopId, StopKind,
    Theme, ThemeId, Timestamp, VotingMethod,
};
use iki_core::catalogue::ItemCategory;

/// Seed of every demo id, so the demo island is the same on every machine.
const ISLAND_SEED: u64 = 0x1D1_C1C1E;
/// 2026-01-01 00:00 JST, the time the demo ids are minted from.
const ID_EPOCH_MS: u64 = 1_767_193_200_000;

/// Everything the demo kiosk's directory holds.
#[derive(Debug, Clone)]
pub struct DemoIsland {
    pub places: Vec<Place>,
    pub kiosks: Vec<Kiosk>,
    pub stops: Vec<Stop>,
    pub items: Vec<CatalogueItem>,
    pub themes: Vec<Theme>,
    pub citizens: Vec<DemoCitizen>,
}

/// A named demo citizen with their cards (and the demo PIN, printed on the demo card).
#[derive(Debug, Clone)]
pub struct DemoCitizen {
    pub citizen: Citizen,
    pub cards: Vec<CardUid>,
    /// Stopped cards and the card that replaced each.
    pub revoked: Vec<(CardUid, Option<CardUid>)>,
    pub pin: Option<&'static str>,
    pub pin_hash: Option<String>,
}

impl DemoIsland {
    pub fn place(&self, code: &str) -> &Place {
        self.places.iter().find(|p| p.code == code).unwrap_or_else(|| panic!("no demo place {code}"))
    }

    pub fn stop(&self, name_en: &str) -> &Stop {
        self.stops.iter().find(|s| s.name.en == name_en).unwrap_or_else(|| panic!("no demo stop {name_en}"))
    }

    pub fn item(&self, name_en: &str) -> &CatalogueItem {
        self.items.iter().find(|i| i.name.en == name_en).unwrap_or_else(|| panic!("no demo item {name_en}"))
    }

    pub fn citizen(&self, nickname: &str) -> &DemoCitizen {
        self.citizens
            .iter()
            .find(|c| c.citizen.nickname.as_str() == nickname)
            .unwrap_or_else(|| panic!("no demo citizen {nickname}"))
    }
}

fn at(lat: f64, lon: f64) -> Coordinates {
    Coordinates { lat, lon }
}

/// The demo island, with themes open around `now`.
pub fn island(now: Timestamp) -> DemoIsland {
    let mut ids = SeededIds::new(ISLAND_SEED, ID_EPOCH_MS);
    let mut place = |kind, code: &str, ja: &str, en: &str, loc, points, pin| Place {
        id: PlaceId::new(&mut ids),
        kind,
        code: code.into(),
        name: Localised::new(ja, en),
        location: loc,
        checkin_points: Points(points),
        pin_threshold: Points(pin),
    };
    use PlaceKind::*;
    let places = vec![
        place(TeleworkCentre, "TWC", "壱岐テレワークセンター", "Iki Telework Centre", at(33.8006, 129.7386), 20, 1_000),
        place(FerryPort, "GNR", "郷ノ浦港", "Gōnoura Port", at(33.7478, 129.6893), 10, 400),
        place(FerryPort, "ASB", "芦辺港", "Ashibe Port", at(33.8063, 129.7462), 10, 400),
        place(FerryPort, "IDJ", "印通寺港", "Indōji Port", at(33.7378, 129.7565), 10, 400),
        place(CommunityHall, "KTM", "勝本地区公民館", "Katsumoto Community Hall", at(33.8473, 129.6975), 15, 500),
        place(CommunityHall, "ISD", "石田地区公民館", "Ishida Community Hall", at(33.7431, 129.7322), 15, 500),
    ];

    let mut ids = SeededIds::new(ISLAND_SEED + 1, ID_EPOCH_MS);
    let kiosks = places
        .iter()
        .flat_map(|p| {
            let n = if p.kind == FerryPort { 2 } else { 1 };
            (1..=n).map(|i| (p.id, p.code.clone(), i)).collect::<Vec<_>>()
        })
        .map(|(place, code, i)| Kiosk { id: KioskId::new(&mut ids), place, code: format!("{code}{i}"), label: format!("{code} kiosk {i}") })
        .collect();

    let mut ids = SeededIds::new(ISLAND_SEED + 2, ID_EPOCH_MS);
    let mut stop = |kind, ja: &str, en: &str, loc| Stop { id: StopId::new(&mut ids), kind, name: Localised::new(ja, en), location: loc };
    use StopKind::*;
    let stops = vec![
        stop(Port, "郷ノ浦港", "Gōnoura Port", at(33.7478, 129.6893)),
        stop(Port, "芦辺港", "Ashibe Port", at(33.8063, 129.7462)),
        stop(Port, "印通寺港", "Indōji Port", at(33.7378, 129.7565)),
        stop(Port, "勝本港", "Katsumoto Port", at(33.8512, 129.6921)),
        stop(Port, "壱岐空港", "Iki Airport", at(33.7490, 129.7854)),
        stop(Hospital, "壱岐病院", "Iki Hospital", at(33.7553, 129.6985)),
        stop(TownHall, "壱岐市役所 郷ノ浦庁舎", "City Hall, Gōnoura Office", at(33.7497, 129.6910)),
        stop(TownHall, "壱岐市役所 芦辺庁舎", "City Hall, Ashibe Office", at(33.8000, 129.7392)),
        stop(TownHall, "壱岐市役所 勝本庁舎", "City Hall, Katsumoto Office", at(33.8465, 129.6985)),
        stop(TownHall, "壱岐市役所 石田庁舎", "City Hall, Ishida Office", at(33.7425, 129.7330)),
        stop(Sight, "一支国博物館", "Iki-koku Museum", at(33.7684, 129.7578)),
        stop(Sight, "原の辻遺跡", "Harunotsuji Site", at(33.7636, 129.7531)),
        stop(Sight, "猿岩", "Saruiwa (Monkey Rock)", at(33.7363, 129.6388)),
        stop(Sight, "小島神社", "Kojima Shrine", at(33.7834, 129.7569)),
        stop(Sight, "筒城浜", "Tsutsukihama Beach", at(33.7403, 129.7716)),
        stop(Sight, "湯ノ本温泉", "Yunomoto Hot Spring", at(33.8268, 129.6687)),
    ];

    let mut ids = SeededIds::new(ISLAND_SEED + 3, ID_EPOCH_MS);
    let mut item = |category, ja: &str, en: &str, cost, stock, merchant: &str| CatalogueItem {
        id: ItemId::new(&mut ids),
        name: Localised::new(ja, en),
        category,
        cost: Points(cost),
        stock,
        merchant: merchant.into(),
        available_from: None,
        available_until: None,
    };
    use ItemCategory::*;
    let items = vec![
        item(Transport, "フェリー・ジェットフォイル 500円割引", "Ferry / jetfoil ¥500 discount", 300, Stock::Unlimited, "九州郵船"),
        item(Transport, "シェアカー 1時間", "Share car, 1 hour", 600, Stock::Limited(20), "壱岐シェアカー"),
        item(Workspace, "テレワークセンター 1日利用券", "Telework centre day pass", 800, Stock::Unlimited, "壱岐テレワークセンター"),
        item(LocalProduct, "壱岐焼酎 ミニボトル", "Iki shōchū, mini bottle", 500, Stock::Limited(40), "壱岐の蔵酒造"),
        item(LocalProduct, "壱岐牛コロッケ", "Iki beef croquette", 150, Stock::Limited(100), "郷ノ浦の精肉店"),
        item(LocalProduct, "生うに 瓶詰め", "Fresh sea urchin, jar", 1_500, Stock::Limited(10), "壱岐東部漁協"),
        item(Experience, "一支国博物館 入館券", "Iki-koku Museum admission", 200, Stock::Unlimited, "一支国博物館"),
    ];

    let mut ids = SeededIds::new(ISLAND_SEED + 4, ID_EPOCH_MS);
    let opts = |o: &[(&str, &str)]| o.iter().map(|(ja, en)| Localised::new(*ja, *en)).collect();
    let themes = vec![
        Theme {
            id: ThemeId::new(&mut ids),
            title: Localised::new("港の待合室の使い方", "Using the port waiting rooms"),
            question: Localised::new("港の待合室で、何がいちばんあるとうれしいですか？", "What would you most like in the port waiting rooms?"),
            options: opts(&[("子どもの勉強スペース", "A study corner for children"), ("観光案内", "Tourist information"), ("島の産品の販売", "Island products for sale"), ("今のままでよい", "Keep them as they are")]),
            method: VotingMethod::Single,
            eligibility: Eligibility::AllCitizens,
            opens_at: now.plus_days(-7),
            closes_at: now.plus_days(30),
            results_visible: true,
        },
        Theme {
            id: ThemeId::new(&mut ids),
            title: Localised::new("オンデマンド交通の運行時間", "On-demand transport hours"),
            question: Localised::new("増やしてほしい便を2つまで選んでください。", "Choose up to two services you want more of."),
            options: opts(&[("朝6時台", "Early morning (6–7 am)"), ("夜7時〜9時", "Evening (7–9 pm)"), ("土日", "Weekends"), ("病院への便", "Trips to the hospital")]),
            method: VotingMethod::Approval { min: 1, max: 2 },
            eligibility: Eligibility::ResidentsOnly,
            opens_at: now.plus_days(-3),
            closes_at: now.plus_days(14),
            results_visible: true,
        },
        Theme {
            id: ThemeId::new(&mut ids),
            title: Localised::new("e-市民の集い", "The e-citizens' gathering"),
            question: Localised::new("島でのe-市民の集い、いつがよいですか？", "When should the e-citizens' gathering on the island be?"),
            options: opts(&[("春", "Spring"), ("夏", "Summer"), ("秋", "Autumn"), ("冬", "Winter")]),
            method: VotingMethod::Single,
            eligibility: Eligibility::AllCitizens,
            opens_at: now.plus_days(-1),
            closes_at: now.plus_days(60),
            results_visible: false,
        },
    ];

    let mut ids = SeededIds::new(ISLAND_SEED + 5, ID_EPOCH_MS);
    let card = |text: &str| CardUid::parse(text).expect("demo card ids are valid");
    let mut person = |kind, nick: &str, region: &str, age, cards: &[&str], revoked: &[(&str, Option<&str>)], pin: Option<&'static str>| {
        let id = CitizenId::new(&mut ids);
        let salt: [u8; SALT_LEN] = id.as_uuid().into_bytes();
        DemoCitizen {
            citizen: Citizen {
                id,
                kind,
                nickname: Nickname::parse(nick).expect("demo nickname"),
                home_region: HomeRegion::parse(region).expect("demo region"),
                age_band: age,
                registered_at: Timestamp(ID_EPOCH_MS as i64),
            },
            cards: cards.iter().map(|c| card(c)).collect(),
            revoked: revoked.iter().map(|(c, by)| (card(c), by.map(card))).collect(),
            pin,
            pin_hash: pin.map(|p| hash_secret(p, &salt)),
        }
    };
    let citizens = vec![
        person(CitizenKind::Resident, "ハナ", "JP-42", AgeBand::SeventyPlus, &["felica:0114B3A1C2D3E4F5"], &[], Some("1234")),
        person(CitizenKind::ECitizen, "さくら", "JP-40", AgeBand::From18To29, &["iso14443a:04A1B2C3D4E5F6"], &[], Some("2468")),
        person(CitizenKind::ECitizen, "Minjun", "KR", AgeBand::Thirties, &["iso14443a:1A2B3C4D"], &[], None),
        person(
            CitizenKind::Resident,
            "健",
            "JP-42",
            AgeBand::Forties,
            &["felica:0114C0FFEE000002"],
            &[("felica:0114C0FFEE000001", Some("felica:0114C0FFEE000002"))],
            None,
        ),
    ];

    DemoIsland { places, kiosks, stops, items, themes, citizens }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_island_is_consistent() {
        let now = crate::demo_morning();
        let a = island(now);
        let b = island(now);
        assert_eq!(a.places, b.places, "deterministic");
        for t in &a.themes {
            assert_eq!(t.validate(), Ok(()), "{}", t.title.en);
            assert!(t.is_open(now));
        }
        for k in &a.kiosks {
            assert!(a.places.iter().any(|p| p.id == k.place));
        }
        for p in &a.places {
            assert!((33.7..33.9).contains(&p.location.lat) && (129.6..129.8).contains(&p.location.lon), "{} is on Iki", p.name.en);
        }
        assert_eq!(a.place("GNR").kind, PlaceKind::FerryPort);
    }
}
