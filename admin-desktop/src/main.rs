//! `iki-admin`: the admin desktop. Wires the hub's address into a desk and opens the window.

fn main() {
    let (url, ca) = iki_admin_desktop::hub_from_env();
    let desk = match iki_admin_desktop::desk::Desk::new(&url, ca.as_deref()) {
        Ok(desk) => desk,
        Err(problem) => {
            eprintln!("iki-admin: {}", problem.message);
            std::process::exit(2);
        }
    };
    if let Err(e) = iki_admin_desktop::run(desk) {
        eprintln!("iki-admin: the window could not open: {e}");
        std::process::exit(1);
    }
}
