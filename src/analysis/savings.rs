//! Savings against a provisioned baseline, lever by lever.
//!
//! The baseline is the design's *provisioned twin*, derived by documented rules, one per lever:
//!
//! | lever | the design's choice | its provisioned replacement |
//! |---|---|---|
//! | `auto_scaling` | Fargate target tracking, Aurora reader auto scaling, Serverless v2 ACUs, EC2 Auto Scaling | the capacity of the peak hour, all month |
//! | `fargate_spot` | tasks on `FARGATE_SPOT` | every task on on-demand `FARGATE` |
//! | `vpc_endpoints` | gateway and interface endpoints | removed: their traffic goes through the NAT gateway |
//! | `s3_intelligent_tiering` | Intelligent-Tiering (directly or by lifecycle) | S3 Standard |
//! | `dynamodb_capacity` | on-demand or auto-scaled tables | provisioned for the peak hour (on-demand at 70% utilization) |
//!
//! Each lever's contribution is its Shapley value: its marginal saving averaged over every order
//! in which the levers could be applied, so the contributions add up exactly to the total
//! saving. The one-at-a-time figure (only that lever applied to the baseline) is shown beside it.

use crate::analysis::commit::best_commitment;
use crate::engine::estimate::{Estimate, EstimateError, estimate, rebuilt};
use crate::engine::price_book::PriceBook;
use crate::model::commitment::{Payment, Term, compute_savings_plan_name};
use crate::model::topology::{Topology, TopologyParts};
use crate::services::Twin;
pub use crate::services::{Lever, TWIN_DYNAMODB_UTILIZATION_PERCENT};
use crate::vocabulary::calendar::BillingPeriod;

/// Whether the design uses a lever at all: some component has a provisioned replacement for it.
pub fn applies_to(lever: Lever, t: &Topology, tps_by_hour: &[f64]) -> bool {
    t.components()
        .iter()
        .any(|c| c.spec.provisioned(lever, tps_by_hour).is_some())
}

/// The topology with the given levers replaced by their provisioned choice, each component
/// asking its service for its replacement.
pub fn revert(
    t: &Topology,
    levers: &[Lever],
    tps_by_hour: &[f64],
) -> Result<Topology, EstimateError> {
    let mut parts: TopologyParts = t.clone().into_parts();
    parts.components = parts
        .components
        .into_iter()
        .filter_map(|mut c| {
            for lever in levers {
                match c.spec.provisioned(*lever, tps_by_hour) {
                    None => {}
                    Some(Twin::Replace(spec)) => c.spec = spec,
                    Some(Twin::Remove) => return None,
                }
            }
            Some(c)
        })
        .collect();
    if !levers.is_empty() {
        parts.name = format!("{} (provisioned twin)", t.name);
    }
    rebuilt(parts)
}

/// One lever's share of the saving.
#[derive(Debug, Clone, PartialEq)]
pub struct LeverSaving {
    /// The lever.
    pub lever: Lever,
    /// Its Shapley value, USD per month: the contributions add up to the total saving.
    pub shapley_usd: f64,
    /// The saving of this lever alone applied to the baseline, USD per month.
    pub alone_usd: f64,
}

/// The saving of a design against its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Savings {
    /// The design's estimate.
    pub design: Estimate,
    /// The baseline's estimate.
    pub baseline: Estimate,
    /// Lever contributions (empty when the baseline was given as a file).
    pub levers: Vec<LeverSaving>,
    /// Levers the design does not use.
    pub unused: Vec<Lever>,
    /// The saving the model's documentation claims, percent.
    pub claimed_percent: Option<f64>,
    /// The baseline bought with its best 1-year no-upfront Compute Savings Plan, or why it
    /// cannot be priced.
    pub committed_baseline: Result<CommittedBaseline, String>,
}

/// The baseline with the Compute Savings Plan that costs it least.
#[derive(Debug, Clone, PartialEq)]
pub struct CommittedBaseline {
    /// The plan (`Compute Savings Plan, 1 yr, no upfront`).
    pub plan: String,
    /// Its hourly commitment, USD.
    pub usd_per_hour: f64,
    /// The baseline's total with it, USD per month.
    pub total_usd: f64,
}

/// The term and payment of the plan the baseline is also priced with: 1 year, no upfront (what
/// a team most often buys).
pub const BASELINE_PLAN: (Term, Payment) = (Term::OneYear, Payment::NoUpfront);

/// The baseline's best [`BASELINE_PLAN`] Compute Savings Plan, or why it cannot be priced.
fn committed(
    baseline: &Topology,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<CommittedBaseline, String> {
    let (term, payment) = BASELINE_PLAN;
    let plan =
        best_commitment(baseline, prices, period, term, payment).map_err(|e| e.to_string())?;
    Ok(CommittedBaseline {
        plan: compute_savings_plan_name(term, payment),
        usd_per_hour: plan.best.usd_per_hour,
        total_usd: plan.model_total_with_best_usd(),
    })
}

impl Savings {
    /// The saving against the baseline with its best commitment, USD per month and percent.
    pub fn committed_saving(&self) -> Option<(f64, f64)> {
        let c = self.committed_baseline.as_ref().ok()?;
        let saving = c.total_usd - self.design.total_usd();
        Some((
            saving,
            if c.total_usd == 0.0 {
                0.0
            } else {
                saving / c.total_usd * 100.0
            },
        ))
    }

    /// Baseline minus design, USD per month.
    pub fn saving_usd(&self) -> f64 {
        self.baseline.total_usd() - self.design.total_usd()
    }

    /// The saving as a percentage of the baseline.
    pub fn saving_percent(&self) -> f64 {
        let base = self.baseline.total_usd();
        if base == 0.0 {
            0.0
        } else {
            self.saving_usd() / base * 100.0
        }
    }
}

/// Savings of a design against its derived provisioned twin, with Shapley contributions.
pub fn savings(
    t: &Topology,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<Savings, EstimateError> {
    let tps = t.workload.tps_by_hour(period);
    let (used, unused): (Vec<Lever>, Vec<Lever>) = Lever::ALL
        .into_iter()
        .partition(|l| applies_to(*l, t, &tps));
    let n = used.len();
    // cost[mask]: the design with the levers in `mask` kept and the others reverted.
    let mut cost = Vec::with_capacity(1 << n);
    // Mask 0 reverts every lever (the baseline); the full mask reverts none (the design).
    let full = (1usize << n) - 1;
    let (mut baseline, mut design) = (None, None);
    for mask in 0..=full {
        let reverted: Vec<Lever> = (0..n)
            .filter(|i| mask & (1 << i) == 0)
            .map(|i| used[i])
            .collect();
        let e = estimate(&revert(t, &reverted, &tps)?, prices, period)?;
        cost.push(e.total_usd());
        if mask == full {
            design = Some(e.clone());
        }
        if mask == 0 {
            baseline = Some(e);
        }
    }
    let (baseline, design) = (
        baseline.expect("mask 0 is always estimated"),
        design.expect("the full mask is always estimated"),
    );
    let committed_baseline = committed(&revert(t, &used, &tps)?, prices, period);
    let factorial = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let levers = (0..n)
        .map(|i| {
            let bit = 1 << i;
            let shapley_usd = (0..(1usize << n))
                .filter(|s| s & bit == 0)
                .map(|s| {
                    let size = s.count_ones() as usize;
                    let weight = factorial(size) * factorial(n - size - 1) / factorial(n);
                    // Keeping lever i (from s to s ∪ {i}) lowers the cost by this much.
                    weight * (cost[s] - cost[s | bit])
                })
                .sum();
            LeverSaving {
                lever: used[i],
                shapley_usd,
                alone_usd: cost[0] - cost[bit],
            }
        })
        .collect();
    Ok(Savings {
        design,
        baseline,
        levers,
        unused,
        claimed_percent: t.claimed_savings_percent,
        committed_baseline,
    })
}

/// Savings of a design against a baseline written as its own model (no lever breakdown).
pub fn savings_against(
    design: &Topology,
    baseline: &Topology,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<Savings, EstimateError> {
    Ok(Savings {
        design: estimate(design, prices, period)?,
        baseline: estimate(baseline, prices, period)?,
        levers: Vec::new(),
        unused: Vec::new(),
        claimed_percent: design.claimed_savings_percent,
        committed_baseline: committed(baseline, prices, period),
    })
}
