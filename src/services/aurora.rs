//! Aurora PostgreSQL clusters: provisioned (a writer plus readers that may auto-scale on load)
//! or Serverless v2 (ACUs following load); Standard or I/O-Optimized storage configuration.
//!
//! Standard: instances at the Standard rate, storage at 0.10/GB-month and every I/O request
//! charged. I/O-Optimized: instances at the I/O-Optimized rate, storage at its own rate, and no
//! I/O charge at all.

use serde::Deserialize;

use super::{
    Alternative, Calibrates, Change, Context, Lever, Meter, ScaleIn, Service, Severity, Twin,
    Usage, clamp_count, key,
};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// The billing operation of Aurora PostgreSQL instances.
pub const AURORA_POSTGRESQL_OPERATION: &str = "CreateDBInstance:0021";

/// Largest Serverless v2 capacity per instance.
pub const MAX_ACU: f64 = 256.0;

/// The cluster storage configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageConfiguration {
    /// Aurora Standard: pay per I/O request.
    Standard,
    /// Aurora I/O-Optimized: higher instance and storage rates, no I/O charge.
    IoOptimized,
}

/// How many readers run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReaderCount {
    /// A fixed number of readers.
    Fixed(u32),
    /// Aurora Replica auto scaling on average reader CPU.
    AutoScaling(ReaderScaling),
}

/// Aurora Replica auto scaling with a CPU target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReaderScaling {
    /// Fewest readers.
    pub min_readers: u32,
    /// Most readers (Aurora allows 15).
    pub max_readers: u32,
    /// Target average reader CPU, percent.
    pub target_cpu_percent: f64,
    /// Read transactions per second one reader serves at 100% CPU.
    pub read_tps_per_reader_at_full_cpu: f64,
    /// Fraction of platform transactions that read from the readers.
    pub read_share: f64,
}

impl ReaderScaling {
    /// Readers a platform load needs at the target CPU (fractional; auto scaling rounds up).
    pub fn needed(&self, tps: f64) -> f64 {
        tps * self.read_share
            / (self.read_tps_per_reader_at_full_cpu * self.target_cpu_percent / 100.0)
    }
}

/// The compute of a cluster.
#[derive(Debug, Clone, PartialEq)]
pub enum AuroraCapacity {
    /// Provisioned instances.
    Provisioned {
        /// Writer instance class (`db.r6g.large`).
        writer_class: String,
        /// Reader instance class.
        reader_class: String,
        /// How many readers.
        readers: ReaderCount,
    },
    /// Aurora Serverless v2 instances whose ACUs follow load.
    ServerlessV2 {
        /// Fewest ACUs per instance (0 to 256, in steps of 0.5).
        min_acu: f64,
        /// Most ACUs per instance.
        max_acu: f64,
        /// Instances (writer plus readers), sharing the load evenly.
        instances: u32,
        /// Platform transactions per second one ACU serves.
        tps_per_acu: f64,
    },
}

/// A validated Aurora PostgreSQL cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct AuroraCluster {
    /// Standard or I/O-Optimized.
    pub storage_configuration: StorageConfiguration,
    /// Instances.
    pub capacity: AuroraCapacity,
    /// Cluster volume size, GB.
    pub storage_gb: f64,
    /// Storage I/O requests per platform transaction (charged under Standard only).
    pub io_requests_per_transaction: f64,
    /// Backup storage billed beyond the free allocation (equal to the cluster volume), GB.
    pub billable_backup_gb: f64,
}

/// Checks an instance class looks like `db.<family>.<size>`; an error names `field`.
pub fn check_instance_class(field: &str, class: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = class.split('.').collect();
    if parts.len() == 3 && parts[0] == "db" && parts[1..].iter().all(|p| !p.is_empty()) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "`{class}` is not an instance class; expected the form db.<family>.<size>, e.g. db.r6g.large"
            ),
        ))
    }
}

impl AuroraCluster {
    /// Validates the pieces that do not depend on prices. Errors name the field.
    pub fn validate(&self) -> Result<(), FieldError> {
        match &self.capacity {
            AuroraCapacity::Provisioned {
                readers: ReaderCount::AutoScaling(r),
                ..
            } => {
                let f = |name: &str| format!("readers.{name}");
                if r.min_readers > r.max_readers {
                    return Err(FieldError::new(
                        f("max"),
                        format!(
                            "max ({}) is below min ({}); expected max ≥ min",
                            r.max_readers, r.min_readers
                        ),
                    ));
                }
                if r.max_readers > 15 {
                    return Err(FieldError::new(
                        f("max"),
                        format!(
                            "{} readers is more than Aurora allows; expected at most 15",
                            r.max_readers
                        ),
                    ));
                }
                if !(r.target_cpu_percent > 0.0 && r.target_cpu_percent <= 100.0) {
                    return Err(FieldError::new(
                        f("target_cpu_percent"),
                        format!(
                            "{} is not a utilization target; expected above 0 and at most 100",
                            r.target_cpu_percent
                        ),
                    ));
                }
                if r.read_tps_per_reader_at_full_cpu <= 0.0 {
                    return Err(FieldError::new(
                        f("read_tps_per_reader_at_full_cpu"),
                        "expected a throughput above 0",
                    ));
                }
                if !(0.0..=1.0).contains(&r.read_share) {
                    return Err(FieldError::new(
                        f("read_share"),
                        format!("{} is not a fraction; expected 0 to 1", r.read_share),
                    ));
                }
            }
            AuroraCapacity::Provisioned {
                readers: ReaderCount::Fixed(n),
                ..
            } if *n > 15 => {
                return Err(FieldError::new(
                    "readers.count",
                    format!("{n} readers is more than Aurora allows; expected at most 15"),
                ));
            }
            AuroraCapacity::Provisioned { .. } => {}
            AuroraCapacity::ServerlessV2 {
                min_acu,
                max_acu,
                instances,
                tps_per_acu,
            } => {
                let f = |name: &str| format!("serverless_v2.{name}");
                for (name, v) in [("min_acu", *min_acu), ("max_acu", *max_acu)] {
                    if !(0.0..=MAX_ACU).contains(&v) || (v * 2.0).fract() != 0.0 {
                        return Err(FieldError::new(
                            f(name),
                            format!(
                                "{v} ACU is not a Serverless v2 capacity; expected 0 to 256 in steps of 0.5"
                            ),
                        ));
                    }
                }
                if *max_acu < 1.0 {
                    return Err(FieldError::new(
                        f("max_acu"),
                        format!("{max_acu} ACU; Serverless v2 needs a maximum of at least 1 ACU"),
                    ));
                }
                if min_acu > max_acu {
                    return Err(FieldError::new(
                        f("max_acu"),
                        format!("max_acu ({max_acu}) is below min_acu ({min_acu})"),
                    ));
                }
                if *instances == 0 || *instances > 16 {
                    return Err(FieldError::new(
                        f("instances"),
                        format!(
                            "{instances} instances; expected 1 (writer) to 16 (writer + 15 readers)"
                        ),
                    ));
                }
                if *tps_per_acu <= 0.0 {
                    return Err(FieldError::new(
                        f("tps_per_acu"),
                        "expected a throughput above 0",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether capacity follows load (auto-scaled readers or Serverless v2 ACUs).
    pub fn auto_scales(&self) -> bool {
        match &self.capacity {
            AuroraCapacity::Provisioned { readers, .. } => {
                matches!(readers, ReaderCount::AutoScaling(_))
            }
            AuroraCapacity::ServerlessV2 {
                min_acu, max_acu, ..
            } => min_acu < max_acu,
        }
    }

    /// The same cluster with auto-scaled readers or ACUs pinned at the peak hour's.
    pub fn pinned_at_peak(&self, tps_by_hour: &[f64]) -> Self {
        let mut pinned = self.clone();
        match &mut pinned.capacity {
            AuroraCapacity::Provisioned { readers, .. } => {
                if let ReaderCount::AutoScaling(_) = readers {
                    let peak = tps_by_hour
                        .iter()
                        .map(|t| self.readers_at(*t).0)
                        .max()
                        .unwrap_or(0);
                    *readers = ReaderCount::Fixed(peak);
                }
            }
            AuroraCapacity::ServerlessV2 {
                min_acu, max_acu, ..
            } => {
                let peak = tps_by_hour
                    .iter()
                    .map(|t| self.acu_per_instance_at(*t))
                    .fold(0.0, f64::max);
                *min_acu = peak;
                *max_acu = peak;
            }
        }
        pinned
    }

    /// Auto-scaled readers whose minimum is above what the quietest hour needs: the minimum
    /// lowered to that (one at least, to fail over to).
    fn fewer_readers(&self, tps_by_hour: &[f64]) -> Option<Alternative<Self>> {
        let AuroraCapacity::Provisioned {
            writer_class,
            reader_class,
            readers: ReaderCount::AutoScaling(r),
        } = &self.capacity
        else {
            return None;
        };
        let (quietest, busiest) = tps_by_hour
            .iter()
            .map(|t| r.needed(*t).max(0.0).ceil())
            .fold((f64::INFINITY, 0.0_f64), |(lo, hi), n| {
                (lo.min(n), hi.max(n))
            });
        let floor = quietest.max(1.0) as u32;
        (r.min_readers > floor).then(|| Alternative {
            change: Change::AuroraMinReaders,
            replacement: AuroraCluster {
                capacity: AuroraCapacity::Provisioned {
                    writer_class: writer_class.clone(),
                    reader_class: reader_class.clone(),
                    readers: ReaderCount::AutoScaling(ReaderScaling {
                        min_readers: floor,
                        ..*r
                    }),
                },
                ..self.clone()
            },
            patch: vec![("readers", format!("{{min: {floor}}}"))],
            risk: "fewer readers at quiet hours: a burst waits for auto scaling to add one (minutes)",
            evidence: Some(format!(
                "min {} readers; the quietest hour needs {} and the busiest {} at {}% reader CPU ({} read TPS each at full CPU)",
                r.min_readers,
                qty(quietest),
                qty(busiest),
                qty(r.target_cpu_percent),
                qty(r.read_tps_per_reader_at_full_cpu)
            )),
        })
    }

    /// Readers running at a platform load, and whether demand exceeded the maximum.
    pub fn readers_at(&self, tps: f64) -> (u32, bool) {
        match &self.capacity {
            AuroraCapacity::Provisioned {
                readers: ReaderCount::Fixed(n),
                ..
            } => (*n, false),
            AuroraCapacity::Provisioned {
                readers: ReaderCount::AutoScaling(r),
                ..
            } => clamp_count(r.needed(tps), r.min_readers, r.max_readers),
            AuroraCapacity::ServerlessV2 { .. } => (0, false),
        }
    }

    /// ACUs per Serverless v2 instance at a platform load, rounded up to 0.5 ACU.
    pub fn acu_per_instance_at(&self, tps: f64) -> f64 {
        match &self.capacity {
            AuroraCapacity::ServerlessV2 {
                min_acu,
                max_acu,
                instances,
                tps_per_acu,
            } => {
                let needed = (tps / tps_per_acu / *instances as f64 * 2.0).ceil() / 2.0;
                needed.clamp(*min_acu, *max_acu)
            }
            AuroraCapacity::Provisioned { .. } => 0.0,
        }
    }
}

/// `aurora_postgresql` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    storage_configuration: Option<SettingsStorageConfiguration>,
    writer: Option<SettingsWriter>,
    readers: Option<SettingsReaders>,
    serverless_v2: Option<SettingsServerless>,
    storage_gb: NonNegative,
    io_requests_per_transaction: NonNegative,
    billable_backup_gb: Option<NonNegative>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsStorageConfiguration {
    Standard,
    IoOptimized,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsWriter {
    instance_class: String,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsReaders {
    instance_class: Option<String>,
    count: Option<u32>,
    min: Option<u32>,
    max: Option<u32>,
    target_cpu_percent: Option<NonNegative>,
    read_tps_per_reader_at_full_cpu: Option<NonNegative>,
    read_share: Option<NonNegative>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsServerless {
    min_acu: NonNegative,
    max_acu: NonNegative,
    instances: u32,
    tps_per_acu: NonNegative,
}

impl Service for AuroraCluster {
    const KIND: &'static str = "aurora_postgresql";
    const ORIGINATES_TRAFFIC: bool = true;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "InstanceUsage:*",
        "InstanceUsageIOOptimized:*",
        "Aurora:ServerlessV2Usage",
        "Aurora:ServerlessV2IOOptimizedUsage",
        "Aurora:StorageUsage",
        "Aurora:IO-OptimizedStorageUsage",
        "Aurora:StorageIOUsage",
        "Aurora:BackupUsage",
    ];

    fn from_settings(r: Settings) -> Result<Self, FieldError> {
        let capacity = match (r.writer, r.serverless_v2) {
            (Some(w), None) => {
                check_instance_class("writer.instance_class", &w.instance_class)?;
                let readers = r.readers.unwrap_or(SettingsReaders {
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
                check_instance_class("readers.instance_class", &reader_class)?;
                let count = match readers {
                    SettingsReaders {
                        count: Some(n),
                        min: None,
                        max: None,
                        target_cpu_percent: None,
                        read_tps_per_reader_at_full_cpu: None,
                        read_share: None,
                        ..
                    } => ReaderCount::Fixed(n),
                    SettingsReaders {
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
                        return Err(FieldError::new(
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
                    return Err(FieldError::new(
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
                return Err(FieldError::new(
                    "writer",
                    "expected exactly one of `writer` (provisioned instances) or `serverless_v2`",
                ));
            }
        };
        let cluster = AuroraCluster {
            storage_configuration: match r.storage_configuration {
                None | Some(SettingsStorageConfiguration::Standard) => {
                    StorageConfiguration::Standard
                }
                Some(SettingsStorageConfiguration::IoOptimized) => {
                    StorageConfiguration::IoOptimized
                }
            },
            capacity,
            storage_gb: r.storage_gb.0,
            io_requests_per_transaction: r.io_requests_per_transaction.0,
            billable_backup_gb: r.billable_backup_gb.map_or(0.0, |x| x.0),
        };
        cluster.validate()?;
        Ok(cluster)
    }

    fn alternatives(&self, tps_by_hour: &[f64]) -> Vec<Alternative<Self>> {
        let (change, storage_configuration, value) = match self.storage_configuration {
            StorageConfiguration::Standard => (
                Change::AuroraIoOptimized,
                StorageConfiguration::IoOptimized,
                "io_optimized",
            ),
            StorageConfiguration::IoOptimized => (
                Change::AuroraStandard,
                StorageConfiguration::Standard,
                "standard",
            ),
        };
        let mut out = vec![Alternative {
            change,
            replacement: AuroraCluster {
                storage_configuration,
                ..self.clone()
            },
            patch: vec![("storage_configuration", value.into())],
            risk: "a cluster may change its storage configuration once every 30 days",
            evidence: None,
        }];
        out.extend(self.fewer_readers(tps_by_hour));
        out
    }

    fn provisioned(&self, lever: Lever, tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        (lever == Lever::AutoScaling && self.auto_scales())
            .then(|| Twin::Replace(self.pinned_at_peak(tps_by_hour)))
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        if !d.contains("aurora") {
            return None;
        }
        let base = if d.contains("aurora capacity unit") && d.contains("serverless v2") {
            "Aurora:ServerlessV2Usage"
        } else if d.contains("aurora capacity unit") {
            // Aurora Serverless v1.
            "Aurora:ServerlessUsage"
        } else if d.contains("consumed storage") {
            "Aurora:StorageUsage"
        } else if d.contains("million i/o requests") {
            "Aurora:StorageIOUsage"
        } else {
            return None;
        };
        Some(region.usage_type(base, PrefixRule::ExceptUsEast1))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let io_optimized = self.storage_configuration == StorageConfiguration::IoOptimized;
        let rds = |base: &str, op: Option<&str>| {
            key(
                ServiceCode::AmazonRds,
                ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
                op,
            )
        };
        let op = Some(AURORA_POSTGRESQL_OPERATION);
        let config = if io_optimized {
            "I/O-Optimized"
        } else {
            "Standard"
        };
        match &self.capacity {
            AuroraCapacity::Provisioned {
                writer_class,
                reader_class,
                ..
            } => {
                let instance = |class: &str| {
                    let base = if io_optimized {
                        "InstanceUsageIOOptimized"
                    } else {
                        "InstanceUsage"
                    };
                    rds(&format!("{base}:{class}"), op)
                };
                // Instance-hours hour by hour, for the reservations that may cover them.
                out.add(
                    Usage::new(
                        id,
                        instance(writer_class),
                        Unit::Hours,
                        ctx.hours(),
                        format!("writer {writer_class} × {} h ({config})", qty(ctx.hours())),
                    )
                    .hourly(vec![1.0; ctx.tps.len()]),
                );
                let (mut readers, mut short, mut peak) = (Vec::new(), 0, 0);
                for tps in ctx.tps {
                    let (n, capped) = self.readers_at(*tps);
                    readers.push(n as f64);
                    peak = peak.max(n);
                    short += capped as usize;
                }
                // Replicas scaled in keep running until Aurora Replica auto scaling catches up.
                let reader_billed = ScaleIn::APPLICATION_AUTO_SCALING.billed(&readers);
                let reader_hours: f64 = reader_billed.iter().sum();
                if short > 0 {
                    out.diagnose(id, Severity::Warning, format!(
                        "read load exceeds what the maximum readers serve at the CPU target for {short} hours"
                    ));
                }
                out.add(
                    Usage::new(
                        id,
                        instance(reader_class),
                        Unit::Hours,
                        reader_hours,
                        format!(
                            "readers {reader_class}: {} reader-hours (up to {peak} at once, {config})",
                            qty(reader_hours)
                        ),
                    )
                    .hourly(reader_billed),
                );
            }
            AuroraCapacity::ServerlessV2 {
                instances,
                max_acu,
                tps_per_acu,
                ..
            } => {
                let acu_hours: f64 = ctx
                    .tps
                    .iter()
                    .map(|t| self.acu_per_instance_at(*t) * *instances as f64)
                    .sum();
                let short = ctx
                    .tps
                    .iter()
                    .filter(|t| **t / tps_per_acu / *instances as f64 > *max_acu)
                    .count();
                if short > 0 {
                    out.diagnose(id, Severity::Warning, format!(
                        "load needs more than max_acu ({max_acu}) per instance for {short} hours: capacity runs short"
                    ));
                }
                let base = if io_optimized {
                    "Aurora:ServerlessV2IOOptimizedUsage"
                } else {
                    "Aurora:ServerlessV2Usage"
                };
                out.add(Usage::new(
                    id,
                    rds(base, op),
                    Unit::AcuHours,
                    acu_hours,
                    format!(
                        "Serverless v2: {} ACU-hours over {instances} instances ({config})",
                        qty(acu_hours)
                    ),
                ));
            }
        }
        let storage = if io_optimized {
            "Aurora:IO-OptimizedStorageUsage"
        } else {
            "Aurora:StorageUsage"
        };
        out.add(
            Usage::new(
                id,
                rds(storage, None),
                Unit::GbMonths,
                self.storage_gb,
                format!("cluster volume {} GB ({config})", qty(self.storage_gb)),
            )
            .calibrates(Calibrates::Field("storage_gb")),
        );
        if !io_optimized {
            let ios = ctx.transactions() * self.io_requests_per_transaction;
            out.add(Usage::new(
                id,
                rds("Aurora:StorageIOUsage", None),
                Unit::IoRequests,
                ios,
                format!(
                    "{} transactions × {} I/O requests each",
                    qty(ctx.transactions()),
                    qty(self.io_requests_per_transaction)
                ),
            ));
        }
        out.add(Usage::new(
            id,
            rds("Aurora:BackupUsage", None),
            Unit::GbMonths,
            self.billable_backup_gb,
            "backup storage beyond the free allocation",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_scale_on_read_load() {
        let c = AuroraCluster {
            storage_configuration: StorageConfiguration::Standard,
            capacity: AuroraCapacity::Provisioned {
                writer_class: "db.r6g.large".into(),
                reader_class: "db.r6g.large".into(),
                readers: ReaderCount::AutoScaling(ReaderScaling {
                    min_readers: 1,
                    max_readers: 3,
                    target_cpu_percent: 50.0,
                    read_tps_per_reader_at_full_cpu: 1000.0,
                    read_share: 1.0,
                }),
            },
            storage_gb: 100.0,
            io_requests_per_transaction: 0.0,
            billable_backup_gb: 0.0,
        };
        // One reader serves 1,000 × 50% = 500 TPS at target.
        assert_eq!(c.readers_at(100.0), (1, false));
        assert_eq!(c.readers_at(1000.0), (2, false));
        assert_eq!(c.readers_at(1200.0), (3, false));
        assert_eq!(c.readers_at(2000.0), (3, true));
    }

    #[test]
    fn instance_classes_are_checked() {
        assert!(check_instance_class("f", "db.r6g.large").is_ok());
        assert!(
            check_instance_class("f", "r6g.large")
                .unwrap_err()
                .message
                .contains("db.<family>.<size>")
        );
    }

    #[test]
    fn serverless_acus_round_up_to_half_steps() {
        let c = AuroraCluster {
            storage_configuration: StorageConfiguration::Standard,
            capacity: AuroraCapacity::ServerlessV2 {
                min_acu: 0.5,
                max_acu: 16.0,
                instances: 2,
                tps_per_acu: 50.0,
            },
            storage_gb: 1.0,
            io_requests_per_transaction: 0.0,
            billable_backup_gb: 0.0,
        };
        // 130 TPS / 50 / 2 instances = 1.3 → 1.5 ACU each.
        assert_eq!(c.acu_per_instance_at(130.0), 1.5);
        assert_eq!(c.acu_per_instance_at(0.0), 0.5);
        assert_eq!(c.acu_per_instance_at(10_000.0), 16.0);
    }
}
