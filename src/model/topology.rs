//! The architecture as archcost sees it once a model file is validated: region, AZs, workload,
//! components and traffic flows, with the route each flow takes. Pure data; `model_file` builds
//! it from YAML, through [`Topology::new`], which checks the rules that span components and
//! routes every flow once.

use std::collections::BTreeMap;
use std::fmt;

use super::commitment::Commitment;
use super::routing;
use super::workload::Workload;
pub use crate::services::{ComponentKind, ComponentSpec};
use crate::vocabulary::fields::FieldError;
use crate::vocabulary::network::{AwsService, Destination, RoutePath};
use crate::vocabulary::units::Region;

/// Where something was declared in a model file, for error messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct SourceLocation {
    /// The model file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Where each field of a model file is, by field path (`components[2].vcpu`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    file: String,
    entries: BTreeMap<String, SourceEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SourceEntry {
    line: usize,
    column: usize,
    scalar: Option<String>,
}

impl SourceMap {
    /// An empty map for `file`.
    pub fn new(file: &str) -> Self {
        SourceMap {
            file: file.to_string(),
            entries: BTreeMap::new(),
        }
    }

    /// Records where a field is, and its text when it is a scalar.
    pub fn insert(&mut self, path: String, line: usize, column: usize, scalar: Option<String>) {
        self.entries.insert(
            path,
            SourceEntry {
                line,
                column,
                scalar,
            },
        );
    }

    /// The file.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where a field is; for a field that is absent, where its nearest enclosing field is.
    pub fn locate(&self, path: &str) -> Option<SourceLocation> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.get(p) {
                return Some(SourceLocation {
                    file: self.file.clone(),
                    line: e.line,
                    column: e.column,
                });
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => {
                    return self.entries.get("").map(|e| SourceLocation {
                        file: self.file.clone(),
                        line: e.line,
                        column: e.column,
                    });
                }
            }
        }
    }

    /// The field paths whose value starts on a line.
    pub fn paths_on_line(&self, line: usize) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(_, e)| e.line == line)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// The text of a scalar field, as written.
    pub fn scalar(&self, path: &str) -> Option<&str> {
        self.entries.get(path).and_then(|e| e.scalar.as_deref())
    }
}

/// A validated architecture. Built only through [`Topology::new`], so its flows are always
/// routed against its own components.
#[derive(Debug, Clone)]
pub struct Topology {
    /// Model name.
    pub name: String,
    /// The region everything runs in.
    pub region: Region,
    /// Number of availability zones used.
    pub availability_zones: u32,
    /// Platform load.
    pub workload: Workload,
    /// Whether AWS Free Tier allowances (always-free, once per account or organization) apply.
    pub free_tier: bool,
    /// The saving over provisioned infrastructure the design's documentation claims, percent.
    pub claimed_savings_percent: Option<f64>,
    /// Savings Plans the design is bought with.
    pub commitments: Vec<Commitment>,
    /// Where each field was written (empty for topologies built in code).
    pub source: SourceMap,
    components: Vec<Component>,
    flows: Vec<Flow>,
    routes: Vec<RoutePath>,
}

/// What a topology is made of, before its cross-component rules are checked.
#[derive(Debug, Clone)]
pub struct TopologyParts {
    /// Model name.
    pub name: String,
    /// The region everything runs in.
    pub region: Region,
    /// Number of availability zones used.
    pub availability_zones: u32,
    /// Platform load.
    pub workload: Workload,
    /// Whether AWS Free Tier allowances apply.
    pub free_tier: bool,
    /// The claimed saving over provisioned infrastructure, percent.
    pub claimed_savings_percent: Option<f64>,
    /// Savings Plans the design is bought with.
    pub commitments: Vec<Commitment>,
    /// Components, in file order.
    pub components: Vec<Component>,
    /// Traffic flows, in file order.
    pub flows: Vec<Flow>,
    /// Where each field was written.
    pub source: SourceMap,
}

/// One priced component.
#[derive(Debug, Clone)]
pub struct Component {
    /// Unique id within the model.
    pub id: String,
    /// Cost-allocation tags.
    pub tags: BTreeMap<String, String>,
    /// Resource tags that pick this component's lines out of a bill shared with other
    /// components of the same usage type (e.g. `aws:ecs:serviceName: api`).
    pub match_tags: BTreeMap<String, String>,
    /// What it is and how it is configured.
    pub spec: ComponentSpec,
    /// Where it was declared.
    pub origin: Option<SourceLocation>,
}

/// Traffic from a component to a destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Id of the sending component.
    pub from: String,
    /// Where the bytes go.
    pub to: Destination,
    /// How much is sent.
    pub volume: FlowVolume,
    /// How much comes back (responses, downloads), when the model says; NAT gateways and
    /// interface endpoints process both directions, internet egress is only what is sent.
    pub inbound: Option<FlowVolume>,
}

/// How much data a flow carries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlowVolume {
    /// A fixed amount per month (spread evenly over the hours).
    GbPerMonth(f64),
    /// An amount per platform transaction (follows load).
    BytesPerRequest(f64),
}

impl Topology {
    /// Checks the rules that span several components (unique ids, flows naming components that
    /// exist and may send traffic, every flow having a route) and routes every flow.
    pub fn new(parts: TopologyParts) -> Result<Self, FieldError> {
        let TopologyParts {
            name,
            region,
            availability_zones,
            workload,
            free_tier,
            claimed_savings_percent,
            commitments,
            components,
            flows,
            source,
        } = parts;
        check_ids(&components)?;
        check_flows(&components, &flows)?;
        let routes = routing::route_all(&components, &flows)?;
        Ok(Topology {
            name,
            region,
            availability_zones,
            workload,
            free_tier,
            claimed_savings_percent,
            commitments,
            source,
            components,
            flows,
            routes,
        })
    }

    /// The parts of this topology, to change and build again.
    pub fn into_parts(self) -> TopologyParts {
        TopologyParts {
            name: self.name,
            region: self.region,
            availability_zones: self.availability_zones,
            workload: self.workload,
            free_tier: self.free_tier,
            claimed_savings_percent: self.claimed_savings_percent,
            commitments: self.commitments,
            components: self.components,
            flows: self.flows,
            source: self.source,
        }
    }

    /// Components, in file order; ids are unique.
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// Traffic flows, in file order; every `from` and component `to` names a component.
    pub fn flows(&self) -> &[Flow] {
        &self.flows
    }

    /// The route each flow takes, in flow order (worked out once, when the topology was built).
    pub fn routes(&self) -> &[RoutePath] {
        &self.routes
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }
}

fn component_ids(components: &[Component]) -> String {
    components
        .iter()
        .map(|c| c.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_ids(components: &[Component]) -> Result<(), FieldError> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in components.iter().enumerate() {
        if !c
            .id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.:".contains(ch))
        {
            return Err(FieldError::new(
                format!("components[{i}].id"),
                format!(
                    "`{}` is not an id; expected letters, digits, '-', '_', '.' or ':'",
                    c.id.escape_default()
                ),
            ));
        }
        if let Some(first) = seen.insert(&c.id, i) {
            return Err(FieldError::new(
                format!("components[{i}].id"),
                format!(
                    "duplicate component id `{}` (first used by components[{first}]); expected ids to be unique",
                    c.id
                ),
            ));
        }
    }
    Ok(())
}

fn check_flows(components: &[Component], flows: &[Flow]) -> Result<(), FieldError> {
    let find = |id: &str| components.iter().find(|c| c.id == id);
    for (i, flow) in flows.iter().enumerate() {
        match find(&flow.from) {
            None => {
                return Err(FieldError::new(
                    format!("flows[{i}].from"),
                    format!(
                        "unknown component `{}`; expected one of the component ids: {}",
                        flow.from,
                        component_ids(components)
                    ),
                ));
            }
            Some(c) if !c.spec.kind().originates_traffic() => {
                return Err(FieldError::new(
                    format!("flows[{i}].from"),
                    format!(
                        "`{}` is a {} and does not originate traffic; expected the component that sends the bytes",
                        flow.from,
                        c.spec.kind().keyword()
                    ),
                ));
            }
            Some(_) => {}
        }
        if let Destination::Component(to) = &flow.to
            && find(to).is_none()
        {
            return Err(FieldError::new(
                format!("flows[{i}].to"),
                format!(
                    "unknown destination `{to}`; expected internet, cross_az, an AWS service ({}) or one of the component ids: {}",
                    AwsService::keywords(),
                    component_ids(components)
                ),
            ));
        }
    }
    Ok(())
}
