//! ElastiCache clusters (Redis OSS or Valkey): node-hours for every primary and replica of
//! every shard. Valkey nodes are priced lower than Redis OSS nodes of the same type.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::FieldError;
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, ServiceCode, Unit};

/// The cache engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Redis OSS.
    Redis,
    /// Valkey.
    Valkey,
}

impl Engine {
    /// The billing operation for the engine's nodes.
    pub fn operation(self) -> &'static str {
        match self {
            Engine::Redis => "CreateCacheCluster:0002",
            Engine::Valkey => "CreateCacheCluster:Valkey",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Engine::Redis => "Redis OSS",
            Engine::Valkey => "Valkey",
        }
    }
}

/// A validated ElastiCache replication group.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheCluster {
    /// Engine.
    pub engine: Engine,
    /// Node type (`cache.r7g.large`).
    pub node_type: String,
    /// Shards (node groups).
    pub shards: u32,
    /// Replicas per shard.
    pub replicas_per_shard: u32,
    /// Multi-AZ with automatic failover (needs a replica per shard).
    pub multi_az_failover: bool,
}

impl CacheCluster {
    /// Checks node type and replica counts; errors name the field.
    pub fn validate(&self) -> Result<(), FieldError> {
        let parts: Vec<&str> = self.node_type.split('.').collect();
        if !(parts.len() == 3 && parts[0] == "cache" && parts[1..].iter().all(|p| !p.is_empty())) {
            return Err(FieldError::new(
                "node_type",
                format!(
                    "`{}` is not a node type; expected the form cache.<family>.<size>, e.g. cache.r7g.large",
                    self.node_type
                ),
            ));
        }
        if !(1..=500).contains(&self.shards) {
            return Err(FieldError::new(
                "shards",
                format!("{} shards; expected 1 to 500", self.shards),
            ));
        }
        if self.replicas_per_shard > 5 {
            return Err(FieldError::new(
                "replicas_per_shard",
                format!(
                    "{} replicas per shard; ElastiCache allows 0 to 5",
                    self.replicas_per_shard
                ),
            ));
        }
        if self.multi_az_failover && self.replicas_per_shard == 0 {
            return Err(FieldError::new(
                "replicas_per_shard",
                "0 replicas cannot fail over; multi_az_failover needs at least 1 replica per shard",
            ));
        }
        Ok(())
    }

    /// Nodes in the cluster.
    pub fn nodes(&self) -> u32 {
        self.shards * (1 + self.replicas_per_shard)
    }
}

/// `elasticache_cluster` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    engine: SettingsEngine,
    node_type: String,
    #[serde(default)]
    shards: Option<u32>,
    replicas_per_shard: u32,
    multi_az_failover: bool,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsEngine {
    Redis,
    Valkey,
}

impl Service for CacheCluster {
    const KIND: &'static str = "elasticache_cluster";
    const ORIGINATES_TRAFFIC: bool = true;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &["NodeUsage:*"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        let cluster = CacheCluster {
            engine: match s.engine {
                SettingsEngine::Redis => Engine::Redis,
                SettingsEngine::Valkey => Engine::Valkey,
            },
            node_type: s.node_type,
            shards: s.shards.unwrap_or(1),
            replicas_per_shard: s.replicas_per_shard,
            multi_az_failover: s.multi_az_failover,
        };
        cluster.validate()?;
        Ok(cluster)
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let usage_type = ctx.region.usage_type(
            &format!("NodeUsage:{}", self.node_type),
            PrefixRule::ExceptUsEast1,
        );
        out.add(Usage::new(
            id,
            key(
                ServiceCode::AmazonElastiCache,
                usage_type,
                Some(self.engine.operation()),
            ),
            Unit::Hours,
            self.nodes() as f64 * ctx.hours(),
            format!(
                "{} {} nodes ({} shards × (1 primary + {} replicas)) × {} h",
                self.nodes(),
                self.engine.label(),
                self.shards,
                self.replicas_per_shard,
                qty(ctx.hours())
            ),
        ));
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
