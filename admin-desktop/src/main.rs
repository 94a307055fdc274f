//! `iki-admin`: the admin desktop. Reads its settings from the environment and opens the window.

fn main() {
    let result = iki_admin_desktop::Settings::from_env().and_then(iki_admin_desktop::run);
    if let Err(e) = result {
        eprintln!("iki-admin: {e}");
        std::process::exit(2);
    }
}
