//! Compiles the kiosk's Slint views, with the translations in `assets/translations/` bundled.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/translations"))
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        // Element names in the item tree, for the headless UI tests.
        .with_debug_info(true);
    slint_build::compile_with_config("ui/app.slint", config).expect("the kiosk's Slint views compile");
}
