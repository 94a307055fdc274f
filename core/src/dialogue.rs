//! The citizens' dialogue: themes, single-choice and approval ballots, eligibility, tallies.

use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::ids::{CitizenId, ThemeId};
use crate::people::CitizenKind;
use crate::text::Localised;
use crate::time::Timestamp;

/// How a ballot chooses among a theme's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum VotingMethod {
    /// Exactly one option.
    Single,
    /// Between `min` and `max` options, each counted once.
    Approval { min: u8, max: u8 },
}

/// Who may vote on a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    ResidentsOnly,
    AllCitizens,
}

/// Where a ballot was cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotOrigin {
    Kiosk,
    /// Entered by staff from a paper ballot of an in-hall session.
    Staff,
    Online,
}

impl BallotOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            BallotOrigin::Kiosk => "kiosk",
            BallotOrigin::Staff => "staff",
            BallotOrigin::Online => "online",
        }
    }
}

/// A theme of the citizens' dialogue, open for voting between `opens_at` and `closes_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub id: ThemeId,
    pub title: Localised,
    /// The question in plain words.
    pub question: Localised,
    pub options: Vec<Localised>,
    pub method: VotingMethod,
    pub eligibility: Eligibility,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    /// Whether the kiosk shows the running result after a ballot.
    pub results_visible: bool,
}

/// A valid set of option indices: sorted, distinct, in range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Choices(Vec<u8>);

impl Choices {
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }
}

/// A citizen's ballot on a theme; a new ballot before close replaces the old one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub theme: ThemeId,
    pub citizen: CitizenId,
    pub choices: Choices,
    pub origin: BallotOrigin,
    pub cast_at: Timestamp,
}

impl Theme {
    /// Checks that the theme itself makes sense (for staff creating one).
    pub fn validate(&self) -> Result<(), RuleError> {
        let n = self.options.len();
        let bounds_ok = match self.method {
            VotingMethod::Single => true,
            VotingMethod::Approval { min, max } => min >= 1 && min <= max && usize::from(max) <= n,
        };
        if n < 2 || n > usize::from(u8::MAX) || !bounds_ok || self.opens_at >= self.closes_at {
            return Err(RuleError::InvalidTheme);
        }
        Ok(())
    }

    pub fn is_open(&self, now: Timestamp) -> bool {
        self.opens_at <= now && now < self.closes_at
    }

    /// Who may vote, when, and with which choices. Returns the choices in canonical form.
    pub fn check_ballot(&self, voter: CitizenKind, picked: &[u8], now: Timestamp) -> Result<Choices, RuleError> {
        if now < self.opens_at {
            return Err(RuleError::ThemeNotOpenYet { opens_at: self.opens_at });
        }
        if now >= self.closes_at {
            return Err(RuleError::ThemeClosed { closed_at: self.closes_at });
        }
        if self.eligibility == Eligibility::ResidentsOnly && voter != CitizenKind::Resident {
            return Err(RuleError::NotEligible);
        }
        let mut choices = picked.to_vec();
        choices.sort_unstable();
        choices.dedup();
        if choices.len() != picked.len() {
            return Err(RuleError::DuplicateChoice);
        }
        if choices.iter().any(|&c| usize::from(c) >= self.options.len()) {
            return Err(RuleError::UnknownOption);
        }
        let (min, max) = match self.method {
            VotingMethod::Single => (1, 1),
            VotingMethod::Approval { min, max } => (min, max),
        };
        if choices.len() < usize::from(min) || choices.len() > usize::from(max) {
            return Err(RuleError::WrongChoiceCount { min, max, got: choices.len() });
        }
        Ok(Choices(choices))
    }

    /// Votes per option over the ballots given (one per citizen, as the store keeps them).
    pub fn tally<'a>(&self, ballots: impl IntoIterator<Item = &'a Choices>) -> Vec<u32> {
        let mut counts = vec![0u32; self.options.len()];
        for ballot in ballots {
            for &c in ballot.as_slice() {
                if let Some(n) = counts.get_mut(usize::from(c)) {
                    *n += 1;
                }
            }
        }
        counts
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ids::SeededIds;
    use proptest::prelude::*;
    use std::collections::HashMap;

    pub(crate) fn theme(method: VotingMethod, eligibility: Eligibility) -> Theme {
        Theme {
            id: ThemeId::new(&mut SeededIds::new(3, 0)),
            title: Localised::new("港の待合室", "Port waiting room"),
            question: Localised::new("何を優先しますか", "What should come first?"),
            options: ["a", "b", "c", "d"].iter().map(|o| Localised::new(*o, *o)).collect(),
            method,
            eligibility,
            opens_at: Timestamp(1_000),
            closes_at: Timestamp(2_000),
            results_visible: true,
        }
    }

    #[test]
    fn ballots_follow_the_method() {
        let single = theme(VotingMethod::Single, Eligibility::AllCitizens);
        let e = CitizenKind::ECitizen;
        assert!(single.check_ballot(e, &[2], Timestamp(1_500)).is_ok());
        assert_eq!(single.check_ballot(e, &[], Timestamp(1_500)), Err(RuleError::WrongChoiceCount { min: 1, max: 1, got: 0 }));
        assert_eq!(single.check_ballot(e, &[4], Timestamp(1_500)), Err(RuleError::UnknownOption));
        let approval = theme(VotingMethod::Approval { min: 1, max: 2 }, Eligibility::AllCitizens);
        assert_eq!(approval.check_ballot(e, &[3, 0], Timestamp(1_500)).unwrap().as_slice(), &[0, 3]);
        assert_eq!(approval.check_ballot(e, &[1, 1], Timestamp(1_500)), Err(RuleError::DuplicateChoice));
        assert!(approval.check_ballot(e, &[0, 1, 2], Timestamp(1_500)).is_err());
    }

    #[test]
    fn timing_and_eligibility_are_enforced() {
        let t = theme(VotingMethod::Single, Eligibility::ResidentsOnly);
        assert!(matches!(t.check_ballot(CitizenKind::Resident, &[0], Timestamp(999)), Err(RuleError::ThemeNotOpenYet { .. })));
        assert!(matches!(t.check_ballot(CitizenKind::Resident, &[0], Timestamp(2_000)), Err(RuleError::ThemeClosed { .. })));
        assert_eq!(t.check_ballot(CitizenKind::ECitizen, &[0], Timestamp(1_500)), Err(RuleError::NotEligible));
        assert!(t.check_ballot(CitizenKind::Resident, &[0], Timestamp(1_999)).is_ok());
    }

    #[test]
    fn invalid_themes_are_refused() {
        let mut t = theme(VotingMethod::Approval { min: 3, max: 2 }, Eligibility::AllCitizens);
        assert_eq!(t.validate(), Err(RuleError::InvalidTheme));
        t.method = VotingMethod::Approval { min: 1, max: 5 };
        assert_eq!(t.validate(), Err(RuleError::InvalidTheme));
        t.method = VotingMethod::Approval { min: 1, max: 4 };
        assert_eq!(t.validate(), Ok(()));
    }

    proptest! {
        /// However often citizens re-vote, keeping the latest ballot per citizen leaves one
        /// ballot each, and the tally counts each citizen's latest choices only.
        #[test]
        fn re_voting_keeps_exactly_one_ballot(votes in proptest::collection::vec((0u8..5, proptest::collection::vec(0u8..4, 1..3)), 1..60)) {
            let t = theme(VotingMethod::Approval { min: 1, max: 2 }, Eligibility::AllCitizens);
            let mut kept: HashMap<u8, Choices> = HashMap::new();
            for (voter, picked) in &votes {
                if let Ok(c) = t.check_ballot(CitizenKind::ECitizen, picked, Timestamp(1_500)) {
                    kept.insert(*voter, c);
                }
            }
            let tally = t.tally(kept.values());
            let total: u32 = tally.iter().sum();
            let expected: usize = kept.values().map(|c| c.as_slice().len()).sum();
            prop_assert_eq!(total as usize, expected);
            prop_assert!(kept.len() <= 5);
        }
    }
}
