//! Compiles the kiosk's Slint views, with the translations in `assets/translations/` bundled.

fn main() {
    // Read at run time, not with env!(): a build script compiled in another checkout that
    // shares the target directory must still find this checkout's translations.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let translations = std::path::Path::new(&manifest).join("../assets/translations");
    println!("cargo:rerun-if-changed={}", translations.display());
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations(translations)
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        // Element names in the item tree, for the headless UI tests.
        .with_debug_info(true);
    slint_build::compile_with_config("ui/app.slint", config).expect("the kiosk's Slint views compile");
}
