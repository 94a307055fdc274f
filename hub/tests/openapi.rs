//! The OpenAPI document describes exactly the hub's routes, and the hub serves it.

use std::collections::BTreeSet;

#[test]
fn the_document_lists_every_route_and_nothing_else() {
    let doc: serde_json::Value = serde_json::from_str(iki_hub::OPENAPI).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
        .collect();
    let routed: BTreeSet<(String, String)> = iki_hub::route_table().into_iter().map(|(m, p)| (m.to_owned(), p.to_owned())).collect();
    assert_eq!(documented, routed, "hub/openapi.json and the route table differ");
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{method} {path} has no summary");
        }
    }
}
