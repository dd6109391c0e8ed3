//! EC2 instances (Linux, on-demand, shared tenancy) with their EBS volumes: a fixed count or an
//! Auto Scaling group that follows load with target tracking. The building block of
//! "traditional provisioned infrastructure".

use serde::Deserialize;

use super::{
    Alternative, Change, Context, Lever, Meter, ScaleIn, Service, Severity, TargetTracking, Twin,
    Usage, key,
};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// gp3 includes this many IOPS per volume.
const GP3_BASELINE_IOPS: f64 = 3000.0;
/// gp3 includes this much throughput per volume, MiB/s.
const GP3_BASELINE_MIBPS: f64 = 125.0;

/// EBS volume type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeType {
    /// General Purpose SSD gp3.
    Gp3,
    /// General Purpose SSD gp2.
    Gp2,
}

/// The EBS volume attached to every instance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Volume {
    /// Volume type.
    pub volume_type: VolumeType,
    /// Size, GB.
    pub size_gb: f64,
    /// Provisioned IOPS (gp3; 3,000 included).
    pub iops: f64,
    /// Provisioned throughput, MiB/s (gp3; 125 included).
    pub throughput_mibps: f64,
}

impl Volume {
    /// Checks size, IOPS and throughput against the volume type's limits (gp3: up to 64 TiB,
    /// 80,000 IOPS, 2,000 MiB/s since 2025; gp2: up to 16 TiB, performance set by size).
    fn validate(&self) -> Result<(), FieldError> {
        let (max_gb, kind) = match self.volume_type {
            VolumeType::Gp3 => (65_536.0, "gp3"),
            VolumeType::Gp2 => (16_384.0, "gp2"),
        };
        if !(1.0..=max_gb).contains(&self.size_gb) {
            return Err(FieldError::new(
                "ebs.size_gb",
                format!("{} GB; {kind} volumes are 1 to {max_gb} GB", self.size_gb),
            ));
        }
        if self.volume_type == VolumeType::Gp2
            && (self.iops != GP3_BASELINE_IOPS || self.throughput_mibps != GP3_BASELINE_MIBPS)
        {
            return Err(FieldError::new(
                "ebs.iops",
                "gp2 performance follows the volume size; iops and throughput_mibps apply to gp3 only",
            ));
        }
        if self.iops > 80_000.0 {
            return Err(FieldError::new(
                "ebs.iops",
                format!("{} IOPS; gp3 allows at most 80,000", self.iops),
            ));
        }
        if self.throughput_mibps > 2_000.0 {
            return Err(FieldError::new(
                "ebs.throughput_mibps",
                format!("{} MiB/s; gp3 allows at most 2,000", self.throughput_mibps),
            ));
        }
        Ok(())
    }
}

/// How many instances run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InstanceCount {
    /// The same number every hour.
    Fixed(u32),
    /// An Auto Scaling group with target tracking on CPU.
    AutoScaling(TargetTracking),
}

/// A validated group of instances.
#[derive(Debug, Clone, PartialEq)]
pub struct Instances {
    /// Instance type (`m6i.large`).
    pub instance_type: String,
    /// Count.
    pub count: InstanceCount,
    /// Root/data volume per instance.
    pub volume: Option<Volume>,
}

impl Instances {
    /// Checks the instance type's form; errors name the field.
    pub fn validate(&self) -> Result<(), FieldError> {
        let parts: Vec<&str> = self.instance_type.split('.').collect();
        if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
            return Err(FieldError::new(
                "instance_type",
                format!(
                    "`{}` is not an instance type; expected the form <family>.<size>, e.g. m6i.large",
                    self.instance_type
                ),
            ));
        }
        if self.count == InstanceCount::Fixed(0) {
            return Err(FieldError::new("count", "0 instances; expected at least 1"));
        }
        if self.count == InstanceCount::Fixed(0) {
            return Err(FieldError::new("count", "0 instances; expected at least 1"));
        }
        if let InstanceCount::AutoScaling(t) = self.count {
            t.validate(
                "auto_scaling",
                [
                    "min_instances",
                    "max_instances",
                    "tps_per_instance_at_full_cpu",
                ],
            )?;
        }
        if let Some(v) = self.volume {
            v.validate()?;
        }
        if let Some(v) = self.volume
            && v.volume_type == VolumeType::Gp3
            && (v.iops < GP3_BASELINE_IOPS || v.throughput_mibps < GP3_BASELINE_MIBPS)
        {
            return Err(FieldError::new(
                "ebs",
                format!(
                    "gp3 volumes have at least {GP3_BASELINE_IOPS} IOPS and {GP3_BASELINE_MIBPS} MiB/s; expected iops ≥ 3000 and throughput_mibps ≥ 125"
                ),
            ));
        }
        Ok(())
    }

    /// The same group with an Auto Scaling group pinned at the peak hour's instance count.
    pub fn pinned_at_peak(&self, tps_by_hour: &[f64]) -> Self {
        let mut pinned = self.clone();
        if let InstanceCount::AutoScaling(t) = self.count {
            let peak = tps_by_hour
                .iter()
                .map(|x| t.running_at(*x).0)
                .max()
                .unwrap_or(0);
            pinned.count = InstanceCount::Fixed(peak);
        }
        pinned
    }
}

/// `ec2_instances` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    instance_type: String,
    count: Option<u32>,
    auto_scaling: Option<SettingsAutoScaling>,
    ebs: Option<SettingsVolume>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsAutoScaling {
    min_instances: u32,
    max_instances: u32,
    target_cpu_percent: NonNegative,
    tps_per_instance_at_full_cpu: NonNegative,
    load_share: Option<NonNegative>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsVolumeType {
    Gp3,
    Gp2,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsVolume {
    volume_type: SettingsVolumeType,
    size_gb: NonNegative,
    iops: Option<NonNegative>,
    throughput_mibps: Option<NonNegative>,
}

/// The Graviton twin of an x86 instance type, same size: `m5`, `m6i`, `m6a` → `m6g`; a 7th
/// generation (`m7i`) → `m7g`; likewise `c` and `r`; `t2`, `t3`, `t3a` → `t4g`. `None` for a
/// type that is Graviton already or has no plain twin (local NVMe, network- or memory-optimized
/// variants).
pub fn graviton_twin(instance_type: &str) -> Option<String> {
    let (family, size) = instance_type.split_once('.')?;
    let letters = family.chars().take_while(char::is_ascii_alphabetic).count();
    let (class, rest) = family.split_at(letters);
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let (generation, suffix) = rest.split_at(digits);
    let generation: u32 = generation.parse().ok()?;
    if !matches!(suffix, "" | "i" | "a") {
        return None;
    }
    match class {
        "t" if generation <= 3 => Some(format!("t4g.{size}")),
        "m" | "c" | "r" if generation >= 7 => Some(format!("{class}7g.{size}")),
        "m" | "c" | "r" => Some(format!("{class}6g.{size}")),
        _ => None,
    }
}

impl Service for Instances {
    const KIND: &'static str = "ec2_instances";
    const ORIGINATES_TRAFFIC: bool = true;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "BoxUsage:*",
        "EBS:VolumeUsage.gp3",
        "EBS:VolumeUsage.gp2",
        "EBS:VolumeP-IOPS.gp3",
        "EBS:VolumeP-Throughput.gp3",
    ];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        let count = match (s.count, s.auto_scaling) {
            (Some(n), None) => InstanceCount::Fixed(n),
            (None, Some(a)) => InstanceCount::AutoScaling(TargetTracking {
                min: a.min_instances,
                max: a.max_instances,
                target_cpu_percent: a.target_cpu_percent.0,
                tps_at_full_cpu: a.tps_per_instance_at_full_cpu.0,
                load_share: a.load_share.map_or(1.0, |x| x.0),
            }),
            _ => {
                return Err(FieldError::new(
                    "count",
                    "expected exactly one of `count` (fixed instances) or `auto_scaling` (target tracking)",
                ));
            }
        };
        let volume = s.ebs.map(|v| Volume {
            volume_type: match v.volume_type {
                SettingsVolumeType::Gp3 => VolumeType::Gp3,
                SettingsVolumeType::Gp2 => VolumeType::Gp2,
            },
            size_gb: v.size_gb.0,
            iops: v.iops.map_or(GP3_BASELINE_IOPS, |x| x.0),
            throughput_mibps: v.throughput_mibps.map_or(GP3_BASELINE_MIBPS, |x| x.0),
        });
        let instances = Instances {
            instance_type: s.instance_type,
            count,
            volume,
        };
        instances.validate()?;
        Ok(instances)
    }

    fn alternatives(&self, _tps_by_hour: &[f64]) -> Vec<Alternative<Self>> {
        let Some(twin) = graviton_twin(&self.instance_type) else {
            return Vec::new();
        };
        vec![Alternative {
            change: Change::GravitonClass,
            replacement: Instances {
                instance_type: twin.clone(),
                ..self.clone()
            },
            patch: vec![("instance_type", twin)],
            risk: "the AMI and software must be built for arm64, and the workload tested there",
            evidence: None,
        }]
    }

    fn provisioned(&self, lever: Lever, tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        match (lever, self.count) {
            (Lever::AutoScaling, InstanceCount::AutoScaling(_)) => {
                Some(Twin::Replace(self.pinned_at_peak(tps_by_hour)))
            }
            _ => None,
        }
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        let ebs = if d.contains("(gp3) provisioned storage") {
            Some("EBS:VolumeUsage.gp3")
        } else if d.contains("(gp2) provisioned storage") {
            Some("EBS:VolumeUsage.gp2")
        } else if d.contains("magnetic provisioned storage") {
            Some("EBS:VolumeUsage")
        } else if d.contains("snapshot data stored") {
            Some("EBS:SnapshotUsage")
        } else if d.contains("provisioned mibps-month of gp3") {
            Some("EBS:VolumeP-Throughput.gp3")
        } else if d.contains("provisioned iops-month of gp3") {
            Some("EBS:VolumeP-IOPS.gp3")
        } else {
            None
        };
        if let Some(base) = ebs {
            return Some(region.usage_type(base, PrefixRule::ExceptUsEast1));
        }
        if !(d.contains("on demand linux") && d.contains("instance hour")) {
            return None;
        }
        let instance_type = d
            .split("on demand linux ")
            .nth(1)?
            .split_whitespace()
            .next()?;
        Some(region.usage_type(
            &format!("BoxUsage:{instance_type}"),
            PrefixRule::ExceptUsEast1,
        ))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let (mut running, mut short) = (Vec::with_capacity(ctx.tps.len()), 0);
        for tps in ctx.tps {
            let (n, capped) = match self.count {
                InstanceCount::Fixed(n) => (n, false),
                InstanceCount::AutoScaling(t) => t.running_at(*tps),
            };
            running.push(n as f64);
            short += capped as usize;
        }
        // Instances scaled in keep running until the group's scale-in alarm fires.
        let billed = ScaleIn::EC2_AUTO_SCALING.billed(&running);
        let instance_hours: f64 = billed.iter().sum();
        if short > 0 {
            out.diagnose(
                id,
                Severity::Warning,
                format!("load needs more than max_instances for {short} hours"),
            );
        }
        let ec2 = |base: &str, op| {
            key(
                ServiceCode::AmazonEc2,
                ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
                op,
            )
        };
        // Instance-hours hour by hour, for the reservations and Savings Plans that may cover
        // them.
        out.add(
            Usage::new(
                id,
                ec2(
                    &format!("BoxUsage:{}", self.instance_type),
                    Some("RunInstances"),
                ),
                Unit::Hours,
                instance_hours,
                format!(
                    "{} instance-hours of {} (Linux, on-demand)",
                    qty(instance_hours),
                    self.instance_type
                ),
            )
            .hourly(billed),
        );
        let Some(v) = self.volume else { return };
        // Volumes exist while their instance does: GB-months prorated by instance-hours.
        let volume_months = instance_hours / ctx.hours();
        let kind = match v.volume_type {
            VolumeType::Gp3 => "gp3",
            VolumeType::Gp2 => "gp2",
        };
        out.add(Usage::new(
            id,
            ec2(&format!("EBS:VolumeUsage.{kind}"), None),
            Unit::GbMonths,
            v.size_gb * volume_months,
            format!(
                "{} GB {kind} × {} volume-months",
                qty(v.size_gb),
                qty(volume_months)
            ),
        ));
        if v.volume_type == VolumeType::Gp3 {
            out.add(Usage::new(
                id,
                ec2("EBS:VolumeP-IOPS.gp3", None),
                Unit::IopsMonths,
                (v.iops - GP3_BASELINE_IOPS) * volume_months,
                "gp3 IOPS above the 3,000 included",
            ));
            out.add(Usage::new(
                id,
                ec2("EBS:VolumeP-Throughput.gp3", None),
                Unit::MibpsMonths,
                (v.throughput_mibps - GP3_BASELINE_MIBPS) * volume_months,
                "gp3 throughput above the 125 MiB/s included",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x86_types_have_graviton_twins_of_the_same_size() {
        let twin = |t: &str| graviton_twin(t);
        assert_eq!(twin("m5.large").as_deref(), Some("m6g.large"));
        assert_eq!(twin("m6i.xlarge").as_deref(), Some("m6g.xlarge"));
        assert_eq!(twin("c6a.2xlarge").as_deref(), Some("c6g.2xlarge"));
        assert_eq!(twin("r7i.large").as_deref(), Some("r7g.large"));
        assert_eq!(twin("t3.medium").as_deref(), Some("t4g.medium"));
        assert_eq!(twin("m6g.large"), None);
        assert_eq!(twin("m5d.large"), None);
        assert_eq!(twin("x2idn.large"), None);
        assert_eq!(twin("nonsense"), None);
    }
}
