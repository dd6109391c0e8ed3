//! Commitments a design is bought with: Savings Plans, applied hour by hour to the usage they
//! cover. Pure data; `engine::commitments` applies them.

use std::fmt;

/// How long a commitment runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// One year.
    OneYear,
    /// Three years.
    ThreeYears,
}

impl Term {
    /// Years.
    pub fn years(self) -> u32 {
        match self {
            Term::OneYear => 1,
            Term::ThreeYears => 3,
        }
    }
}

/// How a commitment is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payment {
    /// Every hour, nothing upfront.
    NoUpfront,
    /// Half upfront, the rest hourly.
    PartialUpfront,
    /// All upfront.
    AllUpfront,
}

impl Payment {
    /// As the Price List spells it in a plan's usage type (`NoUpfront`).
    pub fn spelling(self) -> &'static str {
        match self {
            Payment::NoUpfront => "NoUpfront",
            Payment::PartialUpfront => "PartialUpfront",
            Payment::AllUpfront => "AllUpfront",
        }
    }

    /// In words (`no upfront`).
    pub fn words(self) -> &'static str {
        match self {
            Payment::NoUpfront => "no upfront",
            Payment::PartialUpfront => "partial upfront",
            Payment::AllUpfront => "all upfront",
        }
    }
}

/// The kind of commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentKind {
    /// A Compute Savings Plan: any region, family or size of EC2, Fargate and Lambda.
    ComputeSavingsPlan,
}

/// One commitment of a design.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Its id in the model (`compute-sp`).
    pub id: String,
    /// What it is.
    pub kind: CommitmentKind,
    /// The hourly commitment, USD (spent at the plan's rates, used or not).
    pub usd_per_hour: f64,
    /// Its term.
    pub term: Term,
    /// How it is paid.
    pub payment: Payment,
}

impl Commitment {
    /// The plan as the Price List names its rates' operation (`ComputeSP:1yrNoUpfront`).
    pub fn plan(&self) -> String {
        match self.kind {
            CommitmentKind::ComputeSavingsPlan => format!(
                "ComputeSP:{}yr{}",
                self.term.years(),
                self.payment.spelling()
            ),
        }
    }

    /// The money paid before the term starts, USD: all of it for all upfront, half for
    /// partial upfront (hours of the term × the hourly commitment).
    pub fn upfront_usd(&self) -> f64 {
        let term_usd = self.usd_per_hour * 8760.0 * f64::from(self.term.years());
        match self.payment {
            Payment::NoUpfront => 0.0,
            Payment::PartialUpfront => term_usd / 2.0,
            Payment::AllUpfront => term_usd,
        }
    }
}

impl fmt::Display for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            CommitmentKind::ComputeSavingsPlan => write!(
                f,
                "Compute Savings Plan, {} yr, {}",
                self.term.years(),
                self.payment.words()
            ),
        }
    }
}
