//! The Compute Savings Plan commitment that costs least for a model's hourly load: the cost of
//! the usage a plan may cover is, for a commitment of `c` USD an hour, `c` for every hour plus
//! what the plan leaves on demand. It is convex in `c` and its slope changes only where a plan
//! of that size just covers some hour's usage of one more line, so the least cost is at one of
//! those levels: each is tried, and the best rounded to the 0.001 USD an hour AWS sells. Around
//! it, a sweep of levels; the utilisation at which it breaks even; and what it does if the load
//! falls by a fifth.

use crate::engine::commitments::{self, Applied};
use crate::engine::estimate::{EstimateError, MissingPrice, metered, rebuilt};
use crate::engine::price_book::PriceBook;
use crate::model::commitment::{Commitment, CommitmentKind, Payment, ReservedService, Term};
use crate::model::topology::Topology;
use crate::services::Usage;
use crate::vocabulary::calendar::BillingPeriod;

/// The load factor of the what-if: the load falls by this share.
pub const LOAD_DROP: f64 = 0.2;

/// The usage a Compute Savings Plan may cover, with its on-demand rates.
pub struct Eligible {
    usage: Vec<Usage>,
    on_demand: Vec<f64>,
    hours: usize,
}

/// One commitment level and what the covered usage costs with it over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// The hourly commitment, USD.
    pub usd_per_hour: f64,
    /// The usage a plan may cover, with this commitment: the commitment plus what it leaves on
    /// demand, USD over the period.
    pub cost_usd: f64,
    /// The share of the commitment spent, percent (100 at 0).
    pub utilization_percent: f64,
    /// The share of the eligible on-demand cost covered, percent.
    pub coverage_percent: f64,
    /// What the covered usage would have cost on demand, USD (for the break-even).
    covered_on_demand_usd: f64,
    used_usd: f64,
}

/// The best commitment for a model and what surrounds it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitPlan {
    /// The plan's term.
    pub term: Term,
    /// How it is paid.
    pub payment: Payment,
    /// Hours in the period.
    pub hours: usize,
    /// The eligible usage on demand, USD over the period (no commitment).
    pub on_demand_usd: f64,
    /// The commitment that costs least.
    pub best: Level,
    /// Levels around it, smallest first (the best among them).
    pub curve: Vec<Level>,
    /// The utilisation below which the best commitment costs more than on demand, percent.
    pub break_even_utilization_percent: f64,
    /// The best commitment with the load a fifth lower.
    pub at_lower_load: Level,
    /// The eligible usage on demand with the load a fifth lower, USD.
    pub on_demand_at_lower_load_usd: f64,
    /// The model's total without any commitment, USD over the period.
    pub model_total_usd: f64,
}

impl CommitPlan {
    /// The model's total with the best commitment, USD.
    pub fn model_total_with_best_usd(&self) -> f64 {
        self.model_total_usd - self.on_demand_usd + self.best.cost_usd
    }
}

fn plan(usd_per_hour: f64, term: Term, payment: Payment) -> Commitment {
    Commitment {
        id: "commitment".into(),
        kind: CommitmentKind::ComputeSavingsPlan,
        usd_per_hour,
        term,
        payment,
    }
}

impl Eligible {
    /// The usage of `t` a Compute Savings Plan of this term and payment may cover; an error
    /// naming every price the book lacks.
    pub fn of(
        t: &Topology,
        book: &PriceBook,
        period: &BillingPeriod,
        term: Term,
        payment: Payment,
    ) -> Result<Self, EstimateError> {
        let usage: Vec<Usage> = metered(t, period)
            .usage
            .into_iter()
            .filter(commitments::compute_plan_covers)
            .collect();
        let mut missing: Vec<MissingPrice> = Vec::new();
        let mut need = |key: crate::engine::price_book::PriceKey, who: &str| {
            if book.get(&key).is_none() && !missing.iter().any(|m| m.key == key) {
                missing.push(MissingPrice {
                    key,
                    components: vec![(who.to_string(), None)],
                });
            }
        };
        for u in &usage {
            need(u.key.clone(), &u.component);
        }
        for (key, _) in commitments::missing_rates(&usage, &[plan(1.0, term, payment)], book) {
            need(key, "the commitment");
        }
        if !missing.is_empty() {
            return Err(EstimateError::MissingPrices {
                region: book.region(),
                book: book.origin().to_string(),
                missing,
            });
        }
        let on_demand = usage
            .iter()
            .map(|u| {
                let p = book.get(&u.key).expect("checked");
                p.flat_rate(t.free_tier)
                    .unwrap_or_else(|| p.cost(1.0, t.free_tier))
            })
            .collect();
        Ok(Eligible {
            usage,
            on_demand,
            hours: period.hours(),
        })
    }

    /// The eligible usage's cost with a commitment of `usd_per_hour`.
    pub fn level(
        &self,
        book: &PriceBook,
        usd_per_hour: f64,
        term: Term,
        payment: Payment,
    ) -> Level {
        let applied: Applied = commitments::apply(
            &self.usage,
            &[plan(usd_per_hour, term, payment)],
            book,
            &self.on_demand,
            self.hours,
        );
        let use_ = &applied.uses[0];
        let left_on_demand: f64 = self
            .usage
            .iter()
            .zip(&applied.covered)
            .zip(&self.on_demand)
            .map(|((u, covered), rate)| (u.quantity - covered[0]) * rate)
            .sum();
        Level {
            usd_per_hour,
            cost_usd: use_.committed_usd() + left_on_demand,
            utilization_percent: if usd_per_hour > 0.0 {
                use_.utilization_percent()
            } else {
                100.0
            },
            coverage_percent: applied.coverage_percent(),
            covered_on_demand_usd: use_.covered_on_demand_usd,
            used_usd: use_.used_usd,
        }
    }

    /// The levels where the cost's slope may change: in each hour, what a plan spends to
    /// cover that hour's lines one more at a time, the largest discount first.
    fn breakpoints(&self, book: &PriceBook, term: Term, payment: Payment) -> Vec<f64> {
        let every: Vec<usize> = (0..self.usage.len()).collect();
        let lines = commitments::plan_order(
            &plan(1.0, term, payment),
            &self.usage,
            &every,
            book,
            &self.on_demand,
        );
        let mut out = vec![0.0];
        for h in 0..self.hours {
            let mut spend = 0.0;
            for (i, rate) in &lines {
                let q = self.usage[*i]
                    .hourly
                    .as_ref()
                    .and_then(|v| v.get(h))
                    .copied();
                spend += q.unwrap_or(0.0) * rate;
                out.push(spend);
            }
        }
        out.sort_by(f64::total_cmp);
        out.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        out
    }
}

/// The Compute Savings Plan commitment of this term and payment that costs `t` least over the
/// period, with the curve around it, its break-even utilisation and what a load a fifth lower
/// does to it.
pub fn best_commitment(
    t: &Topology,
    book: &PriceBook,
    period: &BillingPeriod,
    term: Term,
    payment: Payment,
) -> Result<CommitPlan, EstimateError> {
    // The model's own commitments give way to the one sought.
    let mut bare = t.clone().into_parts();
    bare.commitments.clear();
    let t = &rebuilt(bare)?;
    let model_total_usd = crate::engine::estimate::estimate(t, book, period)?.total_usd();
    let eligible = Eligible::of(t, book, period, term, payment)?;
    let at = |c: f64| eligible.level(book, c, term, payment);
    // The least cost is at a breakpoint (convex, piecewise linear); then the 0.001 USD steps
    // AWS sells on either side of it.
    let breakpoints = eligible.breakpoints(book, term, payment);
    let exact = breakpoints
        .iter()
        .map(|c| at(*c))
        .min_by(|a, b| a.cost_usd.total_cmp(&b.cost_usd))
        .expect("0 is a breakpoint");
    let best = [
        (exact.usd_per_hour * 1000.0).floor() / 1000.0,
        (exact.usd_per_hour * 1000.0).ceil() / 1000.0,
    ]
    .into_iter()
    .map(at)
    .min_by(|a, b| a.cost_usd.total_cmp(&b.cost_usd))
    .expect("two levels");
    let on_demand_usd = at(0.0).cost_usd;
    let span = if best.usd_per_hour > 0.0 {
        best.usd_per_hour
    } else {
        // Nothing pays: show the levels up to what covers the busiest hour.
        breakpoints.last().copied().unwrap_or(0.0).max(0.001)
    };
    let mut curve: Vec<Level> = [0.0, 0.25, 0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0]
        .iter()
        .map(|f| at(((f * span) * 1000.0).round() / 1000.0))
        .chain([best.clone()])
        .collect();
    curve.sort_by(|a, b| a.usd_per_hour.total_cmp(&b.usd_per_hour));
    curve.dedup_by(|a, b| (a.usd_per_hour - b.usd_per_hour).abs() < 1e-12);
    let break_even_utilization_percent = if best.covered_on_demand_usd > 0.0 {
        100.0 * best.used_usd / best.covered_on_demand_usd
    } else {
        0.0
    };
    let mut lower = t.clone().into_parts();
    lower.workload.peak_tps *= 1.0 - LOAD_DROP;
    let lower = rebuilt(lower)?;
    let lower_eligible = Eligible::of(&lower, book, period, term, payment)?;
    Ok(CommitPlan {
        term,
        payment,
        hours: period.hours(),
        on_demand_usd,
        at_lower_load: lower_eligible.level(book, best.usd_per_hour, term, payment),
        on_demand_at_lower_load_usd: lower_eligible.level(book, 0.0, term, payment).cost_usd,
        best,
        curve,
        break_even_utilization_percent,
        model_total_usd,
    })
}

/// The best count of reservations for one instance class the model runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationChoice {
    /// What is reserved (`Aurora PostgreSQL`, `EC2`).
    pub service: &'static str,
    /// The instance class.
    pub instance_class: String,
    /// The count that costs least (0: none pays).
    pub count: u32,
    /// The class's instance-hours on demand, USD over the period.
    pub on_demand_usd: f64,
    /// The same with `count` reserved (the reservations plus what they leave on demand), USD.
    pub cost_usd: f64,
    /// The share of the reserved hours used, percent (0 when none is reserved).
    pub utilization_percent: f64,
    /// Paid upfront for the term, USD.
    pub upfront_usd: f64,
    /// Why it could not be priced (the reservation rate the book lacks).
    pub unpriced: Option<String>,
}

/// For each instance class of the model a reservation may cover, the count of reservations
/// of this term and payment that costs its hourly load least: each count from none to the most
/// instances running at once is tried. A class whose reservation rate the book lacks is listed
/// unpriced.
pub fn best_reservations(
    t: &Topology,
    book: &PriceBook,
    period: &BillingPeriod,
    term: Term,
    payment: Payment,
) -> Vec<ReservationChoice> {
    let hours = period.hours();
    // Instance-hours by (service, class), hour by hour, and their on-demand rate.
    let mut classes: Vec<(ReservedService, String, Vec<f64>, f64)> = Vec::new();
    for u in metered(t, period).usage {
        let Some(hourly) = &u.hourly else { continue };
        let found = [ReservedService::AuroraPostgresql, ReservedService::Ec2]
            .into_iter()
            .find_map(|s| {
                let base = s.usage_type("");
                let class = u
                    .key
                    .usage_type
                    .rsplit_once(base.as_str())
                    .map(|(_, class)| class.to_string())?;
                (u.key.service_code == s.service_code()
                    && u.key.operation.as_deref() == Some(s.operation()))
                .then_some((s, class))
            });
        let Some((service, class)) = found else {
            continue;
        };
        let Some(rate) = book.get(&u.key).and_then(|p| p.flat_rate(t.free_tier)) else {
            continue;
        };
        match classes
            .iter_mut()
            .find(|(s, c, ..)| *s == service && *c == class)
        {
            Some((_, _, sum, _)) => {
                for (a, b) in sum.iter_mut().zip(hourly) {
                    *a += b;
                }
            }
            None => classes.push((service, class, hourly.clone(), rate)),
        }
    }
    classes
        .into_iter()
        .map(|(service, class, running, on_demand)| {
            let reservation = Commitment {
                id: "reservation".into(),
                kind: CommitmentKind::Reservation {
                    service,
                    instance_class: class.clone(),
                    count: 1,
                },
                usd_per_hour: 0.0,
                term,
                payment,
            };
            let on_demand_usd: f64 = running.iter().sum::<f64>() * on_demand;
            let mut choice = ReservationChoice {
                service: service.words(),
                instance_class: class,
                count: 0,
                on_demand_usd,
                cost_usd: on_demand_usd,
                utilization_percent: 0.0,
                upfront_usd: 0.0,
                unpriced: None,
            };
            let Some(rate) = commitments::reservation_rate(&reservation, book) else {
                let missing =
                    commitments::missing_rates(&[], std::slice::from_ref(&reservation), book);
                let key = missing
                    .first()
                    .map(|(k, _)| k.to_string())
                    .unwrap_or_default();
                choice.unpriced = Some(format!("{} has no rate {key}", book.label()));
                return choice;
            };
            let most = running.iter().fold(0.0_f64, |a, b| a.max(*b)).ceil() as u32;
            let cost = |k: u32| -> f64 {
                let k = f64::from(k);
                k * hours as f64 * rate
                    + running.iter().map(|n| (n - k).max(0.0)).sum::<f64>() * on_demand
            };
            let best = (0..=most)
                .min_by(|a, b| cost(*a).total_cmp(&cost(*b)).then(a.cmp(b)))
                .unwrap_or(0);
            let used: f64 = running.iter().map(|n| n.min(f64::from(best))).sum();
            choice.count = best;
            choice.cost_usd = cost(best);
            choice.utilization_percent = if best > 0 {
                100.0 * used / (f64::from(best) * hours as f64)
            } else {
                0.0
            };
            choice.upfront_usd = reservation.upfront_usd(rate * f64::from(best));
            choice
        })
        .collect()
}
