//! The island's points: integer amounts in a double-entry ledger, spent from FIFO lots that expire.
//!
//! Every movement is a [`Posting`] from one [`Account`] to another, so the sum over all
//! accounts is always zero: the issuer's account goes negative by exactly the points in
//! circulation. Points a citizen earns form a [`Lot`] with an expiry; spending takes
//! from the oldest lot first.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use crate::error::RuleError;
use crate::event::Actor;
use crate::ids::CitizenId;
use crate::people::CitizenKind;
use crate::time::Timestamp;

/// A whole number of points (never fractions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    pub fn value(self) -> i64 {
        self.0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl AddAssign for Points {
    fn add_assign(&mut self, rhs: Points) {
        self.0 += rhs.0;
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

impl SubAssign for Points {
    fn sub_assign(&mut self, rhs: Points) {
        self.0 -= rhs.0;
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

impl fmt::Display for Points {
    /// `1,234 pt`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{grouped} pt")
    }
}

/// A ledger account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "account", content = "citizen", rename_all = "snake_case")]
pub enum Account {
    /// The island, which issues points; its balance is minus the points in circulation.
    Issuer,
    /// A citizen's wallet.
    Citizen(CitizenId),
    /// Points spent on the catalogue, owed to merchants until the city settles them.
    Redeemed,
}

impl fmt::Display for Account {
    /// `issuer`, `redeemed`, `citizen:<uuid>`: the ledger's storage key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Account::Issuer => f.write_str("issuer"),
            Account::Redeemed => f.write_str("redeemed"),
            Account::Citizen(id) => write!(f, "citizen:{id}"),
        }
    }
}

/// Why points moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingReason {
    CheckIn,
    PortArrivalBonus,
    Redemption,
    Expiry,
    StaffAdjustment,
}

impl PostingReason {
    pub fn as_str(self) -> &'static str {
        match self {
            PostingReason::CheckIn => "check_in",
            PostingReason::PortArrivalBonus => "port_arrival_bonus",
            PostingReason::Redemption => "redemption",
            PostingReason::Expiry => "expiry",
            PostingReason::StaffAdjustment => "staff_adjustment",
        }
    }
}

/// One movement of a positive amount from one account to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub from: Account,
    pub to: Account,
    pub amount: Points,
    pub reason: PostingReason,
    pub author: Actor,
}

/// Points a citizen earned together, spent oldest first and void after `expires_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    pub earned_at: Timestamp,
    pub expires_at: Timestamp,
    pub remaining: Points,
}

impl Lot {
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.expires_at > now && self.remaining.is_positive()
    }
}

/// Points available to spend now: the unexpired remainder of every lot.
pub fn available(lots: &[Lot], now: Timestamp) -> Points {
    lots.iter().filter(|l| l.is_live(now)).map(|l| l.remaining).sum()
}

/// Takes `amount` from the live lots, oldest earned first. Returns how much was taken
/// from each lot (by index into `lots`) and leaves `lots` unchanged if the live lots
/// hold too little.
pub fn consume_fifo(lots: &mut [Lot], amount: Points, now: Timestamp) -> Result<Vec<(usize, Points)>, RuleError> {
    let have = available(lots, now);
    if have < amount {
        return Err(RuleError::InsufficientPoints { balance: have, cost: amount });
    }
    let mut order: Vec<usize> = (0..lots.len()).filter(|&i| lots[i].is_live(now)).collect();
    order.sort_by_key(|&i| (lots[i].earned_at, lots[i].expires_at, i));
    let mut left = amount;
    let mut taken = Vec::new();
    for i in order {
        if !left.is_positive() {
            break;
        }
        let take = if lots[i].remaining < left { lots[i].remaining } else { left };
        lots[i].remaining -= take;
        left -= take;
        taken.push((i, take));
    }
    Ok(taken)
}

/// A citizen's points: lots spent oldest first, and any debt left by offline spending the
/// citizen could not cover (paid back first from what they earn next).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wallet {
    pub lots: Vec<Lot>,
    pub debt: Points,
}

impl Wallet {
    /// Points that can be spent at `now` (negative while in debt).
    pub fn available(&self, now: Timestamp) -> Points {
        available(&self.lots, now) - self.debt
    }

    /// Adds earned points, paying back debt first.
    pub fn earn(&mut self, mut lot: Lot) {
        let pay = if self.debt < lot.remaining { self.debt } else { lot.remaining };
        self.debt -= pay;
        lot.remaining -= pay;
        if lot.remaining.is_positive() {
            self.lots.push(lot);
        }
    }

    /// Spends `amount`, oldest lots first; what the lots cannot cover becomes debt, which
    /// is returned (zero when the wallet covered it).
    pub fn spend(&mut self, amount: Points, now: Timestamp) -> Points {
        let have = available(&self.lots, now);
        let take = if have < amount { have } else { amount };
        consume_fifo(&mut self.lots, take, now).expect("taking no more than is available");
        self.lots.retain(|l| l.remaining.is_positive());
        let short = amount - take;
        self.debt += short;
        short
    }
}

/// The most a wallet may hold, per kind of citizen; earning beyond it is capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLimits {
    pub resident_max_balance: Points,
    pub e_citizen_max_balance: Points,
}

impl AccountLimits {
    pub fn max_balance(&self, kind: CitizenKind) -> Points {
        match kind {
            CitizenKind::Resident => self.resident_max_balance,
            CitizenKind::ECitizen => self.e_citizen_max_balance,
        }
    }

    /// How much of `award` fits under the limit for a wallet holding `balance`.
    pub fn cap_award(&self, kind: CitizenKind, balance: Points, award: Points) -> Points {
        let room = self.max_balance(kind) - balance;
        if room < award { Points(room.0.max(0)) } else { award }
    }
}

impl Default for AccountLimits {
    fn default() -> Self {
        Self { resident_max_balance: Points(100_000), e_citizen_max_balance: Points(50_000) }
    }
}

/// An in-memory double-entry ledger: the reference the stores' projections are checked
/// against, and a reconciliation tool for the hub.
#[derive(Debug, Default, Clone)]
pub struct Books {
    balances: HashMap<Account, Points>,
}

impl Books {
    pub fn post(&mut self, posting: &Posting) {
        *self.balances.entry(posting.from).or_default() -= posting.amount;
        *self.balances.entry(posting.to).or_default() += posting.amount;
    }

    pub fn balance(&self, account: Account) -> Points {
        self.balances.get(&account).copied().unwrap_or_default()
    }

    /// The sum over all accounts; zero in balanced books.
    pub fn total(&self) -> Points {
        self.balances.values().copied().sum()
    }

    pub fn accounts(&self) -> impl Iterator<Item = (&Account, &Points)> {
        self.balances.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lot(earned: i64, ttl: i64, remaining: i64) -> Lot {
        Lot { earned_at: Timestamp(earned), expires_at: Timestamp(earned + ttl), remaining: Points(remaining) }
    }

    #[test]
    fn points_print_with_grouping() {
        assert_eq!(Points(1_234_567).to_string(), "1,234,567 pt");
        assert_eq!(Points(-50).to_string(), "-50 pt");
        assert_eq!(Points(0).to_string(), "0 pt");
    }

    #[test]
    fn expired_lots_cannot_be_spent() {
        let mut lots = vec![lot(0, 10, 100), lot(5, 100, 30)];
        let err = consume_fifo(&mut lots, Points(50), Timestamp(20)).unwrap_err();
        assert_eq!(err, RuleError::InsufficientPoints { balance: Points(30), cost: Points(50) });
        assert_eq!(lots[0].remaining, Points(100), "nothing taken on failure");
    }

    #[test]
    fn wallets_run_into_debt_and_pay_it_back_first() {
        let mut w = Wallet::default();
        w.earn(lot(0, 1_000, 300));
        assert_eq!(w.spend(Points(500), Timestamp(10)), Points(200));
        assert_eq!(w.available(Timestamp(10)), Points(-200));
        w.earn(lot(20, 1_000, 250));
        assert_eq!(w.debt, Points::ZERO);
        assert_eq!(w.available(Timestamp(30)), Points(50));
        assert_eq!(w.lots.len(), 1);
    }

    #[test]
    fn awards_are_capped_at_the_wallet_limit() {
        let limits = AccountLimits { resident_max_balance: Points(1000), e_citizen_max_balance: Points(500) };
        assert_eq!(limits.cap_award(CitizenKind::ECitizen, Points(480), Points(50)), Points(20));
        assert_eq!(limits.cap_award(CitizenKind::ECitizen, Points(600), Points(50)), Points(0));
        assert_eq!(limits.cap_award(CitizenKind::Resident, Points(480), Points(50)), Points(50));
    }

    proptest! {
        /// Spending always empties older lots before touching newer ones, and takes exactly the amount.
        #[test]
        fn expiry_consumes_lots_oldest_first(
            spec in proptest::collection::vec((0i64..1000, 1i64..2000, 0i64..500), 1..12),
            now in 0i64..1500,
            want in 0i64..3000,
        ) {
            let mut lots: Vec<Lot> = spec.iter().map(|&(e, t, r)| lot(e, t, r)).collect();
            let before = lots.clone();
            match consume_fifo(&mut lots, Points(want), Timestamp(now)) {
                Ok(taken) => {
                    let total: Points = taken.iter().map(|&(_, p)| p).sum();
                    prop_assert_eq!(total, Points(want));
                    for (i, l) in lots.iter().enumerate() {
                        prop_assert!(l.remaining >= Points::ZERO);
                        if !before[i].is_live(Timestamp(now)) {
                            prop_assert_eq!(l.remaining, before[i].remaining, "expired lots untouched");
                        }
                    }
                    // FIFO: a lot is only touched once every live lot older than it is empty.
                    let key = |i: usize| (before[i].earned_at, before[i].expires_at, i);
                    for &(j, take) in &taken {
                        prop_assert!(take.is_positive());
                        for i in 0..lots.len() {
                            if before[i].is_live(Timestamp(now)) && key(i) < key(j) {
                                prop_assert_eq!(lots[i].remaining, Points::ZERO, "lot {} touched while older lot {} kept points", j, i);
                            }
                        }
                    }
                }
                Err(_) => {
                    prop_assert!(available(&before, Timestamp(now)) < Points(want));
                    prop_assert_eq!(lots, before);
                }
            }
        }

        /// Any sequence of postings leaves the books summing to zero.
        #[test]
        fn books_always_balance(moves in proptest::collection::vec((0u8..3, 0u8..3, 1i64..10_000), 0..50)) {
            let citizen = crate::ids::CitizenId::from_uuid(uuid::Uuid::nil());
            let account = |n: u8| match n { 0 => Account::Issuer, 1 => Account::Citizen(citizen), _ => Account::Redeemed };
            let mut books = Books::default();
            for (from, to, amount) in moves {
                books.post(&Posting {
                    from: account(from),
                    to: account(to),
                    amount: Points(amount),
                    reason: PostingReason::StaffAdjustment,
                    author: Actor::System,
                });
            }
            prop_assert_eq!(books.total(), Points::ZERO);
        }
    }
}
