//! Tauri's build step: reads `tauri.conf.json` and the icon, so the app embeds its frontend.

fn main() {
    tauri_build::build();
}
