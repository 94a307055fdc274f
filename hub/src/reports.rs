//! Reports and the open-data export: visits counted per place, day and kind of visitor,
//! with no personal data, and cells under k = 5 suppressed so no one can be picked out.

use iki_core::Place;
use iki_hub_store::VisitCount;

/// Counts below this are published as `<5`.
pub const K_ANONYMITY: u64 = 5;

/// The open-data CSV: `date,place_code,place_name,visitor,visits`, one row per cell.
pub fn visits_csv(visits: &[VisitCount], places: &[Place]) -> String {
    let mut out = String::from("date,place_code,place_name,visitor,visits\n");
    for v in visits {
        let (code, name) = places
            .iter()
            .find(|p| p.id == v.place)
            .map_or(("?".to_owned(), String::new()), |p| (p.code.clone(), p.name.en.clone()));
        let count = if v.visits < K_ANONYMITY { format!("<{K_ANONYMITY}") } else { v.visits.to_string() };
        out.push_str(&format!("{},{},{},{},{}\n", v.day, csv_field(&code), csv_field(&name), v.visitor, count));
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_core::{LocalDay, SeededIds};

    #[test]
    fn small_cells_are_suppressed() {
        let places = iki_demo_data::island(iki_demo_data::demo_morning()).places;
        let place = places[1].id;
        let day = LocalDay::from_ymd(2026, 12, 4).unwrap();
        let visits = vec![
            VisitCount { place, day, visitor: "e_citizen".into(), visits: 12 },
            VisitCount { place, day, visitor: "guest".into(), visits: 4 },
            VisitCount { place: iki_core::PlaceId::new(&mut SeededIds::new(1, 0)), day, visitor: "resident".into(), visits: 5 },
        ];
        let csv = visits_csv(&visits, &places);
        assert_eq!(
            csv,
            "date,place_code,place_name,visitor,visits\n2026-12-04,GNR,Gōnoura Port,e_citizen,12\n2026-12-04,GNR,Gōnoura Port,guest,<5\n2026-12-04,?,,resident,5\n"
        );
    }
}
