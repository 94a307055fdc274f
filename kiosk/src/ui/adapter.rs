//! The only code that touches the generated Slint types: it copies a [`ScreenModel`] into
//! the window's `Kiosk` global, switches the bundled translation with the language, and
//! turns the views' `act(kind, argument)` into controller actions.

use std::cell::RefCell;
use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::ui::controller::{Action, Session};
use crate::ui::model::ScreenModel;
use crate::ui::port::KioskPort;
use crate::{Bar, Choice, DemoCard, Group, Kiosk, KioskWindow, Rides, StatusLine, Theme};

fn s(text: &str) -> SharedString {
    SharedString::from(text)
}

fn list<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

/// Shows the model in the window.
pub fn show(window: &KioskWindow, model: &ScreenModel) {
    // Japanese, Korean and Chinese from the .po files in assets/translations; English is the source.
    let _ = slint::select_bundled_translation(if model.language == "en" { "" } else { &model.language });
    let k = window.global::<Kiosk>();
    k.set_screen(s(model.screen.tag()));
    k.set_language(s(&model.language));
    k.set_place_name(s(&model.place_name));
    k.set_clock(s(&model.clock));
    k.set_online(model.online);

    k.set_nickname(s(&model.nickname));
    k.set_checked_in_now(model.checked_in_now);
    k.set_back_again(model.back_again);
    k.set_points_earned(s(&model.points_earned));
    k.set_port_bonus(s(&model.port_bonus));
    k.set_balance(s(&model.balance));
    k.set_open_themes(model.open_themes as i32);
    k.set_ride_number(s(&model.ride_number));
    k.set_ride_destination(s(&model.ride_destination));
    k.set_ride_when(s(&model.ride_when));
    k.set_ride_status(s(&model.ride_status));
    k.set_ride_vehicle(s(&model.ride_vehicle));
    k.set_ride_eta(s(&model.ride_eta));
    k.set_ride_cancellable(model.ride_cancellable);

    k.set_choices(list(
        model
            .choices
            .iter()
            .map(|c| Choice {
                key: s(&c.key),
                label: s(&c.label),
                detail: s(&c.detail),
                note: s(&c.note),
                group: s(&c.group),
                selected: c.selected,
                available: c.available,
            })
            .collect(),
    ));
    window.global::<Rides>().set_groups(list(
        model.groups.iter().map(|(kind, first, count)| Group { kind: s(kind), first: *first as i32, count: *count as i32 }).collect(),
    ));
    k.set_subject(s(&model.subject));
    k.set_question(s(&model.question));
    k.set_cost(s(&model.cost));
    k.set_balance_after(s(&model.balance_after));
    k.set_merchant(s(&model.merchant));
    k.set_coupon_code(s(&model.coupon_code));
    k.set_receipt_no(s(&model.receipt_no));
    k.set_choose_min(i32::from(model.choose_min));
    k.set_choose_max(i32::from(model.choose_max));
    k.set_already_voted(model.already_voted);
    k.set_replaced(model.replaced);
    k.set_closes(s(&model.closes));
    k.set_results(list(
        model
            .results
            .iter()
            .map(|b| Bar { label: s(&b.label), votes: b.votes as i32, percent: b.percent as i32, mine: b.mine })
            .collect(),
    ));
    k.set_ride_time_key(s(&model.ride_time_key));
    k.set_passengers(i32::from(model.passengers));
    k.set_wheelchair(model.wheelchair);
    k.set_assistance(model.assistance);
    k.set_pin_entered(model.pin_entered as i32);
    k.set_pin_locked(model.pin_locked);
    k.set_typed(s(&model.typed));
    k.set_typed_hub(s(&model.typed_hub));
    k.set_field(s(&model.field));
    k.set_keyboard(s(&model.keyboard));
    k.set_guests_today(s(&model.guests_today));

    k.set_staff(list(
        model.staff.iter().map(|l| StatusLine { name: s(&l.name), ok: l.ok, detail: s(&l.detail) }).collect(),
    ));
    k.set_outbox(s(&model.outbox));
    k.set_sync_lag(s(&model.sync_lag));
    k.set_kiosk_code(s(&model.kiosk_code));
    k.set_volume(i32::from(model.volume));
    k.set_default_language(s(&model.default_language));

    k.set_problem_code(s(&model.problem.code));
    k.set_problem_a(s(&model.problem.args[0]));
    k.set_problem_b(s(&model.problem.args[1]));
    k.set_problem_c(s(&model.problem.args[2]));
    k.set_note(s(&model.note));
    k.set_print_state(s(&model.print.state));
    let picture = model.print.preview.as_ref().and_then(|path| slint::Image::load_from_path(path).ok());
    k.set_has_receipt_image(picture.is_some());
    if let Some(picture) = picture {
        k.set_receipt_image(picture);
    }
    k.set_idle_warning(model.idle_warning);
    k.set_idle_seconds_left(model.idle_seconds_left as i32);
}

/// The screen's density, for the size of touch targets (16 mm).
pub fn set_dpi(window: &KioskWindow, dpi: f32) {
    window.global::<Theme>().set_dpi(dpi);
}

/// Demo mode: the simulated reader's cards in the side panel, and what tapping one does.
pub fn show_demo_cards(window: &KioskWindow, labels: &[String], on_tap: impl Fn(usize) + 'static) {
    let k = window.global::<Kiosk>();
    k.set_demo(true);
    k.set_demo_cards(list(
        labels.iter().enumerate().map(|(i, l)| DemoCard { label: s(l), shortcut: s(&(i + 1).to_string()) }).collect(),
    ));
    k.on_demo_tap(move |i| {
        if let Ok(i) = usize::try_from(i) {
            on_tap(i);
        }
    });
}

/// Wires every press in the window, and every card from the reader, to the session.
pub fn bind<P: KioskPort + 'static>(window: &KioskWindow, session: Rc<RefCell<Session<P>>>) {
    let weak = window.as_weak();
    let s = session.clone();
    window.global::<Kiosk>().on_card_tapped(move |uid| {
        let (Some(w), Ok(card)) = (weak.upgrade(), iki_core::CardUid::parse(&uid)) else { return };
        let model = s.borrow_mut().tap(&card).clone();
        show(&w, &model);
    });
    let weak = window.as_weak();
    let s = session.clone();
    window.global::<Kiosk>().on_card_refused(move |code| {
        if let Some(w) = weak.upgrade() {
            let model = s.borrow_mut().unreadable(&code).clone();
            show(&w, &model);
        }
    });
    let weak = window.as_weak();
    window.global::<Kiosk>().on_act(move |kind, arg| {
        let Some(action) = Action::parse(&kind, &arg) else { return };
        if let Some(w) = weak.upgrade() {
            let model = session.borrow_mut().act(action).clone();
            show(&w, &model);
        }
    });
}

/// A card from the reader's thread, delivered on the UI thread.
pub fn send_tap(window: &slint::Weak<KioskWindow>, card: &iki_core::CardUid) {
    let uid = card.to_string();
    let _ = window.upgrade_in_event_loop(move |w| w.global::<Kiosk>().invoke_card_tapped(uid.into()));
}

/// A refused card from the reader's thread (`card.unreadable` or `card.random_uid`).
pub fn send_refusal(window: &slint::Weak<KioskWindow>, code: &'static str) {
    let _ = window.upgrade_in_event_loop(move |w| w.global::<Kiosk>().invoke_card_refused(code.into()));
}
