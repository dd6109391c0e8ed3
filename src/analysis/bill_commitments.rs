//! Commitments on the bill: for a month, each Savings Plan's and reservation's used and unused
//! commitment, the on-demand cost of what it covered, its utilisation and net saving, and the
//! coverage of the usage a Compute Savings Plan may cover. Pure: the lines arrive already read
//! (`actuals::commitments`).

use crate::engine::commitments::compute_plan_eligible;
use std::collections::BTreeMap;

/// How a bill line stands to a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Usage a commitment covered.
    Used,
    /// A commitment's unused part.
    Unused,
    /// Usage no commitment covered (on demand).
    OnDemand,
}

/// A Savings Plan's kind, as the bill names it (FOCUS `CommitmentDiscountType`).
pub const SAVINGS_PLAN: &str = "Savings Plan";
/// A reservation's kind.
pub const RESERVATION: &str = "Reservation";

/// The bill's lines as they stand to commitments, summed by what tells them apart.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentLine {
    /// Billing month (`2026-10`).
    pub month: String,
    /// `Savings Plan` or `Reservation` (empty on demand).
    pub kind: String,
    /// The commitment's ARN (empty on demand).
    pub id: String,
    /// Used, unused or on demand.
    pub status: Status,
    /// Usage type (empty when the bill gives none).
    pub usage_type: String,
    /// Effective (amortized) cost, USD.
    pub effective_usd: f64,
    /// List (public on-demand) cost, USD.
    pub list_usd: f64,
}

/// One commitment over the month.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentOnBill {
    /// Its ARN.
    pub id: String,
    /// `Savings Plan` or `Reservation`.
    pub kind: String,
    /// Commitment spent on covered usage (its effective cost), USD.
    pub used_usd: f64,
    /// Commitment not spent, USD.
    pub unused_usd: f64,
    /// What the covered usage would have cost on demand, USD.
    pub covered_list_usd: f64,
}

impl CommitmentOnBill {
    /// The commitment's cost over the month, USD.
    pub fn committed_usd(&self) -> f64 {
        self.used_usd + self.unused_usd
    }

    /// The share spent, percent.
    pub fn utilization_percent(&self) -> f64 {
        if self.committed_usd() > 0.0 {
            100.0 * self.used_usd / self.committed_usd()
        } else {
            0.0
        }
    }

    /// What it saved against on-demand prices, USD (negative when the unused part outweighs
    /// the discount).
    pub fn net_saving_usd(&self) -> f64 {
        self.covered_list_usd - self.committed_usd()
    }
}

/// A month's commitments on the bill.
#[derive(Debug, Clone, PartialEq)]
pub struct BillCommitments {
    /// The month.
    pub month: String,
    /// Each commitment, by id.
    pub commitments: Vec<CommitmentOnBill>,
    /// On-demand list cost of the usage a Compute Savings Plan may cover (EC2 instances,
    /// Fargate, Lambda; Spot excluded), USD.
    pub eligible_on_demand_usd: f64,
    /// On-demand list cost of usage without a usage type, whose eligibility the bill does not
    /// say, USD.
    pub unknown_on_demand_usd: f64,
}

impl BillCommitments {
    /// What the usage Savings Plans covered would have cost on demand, USD.
    pub fn plans_covered_list_usd(&self) -> f64 {
        self.commitments
            .iter()
            .filter(|c| c.kind == SAVINGS_PLAN)
            .map(|c| c.covered_list_usd)
            .sum()
    }

    /// Savings Plans' share of the eligible usage's on-demand cost, percent: covered ÷
    /// (covered + eligible on demand).
    pub fn coverage_percent(&self) -> f64 {
        let covered = self.plans_covered_list_usd();
        let all = covered + self.eligible_on_demand_usd;
        if all > 0.0 {
            100.0 * covered / all
        } else {
            0.0
        }
    }
}

/// The month's commitments from the bill's lines.
pub fn summarise(lines: &[CommitmentLine], month: &str) -> BillCommitments {
    let mut by_id: BTreeMap<&str, CommitmentOnBill> = BTreeMap::new();
    let (mut eligible, mut unknown) = (0.0, 0.0);
    for l in lines.iter().filter(|l| l.month == month) {
        match l.status {
            Status::OnDemand if l.usage_type.is_empty() => unknown += l.list_usd,
            Status::OnDemand if compute_plan_eligible(&l.usage_type) => eligible += l.list_usd,
            Status::OnDemand => {}
            Status::Used | Status::Unused => {
                let c = by_id.entry(&l.id).or_insert_with(|| CommitmentOnBill {
                    id: l.id.clone(),
                    kind: l.kind.clone(),
                    used_usd: 0.0,
                    unused_usd: 0.0,
                    covered_list_usd: 0.0,
                });
                if l.status == Status::Used {
                    c.used_usd += l.effective_usd;
                    c.covered_list_usd += l.list_usd;
                } else {
                    c.unused_usd += l.effective_usd;
                }
            }
        }
    }
    BillCommitments {
        month: month.to_string(),
        commitments: by_id.into_values().collect(),
        eligible_on_demand_usd: eligible,
        unknown_on_demand_usd: unknown,
    }
}
