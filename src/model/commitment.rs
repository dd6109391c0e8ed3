//! Commitments a design is bought with: Savings Plans, applied hour by hour to the usage they
//! cover. Pure data; `engine::commitments` applies them.

use std::fmt;

use crate::vocabulary::units::ServiceCode;

/// How long a commitment runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// One year.
    OneYear,
    /// Three years.
    ThreeYears,
}

impl Term {
    /// The term of `years` years: 1 or 3, the only terms AWS sells.
    pub fn from_years(years: u32) -> Option<Term> {
        match years {
            1 => Some(Term::OneYear),
            3 => Some(Term::ThreeYears),
            _ => None,
        }
    }

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

/// What a reservation reserves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservedService {
    /// Aurora PostgreSQL DB instances (Aurora Standard storage).
    AuroraPostgresql,
    /// EC2 instances (Linux, shared tenancy).
    Ec2,
}

impl ReservedService {
    /// The service code its instances bill under.
    pub fn service_code(self) -> ServiceCode {
        match self {
            ReservedService::AuroraPostgresql => ServiceCode::AmazonRds,
            ReservedService::Ec2 => ServiceCode::AmazonEc2,
        }
    }

    /// The usage type an instance of `class` bills under in us-east-1, without a region
    /// prefix (`InstanceUsage:db.r6g.large`, `BoxUsage:m6i.large`).
    pub fn usage_type(self, class: &str) -> String {
        match self {
            ReservedService::AuroraPostgresql => format!("InstanceUsage:{class}"),
            ReservedService::Ec2 => format!("BoxUsage:{class}"),
        }
    }

    /// The billing operation of its on-demand instances.
    pub fn operation(self) -> &'static str {
        match self {
            ReservedService::AuroraPostgresql => "CreateDBInstance:0021",
            ReservedService::Ec2 => "RunInstances",
        }
    }

    /// In words.
    pub fn words(self) -> &'static str {
        match self {
            ReservedService::AuroraPostgresql => "Aurora PostgreSQL",
            ReservedService::Ec2 => "EC2",
        }
    }
}

/// The kind of commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitmentKind {
    /// A Compute Savings Plan: any region, family or size of EC2, Fargate and Lambda.
    ComputeSavingsPlan,
    /// Reserved instances of one class: each covers one instance-hour every hour.
    Reservation {
        /// What is reserved.
        service: ReservedService,
        /// The instance class (`db.r6g.large`).
        instance_class: String,
        /// How many instances.
        count: u32,
    },
}

/// One commitment of a design.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Its id in the model (`compute-sp`).
    pub id: String,
    /// What it is.
    pub kind: CommitmentKind,
    /// A Savings Plan's hourly commitment, USD (spent at the plan's rates, used or not); 0 for
    /// a reservation, whose hourly cost is its rate from the price book.
    pub usd_per_hour: f64,
    /// Its term.
    pub term: Term,
    /// How it is paid.
    pub payment: Payment,
}

impl Commitment {
    /// The plan as its rates' operation names it in a price book: `ComputeSP:1yrNoUpfront`
    /// for a Savings Plan, the on-demand operation and the term for a reservation
    /// (`CreateDBInstance:0021:Reserved:3yrAllUpfront`).
    pub fn plan(&self) -> String {
        let term = format!("{}yr{}", self.term.years(), self.payment.spelling());
        match &self.kind {
            CommitmentKind::ComputeSavingsPlan => format!("ComputeSP:{term}"),
            CommitmentKind::Reservation { service, .. } => {
                format!("{}:Reserved:{term}", service.operation())
            }
        }
    }

    /// The money paid before the term starts for `usd_per_hour` committed, USD: all of it for
    /// all upfront, half for partial upfront.
    pub fn upfront_usd(&self, usd_per_hour: f64) -> f64 {
        let term_usd = usd_per_hour * 8760.0 * f64::from(self.term.years());
        match self.payment {
            Payment::NoUpfront => 0.0,
            Payment::PartialUpfront => term_usd / 2.0,
            Payment::AllUpfront => term_usd,
        }
    }
}

/// A Compute Savings Plan in words (`Compute Savings Plan, 1 yr, no upfront`).
pub fn compute_savings_plan_name(term: Term, payment: Payment) -> String {
    format!(
        "Compute Savings Plan, {} yr, {}",
        term.years(),
        payment.words()
    )
}

impl fmt::Display for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            CommitmentKind::ComputeSavingsPlan => {
                f.write_str(&compute_savings_plan_name(self.term, self.payment))
            }
            CommitmentKind::Reservation {
                service,
                instance_class,
                count,
            } => write!(
                f,
                "{} reservation, {count} × {instance_class}, {} yr, {}",
                service.words(),
                self.term.years(),
                self.payment.words()
            ),
        }
    }
}
