//! The hourly engine: topology + price book + period → priced lines.
//!
//! For every hour of the period the workload gives the platform's load; each service turns
//! that into capacity and metered quantities; then each usage type's monthly total is priced
//! through its tiers (account-wide, as AWS bills them) and the cost shared back to the
//! components in proportion to their quantity. Pure: no I/O, no clock.

use std::collections::BTreeMap;
use std::fmt;

use crate::engine::commitments::{self, Applied};
use crate::engine::price_book::{PriceBasis, PriceBook, PriceKey};
use crate::model::commitment::CommitmentKind;
use crate::model::routing;
use crate::model::topology::{SourceLocation, Topology, TopologyParts};
use crate::services::{Calibrates, Context, Diagnostic, Meter, Severity, Usage, data_transfer};
use crate::vocabulary::calendar::BillingPeriod;
use crate::vocabulary::units::{Region, ServiceCode, Unit};

/// Where a line's price came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSource {
    /// Price List SKU, when known.
    pub sku: Option<String>,
    /// Date the price took effect.
    pub effective_date: String,
    /// How the price was obtained.
    pub basis: PriceBasis,
    /// The price book (`embedded snapshot us-east-1` or a file) and its snapshot date.
    pub book: String,
    /// Whether tiers apply (then the unit price is the effective average).
    pub tiered: bool,
}

/// One priced line of an estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Component id.
    pub component: String,
    /// AWS service code.
    pub service_code: ServiceCode,
    /// Usage type as billed.
    pub usage_type: String,
    /// Billing operation, where it matters.
    pub operation: Option<String>,
    /// What the quantity is.
    pub description: String,
    /// Quantity over the period.
    pub quantity: f64,
    /// Its unit.
    pub unit: Unit,
    /// USD per unit (the effective average when tiered).
    pub usd_per_unit: f64,
    /// Cost over the period.
    pub usd_per_month: f64,
    /// Provenance of the price.
    pub price_source: PriceSource,
    /// Which model field the billed quantity calibrates (said by the service that metered it).
    pub calibrates: Calibrates,
    /// The commitment (its id) that covers this line at its rate; `None` on demand.
    pub covered_by: Option<String>,
}

/// A cost estimate of one topology over one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Model name.
    pub model: String,
    /// Region.
    pub region: Region,
    /// The period estimated.
    pub period: BillingPeriod,
    /// Priced lines, in component order.
    pub lines: Vec<Line>,
    /// Warnings and notes.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether AWS Free Tier allowances were applied (the model's `free_tier`).
    pub free_tier: bool,
    /// The price snapshot used (`embedded snapshot us-east-1 (2026-10-08)`).
    pub prices: String,
    /// The model's commitments as applied: each one's use, and the Savings Plans' coverage.
    pub commitments: Applied,
}

/// How to group lines in a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// By component id.
    Component,
    /// By AWS service code.
    Service,
    /// By usage type.
    UsageType,
}

impl Estimate {
    /// Total cost over the period.
    pub fn total_usd(&self) -> f64 {
        self.lines.iter().fold(0.0, |sum, l| sum + l.usd_per_month)
    }

    /// Costs summed by a grouping, largest first (ties by name).
    pub fn grouped(&self, by: GroupBy) -> Vec<(String, f64)> {
        let mut sums: BTreeMap<String, f64> = BTreeMap::new();
        for l in &self.lines {
            let k = match by {
                GroupBy::Component => l.component.clone(),
                GroupBy::Service => l.service_code.code().to_string(),
                // Usage types repeat across services (`TimedStorage-ByteHrs`): keep them apart.
                GroupBy::UsageType => format!("{} {}", l.service_code.code(), l.usage_type),
            };
            *sums.entry(k).or_insert(0.0) += l.usd_per_month;
        }
        let mut v: Vec<(String, f64)> = sums.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// Cost of one component.
    pub fn component_usd(&self, id: &str) -> f64 {
        self.lines
            .iter()
            .filter(|l| l.component == id)
            .map(|l| l.usd_per_month)
            .sum()
    }
}

/// A usage type with no price in the book.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MissingPrice {
    /// What was looked up.
    pub key: PriceKey,
    /// The components that need it, with where each is declared.
    pub components: Vec<(String, Option<SourceLocation>)>,
}

/// Why an estimate could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EstimateError {
    /// Some usage has no price; nothing is priced at zero instead.
    #[error("{}", missing_message(*region, book, missing))]
    MissingPrices {
        /// The region.
        region: Region,
        /// The price book used.
        book: String,
        /// Every missing price.
        missing: Vec<MissingPrice>,
    },
    /// The price book quotes a usage type in another unit than the service meters.
    #[error(
        "{book}: {key} is priced per {priced}, but archcost meters it in {metered}; expected a price per {metered}"
    )]
    UnitMismatch {
        /// The price book.
        book: String,
        /// The usage type.
        key: PriceKey,
        /// Unit in the book.
        priced: Unit,
        /// Unit metered.
        metered: Unit,
    },
    /// A design derived in code (a provisioned twin without its VPC endpoints) has a flow with
    /// no route.
    #[error("{design}: {path}: {message}")]
    Routing {
        /// The derived design.
        design: String,
        /// Field path of the flow.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A quantity or cost is not a finite number (inputs too large to compute with).
    #[error(
        "{component}: {usage_type} comes to {value} — the model's numbers are too large to price; expected finite quantities"
    )]
    NotFinite {
        /// Component id.
        component: String,
        /// Usage type.
        usage_type: String,
        /// The quantity or cost as computed.
        value: f64,
    },
    /// The price book is for another region.
    #[error("the price book ({book}) is for {book_region}, but the model runs in {model_region}")]
    WrongRegion {
        /// The price book.
        book: String,
        /// Its region.
        book_region: Region,
        /// The model's region.
        model_region: Region,
    },
}

fn missing_message(region: Region, book: &str, missing: &[MissingPrice]) -> String {
    let items: Vec<String> = missing
        .iter()
        .map(|m| {
            let who: Vec<String> = m
                .components
                .iter()
                .map(|(id, loc)| match loc {
                    Some(l) => format!("`{id}` at {l}"),
                    None => format!("`{id}`"),
                })
                .collect();
            format!("  - {} (needed by {})", m.key, who.join(", "))
        })
        .collect();
    format!(
        "no price in {book} for {} usage type(s) in {region}; an unknown instance class or node type, or a usage type the snapshot lacks:\n{}",
        missing.len(),
        items.join("\n")
    )
}

/// A derived design (a twin, a patch, a changed load) checked and routed as a written one; a
/// flow it breaks is an [`EstimateError::Routing`] naming the design.
pub fn rebuilt(parts: TopologyParts) -> Result<Topology, EstimateError> {
    let name = parts.name.clone();
    Topology::new(parts).map_err(|e| EstimateError::Routing {
        design: name,
        path: e.path,
        message: e.message,
    })
}

/// Estimates a topology's cost over a period.
pub fn estimate(
    topology: &Topology,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<Estimate, EstimateError> {
    if prices.region() != topology.region {
        return Err(EstimateError::WrongRegion {
            book: prices.origin().to_string(),
            book_region: prices.region(),
            model_region: topology.region,
        });
    }
    let meter = metered(topology, period);
    let (lines, commitments) = price(meter.usage, prices, topology, period.hours())?;
    let mut diagnostics = meter.diagnostics;
    for u in commitments.uses.iter().filter(|u| u.used_usd <= 0.0) {
        diagnostics.push(Diagnostic {
            component: u.id.clone(),
            severity: Severity::Warning,
            message: format!(
                "{} covers none of the model's usage: all {} USD of it is unused",
                u.description,
                crate::vocabulary::text::usd(u.committed_usd())
            ),
        });
    }
    Ok(Estimate {
        model: topology.name.clone(),
        region: topology.region,
        period: period.clone(),
        lines,
        diagnostics,
        free_tier: topology.free_tier,
        prices: prices.label(),
        commitments,
    })
}

/// What every component meters over the period, hour by hour where a commitment may cover it,
/// before any price.
pub fn metered(topology: &Topology, period: &BillingPeriod) -> Meter {
    let tps = topology.workload.tps_by_hour(period);
    let transactions: f64 = tps.iter().map(|t| t * 3600.0).sum();
    let traffic = routing::measure(topology.flows(), topology.routes(), transactions);
    let ctx = Context {
        region: topology.region,
        availability_zones: topology.availability_zones,
        period,
        tps: &tps,
        traffic: &traffic,
    };
    let mut meter = Meter::default();
    for component in topology.components() {
        component.spec.meter(&component.id, &ctx, &mut meter);
    }
    data_transfer::meter(&ctx, &mut meter);
    meter
}

/// Prices usage: tiers apply to each usage type's total, and the cost is shared by quantity;
/// the model's Savings Plans then cover what they may, hour by hour, at their rates.
fn price(
    usage: Vec<Usage>,
    book: &PriceBook,
    topology: &Topology,
    hours: usize,
) -> Result<(Vec<Line>, Applied), EstimateError> {
    let plan_rates = commitments::missing_rates(&usage, &topology.commitments, book);
    let mut missing: BTreeMap<&PriceKey, Vec<(String, Option<SourceLocation>)>> = BTreeMap::new();
    for (key, id) in &plan_rates {
        missing.entry(key).or_default().push((id.clone(), None));
    }
    for u in &usage {
        if book.get(&u.key).is_none() {
            let comps = missing.entry(&u.key).or_default();
            if !comps.iter().any(|(id, _)| *id == u.component) {
                let origin = topology
                    .component(&u.component)
                    .and_then(|c| c.origin.clone());
                comps.push((u.component.clone(), origin));
            }
        }
    }
    if !missing.is_empty() {
        return Err(EstimateError::MissingPrices {
            region: book.region(),
            book: book.origin().to_string(),
            missing: missing
                .into_iter()
                .map(|(k, components)| MissingPrice {
                    key: k.clone(),
                    components,
                })
                .collect(),
        });
    }
    if let Some(u) = usage.iter().find(|u| !u.quantity.is_finite()) {
        return Err(EstimateError::NotFinite {
            component: u.component.clone(),
            usage_type: u.key.usage_type.clone(),
            value: u.quantity,
        });
    }
    // Each usage type's account-wide total over the period, per usage line, so that the
    // lines below can take the usage by value.
    let mut totals: BTreeMap<&PriceKey, f64> = BTreeMap::new();
    for u in &usage {
        *totals.entry(&u.key).or_default() += u.quantity;
    }
    let totals: Vec<f64> = usage.iter().map(|u| totals[&u.key]).collect();
    let book_label = book.label();
    // Each line's unit price: its rate, or the average over the tiers of its usage type's total.
    let on_demand: Vec<f64> = usage
        .iter()
        .zip(&totals)
        .map(|(u, total)| {
            let p = book.get(&u.key).expect("checked above");
            p.flat_rate(topology.free_tier)
                .unwrap_or_else(|| p.cost(*total, topology.free_tier) / total)
        })
        .collect();
    let applied = commitments::apply(&usage, &topology.commitments, book, &on_demand, hours);
    let lines = usage
        .into_iter()
        .zip(on_demand)
        .map(|(u, usd_per_unit)| {
            let p = book.get(&u.key).expect("checked above");
            if p.unit != u.unit {
                return Err(EstimateError::UnitMismatch {
                    book: book.origin().to_string(),
                    key: u.key.clone(),
                    priced: p.unit,
                    metered: u.unit,
                });
            }
            let free_tier = topology.free_tier;
            if !(usd_per_unit * u.quantity).is_finite() {
                return Err(EstimateError::NotFinite {
                    component: u.component.clone(),
                    usage_type: u.key.usage_type.clone(),
                    value: usd_per_unit * u.quantity,
                });
            }
            let tiered = p.flat_rate(free_tier).is_none();
            Ok(Line {
                component: u.component,
                service_code: u.key.service_code,
                usage_type: u.key.usage_type,
                operation: u.key.operation,
                description: u.description,
                quantity: u.quantity,
                unit: u.unit,
                usd_per_unit,
                usd_per_month: u.quantity * usd_per_unit,
                price_source: PriceSource {
                    sku: p.sku.clone(),
                    effective_date: p.effective_date.clone(),
                    basis: p.basis,
                    book: book_label.clone(),
                    tiered,
                },
                calibrates: u.calibrates,
                covered_by: None,
            })
        })
        .collect::<Result<Vec<Line>, EstimateError>>()?;
    Ok((cover(lines, &applied, topology, book), applied))
}

/// Splits each covered line into the part each commitment covers, at the plan's rate, and the
/// rest on demand; adds each commitment's unused part as a line of its own.
fn cover(lines: Vec<Line>, applied: &Applied, topology: &Topology, book: &PriceBook) -> Vec<Line> {
    if topology.commitments.is_empty() {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len() + topology.commitments.len());
    for (line, covered) in lines.into_iter().zip(&applied.covered) {
        if covered.iter().all(|q| *q <= 0.0) {
            out.push(line);
            continue;
        }
        let mut rest = line.quantity;
        for (c, quantity) in topology.commitments.iter().zip(covered) {
            if *quantity <= 0.0 {
                continue;
            }
            let key = commitments::rate_key(
                c,
                &PriceKey {
                    service_code: line.service_code,
                    usage_type: line.usage_type.clone(),
                    operation: line.operation.clone(),
                },
            );
            // A commitment covers a line only at a rate the book has (`commitments::apply`).
            let p = book
                .get(&key)
                .expect("a covered line has its commitment's rate");
            let rate = commitments::flat(p);
            rest -= quantity;
            out.push(Line {
                description: format!("{}, covered by {} ({c})", line.description, c.id),
                quantity: *quantity,
                usd_per_unit: rate,
                usd_per_month: quantity * rate,
                price_source: PriceSource {
                    sku: p.sku.clone(),
                    effective_date: p.effective_date.clone(),
                    basis: p.basis,
                    book: line.price_source.book.clone(),
                    tiered: false,
                },
                covered_by: Some(c.id.clone()),
                ..line.clone()
            });
        }
        // What the commitments left, on demand (unless they covered it all).
        if rest > 1e-9 {
            out.push(Line {
                quantity: rest,
                usd_per_month: rest * line.usd_per_unit,
                description: format!("{}, on demand beyond the commitments", line.description),
                ..line
            });
        }
    }
    for (c, u) in topology.commitments.iter().zip(&applied.uses) {
        let hours = u.hours as f64;
        // As the bill names the fee: the plan, or a reservation's `HeavyUsage:<class>`.
        let (service_code, usage_type) = match &c.kind {
            CommitmentKind::ComputeSavingsPlan => (ServiceCode::ComputeSavingsPlans, c.plan()),
            CommitmentKind::Reservation {
                service,
                instance_class,
                ..
            } => (
                service.service_code(),
                format!("HeavyUsage:{instance_class}"),
            ),
        };
        out.push(Line {
            component: c.id.clone(),
            service_code,
            usage_type,
            operation: None,
            description: format!(
                "{c}: {} USD an hour committed, {} of {} USD spent ({:.1}% used); the rest unused",
                crate::vocabulary::text::usd(u.usd_per_hour),
                crate::vocabulary::text::usd(u.used_usd),
                crate::vocabulary::text::usd(u.committed_usd()),
                u.utilization_percent()
            ),
            quantity: hours,
            unit: Unit::Hours,
            usd_per_unit: u.unused_usd() / hours,
            usd_per_month: u.unused_usd(),
            price_source: PriceSource {
                sku: None,
                effective_date: book.snapshot_date().to_string(),
                basis: PriceBasis::Commitment,
                book: book.label(),
                tiered: false,
            },
            calibrates: Calibrates::None,
            covered_by: None,
        });
    }
    out
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GroupBy::Component => "component",
            GroupBy::Service => "service",
            GroupBy::UsageType => "usage type",
        })
    }
}
