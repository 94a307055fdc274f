//! Runs the kiosk window: the session over a [`LivePort`], the card reader's taps brought
//! to the UI thread, a half-second tick for the clock, prints and the inactivity timer,
//! and in demo mode the simulated reader's cards on screen.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use iki_core::CardUid;
use iki_devices::reader::{ReaderEvent, ReaderHandle, SimulatedCards};
use slint::ComponentHandle;

use crate::KioskWindow;
use crate::live::LivePort;
use crate::ui::{Session, bind, send_refusal, send_tap, set_dpi, show, show_demo_cards};

/// How the window runs.
pub struct AppOptions {
    /// The screen's density, for 16 mm touch targets.
    pub dpi: f32,
    pub fullscreen: bool,
    /// Demo mode: the simulated reader and the cards to put on screen.
    pub demo: Option<(SimulatedCards, Vec<(String, CardUid)>)>,
    /// Prints `waiting screen shown after N ms` once the window is up, measured from this
    /// instant (the startup benchmark reads it).
    pub startup_probe: Option<Instant>,
    /// Plays these steps by itself, then closes the window (the demo's tour).
    pub autoplay: Option<Autoplay>,
}

/// One step of a tour.
#[derive(Debug, Clone)]
pub enum Step {
    /// Taps demo card N (from [`AppOptions::demo`]) on the simulated reader.
    Tap(usize),
    /// A press, as the views send it: `act(kind, argument)`.
    Press(&'static str, &'static str),
    /// Saves the window as `<dir>/<name>.png`.
    Shot(&'static str),
}

/// A tour: steps a little more than a second apart, screenshots into `dir`.
#[derive(Debug, Clone)]
pub struct Autoplay {
    pub steps: Vec<Step>,
    pub dir: std::path::PathBuf,
}

/// Shows the kiosk window until it is closed.
pub fn run(port: LivePort, reader: ReaderHandle, options: AppOptions) -> anyhow::Result<()> {
    let window = KioskWindow::new()?;
    set_dpi(&window, options.dpi);
    if options.fullscreen {
        window.window().set_fullscreen(true);
    }
    let enrolled = port.enrolled();
    let session = Rc::new(RefCell::new(Session::new(port)));
    if !enrolled {
        // First start: staff enrol the kiosk before anyone can use it.
        session.borrow_mut().needs_enrolment();
    }
    bind(&window, session.clone());
    show(&window, session.borrow().model());

    let mut tap_demo_card: Option<Rc<dyn Fn(usize)>> = None;
    if let Some((cards, labels)) = options.demo {
        let names: Vec<String> = labels.iter().map(|(label, _)| label.clone()).collect();
        let uids: Vec<CardUid> = labels.into_iter().map(|(_, uid)| uid).collect();
        let tap: Rc<dyn Fn(usize)> = Rc::new(move |i| {
            if let Some(uid) = uids.get(i) {
                // Held briefly on the simulated reader, then taken away: one tap.
                let cards = cards.clone();
                let uid = *uid;
                std::thread::spawn(move || {
                    cards.present(uid);
                    std::thread::sleep(Duration::from_millis(300));
                    cards.remove();
                });
            }
        });
        let on_tap = tap.clone();
        show_demo_cards(&window, &names, move |i| on_tap(i));
        tap_demo_card = Some(tap);
    }

    // Taps arrive on the reader's thread and are shown on the UI thread.
    let weak = window.as_weak();
    std::thread::Builder::new().name("reader events".into()).spawn(move || {
        loop {
            match reader.next_event(Duration::from_secs(1)) {
                Some(ReaderEvent::Tap { uid, .. }) => send_tap(&weak, &uid),
                Some(ReaderEvent::Rejected { reason, .. }) => {
                    tracing::info!("card refused: {reason}");
                    send_refusal(&weak, if reason.contains("different number") { "card.random_uid" } else { "card.unreadable" });
                }
                Some(ReaderEvent::Health { reader, health }) => tracing::info!("reader {reader}: {health:?}"),
                // A quiet second: is the window still there?
                None => {
                    if weak.upgrade_in_event_loop(|_| {}).is_err() {
                        return;
                    }
                }
            }
        }
    })?;

    // The clock, finished prints and the inactivity timer; the window is only touched
    // when something changed, so an idle kiosk draws nothing.
    let tick = slint::Timer::default();
    {
        let weak = window.as_weak();
        let session = session.clone();
        let mut shown = session.borrow().model().clone();
        tick.start(slint::TimerMode::Repeated, Duration::from_millis(500), move || {
            let Some(w) = weak.upgrade() else { return };
            let model = session.borrow_mut().tick().clone();
            if model != shown {
                show(&w, &model);
                shown = model;
            }
        });
    }

    let tour = slint::Timer::default();
    if let Some(autoplay) = options.autoplay {
        let weak = window.as_weak();
        let mut steps = autoplay.steps.into_iter();
        std::fs::create_dir_all(&autoplay.dir)?;
        tour.start(slint::TimerMode::Repeated, Duration::from_millis(1200), move || {
            let Some(w) = weak.upgrade() else { return };
            match steps.next() {
                Some(Step::Tap(i)) => {
                    if let Some(tap) = &tap_demo_card {
                        tap(i);
                    }
                }
                Some(Step::Press(kind, arg)) => w.global::<crate::Kiosk>().invoke_act(kind.into(), arg.into()),
                Some(Step::Shot(name)) => {
                    let path = autoplay.dir.join(format!("{name}.png"));
                    match crate::ui::render_png(&w).map(|png| std::fs::write(&path, png)) {
                        Ok(Ok(())) => println!("screen: {}", path.display()),
                        Ok(Err(e)) => tracing::warn!("{}: {e}", path.display()),
                        Err(e) => tracing::warn!("screenshot: {e}"),
                    }
                }
                None => {
                    let _ = slint::quit_event_loop();
                }
            }
        });
    }

    window.show()?;
    if let Some(started) = options.startup_probe {
        // The software renderer has no rendering notifier; the first turn of the event loop
        // comes after the window is mapped and its first frame is drawn.
        slint::Timer::single_shot(Duration::ZERO, move || {
            println!("waiting screen shown after {} ms", started.elapsed().as_millis());
        });
    }
    slint::run_event_loop()?;
    window.hide()?;
    Ok(())
}
