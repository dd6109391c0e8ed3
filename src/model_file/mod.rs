//! Reads a topology file (YAML, `schema_version: 1`) into a validated [`Topology`].
//!
//! Every error names the file, the line and column, the field path and what was expected.
//! Unknown fields are rejected. Components are flat mappings: `id`, `kind`, `tags`, and the
//! settings of their kind.

use std::collections::BTreeMap;

use std::path::Path;

use marked_yaml::{LoaderOptions, Marker, Node, from_node, parse_yaml_with_options};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::model::commitment::{Commitment, CommitmentKind, Payment, ReservedService, Term};
use crate::model::source::ModelError;
use crate::model::topology::{
    Component, ComponentKind, Flow, FlowVolume, SourceLocation, SourceMap, Topology, TopologyParts,
};
use crate::model::workload::{ProfileGenerator, WeeklyProfile, Workload};
use crate::services::SettingsDecoder;
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::network::{AwsService, Destination};
use crate::vocabulary::units::keys;

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Why a topology could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TopologyError {
    /// The file could not be read.
    #[error("cannot read model file {file}")]
    Read {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file's content is invalid.
    #[error(transparent)]
    Invalid(#[from] ModelError),
}

/// Reads and validates a topology file (its base design, without variants).
pub fn load(path: &Path) -> Result<Topology, TopologyError> {
    Ok(ModelDocument::load(path)?.topology(None, &[])?)
}

/// Parses and validates topology YAML (its base design); `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Topology, ModelError> {
    ModelDocument::parse(text, file)?.topology(None, &[])
}

struct Loader<'a> {
    file: &'a str,
    source: SourceMap,
}

impl<'a> Loader<'a> {
    fn new(file: &'a str) -> Self {
        Loader {
            file,
            source: SourceMap::new(file),
        }
    }
}

mod document;
#[cfg(feature = "schema")]
pub mod schema;

pub use document::{ModelDocument, Sampler};

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawTopology {
    schema_version: u32,
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    region: String,
    availability_zones: u32,
    #[serde(default)]
    free_tier: bool,
    #[serde(default)]
    claimed_savings_percent: Option<NonNegative>,
    workload: RawWorkload,
    #[serde(default)]
    flows: Vec<RawFlow>,
    /// Savings Plans the design is bought with, applied hour by hour.
    #[serde(default)]
    commitments: Vec<RawCommitment>,
    /// Taken out and read by hand before decoding; declared so error messages list it.
    #[serde(default)]
    #[allow(dead_code)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    components: Option<serde::de::IgnoredAny>,
    /// Applied by `ModelDocument` before decoding; declared so error messages list it.
    #[serde(default)]
    #[allow(dead_code)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    variants: Option<serde::de::IgnoredAny>,
}

/// A Savings Plan as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawCommitment {
    /// Its id (`compute-sp`); names its lines.
    id: String,
    /// `compute_savings_plan` or `reservation`.
    #[serde(rename = "type")]
    kind: RawCommitmentKind,
    /// A Savings Plan's hourly commitment, USD.
    usd_per_hour: Option<NonNegative>,
    /// What a reservation reserves: `aurora_postgresql`.
    service: Option<RawReservedService>,
    /// A reservation's instance class (`db.r6g.large`).
    instance_class: Option<String>,
    /// How many instances a reservation covers.
    count: Option<u32>,
    /// 1 or 3.
    term_years: u32,
    /// `no_upfront`, `partial_upfront` or `all_upfront`.
    payment: RawPayment,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum RawCommitmentKind {
    ComputeSavingsPlan,
    Reservation,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum RawReservedService {
    AuroraPostgresql,
    Ec2,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
enum RawPayment {
    #[serde(rename = "no_upfront")]
    Nothing,
    #[serde(rename = "partial_upfront")]
    Half,
    #[serde(rename = "all_upfront")]
    All,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawWorkload {
    peak_tps: NonNegative,
    profile: RawProfile,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawProfile {
    weekly: Option<Vec<NonNegative>>,
    generator: Option<RawGenerator>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawGenerator {
    trough_ratio: NonNegative,
    busy_start_hour: u32,
    busy_end_hour: u32,
    weekend_factor: NonNegative,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawFlow {
    from: String,
    to: String,
    gb_per_month: Option<NonNegative>,
    bytes_per_request: Option<NonNegative>,
    inbound_gb_per_month: Option<NonNegative>,
    inbound_bytes_per_request: Option<NonNegative>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

impl Loader<'_> {
    /// Parses YAML text into a positioned node tree and checks the schema version.
    fn parse_root(&mut self, text: &str) -> Result<Node, ModelError> {
        let options = LoaderOptions::default().error_on_duplicate_keys(true);
        let root =
            parse_yaml_with_options(0, text, options).map_err(|e| self.load_error(e, text))?;
        record(&mut self.source, String::new(), &root);
        let top = root
            .as_mapping()
            .expect("the loader requires a top-level mapping");
        match top.get_scalar("schema_version").map(|s| s.as_str()) {
            Some("1") => {}
            Some(v) => {
                return Err(self.at_path(
                    "schema_version",
                    format!("schema_version {v} is not supported; expected {SCHEMA_VERSION}"),
                ));
            }
            None => {
                return Err(self.at_path("schema_version", format!("missing; expected `schema_version: {SCHEMA_VERSION}` at the top of the file")));
            }
        }
        Ok(root)
    }

    /// Decodes and validates a (possibly patched) node tree into a topology.
    fn decode_root(&mut self, root: &Node) -> Result<Topology, ModelError> {
        self.source = SourceMap::new(self.file);
        record(&mut self.source, String::new(), root);
        let Some(top) = root.as_mapping() else {
            return Err(self.at_path(
                "",
                "the model is not a mapping of fields; expected `schema_version: 1`, `name:`, … at the top level",
            ));
        };
        let mut rest = top.clone();
        rest.remove("variants");
        let components = rest.remove("components");
        let raw: RawTopology = self.decode(&Node::from(rest), "")?;
        let region = raw
            .region
            .parse()
            .map_err(|m: String| self.at_path("region", m))?;
        if raw.availability_zones == 0 || raw.availability_zones > 6 {
            return Err(self.at_path(
                "availability_zones",
                format!("{} AZs; expected 1 to 6", raw.availability_zones),
            ));
        }
        let _ = raw.schema_version;
        let workload = self.workload(raw.workload)?;
        let components = match components {
            Some(Node::Sequence(seq)) => seq
                .iter()
                .enumerate()
                .map(|(i, node)| self.component(i, node))
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(self.at_path("components", "expected a list of components")),
            None => {
                return Err(self.at_path("components", "missing; expected a list of components"));
            }
        };
        let flows = raw
            .flows
            .into_iter()
            .enumerate()
            .map(|(i, f)| self.flow(i, f))
            .collect::<Result<Vec<_>, _>>()?;
        let commitments = raw
            .commitments
            .into_iter()
            .enumerate()
            .map(|(i, c)| self.commitment(i, c))
            .collect::<Result<Vec<Commitment>, _>>()?;
        // A commitment's lines are named by its id: it may not be a component's, or another's.
        for (i, c) in commitments.iter().enumerate() {
            let taken = components.iter().any(|k: &Component| k.id == c.id)
                || commitments[..i].iter().any(|o| o.id == c.id);
            if taken {
                return Err(self.at_path(
                    &format!("commitments[{i}].id"),
                    format!(
                        "`{}` is already the id of a component or commitment; expected a new id",
                        c.id
                    ),
                ));
            }
        }
        Topology::new(TopologyParts {
            commitments,
            name: raw.name,
            region,
            availability_zones: raw.availability_zones,
            free_tier: raw.free_tier,
            claimed_savings_percent: raw.claimed_savings_percent.map(|p| p.0),
            workload,
            components,
            flows,
            source: self.source.clone(),
        })
        .map_err(|e| self.field_error(e))
    }

    /// Decodes the `workload` block.
    fn decode_workload(&self, node: &Node) -> Result<Workload, ModelError> {
        let raw: RawWorkload = self.decode(node, "workload")?;
        self.workload(raw)
    }

    /// Decodes the `flows` list.
    fn decode_flows(&self, node: &Node) -> Result<Vec<Flow>, ModelError> {
        let raw: Vec<RawFlow> = self.decode(node, "flows")?;
        raw.into_iter()
            .enumerate()
            .map(|(i, f)| self.flow(i, f))
            .collect()
    }

    fn workload(&self, w: RawWorkload) -> Result<Workload, ModelError> {
        let profile = match (w.profile.weekly, w.profile.generator) {
            (Some(weekly), None) => {
                WeeklyProfile::from_multipliers(weekly.into_iter().map(|m| m.0).collect())
                    .map_err(|m| self.at_path("workload.profile.weekly", m))?
            }
            (None, Some(g)) => WeeklyProfile::generate(ProfileGenerator {
                trough_ratio: g.trough_ratio.0,
                busy_start_hour: g.busy_start_hour,
                busy_end_hour: g.busy_end_hour,
                weekend_factor: g.weekend_factor.0,
            })
            .map_err(|(f, m)| self.at_path(&format!("workload.profile.generator.{f}"), m))?,
            _ => {
                return Err(self.at_path(
                    "workload.profile",
                    "expected exactly one of `weekly` (168 hourly multipliers) or `generator` (trough_ratio, busy_start_hour, busy_end_hour, weekend_factor)",
                ));
            }
        };
        Ok(Workload {
            peak_tps: w.peak_tps.0,
            profile,
        })
    }

    fn commitment(&self, i: usize, c: RawCommitment) -> Result<Commitment, ModelError> {
        let Some(term) = Term::from_years(c.term_years) else {
            return Err(self.at_path(
                &format!("commitments[{i}].term_years"),
                format!("{} years; Savings Plans run 1 or 3 years", c.term_years),
            ));
        };
        let field = |name: &str| format!("commitments[{i}].{name}");
        let (kind, usd_per_hour) = match c.kind {
            RawCommitmentKind::ComputeSavingsPlan => {
                if c.service.is_some() || c.instance_class.is_some() || c.count.is_some() {
                    return Err(self.at_path(
                        &field("type"),
                        "a Savings Plan takes usd_per_hour, not service, instance_class or count (those are a reservation's)",
                    ));
                }
                match c.usd_per_hour {
                    Some(u) if u.0 > 0.0 => (CommitmentKind::ComputeSavingsPlan, u.0),
                    Some(_) => {
                        return Err(self.at_path(
                            &field("usd_per_hour"),
                            "0; expected an hourly commitment above 0 USD",
                        ));
                    }
                    None => {
                        return Err(self.at_path(
                            &field("usd_per_hour"),
                            "missing; a Savings Plan needs its hourly commitment in USD",
                        ));
                    }
                }
            }
            RawCommitmentKind::Reservation => {
                if c.usd_per_hour.is_some() {
                    return Err(self.at_path(
                        &field("usd_per_hour"),
                        "a reservation's hourly cost is its rate in the price book; expected service, instance_class and count instead",
                    ));
                }
                let (Some(service), Some(instance_class), Some(count)) =
                    (c.service, c.instance_class, c.count)
                else {
                    return Err(self.at_path(
                        &field("type"),
                        "a reservation needs service, instance_class and count",
                    ));
                };
                if count == 0 {
                    return Err(self.at_path(&field("count"), "0; expected at least one instance"));
                }
                (
                    CommitmentKind::Reservation {
                        service: match service {
                            RawReservedService::AuroraPostgresql => {
                                ReservedService::AuroraPostgresql
                            }
                            RawReservedService::Ec2 => ReservedService::Ec2,
                        },
                        instance_class,
                        count,
                    },
                    0.0,
                )
            }
        };
        Ok(Commitment {
            id: c.id,
            kind,
            usd_per_hour,
            term,
            payment: match c.payment {
                RawPayment::Nothing => Payment::NoUpfront,
                RawPayment::Half => Payment::PartialUpfront,
                RawPayment::All => Payment::AllUpfront,
            },
        })
    }

    fn flow(&self, i: usize, f: RawFlow) -> Result<Flow, ModelError> {
        let volume = match (f.gb_per_month, f.bytes_per_request) {
            (Some(gb), None) => FlowVolume::GbPerMonth(gb.0),
            (None, Some(b)) => FlowVolume::BytesPerRequest(b.0),
            _ => {
                return Err(self.at_path(
                    &format!("flows[{i}]"),
                    "expected exactly one of `gb_per_month` or `bytes_per_request`",
                ));
            }
        };
        let inbound = match (f.inbound_gb_per_month, f.inbound_bytes_per_request) {
            (Some(gb), None) => Some(FlowVolume::GbPerMonth(gb.0)),
            (None, Some(b)) => Some(FlowVolume::BytesPerRequest(b.0)),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(self.at_path(
                    &format!("flows[{i}]"),
                    "expected at most one of `inbound_gb_per_month` or `inbound_bytes_per_request`",
                ));
            }
        };
        let to = match f.to.as_str() {
            "internet" => Destination::Internet,
            "cross_az" => Destination::CrossAz,
            "ecr" => Destination::EcrImageLayers,
            other => match AwsService::from_keyword(other) {
                Some(s) => Destination::Service(s),
                None => Destination::Component(other.to_string()),
            },
        };
        Ok(Flow {
            from: f.from,
            to,
            volume,
            inbound,
        })
    }

    fn component(&self, i: usize, node: &Node) -> Result<Component, ModelError> {
        let path = format!("components[{i}]");
        let map = node.as_mapping().ok_or_else(|| {
            self.at_path(
                &path,
                "expected a mapping with id, kind, tags and the kind's settings",
            )
        })?;
        let scalar = |key: &str| -> Result<String, ModelError> {
            match map.get_node(key) {
                Some(Node::Scalar(s)) if !s.as_str().is_empty() => Ok(s.as_str().to_string()),
                Some(_) => {
                    Err(self.at_path(&format!("{path}.{key}"), "expected a non-empty string"))
                }
                None => Err(self.at_path(&path, format!("missing field `{key}`"))),
            }
        };
        let id = scalar("id")?;
        let kind_word = scalar("kind")?;
        let kind = ComponentKind::from_keyword(&kind_word).ok_or_else(|| {
            self.at_path(
                &format!("{path}.kind"),
                format!(
                    "unknown component kind `{kind_word}`; expected one of {}",
                    keys(ComponentKind::ALL, |k| k.keyword())
                ),
            )
        })?;
        let tags: BTreeMap<String, String> = match map.get_node("tags") {
            Some(t) => self.decode(t, &format!("{path}.tags"))?,
            None => BTreeMap::new(),
        };
        let match_tags: BTreeMap<String, String> = match map.get_node("match_tags") {
            Some(t) => self.decode(t, &format!("{path}.match_tags"))?,
            None => BTreeMap::new(),
        };
        let mut settings = map.clone();
        for k in ["id", "kind", "tags", "match_tags"] {
            settings.remove(k);
        }
        let spec = kind.decode(&Settings {
            loader: self,
            node: &Node::from(settings),
            path: &path,
        })?;
        let origin = node.span().start().map(|m| SourceLocation {
            file: self.file.to_string(),
            line: m.line(),
            column: m.column(),
        });
        Ok(Component {
            id,
            tags,
            match_tags,
            spec,
            origin,
        })
    }

    /// A validation error placed in the file.
    fn field_error(&self, e: FieldError) -> ModelError {
        self.at_path(&e.path, e.message)
    }

    /// Deserializes a node; `prefix` is the node's path, prepended to error paths.
    fn decode<T: DeserializeOwned>(&self, node: &Node, prefix: &str) -> Result<T, ModelError> {
        from_node(node).map_err(|e| {
            let full = match (prefix.is_empty(), e.path()) {
                (true, p) => p.map(str::to_string),
                (false, Some(p)) => Some(format!("{prefix}.{p}")),
                (false, None) => Some(prefix.to_string()),
            };
            let location = e.start_mark().map(|m| (m.line(), m.column())).or_else(|| {
                full.as_deref()
                    .and_then(|p| self.source.locate(p))
                    .map(|l| (l.line, l.column))
            });
            let text = full
                .as_deref()
                .and_then(|p| self.source.scalar(p))
                .unwrap_or("")
                .to_string();
            use marked_yaml::Error as E;
            let message = match e.into_inner() {
                E::NotBoolean(_) => format!("`{text}` is not a boolean; expected true or false"),
                E::IntegerParseFailure(..) => {
                    format!("`{text}` is not a whole number; expected a whole number of at least 0")
                }
                E::FloatParseFailure(..)
                    if [".nan", ".inf", "-.inf", "+.inf"]
                        .contains(&text.to_lowercase().as_str()) =>
                {
                    format!("`{text}` is not allowed; expected a finite number of at least 0")
                }
                E::FloatParseFailure(..) => format!("`{text}` is not a number; expected a number"),
                E::UnknownFieldError(field, expected, _) => format!(
                    "unknown field `{field}`; expected one of {}",
                    expected.join(", ")
                ),
                E::Other(m, _) => m,
            };
            // serde reports a missing field at its parent; name the field itself.
            let field = match message
                .strip_prefix("missing field `")
                .and_then(|m| m.split('`').next())
            {
                Some(name) => Some(match full.as_deref() {
                    Some(parent) if !parent.is_empty() => format!("{parent}.{name}"),
                    _ => name.to_string(),
                }),
                None => full,
            };
            ModelError {
                file: self.file.to_string(),
                line: location.map(|l| l.0),
                column: location.map(|l| l.1),
                field,
                message,
            }
        })
    }

    fn at_path(&self, path: &str, message: impl Into<String>) -> ModelError {
        let loc = self.source.locate(path);
        ModelError {
            file: self.file.to_string(),
            line: loc.as_ref().map(|l| l.line),
            column: loc.as_ref().map(|l| l.column),
            field: Some(path.to_string()),
            message: message.into(),
        }
    }

    fn error(&self, mark: Option<Marker>, field: Option<String>, message: String) -> ModelError {
        ModelError {
            file: self.file.to_string(),
            line: mark.map(|m| m.line()),
            column: mark.map(|m| m.column()),
            field,
            message,
        }
    }

    fn load_error(&self, e: marked_yaml::LoadError, text: &str) -> ModelError {
        use marked_yaml::LoadError as L;
        let (mark, message) = match &e {
            L::TopLevelMustBeMapping(m) => (
                Some(*m),
                "the top level must be a mapping (schema_version, name, region, …)".to_string(),
            ),
            L::TopLevelMustBeSequence(m) => {
                (Some(*m), "the top level must be a sequence".to_string())
            }
            L::UnexpectedAnchor(m) => (
                Some(*m),
                "YAML anchors and aliases are not supported; write the value out".to_string(),
            ),
            L::MappingKeyMustBeScalar(m) => {
                (Some(*m), "mapping keys must be plain strings".to_string())
            }
            L::UnexpectedTag(m) => (Some(*m), "YAML tags (!!type) are not supported".to_string()),
            L::ScanError(m, s) => (Some(*m), format!("YAML syntax error: {}", s.info())),
            L::DuplicateKey(d) => (
                d.key.span().start().or(d.prev_key.span().start()).copied(),
                format!(
                    "duplicate key `{}`; expected each key once per mapping",
                    d.key.as_str()
                ),
            ),
        };
        let field = match &e {
            L::DuplicateKey(d) => duplicate_key_path(text, d.key.as_str(), mark),
            _ => None,
        };
        self.error(mark, field, message)
    }
}

/// A component's settings in the file, decoded by the service its kind names.
struct Settings<'a> {
    loader: &'a Loader<'a>,
    node: &'a Node,
    /// The component's path (`components[2]`).
    path: &'a str,
}

impl SettingsDecoder for Settings<'_> {
    type Error = ModelError;

    fn settings<T: DeserializeOwned>(&self) -> Result<T, ModelError> {
        self.loader.decode(self.node, self.path)
    }

    fn invalid(&self, error: FieldError) -> ModelError {
        self.loader.field_error(error.within(self.path))
    }
}

/// The field path of a duplicated key: the file parsed again leniently (the last value wins),
/// and the path of `key` written on the duplicate's line.
fn duplicate_key_path(text: &str, key: &str, mark: Option<Marker>) -> Option<String> {
    let line = mark?.line();
    let root = parse_yaml_with_options(0, text, LoaderOptions::default()).ok()?;
    let mut map = SourceMap::new("");
    record(&mut map, String::new(), &root);
    map.paths_on_line(line)
        .into_iter()
        .find(|p| p == key || p.ends_with(&format!(".{key}")))
}

/// The path of a mapping key under `path` (`workload` + `peak_tps` → `workload.peak_tps`).
fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Records the position (and scalar text) of every node under `node` into the source map.
fn record(map: &mut SourceMap, path: String, node: &Node) {
    if let Some(m) = node.span().start() {
        let scalar = node.as_scalar().map(|s| s.as_str().to_string());
        map.insert(path.clone(), m.line(), m.column(), scalar);
    }
    match node {
        Node::Mapping(m) => {
            for (k, v) in m.iter() {
                record(map, child_path(&path, k.as_str()), v);
            }
        }
        Node::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                record(map, format!("{path}[{i}]"), v);
            }
        }
        Node::Scalar(_) => {}
    }
}

/// A tagging policy file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    allowed: std::collections::BTreeMap<String, Vec<String>>,
}

/// Parses a tagging policy file (YAML): `required` keys and `allowed` values by key; unknown
/// fields are errors.
pub fn parse_policy(text: &str) -> Result<crate::analysis::tags::TagPolicy, String> {
    let raw: RawPolicy = marked_yaml::from_yaml(0, text).map_err(|e| match &e {
        marked_yaml::FromYamlError::FromNode(n) => match n.start_mark() {
            Some(m) => format!("{}:{}: {e}", m.line(), m.column()),
            None => e.to_string(),
        },
        marked_yaml::FromYamlError::ParseYaml(_) => e.to_string(),
    })?;
    Ok(crate::analysis::tags::TagPolicy {
        required: raw.required,
        allowed: raw.allowed,
    })
}
