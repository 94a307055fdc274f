//! The only code that touches the generated Slint types: it shows a [`ScreenModel`] in the
//! window and switches the bundled translation with the language.

use slint::{ComponentHandle, SharedString};

use crate::KioskWindow;
use crate::ui::{Screen, ScreenModel};

/// Shows the model in the window.
pub fn show(window: &KioskWindow, model: &ScreenModel) {
    // Japanese, English, Korean, Chinese: the .po files in assets/translations (English is the source).
    let _ = slint::select_bundled_translation(if model.language == "en" { "" } else { &model.language });
    window.set_language(SharedString::from(model.language.as_str()));
    window.set_place_name(model.place_name.as_str().into());
    window.set_clock(model.clock.as_str().into());
    window.set_online(model.online);
    window.set_screen(match model.screen {
        Screen::Waiting => 0,
        Screen::Greeted => 1,
    });
    window.set_nickname(model.nickname.as_str().into());
    window.set_checked_in_now(model.checked_in_now);
    window.set_points_earned(model.points_earned.as_str().into());
    window.set_port_bonus(model.port_bonus.as_str().into());
    window.set_balance(model.balance.as_str().into());
    window.set_message(model.message.as_str().into());
}

/// Wires the window's buttons to a session (language and "start over").
pub fn bind<P: crate::ui::KioskPort + 'static>(window: &KioskWindow, session: std::rc::Rc<std::cell::RefCell<crate::ui::Session<P>>>) {
    let weak = window.as_weak();
    let s = session.clone();
    window.on_choose_language(move |lang| {
        if let Some(w) = weak.upgrade() {
            show(&w, s.borrow_mut().choose_language(&lang));
        }
    });
    let weak = window.as_weak();
    window.on_start_over(move || {
        if let Some(w) = weak.upgrade() {
            show(&w, session.borrow_mut().start_over());
        }
    });
}
