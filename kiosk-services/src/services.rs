//! The kiosk services themselves: one method per thing a person can do at a kiosk.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use iki_core::rules::{CheckInDecision, CheckInFacts, RedemptionFacts, check_pin_format};
use iki_core::{
    Actor, BallotOrigin, CardStatus, CardUid, CitizenId, EventId, HomeRegion, ItemId, Nickname, Passengers, Payload,
    PlaceId, RideId, RideStatus, Role, RuleError, Rules, Theme, ThemeId, Timestamp, VotingMethod,
};
use iki_store::{CardRecord, CitizenRecord, RideRecord, Store, StoreError, Tx};

use crate::clock::{Clock, HubLink, RandomIds};
use crate::outcomes::*;
use crate::clock::fill_random;
use crate::{ServiceError, coupon};
use iki_core::secret::{SALT_LEN, hash_secret, verify_secret};

type Result<T> = std::result::Result<T, ServiceError>;

/// The kiosk's services over its store. Cheap to share between threads; each call takes
/// the store for one transaction.
pub struct KioskServices {
    store: Mutex<Store>,
    rules: Rules,
    clock: Arc<dyn Clock>,
    hub: HubLink,
}

impl KioskServices {
    pub fn new(store: Store, rules: Rules, clock: Arc<dyn Clock>, hub: HubLink) -> Self {
        Self { store: Mutex::new(store), rules, clock, hub }
    }

    /// Opens the store at `path` with the real clock.
    pub fn open(path: impl AsRef<Path>, rules: Rules, hub: HubLink) -> Result<Self> {
        Ok(Self::new(Store::open(path)?, rules, Arc::new(crate::SystemClock), hub))
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The store, for sync and operations (outbox, integrity checks). Services hold it for
    /// one transaction at a time.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock left no transaction open (an unfinished one rolls back on
        // drop), so the store is still consistent.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.store().transact(f)
    }

    fn read<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.store().read(f)
    }

    fn append(&self, tx: &mut Tx<'_>, now: Timestamp, actor: Actor, payload: Payload) -> Result<u64> {
        let event = tx.append(EventId::new(&mut RandomIds), now, actor, payload)?;
        Ok(event.seq)
    }

    /// Who a tapped card belongs to. Unknown and stopped cards are refused.
    pub fn identify(&self, card: &CardUid) -> Result<Greeting> {
        self.read(|tx| Ok(greeting(&holder(tx, card)?.1)))
    }

    /// Records today's check-in at this kiosk's place and awards its points, once per
    /// place and local day.
    pub fn check_in(&self, card: &CardUid) -> Result<CheckInOutcome> {
        let now = self.now();
        self.write(|tx| {
            let here = tx.identity()?;
            let (card, holder) = holder(tx, card)?;
            let c = &holder.citizen;
            let day = now.local_day();
            let balance = tx.available_points(c.id, now)?;
            let decision = self.rules.check_in(&CheckInFacts {
                kind: c.kind,
                place_kind: here.place.kind,
                place_points: here.place.checkin_points,
                already_today: tx.checked_in(c.id, here.place.id, day)?,
                had_port_arrival: holder.port_arrival_at.is_some(),
                balance,
            });
            let (recorded, balance) = match decision {
                CheckInDecision::AlreadyToday => (None, balance),
                CheckInDecision::Award { points, port_bonus } => {
                    let expires_at = self.rules.lot_for(now, points).expires_at;
                    let receipt_no = self.append(
                        tx,
                        now,
                        Actor::Citizen(c.id),
                        Payload::CheckedIn {
                            citizen: c.id,
                            card: card.uid,
                            place: here.place.id,
                            day,
                            points,
                            port_arrival: self.rules.is_port_arrival(c.kind, here.place.kind, holder.port_arrival_at.is_some()),
                            port_bonus,
                            expires_at,
                        },
                    )?;
                    (Some(CheckInRecorded { receipt_no, points, port_bonus, points_expire_at: expires_at }), balance + points + port_bonus)
                }
            };
            Ok(CheckInOutcome { greeting: greeting(&holder), place: here.place.name, day, recorded, balance })
        })
    }

    /// Registers an unknown card's owner as an e-citizen.
    pub fn register_e_citizen(&self, card: &CardUid, form: &Registration) -> Result<Registered> {
        if !form.consent {
            return Err(RuleError::ConsentRequired.into());
        }
        let nickname = Nickname::parse(&form.nickname)?;
        let home_region = HomeRegion::parse(&form.home_region)?;
        if let Some(p) = &form.pin {
            check_pin_format(p)?;
        }
        // Hash before taking the store: argon2id is deliberately slow.
        let pin_hash = form.pin.as_deref().map(|p| {
            let mut salt = [0u8; SALT_LEN];
            fill_random(&mut salt);
            hash_secret(p, &salt)
        });
        let now = self.now();
        self.write(|tx| {
            if tx.card(card)?.is_some() {
                return Err(RuleError::CardAlreadyRegistered.into());
            }
            let citizen = CitizenId::new(&mut RandomIds);
            let receipt_no = self.append(
                tx,
                now,
                Actor::Citizen(citizen),
                Payload::CitizenRegistered {
                    citizen,
                    kind: iki_core::CitizenKind::ECitizen,
                    nickname: nickname.clone(),
                    home_region,
                    age_band: form.age_band,
                    card: *card,
                    consent_version: self.rules.consent_version,
                    pin_hash,
                },
            )?;
            Ok(Registered {
                greeting: Greeting { citizen, nickname: nickname.to_string(), kind: iki_core::CitizenKind::ECitizen },
                receipt_no,
            })
        })
    }

    /// Counts an anonymous visitor at this place; no card or name is kept.
    pub fn check_in_guest(&self, home_region: Option<&str>) -> Result<GuestCheckIn> {
        let home_region = home_region.map(HomeRegion::parse).transpose()?;
        let now = self.now();
        self.write(|tx| {
            let here = tx.identity()?;
            let day = now.local_day();
            let receipt_no =
                self.append(tx, now, Actor::Guest, Payload::GuestCheckedIn { place: here.place.id, day, home_region })?;
            let (_, guests_today) = tx.visits_on(here.place.id, day)?;
            Ok(GuestCheckIn { place: here.place.name, day, receipt_no, guests_today })
        })
    }

    /// The catalogue as offered now, with whether each item will ask for the PIN here.
    pub fn catalogue(&self) -> Result<Vec<ItemView>> {
        let now = self.now();
        self.read(|tx| {
            let here = tx.identity()?;
            Ok(tx
                .catalogue(now)?
                .into_iter()
                .map(|i| ItemView {
                    needs_pin: self.rules.needs_pin(&here.place, i.cost),
                    id: i.id,
                    name: i.name,
                    category: i.category,
                    cost: i.cost,
                    stock: i.stock.as_count(),
                    merchant: i.merchant,
                })
                .collect())
        })
    }

    /// Spends points on an item and issues its coupon. Above the place's threshold the
    /// citizen's PIN is checked; a wrong PIN is recorded (so the lockout survives a
    /// restart) and refused.
    pub fn redeem(&self, card: &CardUid, item: ItemId, entered_pin: Option<&str>) -> Result<Redemption> {
        let now = self.now();
        let hub_reachable = self.hub.is_reachable();
        let outcome = self.write(|tx| {
            let here = tx.identity()?;
            let (card, holder) = holder(tx, card)?;
            let citizen = holder.citizen.id;
            let item = tx.item(item)?.ok_or(RuleError::UnknownItem)?;
            let available = tx.available_points(citizen, now)?;
            self.rules.check_redemption(&RedemptionFacts {
                item: &item,
                now,
                available,
                pending_offline: tx.pending_spend(&card.uid)?,
                hub_reachable,
            })?;
            if self.rules.needs_pin(&here.place, item.cost) {
                let (failures, last) = tx.pin_failures(citizen)?;
                self.rules.check_pin_unlocked(failures, last, now)?;
                let hash = holder.pin_hash.as_deref().ok_or(RuleError::NoPinSet { threshold: here.place.pin_threshold })?;
                let entered = entered_pin.ok_or(RuleError::PinRequired { threshold: here.place.pin_threshold })?;
                check_pin_format(entered)?;
                if !verify_secret(entered, hash) {
                    let live_failures = self.rules.live_pin_failures(failures, last, now).saturating_add(1);
                    self.append(tx, now, Actor::Citizen(citizen), Payload::PinRejected { citizen, card: card.uid, live_failures })?;
                    // Committed: the refusal counts even if the kiosk restarts.
                    return Ok(Err(self.rules.wrong_pin(live_failures, now)));
                }
            }
            let mut coupon_code = coupon::new_code();
            while tx.coupon_exists(&coupon_code)? {
                coupon_code = coupon::new_code();
            }
            let receipt_no = self.append(
                tx,
                now,
                Actor::Citizen(citizen),
                Payload::ItemRedeemed {
                    citizen,
                    card: card.uid,
                    item: item.id,
                    cost: item.cost,
                    coupon: coupon_code.clone(),
                    hub_reachable,
                },
            )?;
            Ok(Ok(Redemption {
                receipt_no,
                item: item.name,
                merchant: item.merchant,
                cost: item.cost,
                qr_payload: coupon::qr_payload(&coupon_code),
                coupon_code,
                balance_after: available - item.cost,
                issued_at: now,
                offline: !hub_reachable,
            }))
        })?;
        Ok(outcome?)
    }

    /// Open themes, with the citizen's current ballot on each.
    pub fn open_themes(&self, card: &CardUid) -> Result<Vec<ThemeView>> {
        let now = self.now();
        self.read(|tx| {
            let (_, holder) = holder(tx, card)?;
            themes_for(tx, holder.citizen.id, now)
        })
    }

    /// Casts (or replaces) the citizen's ballot on a theme.
    pub fn cast_ballot(&self, card: &CardUid, theme: ThemeId, picked: &[u8]) -> Result<BallotReceipt> {
        let now = self.now();
        self.write(|tx| {
            let (_, holder) = holder(tx, card)?;
            let citizen = holder.citizen.id;
            let theme = tx.theme(theme)?.ok_or(RuleError::UnknownTheme)?;
            let choices = theme.check_ballot(holder.citizen.kind, picked, now)?;
            let replaced = tx.ballot(theme.id, citizen)?.is_some();
            let receipt_no = self.append(
                tx,
                now,
                Actor::Citizen(citizen),
                Payload::BallotCast { theme: theme.id, citizen, choices: choices.clone(), origin: BallotOrigin::Kiosk },
            )?;
            let results = if theme.results_visible {
                let tally = theme.tally(&tx.ballots_on(theme.id)?);
                Some(theme.options.iter().cloned().zip(tally).collect())
            } else {
                None
            };
            Ok(BallotReceipt {
                receipt_no,
                chosen: choices.as_slice().iter().map(|&c| theme.options[usize::from(c)].clone()).collect(),
                theme: theme.title,
                replaced,
                closes_at: theme.closes_at,
                results,
            })
        })
    }

    /// Ride destinations, grouped by kind then name.
    pub fn destinations(&self) -> Result<Vec<DestinationView>> {
        self.read(|tx| {
            let mut stops: Vec<DestinationView> =
                tx.stops()?.into_iter().map(|s| DestinationView { id: s.id, kind: s.kind, name: s.name }).collect();
            stops.sort_by(|a, b| (a.kind as u8, &a.name.ja).cmp(&(b.kind as u8, &b.name.ja)));
            Ok(stops)
        })
    }

    /// Requests a ride from this kiosk's place.
    pub fn request_ride(&self, card: &CardUid, order: &RideOrder) -> Result<RideReceipt> {
        let passengers = Passengers::new(order.passengers)?;
        let now = self.now();
        let pickup_at = self.rules.booking.pickup_time(order.when, now)?;
        self.write(|tx| {
            let here = tx.identity()?;
            let (_, holder) = holder(tx, card)?;
            let citizen = holder.citizen.id;
            tx.stop(order.destination)?.ok_or(RuleError::UnknownStop)?;
            let ride = RideId::new(&mut RandomIds);
            let number = format!("{}-{:05}", here.kiosk.code, tx.next_seq()?);
            let receipt_no = self.append(
                tx,
                now,
                Actor::Citizen(citizen),
                Payload::RideRequested {
                    ride,
                    number,
                    citizen,
                    pickup: here.place.id,
                    destination: order.destination,
                    pickup_at,
                    asap: matches!(order.when, iki_core::RideTime::Now),
                    passengers,
                    needs: order.needs,
                },
            )?;
            let record = tx.ride(ride)?.ok_or_else(|| StoreError::Corrupt("ride just recorded is missing".into()))?;
            Ok(RideReceipt { receipt_no, ride: ride_view(tx, record)? })
        })
    }

    /// Cancels one of the citizen's rides, while it is not yet under way.
    pub fn cancel_ride(&self, card: &CardUid, ride: RideId) -> Result<RideReceipt> {
        let now = self.now();
        self.write(|tx| {
            let (_, holder) = holder(tx, card)?;
            let citizen = holder.citizen.id;
            let record = tx.ride(ride)?.ok_or(RuleError::UnknownRide)?;
            if record.citizen != citizen {
                return Err(RuleError::RideNotYours.into());
            }
            record.status.transition(RideStatus::Cancelled, Role::Rider)?;
            let receipt_no = self.append(tx, now, Actor::Citizen(citizen), Payload::RideCancelled { ride, citizen })?;
            let record = tx.ride(ride)?.ok_or(RuleError::UnknownRide)?;
            Ok(RideReceipt { receipt_no, ride: ride_view(tx, record)? })
        })
    }

    /// The citizen's rides still ahead, soonest first.
    pub fn rides(&self, card: &CardUid) -> Result<Vec<RideView>> {
        self.read(|tx| {
            let (_, holder) = holder(tx, card)?;
            tx.active_rides(holder.citizen.id)?.into_iter().map(|r| ride_view(tx, r)).collect()
        })
    }

    /// What the screen after a tap shows: balance, expiry, rides and open themes.
    pub fn summary(&self, card: &CardUid) -> Result<CitizenSummary> {
        let now = self.now();
        self.read(|tx| {
            let here = tx.identity()?;
            let (card, holder) = holder(tx, card)?;
            let citizen = holder.citizen.id;
            let wallet = tx.wallet(citizen)?;
            let soon = now.plus_days(30);
            let expiring_soon = wallet
                .lots
                .iter()
                .filter(|l| l.is_live(now) && l.expires_at <= soon)
                .min_by_key(|l| l.expires_at)
                .map(|l| (l.remaining, l.expires_at));
            Ok(CitizenSummary {
                greeting: greeting(&holder),
                balance: wallet.available(now),
                pending_offline_spend: tx.pending_spend(&card.uid)?,
                expiring_soon,
                checked_in_here_today: tx.checked_in(citizen, here.place.id, now.local_day())?,
                rides: tx.active_rides(citizen)?.into_iter().map(|r| ride_view(tx, r)).collect::<Result<_>>()?,
                open_themes: themes_for(tx, citizen, now)?,
            })
        })
    }
}

/// The card's record and its holder; unknown and stopped cards are refused.
fn holder(tx: &Tx<'_>, uid: &CardUid) -> Result<(CardRecord, CitizenRecord)> {
    let card = tx.card(uid)?.ok_or(RuleError::UnknownCard)?;
    if let CardStatus::Revoked { .. } = card.status {
        return Err(RuleError::CardRevoked.into());
    }
    let holder = tx
        .citizen(card.citizen)?
        .ok_or_else(|| StoreError::Corrupt(format!("card {} names a missing citizen", card.uid)))?;
    Ok((card, holder))
}

fn greeting(holder: &CitizenRecord) -> Greeting {
    Greeting {
        citizen: holder.citizen.id,
        nickname: holder.citizen.nickname.to_string(),
        kind: holder.citizen.kind,
    }
}

fn themes_for(tx: &Tx<'_>, citizen: CitizenId, now: Timestamp) -> Result<Vec<ThemeView>> {
    tx.open_themes(now)?
        .into_iter()
        .map(|t: Theme| {
            let my_choices = tx.ballot(t.id, citizen)?.map(|b| b.choices.as_slice().to_vec());
            Ok(ThemeView {
                choose: match t.method {
                    VotingMethod::Single => (1, 1),
                    VotingMethod::Approval { min, max } => (min, max),
                },
                id: t.id,
                title: t.title,
                question: t.question,
                options: t.options,
                closes_at: t.closes_at,
                my_choices,
            })
        })
        .collect()
}

fn ride_view(tx: &Tx<'_>, r: RideRecord) -> Result<RideView> {
    let place_name = |id: PlaceId| -> Result<_> {
        Ok(tx.place(id)?.ok_or_else(|| StoreError::Corrupt(format!("ride names missing place {id}")))?.name)
    };
    let destination = tx.stop(r.destination)?.ok_or_else(|| StoreError::Corrupt(format!("ride names missing stop {}", r.destination)))?;
    Ok(RideView {
        id: r.id,
        number: r.number,
        pickup: place_name(r.pickup)?,
        destination: destination.name,
        pickup_at: r.pickup_at,
        asap: r.asap,
        passengers: r.passengers.get(),
        needs: r.needs,
        status: r.status,
        vehicle: r.vehicle,
        eta: r.eta,
    })
}
