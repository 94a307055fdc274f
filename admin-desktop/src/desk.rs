//! What the admin desktop does for hall staff, without any window: every desk (citizens,
//! catalogue, themes, rides, places and kiosks, reports and open data, coupons, audit)
//! over `iki_sync::staff_client`. Each operation returns its result or a [`Problem`] the
//! screen puts into words by its `code`, knowing whether a retry can help. The Tauri
//! commands are one-line wrappers over this; the tests call it directly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use iki_core::{
    CardUid, CatalogueItem, CitizenId, Eligibility, KioskId, LocalDay, Localised, Place, PlaceId, RideId, Stop, Theme, ThemeId,
    Timestamp, VotingMethod,
};
use iki_sync::staff::{
    AuditEntry, CitizenEdit, CitizenFile, CouponCheck, DispatchRide, Engagement, FlagRecord, GrowthPoint, KioskStatus, Lockout, NewCitizen,
    PaperBallot, Progress, RegionCount, RideUpdate, ThemeResults, VisitCount,
};
use iki_sync::staff_client::{StaffClient, StaffError};
use serde::{Deserialize, Serialize};

/// Why something did not happen, for the screen: a stable `code` the frontend translates,
/// the hub's own words in `message`, and whether the same request may work later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub retryable: bool,
}

impl Problem {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), retryable: false }
    }
}

impl From<StaffError> for Problem {
    fn from(e: StaffError) -> Self {
        let code = match &e {
            StaffError::Unreachable(_) => "unreachable",
            StaffError::WrongPassword => "wrong_password",
            StaffError::TooManyAttempts(_) => "too_many_attempts",
            StaffError::SignedOut => "signed_out",
            StaffError::NotAllowed(_) => "not_allowed",
            StaffError::NotFound(_) => "not_found",
            StaffError::Refused { code, .. } => code.as_str(),
            StaffError::Server(_) => "server",
        };
        Problem { code: code.to_owned(), message: e.to_string(), retryable: e.is_retryable() }
    }
}

/// Audit entries per page on the audit screen.
pub const AUDIT_PAGE: usize = 100;

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Older entries exist (the screen offers them).
    pub more: bool,
}

/// Who signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedIn {
    pub username: String,
    /// `staff` or `manager`: what the screens offer.
    pub role: String,
}

/// One row of the citizen search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitizenRow {
    pub id: String,
    pub nickname: String,
    /// `resident` or `e_citizen`.
    pub kind: String,
    pub home_region: String,
    /// Cards in use (stopped ones are in the file).
    pub cards: Vec<String>,
    pub balance: i64,
}

/// The straight line through the last weeks' growth, and when it meets the goal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    /// New citizens per day, on average over the fitted days.
    pub per_day: f64,
    /// The day the line reaches the target, if it rises at all.
    pub reaches_target: Option<LocalDay>,
}

/// Everything the dashboard shows, fetched together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub today: LocalDay,
    pub places: Vec<Place>,
    pub visits_today: Vec<VisitCount>,
    pub progress: Progress,
    pub growth: Vec<GrowthPoint>,
    pub trend: Option<Trend>,
    pub kiosks: Vec<KioskStatus>,
    /// Rides still to run, soonest first.
    pub rides: Vec<DispatchRide>,
    pub flags: Vec<FlagRecord>,
    pub lockouts: Vec<Lockout>,
}

/// The dispatch board: rides with the names of their places and stops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Board {
    pub rides: Vec<DispatchRide>,
    pub places: Vec<Place>,
    pub stops: Vec<Stop>,
}

/// Places with their kiosks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sites {
    pub places: Vec<Place>,
    pub kiosks: Vec<KioskStatus>,
}

/// A fresh kiosk enrolment code, with its QR code as SVG for the kiosk's camera-less
/// staff to read off the screen (or print).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnrolmentCodeView {
    pub code: String,
    pub expires_at: Timestamp,
    pub qr_svg: String,
}

/// Reports for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reports {
    pub places: Vec<Place>,
    pub visits: Vec<VisitCount>,
    pub regions: Vec<RegionCount>,
    pub engagement: Engagement,
}

/// The first rows of the open-data CSV, as staff see them before exporting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsvPreview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Data rows in the whole file.
    pub total_rows: usize,
    /// Rows whose count is suppressed (`<5`).
    pub suppressed: usize,
}

/// Where an export went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub path: PathBuf,
    pub bytes: u64,
    pub preview: CsvPreview,
}

/// A new dialogue theme as the form fills it in; the desk gives it an id.
#[derive(Debug, Clone, Deserialize)]
pub struct ThemeDraft {
    pub title: Localised,
    pub question: Localised,
    pub options: Vec<Localised>,
    pub method: VotingMethod,
    pub eligibility: Eligibility,
    /// Japan time, `2026-12-04T09:00` as a date-time input gives it.
    pub opens: String,
    pub closes: String,
    pub results_visible: bool,
}

/// The desk's connection to the hub, shared by every window command.
pub struct Desk {
    client: Mutex<StaffClient>,
    username: Mutex<Option<String>>,
    exports: PathBuf,
}

/// Rows the CSV preview shows.
const PREVIEW_ROWS: usize = 20;
/// Days of growth the trend line is fitted to.
const TREND_DAYS: i32 = 90;

impl Desk {
    /// A desk talking to the hub at `hub_url`, trusting the PEM certificate `ca` if given,
    /// saving open-data exports under `exports`.
    pub fn new(hub_url: &str, ca: Option<&Path>, exports: PathBuf) -> Result<Self, Problem> {
        Ok(Self { client: Mutex::new(StaffClient::new(hub_url, ca)?), username: Mutex::new(None), exports })
    }

    fn client(&self) -> std::sync::MutexGuard<'_, StaffClient> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, Problem> {
        let username = username.trim();
        if username.is_empty() || password.is_empty() {
            return Err(Problem::new("missing_credentials", "Please enter your user name and password."));
        }
        let role = self.client().login(username, password)?;
        *self.username.lock().unwrap_or_else(|p| p.into_inner()) = Some(username.to_owned());
        Ok(SignedIn { username: username.to_owned(), role: role.as_str().to_owned() })
    }

    pub fn sign_out(&self) {
        self.client().sign_out();
        *self.username.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Who is signed in, if anyone.
    pub fn who(&self) -> Option<SignedIn> {
        let role = self.client().role()?;
        let username = self.username.lock().unwrap_or_else(|p| p.into_inner()).clone()?;
        Some(SignedIn { username, role: role.as_str().to_owned() })
    }

    // --- Dashboard ---

    pub fn dashboard(&self, now: Timestamp) -> Result<Dashboard, Problem> {
        let today = now.local_day();
        let client = self.client();
        let growth = client.growth()?;
        let progress = client.progress()?;
        Ok(Dashboard {
            today,
            places: client.places()?,
            visits_today: client.visits(today, today)?,
            trend: trend(&growth, progress.target),
            progress,
            growth,
            kiosks: client.kiosks()?,
            rides: client.rides(false)?,
            flags: client.flags()?,
            lockouts: client.lockouts()?,
        })
    }

    // --- Citizens ---

    /// By the beginning of a nickname, a citizen number, or a card number.
    pub fn search(&self, query: &str) -> Result<Vec<CitizenRow>, Problem> {
        let hits = self.client().search_citizens(query.trim())?;
        Ok(hits
            .into_iter()
            .map(|h| CitizenRow {
                id: h.citizen.id.to_string(),
                nickname: h.citizen.nickname.to_string(),
                kind: kind(h.citizen.kind).to_owned(),
                home_region: h.citizen.home_region.as_str().to_owned(),
                cards: h.cards.iter().filter(|c| c.revoked_at.is_none()).map(|c| c.uid.to_string()).collect(),
                balance: h.balance.value(),
            })
            .collect())
    }

    pub fn citizen(&self, id: &str) -> Result<CitizenFile, Problem> {
        Ok(self.client().citizen(citizen_id(id)?)?)
    }

    /// Registers a citizen (with the card tapped on the staff reader, if any); returns the id.
    pub fn register(&self, new: &NewCitizen) -> Result<String, Problem> {
        Ok(self.client().register_citizen(new)?.to_string())
    }

    pub fn edit_citizen(&self, id: &str, edit: &CitizenEdit) -> Result<(), Problem> {
        Ok(self.client().edit_citizen(citizen_id(id)?, edit)?)
    }

    pub fn issue_card(&self, id: &str, card: &str) -> Result<(), Problem> {
        Ok(self.client().issue_card(citizen_id(id)?, &card_uid(card)?)?)
    }

    /// Stops a lost card; with `replacement`, the new card is issued to the same citizen.
    pub fn replace_card(&self, id: &str, lost: &str, replacement: Option<&str>) -> Result<(), Problem> {
        let (citizen, lost) = (citizen_id(id)?, card_uid(lost)?);
        let replacement = replacement.map(card_uid).transpose()?;
        let client = self.client();
        if let Some(new) = &replacement {
            client.issue_card(citizen, new)?;
        }
        Ok(client.revoke_card(&lost, replacement.as_ref())?)
    }

    pub fn reset_pin(&self, id: &str, pin: &str) -> Result<(), Problem> {
        Ok(self.client().reset_pin(citizen_id(id)?, pin)?)
    }

    /// Adds or removes points with a reason (kept in the hub's audit log); returns the balance.
    pub fn adjust_points(&self, id: &str, amount: i64, reason: &str) -> Result<i64, Problem> {
        Ok(self.client().adjust_points(citizen_id(id)?, amount, reason)?.balance.value())
    }

    // --- Catalogue ---

    pub fn items(&self) -> Result<Vec<CatalogueItem>, Problem> {
        Ok(self.client().items()?)
    }

    /// Saves an item; one without an id (`null`) is new.
    pub fn put_item(&self, mut item: serde_json::Value) -> Result<(), Problem> {
        if item.get("id").is_none_or(serde_json::Value::is_null) {
            item["id"] = serde_json::Value::String(new_id(now()).to_string());
        }
        let item: CatalogueItem = serde_json::from_value(item).map_err(|e| Problem::new("bad_item", format!("The item is not complete: {e}")))?;
        Ok(self.client().put_item(&item)?)
    }

    // --- Themes ---

    pub fn themes(&self) -> Result<Vec<Theme>, Problem> {
        Ok(self.client().themes()?)
    }

    /// Creates a theme from the form; returns its id.
    pub fn create_theme(&self, draft: ThemeDraft) -> Result<String, Problem> {
        let (opens_at, closes_at) = (local_time(&draft.opens)?, local_time(&draft.closes)?);
        let theme = Theme {
            id: ThemeId::from_uuid(new_id(now())),
            title: draft.title,
            question: draft.question,
            options: draft.options,
            method: draft.method,
            eligibility: draft.eligibility,
            opens_at,
            closes_at,
            results_visible: draft.results_visible,
        };
        theme.validate().map_err(|e| Problem::new(e.code(), e.to_string()))?;
        self.client().put_theme(&theme)?;
        Ok(theme.id.to_string())
    }

    pub fn close_theme(&self, id: &str) -> Result<(), Problem> {
        Ok(self.client().close_theme(theme_id(id)?)?)
    }

    pub fn theme_results(&self, id: &str) -> Result<ThemeResults, Problem> {
        Ok(self.client().theme_results(theme_id(id)?)?)
    }

    /// A paper ballot from an in-hall session, for the citizen with that id or card.
    pub fn paper_ballot(&self, id: &str, citizen: &str, choices: Vec<u8>) -> Result<(), Problem> {
        let theme = theme_id(id)?;
        let client = self.client();
        let citizen = match citizen.trim().parse::<CitizenId>() {
            Ok(c) => c,
            Err(_) => match client.search_citizens(citizen.trim())?.as_slice() {
                [one] => one.citizen.id,
                _ => return Err(Problem::new("bad_citizen_id", "Give the voter's citizen number, or tap their card.")),
            },
        };
        Ok(client.paper_ballot(theme, &PaperBallot { citizen, choices })?)
    }

    /// The results as CSV, one row per option.
    pub fn theme_results_csv(&self, id: &str) -> Result<Exported, Problem> {
        let results = self.theme_results(id)?;
        let mut csv = String::from("option,option_ja,option_en,votes\n");
        for (i, (option, votes)) in results.theme.options.iter().zip(&results.votes).enumerate() {
            csv.push_str(&format!("{},{},{},{votes}\n", i + 1, csv_field(&option.ja), csv_field(&option.en)));
        }
        let name = format!("theme-{}.csv", results.theme.id);
        self.save(&name, csv.as_bytes())
    }

    // --- Rides ---

    pub fn board(&self, all: bool) -> Result<Board, Problem> {
        let client = self.client();
        Ok(Board { rides: client.rides(all)?, places: client.places()?, stops: client.stops()? })
    }

    pub fn update_ride(&self, id: &str, update: &RideUpdate) -> Result<DispatchRide, Problem> {
        let ride: RideId = id.trim().parse().map_err(|_| Problem::new("bad_ride_id", "That is not a ride."))?;
        Ok(self.client().update_ride(ride, update)?)
    }

    // --- Places and kiosks ---

    pub fn sites(&self) -> Result<Sites, Problem> {
        let client = self.client();
        Ok(Sites { places: client.places()?, kiosks: client.kiosks()? })
    }

    /// Adds a place (a new id when the form has none) or changes one; managers only.
    pub fn put_place(&self, mut place: serde_json::Value) -> Result<(), Problem> {
        if place.get("id").is_none_or(serde_json::Value::is_null) {
            place["id"] = serde_json::Value::String(new_id(now()).to_string());
        }
        let place: Place = serde_json::from_value(place).map_err(|e| Problem::new("bad_place", format!("The place is not complete: {e}")))?;
        Ok(self.client().put_place(&place)?)
    }

    pub fn enrolment_code(&self, place: &str, kiosk_code: &str) -> Result<EnrolmentCodeView, Problem> {
        let place: PlaceId = place.trim().parse().map_err(|_| Problem::new("bad_place", "Choose a place first."))?;
        let code = self.client().enrolment_code(place, kiosk_code)?;
        Ok(EnrolmentCodeView { qr_svg: crate::qr::svg(&code.code), code: code.code, expires_at: code.expires_at })
    }

    pub fn revoke_kiosk(&self, id: &str) -> Result<(), Problem> {
        let kiosk: KioskId = id.trim().parse().map_err(|_| Problem::new("bad_kiosk", "That is not a kiosk."))?;
        Ok(self.client().revoke_kiosk(kiosk)?)
    }

    // --- Reports and open data ---

    pub fn reports(&self, from: &str, to: &str) -> Result<Reports, Problem> {
        let (from, to) = (day(from)?, day(to)?);
        let client = self.client();
        Ok(Reports {
            places: client.places()?,
            visits: client.visits(from, to)?,
            regions: client.regions(from, to)?,
            engagement: client.engagement()?,
        })
    }

    pub fn open_data_preview(&self, from: &str, to: &str) -> Result<CsvPreview, Problem> {
        let mut csv = Vec::new();
        self.client().open_data_visits(day(from)?, day(to)?, &mut csv, &mut |_, _| {})?;
        Ok(preview(&String::from_utf8_lossy(&csv)))
    }

    /// Downloads the open-data CSV into the exports folder, reporting (bytes, of total)
    /// as it goes; the file appears whole or not at all.
    pub fn export_open_data(&self, from: &str, to: &str, progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<Exported, Problem> {
        let (from, to) = (day(from)?, day(to)?);
        let mut csv = Vec::new();
        self.client().open_data_visits(from, to, &mut csv, progress)?;
        self.save(&format!("iki-visits-{from}-{to}.csv"), &csv)
    }

    fn save(&self, name: &str, bytes: &[u8]) -> Result<Exported, Problem> {
        let cannot = |e: std::io::Error| Problem::new("cannot_save", format!("The file could not be saved in {}: {e}", self.exports.display()));
        std::fs::create_dir_all(&self.exports).map_err(cannot)?;
        let path = self.exports.join(name);
        let partial = path.with_extension("csv.partial");
        let mut file = std::fs::File::create(&partial).map_err(cannot)?;
        file.write_all(bytes).and_then(|()| file.sync_all()).map_err(cannot)?;
        std::fs::rename(&partial, &path).map_err(cannot)?;
        Ok(Exported { path, bytes: bytes.len() as u64, preview: preview(&String::from_utf8_lossy(bytes)) })
    }

    // --- Coupons and audit ---

    pub fn verify_coupon(&self, code: &str) -> Result<CouponCheck, Problem> {
        if code.trim().is_empty() {
            return Err(Problem::new("missing_code", "Please type the code printed on the coupon."));
        }
        Ok(self.client().verify_coupon(code.trim())?)
    }

    /// A page of the audit log, newest first, older than entry `before` (the newest page
    /// when `None`), and whether there is more before it.
    pub fn audit(&self, before: Option<u64>) -> Result<AuditPage, Problem> {
        let mut entries = self.client().audit(before, AUDIT_PAGE + 1)?;
        let more = entries.len() > AUDIT_PAGE;
        entries.truncate(AUDIT_PAGE);
        Ok(AuditPage { entries, more })
    }
}

fn kind(k: iki_core::CitizenKind) -> &'static str {
    match k {
        iki_core::CitizenKind::Resident => "resident",
        iki_core::CitizenKind::ECitizen => "e_citizen",
    }
}

fn citizen_id(id: &str) -> Result<CitizenId, Problem> {
    id.trim().parse().map_err(|_| Problem::new("bad_citizen_id", "That is not a citizen number."))
}

fn theme_id(id: &str) -> Result<ThemeId, Problem> {
    id.trim().parse().map_err(|_| Problem::new("bad_theme_id", "That is not a theme."))
}

fn card_uid(card: &str) -> Result<CardUid, Problem> {
    CardUid::parse(card.trim()).map_err(|e| Problem::new("bad_card", e.to_string()))
}

fn day(text: &str) -> Result<LocalDay, Problem> {
    LocalDay::parse(text).ok_or_else(|| Problem::new("bad_date", format!("“{text}” is not a date like 2026-12-04.")))
}

/// `2026-12-04T09:30` in Japan's time.
fn local_time(text: &str) -> Result<Timestamp, Problem> {
    let bad = || Problem::new("bad_time", format!("“{text}” is not a date and time like 2026-12-04 09:30."));
    let (date, time) = text.trim().split_once(['T', ' ']).ok_or_else(bad)?;
    let (h, m) = time.split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.get(..2).unwrap_or(m).parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(Timestamp::at_local(day(date)?, h * 60 + m))
}

/// The wall clock (the hub stamps what it stores with its own).
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    Timestamp::from_unix_ms(ms)
}

fn new_id(now: Timestamp) -> iki_core::ids::Uuid {
    let mut random = [0u8; 10];
    // Without the OS's randomness, the time still keeps ids apart for one desk.
    let _ = getrandom::fill(&mut random);
    iki_core::ids::uuid_v7(now.0.max(0) as u64, random)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// Splits one CSV line, honouring quoted fields.
fn csv_cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

fn preview(csv: &str) -> CsvPreview {
    let mut lines = csv.lines().filter(|l| !l.is_empty());
    let header = lines.next().map(csv_cells).unwrap_or_default();
    let rows: Vec<Vec<String>> = lines.map(csv_cells).collect();
    let suppressed = rows.iter().filter(|r| r.last().is_some_and(|c| c.starts_with('<'))).count();
    CsvPreview { header, total_rows: rows.len(), suppressed, rows: rows.into_iter().take(PREVIEW_ROWS).collect() }
}

/// Least squares through the last [`TREND_DAYS`] of growth (days without registrations
/// keep the previous total).
pub fn trend(growth: &[GrowthPoint], target: u64) -> Option<Trend> {
    let last = growth.last()?;
    let start = last.day.0 - TREND_DAYS + 1;
    let mut points = Vec::new();
    let mut total = growth.iter().take_while(|g| g.day.0 < start).last().map_or(0, |g| g.residents + g.e_citizens);
    let mut next = growth.iter().skip_while(|g| g.day.0 < start).peekable();
    for d in start.max(growth[0].day.0)..=last.day.0 {
        if let Some(g) = next.next_if(|g| g.day.0 == d) {
            total = g.residents + g.e_citizens;
        }
        points.push((f64::from(d), total as f64));
    }
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let per_day = sxy / sxx;
    let reaches_target = (per_day > 0.0).then(|| {
        let day = mx + (target as f64 - my) / per_day;
        LocalDay(day.ceil().max(f64::from(last.day.0)) as i32)
    });
    Some(Trend { per_day, reaches_target })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(day: i32, total: u64) -> GrowthPoint {
        GrowthPoint { day: LocalDay(day), residents: total / 2, e_citizens: total - total / 2 }
    }

    #[test]
    fn a_steady_climb_meets_the_target_when_the_line_says() {
        let growth: Vec<_> = (0..100).map(|d| point(20_000 + d, 1_000 + 100 * d as u64)).collect();
        let t = trend(&growth, 500_000).unwrap();
        assert!((t.per_day - 100.0).abs() < 1e-6, "{t:?}");
        // 10,900 on day 20,099; 489,100 more at 100 a day is 4,891 days later.
        assert_eq!(t.reaches_target, Some(LocalDay(20_099 + 4_891)));
    }

    #[test]
    fn quiet_days_keep_the_total_and_a_flat_line_never_arrives() {
        let growth = vec![point(20_000, 50), point(20_050, 50)];
        let t = trend(&growth, 500_000).unwrap();
        assert_eq!(t.per_day, 0.0);
        assert_eq!(t.reaches_target, None);
        assert_eq!(trend(&[point(1, 1)], 10), None);
        assert_eq!(trend(&[], 10), None);
    }

    #[test]
    fn times_are_read_in_japan_time() {
        let t = local_time("2026-12-04T09:30").unwrap();
        assert_eq!(t.to_string(), "2026-12-04 09:30 JST");
        assert_eq!(local_time("2026-12-04 23:59").unwrap().to_string(), "2026-12-04 23:59 JST");
        for bad in ["2026-12-04", "2026-12-04T24:00", "tomorrow 9:00", "2026-12-04T9"] {
            assert!(local_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_preview_reads_quoted_cells_and_counts_suppressed_rows() {
        let p = preview("date,place,visits\n2026-12-04,\"Hall, \"\"East\"\"\",12\n2026-12-04,Port,<5\n");
        assert_eq!(p.header, ["date", "place", "visits"]);
        assert_eq!(p.rows[0], ["2026-12-04", "Hall, \"East\"", "12"]);
        assert_eq!((p.total_rows, p.suppressed), (2, 1));
    }
}
