//! Commitments applied hour by hour, as AWS applies them: each hour the reservations first, each
//! covering up to its count of its class's instance-hours; then each Savings Plan in turn spends
//! its hourly commitment on the usage it covers, the usage with the largest discount first, at
//! the plan's rate, until the commitment runs out. What a commitment does not spend is unused
//! (waste). The covered usage is then priced at the commitment's rate and the rest on demand.

use crate::engine::price_book::{Price, PriceBook, PriceKey};
use crate::model::commitment::{Commitment, CommitmentKind, ReservedService};
use crate::services::Usage;
use crate::vocabulary::units::ServiceCode;

/// How a commitment was used over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentUse {
    /// The commitment's id.
    pub id: String,
    /// What it is (`Compute Savings Plan, 1 yr, no upfront`).
    pub description: String,
    /// The hourly commitment, USD.
    pub usd_per_hour: f64,
    /// Hours in the period.
    pub hours: usize,
    /// Commitment spent on covered usage, USD.
    pub used_usd: f64,
    /// What the covered usage would have cost on demand, USD.
    pub covered_on_demand_usd: f64,
    /// Paid before the term starts, USD (all upfront: the whole term).
    pub upfront_usd: f64,
    /// Whether it is a Savings Plan (its coverage counts toward the plans' coverage).
    pub savings_plan: bool,
}

impl CommitmentUse {
    /// The commitment over the period, USD (its amortized cost).
    pub fn committed_usd(&self) -> f64 {
        self.usd_per_hour * self.hours as f64
    }

    /// The commitment not spent, USD: waste.
    pub fn unused_usd(&self) -> f64 {
        (self.committed_usd() - self.used_usd).max(0.0)
    }

    /// The share of the commitment spent, percent.
    pub fn utilization_percent(&self) -> f64 {
        100.0 * self.used_usd / self.committed_usd()
    }

    /// What it saved against on-demand prices, USD (negative when the waste outweighs the
    /// discount).
    pub fn net_saving_usd(&self) -> f64 {
        self.covered_on_demand_usd - self.committed_usd()
    }
}

/// The commitments applied to a period's usage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applied {
    /// For each usage line, the quantity each commitment covers (`covered[usage][commitment]`).
    pub covered: Vec<Vec<f64>>,
    /// Each commitment's use, in the model's order.
    pub uses: Vec<CommitmentUse>,
    /// What all the usage a commitment may cover would cost on demand, USD.
    pub eligible_on_demand_usd: f64,
}

impl Applied {
    /// The share of the usage a Compute Savings Plan may cover that the plans covered, at
    /// on-demand prices, percent.
    pub fn coverage_percent(&self) -> f64 {
        let covered: f64 = self
            .uses
            .iter()
            .filter(|u| u.savings_plan)
            .map(|u| u.covered_on_demand_usd)
            .sum();
        if self.eligible_on_demand_usd > 0.0 {
            100.0 * covered / self.eligible_on_demand_usd
        } else {
            0.0
        }
    }
}

/// The key of a commitment's rate for a usage line it covers: a Savings Plan's rate for the
/// usage type it discounts, a reservation's for its class.
pub fn rate_key(c: &Commitment, usage: &PriceKey) -> PriceKey {
    match &c.kind {
        CommitmentKind::ComputeSavingsPlan => PriceKey {
            service_code: ServiceCode::ComputeSavingsPlans,
            usage_type: usage.usage_type.clone(),
            operation: Some(c.plan()),
        },
        CommitmentKind::Reservation { .. } => PriceKey {
            service_code: usage.service_code,
            usage_type: usage.usage_type.clone(),
            operation: Some(c.plan()),
        },
    }
}

/// The usage type a reservation covers in a region (`EU-InstanceUsage:db.r6g.large`).
fn reserved_usage_type(
    service: ReservedService,
    class: &str,
    region: crate::vocabulary::units::Region,
) -> String {
    region.usage_type(
        &service.usage_type(class),
        crate::vocabulary::units::PrefixRule::ExceptUsEast1,
    )
}

/// The key of a reservation's effective hourly rate in the book's region.
fn reservation_key(c: &Commitment, book: &PriceBook) -> PriceKey {
    match &c.kind {
        CommitmentKind::Reservation {
            service,
            instance_class,
            ..
        } => PriceKey {
            service_code: service.service_code(),
            usage_type: reserved_usage_type(*service, instance_class, book.region()),
            operation: Some(c.plan()),
        },
        CommitmentKind::ComputeSavingsPlan => unreachable!("a Savings Plan has no class"),
    }
}

/// A reservation's effective hourly rate per instance; `None` when the book lacks it.
pub fn reservation_rate(c: &Commitment, book: &PriceBook) -> Option<f64> {
    book.get(&reservation_key(c, book)).map(flat)
}

/// The lines of `eligible` a Savings Plan may cover, with its rate for each, the largest
/// discount against `on_demand` first (ties in usage order): the order it spends its
/// commitment in. Lines whose rate the book lacks are left out (see [`missing_rates`]).
pub fn plan_order(
    c: &Commitment,
    usage: &[Usage],
    eligible: &[usize],
    book: &PriceBook,
    on_demand: &[f64],
) -> Vec<(usize, f64)> {
    let mut lines: Vec<(usize, f64)> = eligible
        .iter()
        .filter_map(|i| Some((*i, flat(book.get(&rate_key(c, &usage[*i].key))?))))
        .collect();
    let discount = |(i, rate): &(usize, f64)| 1.0 - rate / on_demand[*i];
    lines.sort_by(|a, b| discount(b).total_cmp(&discount(a)).then(a.0.cmp(&b.0)));
    lines
}

/// Whether a Compute Savings Plan may cover a usage line of the model: eligible usage
/// ([`compute_plan_eligible`]) metered hour by hour.
pub fn compute_plan_covers(u: &Usage) -> bool {
    u.hourly.is_some() && compute_plan_eligible(&u.key.usage_type)
}

/// Whether usage of this type is what a Compute Savings Plan may cover: EC2 instance hours,
/// Fargate vCPU and memory hours (not Spot), Lambda duration.
pub fn compute_plan_eligible(usage_type: &str) -> bool {
    if usage_type.contains("SpotUsage") {
        return false;
    }
    usage_type.contains("BoxUsage")
        || usage_type.contains("Fargate-vCPU-Hours")
        || usage_type.contains("Fargate-GB-Hours")
        || usage_type.contains("Fargate-ARM-vCPU-Hours")
        || usage_type.contains("Fargate-ARM-GB-Hours")
        || usage_type.contains("Lambda-GB-Second")
}

/// Whether a reservation covers a usage line: its class's on-demand instance hours.
fn reservation_covers(c: &Commitment, u: &Usage, book: &PriceBook) -> bool {
    match &c.kind {
        CommitmentKind::Reservation {
            service,
            instance_class,
            ..
        } => {
            u.hourly.is_some()
                && u.key.service_code == service.service_code()
                && u.key.usage_type == reserved_usage_type(*service, instance_class, book.region())
                && u.key.operation.as_deref() == Some(service.operation())
        }
        CommitmentKind::ComputeSavingsPlan => false,
    }
}

/// The rates the commitments need and the book lacks: each reservation's, and a plan's for each
/// line it may cover. With the commitment's id.
pub fn missing_rates(
    usage: &[Usage],
    commitments: &[Commitment],
    book: &PriceBook,
) -> Vec<(PriceKey, String)> {
    let mut out: Vec<(PriceKey, String)> = Vec::new();
    let mut need = |key: PriceKey, id: &str| {
        if book.get(&key).is_none() && !out.iter().any(|(k, _)| *k == key) {
            out.push((key, id.to_string()));
        }
    };
    for c in commitments {
        match c.kind {
            CommitmentKind::Reservation { .. } => need(reservation_key(c, book), &c.id),
            CommitmentKind::ComputeSavingsPlan => {
                for u in usage.iter().filter(|u| compute_plan_covers(u)) {
                    need(rate_key(c, &u.key), &c.id);
                }
            }
        }
    }
    out
}

/// Applies the commitments hour by hour to the usage that has hourly quantities: the
/// reservations first, each covering its count of its class's instance-hours every hour, then
/// the Savings Plans on what is left. Every rate must be in the book (see [`missing_rates`]);
/// `on_demand` gives each usage line's on-demand rate.
pub fn apply(
    usage: &[Usage],
    commitments: &[Commitment],
    book: &PriceBook,
    on_demand: &[f64],
    hours: usize,
) -> Applied {
    let eligible: Vec<usize> = (0..usage.len())
        .filter(|i| compute_plan_covers(&usage[*i]))
        .collect();
    let eligible_on_demand_usd = eligible
        .iter()
        .map(|i| usage[*i].quantity * on_demand[*i])
        .sum();
    if commitments.is_empty() {
        // Nothing to apply: every estimate passes here, so no hourly copies are made.
        return Applied {
            covered: vec![Vec::new(); usage.len()],
            uses: Vec::new(),
            eligible_on_demand_usd,
        };
    }
    // What is left of each line, hour by hour, as commitments cover it.
    let mut left: Vec<Vec<f64>> = usage
        .iter()
        .map(|u| u.hourly.clone().unwrap_or_default())
        .collect();
    let mut covered = vec![vec![0.0; commitments.len()]; usage.len()];
    let mut uses: Vec<Option<CommitmentUse>> = vec![None; commitments.len()];
    // Reservations first, then plans, each in the model's order.
    let mut order: Vec<usize> = (0..commitments.len()).collect();
    order.sort_by_key(|ci| commitments[*ci].kind == CommitmentKind::ComputeSavingsPlan);
    for ci in order {
        let c = &commitments[ci];
        let (mut used_usd, mut covered_on_demand_usd) = (0.0, 0.0);
        let usd_per_hour = match &c.kind {
            CommitmentKind::Reservation { count, .. } => {
                // Checked by `missing_rates`; without it the reservation covers nothing.
                let Some(rate) = reservation_rate(c, book) else {
                    uses[ci] = Some(CommitmentUse {
                        id: c.id.clone(),
                        description: c.to_string(),
                        usd_per_hour: 0.0,
                        hours,
                        used_usd: 0.0,
                        covered_on_demand_usd: 0.0,
                        upfront_usd: 0.0,
                        savings_plan: false,
                    });
                    continue;
                };
                let lines: Vec<usize> = (0..usage.len())
                    .filter(|i| reservation_covers(c, &usage[*i], book))
                    .collect();
                for h in 0..hours {
                    let mut instances = f64::from(*count);
                    for i in &lines {
                        let want = left[*i].get(h).copied().unwrap_or(0.0);
                        let take = want.min(instances);
                        if take <= 0.0 {
                            continue;
                        }
                        instances -= take;
                        left[*i][h] -= take;
                        covered[*i][ci] += take;
                        used_usd += take * rate;
                        covered_on_demand_usd += take * on_demand[*i];
                    }
                }
                rate * f64::from(*count)
            }
            CommitmentKind::ComputeSavingsPlan => {
                let lines = plan_order(c, usage, &eligible, book, on_demand);
                for h in 0..hours {
                    let mut budget = c.usd_per_hour;
                    for (i, rate) in &lines {
                        if budget <= 0.0 {
                            break;
                        }
                        let want = left[*i].get(h).copied().unwrap_or(0.0);
                        if want <= 0.0 || *rate <= 0.0 {
                            continue;
                        }
                        let quantity = want.min(budget / rate);
                        budget -= quantity * rate;
                        left[*i][h] -= quantity;
                        covered[*i][ci] += quantity;
                        used_usd += quantity * rate;
                        covered_on_demand_usd += quantity * on_demand[*i];
                    }
                }
                c.usd_per_hour
            }
        };
        uses[ci] = Some(CommitmentUse {
            id: c.id.clone(),
            description: c.to_string(),
            usd_per_hour,
            hours,
            used_usd,
            covered_on_demand_usd,
            upfront_usd: c.upfront_usd(usd_per_hour),
            savings_plan: c.kind == CommitmentKind::ComputeSavingsPlan,
        });
    }
    Applied {
        covered,
        uses: uses
            .into_iter()
            .map(|u| u.expect("every commitment applied"))
            .collect(),
        eligible_on_demand_usd,
    }
}

/// A price's single rate (its average over one unit when tiered): commitment rates are flat.
pub fn flat(p: &Price) -> f64 {
    p.flat_rate(false).unwrap_or_else(|| p.cost(1.0, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::commitment::{CommitmentKind, Payment, Term};
    use crate::vocabulary::units::{Region, Unit};

    fn fargate(usage_type: &str, unit: Unit, hourly: Vec<f64>) -> Usage {
        Usage::new(
            "api",
            PriceKey {
                service_code: ServiceCode::AmazonEcs,
                usage_type: usage_type.into(),
                operation: None,
            },
            unit,
            hourly.iter().sum(),
            "test",
        )
        .hourly(hourly)
    }

    fn plan(usd_per_hour: f64) -> Commitment {
        Commitment {
            id: "sp".into(),
            kind: CommitmentKind::ComputeSavingsPlan,
            usd_per_hour,
            term: Term::OneYear,
            payment: Payment::NoUpfront,
        }
    }

    #[test]
    fn an_hour_beyond_the_commitment_and_an_hour_below_it() {
        // x86 vCPU-hours at 0.04048 on demand, 0.032384 under a 1-year no-upfront Compute
        // Savings Plan of 0.20 USD an hour.
        // Hour 0, 10 vCPU-h: the plan covers 0.20 / 0.032384 = 6.175889328 vCPU-h and is spent.
        // Hour 1, 2 vCPU-h: it covers all 2 for 0.064768; 0.135232 of the hour is unused.
        let book = PriceBook::embedded(Region::UsEast1).unwrap();
        let usage = vec![fargate(
            "USE1-Fargate-vCPU-Hours:perCPU",
            Unit::VcpuHours,
            vec![10.0, 2.0],
        )];
        let a = apply(&usage, &[plan(0.2)], &book, &[0.04048], 2);
        let covered = 0.2 / 0.032384 + 2.0;
        assert!((a.covered[0][0] - covered).abs() < 1e-9, "{a:?}");
        let u = &a.uses[0];
        assert!((u.used_usd - (0.2 + 0.064768)).abs() < 1e-12);
        assert!((u.unused_usd() - 0.135232).abs() < 1e-12);
        assert!((u.covered_on_demand_usd - covered * 0.04048).abs() < 1e-12);
        // Utilisation 0.264768 / 0.4 = 66.192%; coverage (8.175889 × 0.04048) / (12 × 0.04048).
        assert!((u.utilization_percent() - 66.192).abs() < 1e-9);
        assert!((a.coverage_percent() - 100.0 * covered / 12.0).abs() < 1e-9);
    }

    #[test]
    fn the_largest_discount_is_covered_first() {
        // One hour of 4 x86 vCPU-h (0.04048 → 0.032384, 20% off) and 4 ARM vCPU-h (0.03238 →
        // 0.0255, 21.25% off) under 0.10 USD: ARM first, 0.10 / 0.0255 = 3.921568627 ARM
        // vCPU-h, nothing left for x86.
        let book = PriceBook::embedded(Region::UsEast1).unwrap();
        let usage = vec![
            fargate("USE1-Fargate-vCPU-Hours:perCPU", Unit::VcpuHours, vec![4.0]),
            fargate(
                "USE1-Fargate-ARM-vCPU-Hours:perCPU",
                Unit::VcpuHours,
                vec![4.0],
            ),
        ];
        let a = apply(&usage, &[plan(0.1)], &book, &[0.04048, 0.03238], 1);
        assert_eq!(a.covered[0][0], 0.0);
        assert!((a.covered[1][0] - 0.1 / 0.0255).abs() < 1e-9);
        assert_eq!(a.uses[0].unused_usd(), 0.0);
    }

    #[test]
    fn a_plan_rate_the_book_lacks_is_listed() {
        // The snapshot has no 1-year all-upfront GB-hour rate.
        let book = PriceBook::embedded(Region::UsEast1).unwrap();
        let usage = vec![fargate("USE1-Fargate-GB-Hours", Unit::GbHours, vec![1.0])];
        let mut c = plan(0.1);
        c.payment = Payment::AllUpfront;
        let missing = missing_rates(&usage, &[c], &book);
        assert_eq!(missing.len(), 1);
        assert_eq!(
            missing[0].0.to_string(),
            "ComputeSavingsPlans USE1-Fargate-GB-Hours (operation ComputeSP:1yrAllUpfront)"
        );
    }
}
