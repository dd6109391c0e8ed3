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

use crate::calendar::BillingPeriod;
use crate::estimate::{Estimate, EstimateError, estimate};
use crate::price_book::PriceBook;
use crate::topology::{ComponentSpec, Topology};

/// Utilization at which an on-demand table's provisioned twin serves its peak.
pub const TWIN_DYNAMODB_UTILIZATION_PERCENT: f64 = 70.0;

/// A design decision that saves against provisioning for peak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lever {
    /// Capacity that follows load instead of being sized for the peak hour.
    AutoScaling,
    /// Fargate Spot instead of on-demand.
    FargateSpot,
    /// Gateway and interface endpoints instead of NAT processing.
    VpcEndpoints,
    /// S3 Intelligent-Tiering instead of S3 Standard.
    S3IntelligentTiering,
    /// DynamoDB on-demand or auto-scaled instead of provisioned for peak.
    DynamoDbCapacity,
}

impl Lever {
    /// Every lever.
    pub const ALL: [Lever; 5] = [
        Lever::AutoScaling,
        Lever::FargateSpot,
        Lever::VpcEndpoints,
        Lever::S3IntelligentTiering,
        Lever::DynamoDbCapacity,
    ];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Lever::AutoScaling => "auto_scaling",
            Lever::FargateSpot => "fargate_spot",
            Lever::VpcEndpoints => "vpc_endpoints",
            Lever::S3IntelligentTiering => "s3_intelligent_tiering",
            Lever::DynamoDbCapacity => "dynamodb_capacity",
        }
    }

    /// Whether the design uses this lever at all.
    pub fn applies_to(self, t: &Topology) -> bool {
        t.components.iter().any(|c| match (&c.spec, self) {
            (ComponentSpec::FargateService(f), Lever::AutoScaling) => {
                matches!(
                    f.count(),
                    crate::services::fargate::TaskCount::TargetTracking(_)
                )
            }
            (ComponentSpec::AuroraPostgresql(a), Lever::AutoScaling) => a.auto_scales(),
            (ComponentSpec::Ec2Instances(e), Lever::AutoScaling) => {
                matches!(e.count, crate::services::ec2::InstanceCount::AutoScaling(_))
            }
            (ComponentSpec::FargateService(f), Lever::FargateSpot) => f.uses_spot(),
            (ComponentSpec::VpcEndpoint(_), Lever::VpcEndpoints) => true,
            (ComponentSpec::S3Bucket(b), Lever::S3IntelligentTiering) => {
                b.uses_intelligent_tiering()
            }
            (ComponentSpec::DynamoDbTable(d), Lever::DynamoDbCapacity) => d.follows_load(),
            _ => false,
        })
    }
}

/// The topology with the given levers replaced by their provisioned choice.
pub fn revert(t: &Topology, levers: &[Lever], tps_by_hour: &[f64]) -> Topology {
    let mut twin = t.clone();
    twin.components.retain(|c| {
        !(levers.contains(&Lever::VpcEndpoints) && matches!(c.spec, ComponentSpec::VpcEndpoint(_)))
    });
    for c in &mut twin.components {
        for lever in levers {
            c.spec = match (&c.spec, lever) {
                (ComponentSpec::FargateService(f), Lever::AutoScaling) => {
                    ComponentSpec::FargateService(f.pinned_at_peak(tps_by_hour))
                }
                (ComponentSpec::AuroraPostgresql(a), Lever::AutoScaling) => {
                    ComponentSpec::AuroraPostgresql(a.pinned_at_peak(tps_by_hour))
                }
                (ComponentSpec::Ec2Instances(e), Lever::AutoScaling) => {
                    ComponentSpec::Ec2Instances(e.pinned_at_peak(tps_by_hour))
                }
                (ComponentSpec::FargateService(f), Lever::FargateSpot) => {
                    ComponentSpec::FargateService(f.on_demand_only())
                }
                (ComponentSpec::S3Bucket(b), Lever::S3IntelligentTiering) => {
                    ComponentSpec::S3Bucket(b.without_intelligent_tiering())
                }
                (ComponentSpec::DynamoDbTable(d), Lever::DynamoDbCapacity) => {
                    ComponentSpec::DynamoDbTable(
                        d.provisioned_at_peak(tps_by_hour, TWIN_DYNAMODB_UTILIZATION_PERCENT),
                    )
                }
                (spec, _) => spec.clone(),
            };
        }
    }
    if !levers.is_empty() {
        twin.name = format!("{} (provisioned twin)", t.name);
    }
    twin
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
}

impl Savings {
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
    let (used, unused): (Vec<Lever>, Vec<Lever>) =
        Lever::ALL.into_iter().partition(|l| l.applies_to(t));
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
        let e = estimate(&revert(t, &reverted, &tps), prices, period)?;
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
    })
}
