//! The hot queries of a tap use indexes, so a 500,000-citizen directory stays fast: no
//! query here may scan a table.

use iki_store::Store;

#[test]
fn tap_queries_search_indexes_and_never_scan() {
    let store = Store::open_in_memory().unwrap();
    let queries = [
        "SELECT citizen_id, issued_at, revoked_at, replaced_by FROM cards WHERE uid = 'x'",
        "SELECT id, kind, nickname FROM citizens WHERE id = 'x'",
        "SELECT uid FROM cards WHERE citizen_id = 'x' ORDER BY issued_at DESC",
        "SELECT id, earned_at, expires_at, remaining FROM lots WHERE citizen_id = 'x' AND remaining > 0 ORDER BY earned_at, id",
        "SELECT 1 FROM visits WHERE citizen_id = 'x' AND place_id = 'y' AND day = 1",
        "SELECT COALESCE(SUM(spend), 0) FROM outbox WHERE card_uid = 'x'",
        "SELECT choices, origin, cast_at FROM ballots WHERE theme_id = 'x' AND citizen_id = 'y'",
        "SELECT id FROM rides WHERE citizen_id = 'x' AND status IN ('requested', 'assigned', 'picked_up') ORDER BY pickup_at, number",
        "SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account = 'x'",
        "SELECT body FROM events WHERE seq = 1",
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM events",
    ];
    for sql in queries {
        let plan = store.query_plan(sql).unwrap();
        assert!(!plan.is_empty(), "{sql}");
        for step in &plan {
            assert!(!step.starts_with("SCAN"), "{sql}\n  scans: {plan:?}");
        }
    }
}
