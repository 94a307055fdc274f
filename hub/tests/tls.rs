//! The hub over TLS: a kiosk trusting the hub's certificate syncs over HTTPS; one that does
//! not trust it is refused; a broken handshake does not stop the hub serving others.

use std::io::Write;
use std::sync::Arc;

use iki_hub::{Hub, demo_directory};
use iki_hub_store::HubStore;
use iki_hub_store_sqlite::SqliteHubStore;
use iki_sync::client::http_client;

#[test]
fn https_with_the_hubs_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("hub.pem"), dir.path().join("hub.key"));
    std::fs::write(&cert_path, key.cert.pem()).unwrap();
    std::fs::write(&key_path, key.signing_key.serialize_pem()).unwrap();
    let config = iki_hub::tls::server_config(&cert_path, &key_path).unwrap();
    assert!(iki_hub::tls::server_config(&key_path, &cert_path).is_err(), "swapped files are refused");

    let store = Arc::new(SqliteHubStore::open_in_memory().unwrap());
    store.load_directory(&demo_directory()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap().port()).unwrap();
            iki_hub::serve_tls(listener, config, Hub::new(store), std::future::pending()).await.unwrap();
        });
    });
    let port = rx.recv().unwrap();
    let url = format!("https://localhost:{port}/v1/health");

    // Garbage instead of a handshake: that connection fails, the hub carries on.
    let mut junk = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    junk.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    drop(junk);

    let trusting = http_client(Some(&cert_path)).unwrap();
    assert_eq!(trusting.get(&url).send().unwrap().text().unwrap(), "ok");
    let untrusting = http_client(None).unwrap();
    assert!(untrusting.get(&url).send().is_err(), "an unknown certificate is not trusted");
    assert!(http_client(Some(&dir.path().join("missing.pem"))).is_err());
}
