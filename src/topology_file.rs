//! Reads a topology file (YAML, `schema_version: 1`) into a validated [`Topology`].
//!
//! Every error names the file, the line and column, the field path and what was expected.
//! Unknown fields are rejected. Components are flat mappings: `id`, `kind`, `tags`, and the
//! settings of their kind.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use marked_yaml::{LoaderOptions, Marker, Node, from_node, parse_yaml_with_options};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::services::TargetTracking;
use crate::services::aurora::{
    AuroraCapacity, AuroraCluster, ReaderCount, ReaderScaling, StorageConfiguration,
    check_instance_class,
};
use crate::services::dynamodb::{
    CapacityMode, DynamoDbTable, ProvisionedCapacity, ReadConsistency, TableClass,
};
use crate::services::fargate::{
    Architecture, CapacityProvider, FargateService, ProviderShare, Sidecar, TaskCount, TaskSize,
};
use crate::services::nat_gateway::NatGateway;
use crate::services::vpc_endpoint::{AwsService, EndpointType, VpcEndpoint};
use crate::topology::{
    Component, ComponentKind, ComponentSpec, Destination, FieldError, Flow, FlowVolume,
    SourceLocation, SourceMap, Topology,
};
use crate::units::keys;
use crate::workload::{ProfileGenerator, WeeklyProfile, Workload};

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A model file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ModelError {
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Field path (`components[2].vcpu`), when the error concerns one field.
    pub field: Option<String>,
    /// What is wrong and what is expected.
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

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

/// Reads and validates a topology file.
pub fn load(path: &Path) -> Result<Topology, TopologyError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| TopologyError::Read {
        file: file.clone(),
        source,
    })?;
    Ok(parse(&text, &file)?)
}

/// Parses and validates topology YAML; `file` names it in errors and source locations.
pub fn parse(text: &str, file: &str) -> Result<Topology, ModelError> {
    Loader {
        file,
        source: SourceMap::new(file),
    }
    .parse(text)
}

struct Loader<'a> {
    file: &'a str,
    source: SourceMap,
}

/// A number that must be finite and at least 0 (quantities, sizes, rates).
#[derive(Debug, Clone, Copy, PartialEq)]
struct NonNegative(f64);

impl<'de> Deserialize<'de> for NonNegative {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if v.is_finite() && v >= 0.0 {
            Ok(NonNegative(v))
        } else {
            Err(serde::de::Error::custom(format!(
                "{v} is not allowed; expected a finite number of at least 0"
            )))
        }
    }
}

#[derive(Deserialize)]
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
    workload: RawWorkload,
    #[serde(default)]
    flows: Vec<RawFlow>,
    /// Taken out and read by hand before decoding; declared so error messages list it.
    #[serde(default)]
    #[allow(dead_code)]
    components: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkload {
    peak_tps: NonNegative,
    profile: RawProfile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    weekly: Option<Vec<NonNegative>>,
    generator: Option<RawGenerator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGenerator {
    trough_ratio: NonNegative,
    busy_start_hour: u32,
    busy_end_hour: u32,
    weekend_factor: NonNegative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlow {
    from: String,
    to: String,
    gb_per_month: Option<NonNegative>,
    bytes_per_request: Option<NonNegative>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawArchitecture {
    X86_64,
    Arm64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFargate {
    #[serde(default)]
    architecture: Option<RawArchitecture>,
    vcpu: NonNegative,
    memory_gb: NonNegative,
    ephemeral_storage_gb: Option<NonNegative>,
    #[serde(default)]
    sidecars: Vec<RawSidecar>,
    desired_count: Option<u32>,
    scaling: Option<RawTaskScaling>,
    #[serde(default)]
    capacity_provider_strategy: Vec<RawProviderShare>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSidecar {
    name: String,
    vcpu: NonNegative,
    memory_gb: NonNegative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaskScaling {
    min_tasks: u32,
    max_tasks: u32,
    target_cpu_percent: NonNegative,
    tps_per_task_at_full_cpu: NonNegative,
    load_share: Option<NonNegative>,
}

#[derive(Deserialize)]
enum RawProvider {
    #[serde(rename = "FARGATE")]
    Fargate,
    #[serde(rename = "FARGATE_SPOT")]
    FargateSpot,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProviderShare {
    provider: RawProvider,
    #[serde(default)]
    base: u32,
    weight: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawStorageConfiguration {
    Standard,
    IoOptimized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAurora {
    storage_configuration: Option<RawStorageConfiguration>,
    writer: Option<RawWriter>,
    readers: Option<RawReaders>,
    serverless_v2: Option<RawServerless>,
    storage_gb: NonNegative,
    io_requests_per_transaction: NonNegative,
    billable_backup_gb: Option<NonNegative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWriter {
    instance_class: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReaders {
    instance_class: Option<String>,
    count: Option<u32>,
    min: Option<u32>,
    max: Option<u32>,
    target_cpu_percent: Option<NonNegative>,
    read_tps_per_reader_at_full_cpu: Option<NonNegative>,
    read_share: Option<NonNegative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServerless {
    min_acu: NonNegative,
    max_acu: NonNegative,
    instances: u32,
    tps_per_acu: NonNegative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNat {
    count: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawEndpointType {
    Gateway,
    Interface,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoint {
    endpoint_type: RawEndpointType,
    service: String,
    availability_zones: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawTableClass {
    Standard,
    StandardIa,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawCapacityMode {
    OnDemand,
    Provisioned,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawConsistency {
    Eventual,
    Strong,
    Transactional,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDynamo {
    table_class: Option<RawTableClass>,
    capacity_mode: RawCapacityMode,
    item_size_kb: NonNegative,
    reads_per_transaction: NonNegative,
    writes_per_transaction: NonNegative,
    read_consistency: Option<RawConsistency>,
    #[serde(default)]
    transactional_writes: bool,
    read_capacity: Option<RawProvisioned>,
    write_capacity: Option<RawProvisioned>,
    storage_gb: NonNegative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvisioned {
    units: Option<NonNegative>,
    min: Option<NonNegative>,
    max: Option<NonNegative>,
    target_utilization_percent: Option<NonNegative>,
}

/// An error about a field, relative to the component or block being converted.
type Rel = (String, String);

fn rel(field: impl Into<String>, message: impl Into<String>) -> Rel {
    (field.into(), message.into())
}

impl Loader<'_> {
    fn parse(mut self, text: &str) -> Result<Topology, ModelError> {
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
        let mut rest = top.clone();
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
        let topology = Topology {
            name: raw.name,
            region,
            availability_zones: raw.availability_zones,
            free_tier: raw.free_tier,
            workload,
            components,
            flows,
            source: self.source.clone(),
        };
        topology
            .validate()
            .map_err(|FieldError { path, message }| self.at_path(&path, message))?;
        Ok(topology)
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
        let kind = ComponentKind::ALL
            .into_iter()
            .find(|k| k.keyword() == kind_word)
            .ok_or_else(|| {
                self.at_path(
                    &format!("{path}.kind"),
                    format!(
                        "unknown component kind `{kind_word}`; expected one of {}",
                        keys(&ComponentKind::ALL, |k| k.keyword())
                    ),
                )
            })?;
        let tags: BTreeMap<String, String> = match map.get_node("tags") {
            Some(t) => self.decode(t, &format!("{path}.tags"))?,
            None => BTreeMap::new(),
        };
        let mut settings = map.clone();
        for k in ["id", "kind", "tags"] {
            settings.remove(k);
        }
        let settings = Node::from(settings);
        let placed = |(field, message): Rel| self.at_path(&format!("{path}.{field}"), message);
        let spec = match kind {
            ComponentKind::FargateService => ComponentSpec::FargateService(
                fargate(self.decode(&settings, &path)?).map_err(placed)?,
            ),
            ComponentKind::AuroraPostgresql => ComponentSpec::AuroraPostgresql(
                aurora(self.decode(&settings, &path)?).map_err(placed)?,
            ),
            ComponentKind::NatGateway => {
                let raw: RawNat = self.decode(&settings, &path)?;
                if raw.count == Some(0) {
                    return Err(placed(rel("count", "0 gateways; expected at least 1")));
                }
                ComponentSpec::NatGateway(NatGateway { count: raw.count })
            }
            ComponentKind::VpcEndpoint => ComponentSpec::VpcEndpoint(
                endpoint(self.decode(&settings, &path)?).map_err(placed)?,
            ),
            ComponentKind::DynamoDbTable => ComponentSpec::DynamoDbTable(
                dynamodb(self.decode(&settings, &path)?).map_err(placed)?,
            ),
        };
        let origin = node.span().start().map(|m| SourceLocation {
            file: self.file.to_string(),
            line: m.line(),
            column: m.column(),
        });
        Ok(Component {
            id,
            tags,
            spec,
            origin,
        })
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

/// Records the position (and scalar text) of every node under `node` into the source map.
fn record(map: &mut SourceMap, path: String, node: &Node) {
    if let Some(m) = node.span().start() {
        let scalar = node.as_scalar().map(|s| s.as_str().to_string());
        map.insert(path.clone(), m.line(), m.column(), scalar);
    }
    match node {
        Node::Mapping(m) => {
            for (k, v) in m.iter() {
                let child = if path.is_empty() {
                    k.as_str().to_string()
                } else {
                    format!("{path}.{}", k.as_str())
                };
                record(map, child, v);
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

fn fargate(r: RawFargate) -> Result<FargateService, Rel> {
    let size = TaskSize::new(r.vcpu.0, r.memory_gb.0).map_err(|(f, m)| rel(f, m))?;
    let count = match (r.desired_count, r.scaling) {
        (Some(n), None) => TaskCount::Fixed(n),
        (None, Some(s)) => TaskCount::TargetTracking(TargetTracking {
            min: s.min_tasks,
            max: s.max_tasks,
            target_cpu_percent: s.target_cpu_percent.0,
            tps_at_full_cpu: s.tps_per_task_at_full_cpu.0,
            load_share: s.load_share.map_or(1.0, |x| x.0),
        }),
        _ => {
            return Err(rel(
                "desired_count",
                "expected exactly one of `desired_count` (a fixed task count) or `scaling` (target tracking)",
            ));
        }
    };
    let strategy = r
        .capacity_provider_strategy
        .into_iter()
        .map(|s| ProviderShare {
            provider: match s.provider {
                RawProvider::Fargate => CapacityProvider::Fargate,
                RawProvider::FargateSpot => CapacityProvider::FargateSpot,
            },
            base: s.base,
            weight: s.weight,
        })
        .collect();
    let sidecars = r
        .sidecars
        .into_iter()
        .map(|s| Sidecar {
            name: s.name,
            vcpu: s.vcpu.0,
            memory_gb: s.memory_gb.0,
        })
        .collect();
    let architecture = match r.architecture {
        None | Some(RawArchitecture::X86_64) => Architecture::X86_64,
        Some(RawArchitecture::Arm64) => Architecture::Arm64,
    };
    FargateService::new(
        architecture,
        size,
        sidecars,
        r.ephemeral_storage_gb.map_or(20.0, |x| x.0),
        count,
        strategy,
    )
}

fn aurora(r: RawAurora) -> Result<AuroraCluster, Rel> {
    let capacity = match (r.writer, r.serverless_v2) {
        (Some(w), None) => {
            check_instance_class(&w.instance_class).map_err(|m| rel("writer.instance_class", m))?;
            let readers = r.readers.unwrap_or(RawReaders {
                instance_class: None,
                count: Some(0),
                min: None,
                max: None,
                target_cpu_percent: None,
                read_tps_per_reader_at_full_cpu: None,
                read_share: None,
            });
            let reader_class = readers
                .instance_class
                .clone()
                .unwrap_or_else(|| w.instance_class.clone());
            check_instance_class(&reader_class).map_err(|m| rel("readers.instance_class", m))?;
            let count = match readers {
                RawReaders {
                    count: Some(n),
                    min: None,
                    max: None,
                    target_cpu_percent: None,
                    read_tps_per_reader_at_full_cpu: None,
                    read_share: None,
                    ..
                } => ReaderCount::Fixed(n),
                RawReaders {
                    count: None,
                    min: Some(min),
                    max: Some(max),
                    target_cpu_percent: Some(t),
                    read_tps_per_reader_at_full_cpu: Some(cap),
                    read_share: Some(share),
                    ..
                } => ReaderCount::AutoScaling(ReaderScaling {
                    min_readers: min,
                    max_readers: max,
                    target_cpu_percent: t.0,
                    read_tps_per_reader_at_full_cpu: cap.0,
                    read_share: share.0,
                }),
                _ => {
                    return Err(rel(
                        "readers",
                        "expected either `count` (fixed readers) or all of min, max, target_cpu_percent, read_tps_per_reader_at_full_cpu and read_share (auto scaling)",
                    ));
                }
            };
            AuroraCapacity::Provisioned {
                writer_class: w.instance_class,
                reader_class,
                readers: count,
            }
        }
        (None, Some(s)) => {
            if r.readers.is_some() {
                return Err(rel(
                    "readers",
                    "not used with serverless_v2; set serverless_v2.instances instead",
                ));
            }
            AuroraCapacity::ServerlessV2 {
                min_acu: s.min_acu.0,
                max_acu: s.max_acu.0,
                instances: s.instances,
                tps_per_acu: s.tps_per_acu.0,
            }
        }
        _ => {
            return Err(rel(
                "writer",
                "expected exactly one of `writer` (provisioned instances) or `serverless_v2`",
            ));
        }
    };
    let cluster = AuroraCluster {
        storage_configuration: match r.storage_configuration {
            None | Some(RawStorageConfiguration::Standard) => StorageConfiguration::Standard,
            Some(RawStorageConfiguration::IoOptimized) => StorageConfiguration::IoOptimized,
        },
        capacity,
        storage_gb: r.storage_gb.0,
        io_requests_per_transaction: r.io_requests_per_transaction.0,
        billable_backup_gb: r.billable_backup_gb.map_or(0.0, |x| x.0),
    };
    cluster.validate()?;
    Ok(cluster)
}

fn endpoint(r: RawEndpoint) -> Result<VpcEndpoint, Rel> {
    let service = AwsService::from_keyword(&r.service).ok_or_else(|| {
        rel(
            "service",
            format!(
                "unknown endpoint service `{}`; expected one of {}",
                r.service,
                AwsService::keywords()
            ),
        )
    })?;
    let endpoint_type = match r.endpoint_type {
        RawEndpointType::Gateway if !service.has_gateway_endpoint() => {
            return Err(rel(
                "endpoint_type",
                format!(
                    "{} has no gateway endpoint; expected `interface` (gateway endpoints exist for s3 and dynamodb only)",
                    service.keyword()
                ),
            ));
        }
        RawEndpointType::Gateway => EndpointType::Gateway,
        RawEndpointType::Interface => EndpointType::Interface,
    };
    if r.availability_zones == Some(0) {
        return Err(rel("availability_zones", "0 AZs; expected at least 1"));
    }
    Ok(VpcEndpoint {
        endpoint_type,
        service,
        availability_zones: r.availability_zones,
    })
}

fn dynamodb(r: RawDynamo) -> Result<DynamoDbTable, Rel> {
    let provisioned = |block: &str,
                       c: Option<RawProvisioned>|
     -> Result<ProvisionedCapacity, Rel> {
        let c = c.ok_or_else(|| {
            rel(
                block,
                "missing; provisioned mode needs `units` or min/max/target_utilization_percent",
            )
        })?;
        let cap = match c {
            RawProvisioned {
                units: Some(u),
                min: None,
                max: None,
                target_utilization_percent: None,
            } => ProvisionedCapacity::Fixed(u.0),
            RawProvisioned {
                units: None,
                min: Some(lo),
                max: Some(hi),
                target_utilization_percent: Some(t),
            } => ProvisionedCapacity::AutoScaling {
                min_units: lo.0,
                max_units: hi.0,
                target_utilization_percent: t.0,
            },
            _ => {
                return Err(rel(
                    block,
                    "expected either `units` (fixed) or all of min, max and target_utilization_percent (auto scaling)",
                ));
            }
        };
        cap.validate()
            .map_err(|(f, m)| rel(format!("{block}.{f}"), m))?;
        Ok(cap)
    };
    let capacity_mode = match r.capacity_mode {
        RawCapacityMode::OnDemand => {
            if r.read_capacity.is_some() || r.write_capacity.is_some() {
                return Err(rel(
                    "read_capacity",
                    "not used in on_demand mode; remove it or set capacity_mode: provisioned",
                ));
            }
            CapacityMode::OnDemand
        }
        RawCapacityMode::Provisioned => CapacityMode::Provisioned {
            read: provisioned("read_capacity", r.read_capacity)?,
            write: provisioned("write_capacity", r.write_capacity)?,
        },
    };
    if r.item_size_kb.0 > 400.0 {
        return Err(rel(
            "item_size_kb",
            format!(
                "{} KB is above DynamoDB's 400 KB item limit",
                r.item_size_kb.0
            ),
        ));
    }
    Ok(DynamoDbTable {
        table_class: match r.table_class {
            None | Some(RawTableClass::Standard) => TableClass::Standard,
            Some(RawTableClass::StandardIa) => TableClass::StandardIa,
        },
        capacity_mode,
        item_size_kb: r.item_size_kb.0,
        reads_per_transaction: r.reads_per_transaction.0,
        writes_per_transaction: r.writes_per_transaction.0,
        read_consistency: match r.read_consistency {
            None | Some(RawConsistency::Eventual) => ReadConsistency::Eventual,
            Some(RawConsistency::Strong) => ReadConsistency::Strong,
            Some(RawConsistency::Transactional) => ReadConsistency::Transactional,
        },
        transactional_writes: r.transactional_writes,
        storage_gb: r.storage_gb.0,
    })
}
