//! Rightsizing from the model: each component's service proposes changes that may cost less
//! (Graviton for Fargate and EC2, Fargate Spot, DynamoDB capacity mode, Aurora storage), the
//! routes propose an
//! endpoint for each AWS service whose traffic crosses the NAT gateway, and each change is
//! priced by estimating the model with that one change, never by a rule of thumb. Changes that
//! save are ranked, largest saving first, each with the variant that makes it.

use std::collections::BTreeSet;

use crate::analysis::compute_optimizer::{Configuration, Finding, PricedRecommendation};
use crate::analysis::reconcile::ActualRow;
use crate::engine::estimate::{Estimate, EstimateError, estimate, rebuilt};
use crate::engine::price_book::PriceBook;
use crate::model::topology::{Component, Topology, TopologyParts};
use crate::services::fargate::{FargateService, TaskSize};
use crate::services::vpc_endpoint::{EndpointType, VpcEndpoint};
use crate::services::{Change, ComponentSpec, NetworkRole};
use crate::vocabulary::calendar::BillingPeriod;
use crate::vocabulary::network::{AwsService, Destination, RoutePath};
use crate::vocabulary::text::{qty, unit_price};
use crate::vocabulary::units::Unit;

/// Where a recommendation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The model alone.
    Model,
    /// Compute Optimizer's recommendation for a resource the model describes, made on the
    /// model.
    Both,
}

impl Source {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Both => "both",
        }
    }
}

/// One change that saves, priced by estimating the changed model.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The component changed.
    pub component: String,
    /// The change.
    pub change: Change,
    /// Where it comes from.
    pub source: Source,
    /// The component's monthly cost now, USD.
    pub current_usd_per_month: f64,
    /// The model's monthly total now, USD.
    pub total_usd_per_month: f64,
    /// The model's monthly total with the change, USD; `None` when the price book lacks a
    /// price the change needs (an instance class it does not hold): unpriced, never $0.
    pub changed_total_usd_per_month: Option<f64>,
    /// The change as the model file writes it.
    pub edit: Edit,
    /// What it risks or needs.
    pub risk: &'static str,
    /// The figures behind it: an endpoint's GB and break-even, or what is missing when the
    /// change is unpriced.
    pub evidence: Option<String>,
    /// Compute Optimizer's own monthly saving, USD, when it recommends the change.
    pub compute_optimizer_usd_per_month: Option<f64>,
}

impl Recommendation {
    /// Monthly saving, USD; `None` when unpriced.
    pub fn saving_usd_per_month(&self) -> Option<f64> {
        self.changed_total_usd_per_month
            .map(|changed| self.total_usd_per_month - changed)
    }

    /// The change as a variant's body on one line of YAML (`{patch: {api: {architecture:
    /// arm64}}}`, `{add: [{id: s3-endpoint, kind: vpc_endpoint, …}]}`).
    pub fn variant_body(&self) -> String {
        let pairs = |fields: &[(&'static str, String)]| {
            fields
                .iter()
                .map(|(f, v)| format!("{f}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.edit {
            Edit::Patch(fields) => {
                format!("{{patch: {{{}: {{{}}}}}}}", self.component, pairs(fields))
            }
            Edit::Add(fields) => {
                format!("{{add: [{{id: {}, {}}}]}}", self.component, pairs(fields))
            }
        }
    }
}

/// A change as the model file writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A merge patch of the component's fields (field, YAML value; `null` removes it).
    Patch(Vec<(&'static str, String)>),
    /// A new component with these fields (after its id).
    Add(Vec<(&'static str, String)>),
}

/// A model's rightsizing: its monthly total and the changes that save.
#[derive(Debug, Clone, PartialEq)]
pub struct Rightsizing {
    /// The model's estimate, each change is weighed against.
    pub base: Estimate,
    /// GB a month the model's NAT gateways process.
    pub nat_gb_per_month: f64,
    /// The changes that save at least the minimum asked for (and the unpriced ones), largest
    /// saving first.
    pub recommendations: Vec<Recommendation>,
}

/// The model's changes that save at least `min_saving_usd` a month, largest saving first.
pub fn recommendations(
    t: &Topology,
    prices: &PriceBook,
    period: &BillingPeriod,
    min_saving_usd: f64,
) -> Result<Rightsizing, EstimateError> {
    let base = estimate(t, prices, period)?;
    let total = base.total_usd();
    let tps_by_hour = t.workload.tps_by_hour(period);
    let mut out = Vec::new();
    for (i, component) in t.components().iter().enumerate() {
        for alternative in component.spec.alternatives(&tps_by_hour) {
            let mut parts: TopologyParts = t.clone().into_parts();
            parts.components[i].spec = alternative.replacement;
            let changed = rebuilt(parts)?;
            // A change the price book cannot price is listed as unpriced, with what is missing.
            let (changed_total, evidence) = match estimate(&changed, prices, period) {
                Ok(e) => (Some(e.total_usd()), alternative.evidence),
                Err(e @ EstimateError::MissingPrices { .. }) => {
                    (None, Some(format!("unpriced: {e}")))
                }
                Err(e) => return Err(e),
            };
            out.push(Recommendation {
                component: component.id.clone(),
                change: alternative.change,
                source: Source::Model,
                current_usd_per_month: base.component_usd(&component.id),
                total_usd_per_month: total,
                changed_total_usd_per_month: changed_total,
                edit: Edit::Patch(alternative.patch),
                risk: alternative.risk,
                evidence,
                compute_optimizer_usd_per_month: None,
            });
        }
    }
    let nat = nat_gb(t, &base);
    for (id, endpoint) in missing_endpoints(t) {
        let mut parts: TopologyParts = t.clone().into_parts();
        parts.components.push(Component {
            id: id.clone(),
            tags: Default::default(),
            match_tags: Default::default(),
            spec: ComponentSpec::VpcEndpoint(endpoint),
            origin: None,
        });
        let changed = rebuilt(parts)?;
        let after = estimate(&changed, prices, period)?;
        let changed_total = after.total_usd();
        let evidence = endpoint_evidence(t, nat, &after, &id, endpoint);
        let (change, kind, risk) = match endpoint.endpoint_type {
            EndpointType::Gateway => (
                Change::GatewayEndpoint,
                "gateway",
                "a route-table entry: bucket or table policies that check source IPs must allow the endpoint",
            ),
            EndpointType::Interface => (
                Change::InterfaceEndpoint,
                "interface",
                "charged per AZ-hour whatever the traffic; needs private DNS in the VPC",
            ),
        };
        out.push(Recommendation {
            component: id,
            change,
            source: Source::Model,
            current_usd_per_month: 0.0,
            total_usd_per_month: total,
            changed_total_usd_per_month: Some(changed_total),
            edit: Edit::Add(vec![
                ("kind", "vpc_endpoint".into()),
                ("endpoint_type", kind.into()),
                ("service", endpoint.service.keyword().into()),
            ]),
            risk,
            evidence: Some(evidence),
            compute_optimizer_usd_per_month: None,
        });
    }
    ranked(&mut out, min_saving_usd);
    Ok(Rightsizing {
        nat_gb_per_month: nat.0,
        base,
        recommendations: out,
    })
}

/// Keeps the changes that save enough, and the unpriced ones (whose saving cannot be known);
/// largest saving first, unpriced changes last.
/// Whether a change with this saving is listed: it saves something and at least the minimum,
/// or it could not be priced (listed unpriced).
pub fn listed(saving_usd_per_month: Option<f64>, min_saving_usd: f64) -> bool {
    saving_usd_per_month.is_none_or(|s| s > 0.0 && s >= min_saving_usd)
}

fn ranked(out: &mut Vec<Recommendation>, min_saving_usd: f64) {
    out.retain(|r| listed(r.saving_usd_per_month(), min_saving_usd));
    out.sort_by(|a, b| {
        let key = |r: &Recommendation| r.saving_usd_per_month().unwrap_or(f64::NEG_INFINITY);
        key(b)
            .total_cmp(&key(a))
            .then_with(|| a.component.cmp(&b.component))
    });
}

/// The component of the model that is this ECS service: a Fargate service whose
/// `match_tags` name it (`aws:ecs:serviceName`), else one whose id is its name.
fn ecs_component<'a>(t: &'a Topology, service: &str) -> Option<(usize, &'a FargateService)> {
    let fargate = |c: &'a Component| match &c.spec {
        ComponentSpec::FargateService(f) => Some(f),
        _ => None,
    };
    let components = t.components();
    let by = |test: &dyn Fn(&Component) -> bool| {
        components
            .iter()
            .enumerate()
            .find(|(_, c)| test(c))
            .and_then(|(i, c)| Some((i, fargate(c)?)))
    };
    by(&|c| c.match_tags.get("aws:ecs:serviceName").map(String::as_str) == Some(service))
        .or_else(|| by(&|c| c.id == service))
}

/// Compute Optimizer's task sizes for the ECS services the model describes, made on the model:
/// each priced by estimating the model with that component resized (its own task count, hour by
/// hour), added to `rightsizing` with source `both`; the Compute Optimizer recommendations so
/// made are marked with their component.
pub fn adopt_compute_optimizer(
    t: &Topology,
    prices: &PriceBook,
    period: &BillingPeriod,
    rightsizing: &mut Rightsizing,
    optimizer: &mut [PricedRecommendation],
    min_saving_usd: f64,
) -> Result<(), EstimateError> {
    let Rightsizing {
        base,
        recommendations,
        ..
    } = rightsizing;
    for p in optimizer.iter_mut() {
        let r = &p.recommendation;
        let (
            Some(Configuration::FargateTask {
                cpu_units,
                memory_mib,
            }),
            Finding::Overprovisioned | Finding::Underprovisioned | Finding::NotOptimized,
        ) = (&r.recommended, &r.finding)
        else {
            continue;
        };
        let Some((i, service)) = ecs_component(t, r.name()) else {
            continue;
        };
        let Ok(task) = TaskSize::new(
            f64::from(*cpu_units) / 1024.0,
            f64::from(*memory_mib) / 1024.0,
        ) else {
            continue;
        };
        let Some((resized, patch)) = service.resized(task) else {
            continue;
        };
        let mut parts = t.clone().into_parts();
        let id = parts.components[i].id.clone();
        parts.components[i].spec = ComponentSpec::FargateService(resized);
        let metrics: Vec<String> = r.utilization.iter().map(ToString::to_string).collect();
        let found = format!(
            "Compute Optimizer finds {} {} ({}) → {}{}",
            r.short_name(),
            r.finding.name(),
            r.current,
            task_label(task),
            if metrics.is_empty() {
                String::new()
            } else {
                format!(", utilisation {}", metrics.join(", "))
            }
        );
        let edit = Edit::Patch(patch.clone());
        // The model's own change, when it is the same one (fitting the sidecars into the size
        // Compute Optimizer recommends): one item from both sources.
        if let Some(same) = recommendations
            .iter_mut()
            .find(|m| m.component == id && m.edit == edit)
        {
            same.source = Source::Both;
            same.compute_optimizer_usd_per_month = p.stated_usd_per_month();
            same.evidence = Some(match &same.evidence {
                Some(e) => format!("{e}; {found}"),
                None => found,
            });
            p.realised_on = Some(id);
            continue;
        }
        let changed = estimate(&rebuilt(parts)?, prices, period)?;
        recommendations.push(Recommendation {
            component: id.clone(),
            change: Change::TaskSize,
            source: Source::Both,
            current_usd_per_month: base.component_usd(&id),
            total_usd_per_month: base.total_usd(),
            changed_total_usd_per_month: Some(changed.total_usd()),
            edit: Edit::Patch(patch),
            risk: "less headroom per task: watch the utilisation at peak; with target tracking on CPU, smaller tasks may scale out sooner",
            evidence: Some(format!(
                "{found}; archcost prices the model's own task count hour by hour"
            )),
            compute_optimizer_usd_per_month: p.stated_usd_per_month(),
        });
        p.realised_on = Some(id);
    }
    ranked(recommendations, min_saving_usd);
    Ok(())
}

fn task_label(t: TaskSize) -> String {
    format!("{} vCPU / {} GB", qty(t.vcpu()), qty(t.memory_gb()))
}

/// GB the NAT gateways of `t` process in an estimate, and their rate per GB.
fn nat_gb(t: &Topology, e: &Estimate) -> (f64, f64) {
    let is_nat = |id: &str| {
        t.component(id)
            .is_some_and(|c| c.spec.network_role() == Some(NetworkRole::NatGateway))
    };
    e.lines
        .iter()
        .filter(|l| l.unit == Unit::Gb && is_nat(&l.component))
        .fold((0.0, 0.0), |(q, r), l| {
            (q + l.quantity, r.max(l.usd_per_unit))
        })
}

/// The bill's NAT gateway bytes (`NatGateway-Bytes`, GB) for a month beside the model's, on
/// each endpoint recommendation: the bill does not say which service the bytes were for, so
/// it is evidence to weigh, not a new figure.
pub fn note_bill_nat_bytes(r: &mut Rightsizing, rows: &[ActualRow], month: &str) {
    let bill_gb: f64 = rows
        .iter()
        .filter(|row| row.usage_type.ends_with("NatGateway-Bytes"))
        .map(|row| row.quantity)
        .sum();
    let note = format!(
        "the bill's NatGateway-Bytes for {month}: {} GB (the model: {} GB)",
        qty(bill_gb),
        qty(r.nat_gb_per_month)
    );
    for rec in r.recommendations.iter_mut().filter(|x| {
        matches!(
            x.change,
            Change::GatewayEndpoint | Change::InterfaceEndpoint
        )
    }) {
        rec.evidence = Some(match &rec.evidence {
            Some(e) => format!("{e}; {note}"),
            None => note.clone(),
        });
    }
}

/// The GB a month an endpoint takes off the NAT gateway (the model's NAT GB and rate before it,
/// `nat_gb` of the base) and, for an interface endpoint, the GB
/// above which it pays: its hours × hourly rate ÷ (the NAT's rate per GB − its own). Lines are
/// told apart by component and unit (hours, GB), not by usage type.
fn endpoint_evidence(
    t: &Topology,
    (before_gb, nat_rate): (f64, f64),
    after: &Estimate,
    endpoint_id: &str,
    endpoint: VpcEndpoint,
) -> String {
    let (after_gb, _) = nat_gb(t, after);
    let moved = before_gb - after_gb;
    let service = endpoint.service.keyword();
    match endpoint.endpoint_type {
        EndpointType::Gateway => format!(
            "{} GB a month of {service} through the NAT gateway at {} per GB; a gateway endpoint is free",
            qty(moved),
            unit_price(nat_rate)
        ),
        EndpointType::Interface => {
            let line = |unit: Unit| {
                after
                    .lines
                    .iter()
                    .find(|l| l.component == endpoint_id && l.unit == unit)
            };
            let (hours, hourly) =
                line(Unit::Hours).map_or((0.0, 0.0), |l| (l.quantity, l.usd_per_unit));
            let per_gb = line(Unit::Gb).map_or(0.0, |l| l.usd_per_unit);
            let break_even = hours * hourly / (nat_rate - per_gb);
            format!(
                "{} GB a month of {service} through the NAT gateway; an interface endpoint pays above {} GB = {} endpoint-hours × {} ÷ ({} − {} per GB)",
                qty(moved),
                qty(break_even),
                qty(hours),
                unit_price(hourly),
                unit_price(nat_rate),
                unit_price(per_gb)
            )
        }
    }
}

/// An endpoint for each AWS service some flow reaches through the NAT gateway (ECR image layers
/// are S3 traffic): a gateway endpoint for S3 and DynamoDB, else an interface endpoint, with a
/// component id not yet taken (`s3-endpoint`, `ecr-api-endpoint`).
fn missing_endpoints(t: &Topology) -> Vec<(String, VpcEndpoint)> {
    let mut services = BTreeSet::new();
    for (flow, route) in t.flows().iter().zip(t.routes()) {
        if let RoutePath::NatGateway { egress: false, .. } = route {
            match &flow.to {
                Destination::Service(s) => services.insert(*s),
                Destination::EcrImageLayers => services.insert(AwsService::S3),
                _ => false,
            };
        }
    }
    services
        .into_iter()
        .map(|service| {
            let stem = format!("{}-endpoint", service.keyword().replace('.', "-"));
            let mut id = stem.clone();
            let mut n = 2;
            while t.component(&id).is_some() {
                id = format!("{stem}-{n}");
                n += 1;
            }
            let endpoint_type = if service.has_gateway_endpoint() {
                EndpointType::Gateway
            } else {
                EndpointType::Interface
            };
            let endpoint = VpcEndpoint {
                endpoint_type,
                service,
                availability_zones: None,
            };
            (id, endpoint)
        })
        .collect()
}
