//! Amazon RDS for PostgreSQL: a Multi-AZ (or Single-AZ) primary, optional read replicas, gp3 or
//! gp2 storage (doubled in price for Multi-AZ) and backup beyond the free allocation.

use serde::Deserialize;

use super::aurora::check_instance_class;
use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// The billing operation of RDS for PostgreSQL instances.
pub const RDS_POSTGRESQL_OPERATION: &str = "CreateDBInstance:0014";

/// Deployment of the primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deployment {
    /// A standby in another AZ (billed as Multi-AZ usage).
    MultiAz,
    /// One instance.
    SingleAz,
}

/// Storage type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageType {
    /// General Purpose SSD gp3.
    Gp3,
    /// General Purpose SSD gp2.
    Gp2,
}

/// A validated RDS for PostgreSQL instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    /// Instance class (`db.r6g.large`).
    pub instance_class: String,
    /// Multi-AZ or Single-AZ.
    pub deployment: Deployment,
    /// Single-AZ read replicas of the same class.
    pub read_replicas: u32,
    /// Storage type.
    pub storage_type: StorageType,
    /// Allocated storage, GB.
    pub storage_gb: f64,
    /// Backup storage beyond the free allocation, GB.
    pub billable_backup_gb: f64,
}

/// `rds_postgresql` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    instance_class: String,
    deployment: SettingsDeployment,
    #[serde(default)]
    read_replicas: u32,
    storage_type: SettingsStorageType,
    storage_gb: NonNegative,
    #[serde(default)]
    billable_backup_gb: Option<NonNegative>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsDeployment {
    MultiAz,
    SingleAz,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsStorageType {
    Gp3,
    Gp2,
}

impl Service for Database {
    const KIND: &'static str = "rds_postgresql";
    const ORIGINATES_TRAFFIC: bool = true;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "Multi-AZUsage:*",
        "InstanceUsage:*",
        "RDS:GP3-Storage",
        "RDS:GP2-Storage",
        "RDS:Multi-AZ-GP3-Storage",
        "RDS:Multi-AZ-GP2-Storage",
        "RDS:ChargedBackupUsage",
    ];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        check_instance_class("instance_class", &s.instance_class)?;
        if s.read_replicas > 15 {
            return Err(FieldError::new(
                "read_replicas",
                format!(
                    "{} read replicas; RDS for PostgreSQL allows up to 15",
                    s.read_replicas
                ),
            ));
        }
        if !(20.0..=65_536.0).contains(&s.storage_gb.0) {
            return Err(FieldError::new(
                "storage_gb",
                format!(
                    "{} GB; RDS for PostgreSQL gp2/gp3 storage is 20 to 65,536 GB",
                    s.storage_gb.0
                ),
            ));
        }
        Ok(Database {
            instance_class: s.instance_class,
            deployment: match s.deployment {
                SettingsDeployment::MultiAz => Deployment::MultiAz,
                SettingsDeployment::SingleAz => Deployment::SingleAz,
            },
            read_replicas: s.read_replicas,
            storage_type: match s.storage_type {
                SettingsStorageType::Gp3 => StorageType::Gp3,
                SettingsStorageType::Gp2 => StorageType::Gp2,
            },
            storage_gb: s.storage_gb.0,
            billable_backup_gb: s.billable_backup_gb.map_or(0.0, |x| x.0),
        })
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        if !d.contains("multi-az instance hour") {
            return None;
        }
        let class = d.split("rds ").nth(1)?.split_whitespace().next()?;
        Some(region.usage_type(&format!("Multi-AZUsage:{class}"), PrefixRule::ExceptUsEast1))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let rds = |base: &str, op| {
            key(
                ServiceCode::AmazonRds,
                ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
                op,
            )
        };
        let op = Some(RDS_POSTGRESQL_OPERATION);
        let (primary, az) = match self.deployment {
            Deployment::MultiAz => ("Multi-AZUsage", "Multi-AZ"),
            Deployment::SingleAz => ("InstanceUsage", "Single-AZ"),
        };
        out.add(Usage::new(
            id,
            rds(&format!("{primary}:{}", self.instance_class), op),
            Unit::Hours,
            ctx.hours(),
            format!(
                "primary {} {az} × {} h",
                self.instance_class,
                qty(ctx.hours())
            ),
        ));
        out.add(Usage::new(
            id,
            rds(&format!("InstanceUsage:{}", self.instance_class), op),
            Unit::Hours,
            self.read_replicas as f64 * ctx.hours(),
            format!(
                "{} read replicas × {} h",
                self.read_replicas,
                qty(ctx.hours())
            ),
        ));
        let storage = match (self.deployment, self.storage_type) {
            (Deployment::MultiAz, StorageType::Gp3) => "RDS:Multi-AZ-GP3-Storage",
            (Deployment::MultiAz, StorageType::Gp2) => "RDS:Multi-AZ-GP2-Storage",
            (Deployment::SingleAz, StorageType::Gp3) => "RDS:GP3-Storage",
            (Deployment::SingleAz, StorageType::Gp2) => "RDS:GP2-Storage",
        };
        out.add(Usage::new(
            id,
            rds(storage, None),
            Unit::GbMonths,
            self.storage_gb,
            format!("{} GB allocated ({az})", qty(self.storage_gb)),
        ));
        let replica_storage = match self.storage_type {
            StorageType::Gp3 => "RDS:GP3-Storage",
            StorageType::Gp2 => "RDS:GP2-Storage",
        };
        out.add(Usage::new(
            id,
            rds(replica_storage, None),
            Unit::GbMonths,
            self.storage_gb * self.read_replicas as f64,
            format!(
                "{} read replicas × {} GB",
                self.read_replicas,
                qty(self.storage_gb)
            ),
        ));
        out.add(Usage::new(
            id,
            rds("RDS:ChargedBackupUsage", None),
            Unit::GbMonths,
            self.billable_backup_gb,
            "backup storage beyond the free allocation",
        ));
    }
}
