//! DynamoDB tables: on-demand (request units) or provisioned (capacity unit-hours, fixed or
//! auto-scaled so capacity follows consumption hour by hour), plus storage by table class.
//!
//! Request units per request: a read takes ⌈item KB / 4⌉ units, halved when eventually
//! consistent and doubled when transactional; a write takes ⌈item KB / 1⌉ units, doubled when
//! transactional.

use serde::Deserialize;

use super::{
    Alternative, Calibrates, Change, Context, Lever, Meter, ScaleIn, Service, Severity,
    TWIN_DYNAMODB_UTILIZATION_PERCENT, Twin, Usage, key,
};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// The table class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableClass {
    /// DynamoDB Standard.
    Standard,
    /// DynamoDB Standard-Infrequent Access: cheaper storage, dearer throughput.
    StandardIa,
}

/// How reads are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadConsistency {
    /// Eventually consistent: half a unit per 4 KB.
    Eventual,
    /// Strongly consistent: one unit per 4 KB.
    Strong,
    /// Transactional: two units per 4 KB.
    Transactional,
}

/// Provisioned capacity for reads or writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProvisionedCapacity {
    /// The same units every hour.
    Fixed(f64),
    /// Application Auto Scaling with target tracking on consumed capacity.
    AutoScaling {
        /// Fewest units.
        min_units: f64,
        /// Most units.
        max_units: f64,
        /// Target utilization, percent.
        target_utilization_percent: f64,
    },
}

/// Whole units that serve a consumption (units per second) at a target utilisation.
fn units_needed(consumed: f64, target_utilization_percent: f64) -> f64 {
    (consumed / (target_utilization_percent / 100.0)).ceil()
}

impl ProvisionedCapacity {
    /// Units provisioned for a consumption (units per second), and whether consumption exceeds them.
    pub fn provisioned_for(&self, consumed: f64) -> (f64, bool) {
        let units = match *self {
            ProvisionedCapacity::Fixed(u) => u,
            ProvisionedCapacity::AutoScaling {
                min_units,
                max_units,
                target_utilization_percent,
            } => units_needed(consumed, target_utilization_percent).clamp(min_units, max_units),
        };
        (units, consumed > units + 1e-9)
    }

    /// Units provisioned each hour for the consumption of each hour (units per second), and the
    /// hours consumption exceeds them. Auto scaling scales out at once, but scales in only when
    /// consumption falls more than 20 points below the target utilization of what is
    /// provisioned, and then after 15 minutes ([`ScaleIn::DYNAMODB`]): the units billed follow.
    pub fn billed_units(&self, consumed: &[f64]) -> (Vec<f64>, usize) {
        let mut settled: Vec<f64> = Vec::with_capacity(consumed.len());
        let mut throttled = 0;
        for &c in consumed {
            let (wanted, short) = self.provisioned_for(c);
            throttled += short as usize;
            let units = match (*self, settled.last()) {
                (
                    ProvisionedCapacity::AutoScaling {
                        target_utilization_percent,
                        ..
                    },
                    Some(&prev),
                ) if wanted < prev => {
                    let floor =
                        (target_utilization_percent - ScaleIn::DYNAMODB_HYSTERESIS_POINTS) / 100.0;
                    if c < prev * floor { wanted } else { prev }
                }
                _ => wanted,
            };
            settled.push(units);
        }
        (ScaleIn::DYNAMODB.billed(&settled), throttled)
    }

    /// Checks the settings; errors name the field relative to the capacity block.
    pub fn validate(&self) -> Result<(), FieldError> {
        match *self {
            ProvisionedCapacity::Fixed(u) if u < 1.0 => Err(FieldError::new(
                "units",
                format!("{u} units; expected at least 1"),
            )),
            ProvisionedCapacity::Fixed(_) => Ok(()),
            ProvisionedCapacity::AutoScaling {
                min_units,
                max_units,
                target_utilization_percent,
            } => {
                if min_units < 1.0 {
                    Err(FieldError::new(
                        "min",
                        format!("{min_units} units; expected at least 1"),
                    ))
                } else if max_units < min_units {
                    Err(FieldError::new(
                        "max",
                        format!("max ({max_units}) is below min ({min_units}); expected max ≥ min"),
                    ))
                } else if !(20.0..=90.0).contains(&target_utilization_percent) {
                    Err(FieldError::new(
                        "target_utilization_percent",
                        format!(
                            "{target_utilization_percent} is outside what DynamoDB auto scaling accepts; expected 20 to 90"
                        ),
                    ))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// Throughput billing mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CapacityMode {
    /// Pay per request.
    OnDemand,
    /// Pay for provisioned capacity per hour.
    Provisioned {
        /// Read capacity units.
        read: ProvisionedCapacity,
        /// Write capacity units.
        write: ProvisionedCapacity,
    },
}

/// A validated DynamoDB table.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamoDbTable {
    /// Table class.
    pub table_class: TableClass,
    /// Billing mode.
    pub capacity_mode: CapacityMode,
    /// Average item size, KB.
    pub item_size_kb: f64,
    /// Reads per platform transaction.
    pub reads_per_transaction: f64,
    /// Writes per platform transaction.
    pub writes_per_transaction: f64,
    /// How reads are made.
    pub read_consistency: ReadConsistency,
    /// Whether writes are transactional (TransactWriteItems).
    pub transactional_writes: bool,
    /// Table size, GB.
    pub storage_gb: f64,
}

impl DynamoDbTable {
    /// Read request units one read takes.
    pub fn units_per_read(&self) -> f64 {
        let blocks = (self.item_size_kb / 4.0).ceil().max(1.0);
        blocks
            * match self.read_consistency {
                ReadConsistency::Eventual => 0.5,
                ReadConsistency::Strong => 1.0,
                ReadConsistency::Transactional => 2.0,
            }
    }

    /// Write request units one write takes.
    pub fn units_per_write(&self) -> f64 {
        let blocks = self.item_size_kb.ceil().max(1.0);
        blocks * if self.transactional_writes { 2.0 } else { 1.0 }
    }

    /// Whether throughput capacity follows load (on-demand, or auto-scaled reads or writes).
    pub fn follows_load(&self) -> bool {
        match self.capacity_mode {
            CapacityMode::OnDemand => true,
            CapacityMode::Provisioned { read, write } => [read, write]
                .iter()
                .any(|c| matches!(c, ProvisionedCapacity::AutoScaling { .. })),
        }
    }

    /// The same table provisioned for its peak hour all month: auto-scaled capacity pinned at
    /// the peak hour's units; on-demand replaced by provisioned units that serve the peak at
    /// `target_utilization_percent` (auto scaling's usual 70%).
    pub fn provisioned_at_peak(
        &self,
        tps_by_hour: &[f64],
        target_utilization_percent: f64,
    ) -> Self {
        let peak_tps = tps_by_hour.iter().copied().fold(0.0, f64::max);
        let peak = |cap: ProvisionedCapacity, per_txn: f64| match cap {
            ProvisionedCapacity::Fixed(u) => ProvisionedCapacity::Fixed(u),
            ProvisionedCapacity::AutoScaling { .. } => {
                ProvisionedCapacity::Fixed(cap.provisioned_for(peak_tps * per_txn).0)
            }
        };
        let reads = self.reads_per_transaction * self.units_per_read();
        let writes = self.writes_per_transaction * self.units_per_write();
        let capacity_mode = match self.capacity_mode {
            CapacityMode::Provisioned { read, write } => CapacityMode::Provisioned {
                read: peak(read, reads),
                write: peak(write, writes),
            },
            CapacityMode::OnDemand => {
                let units = |per_txn: f64| {
                    ProvisionedCapacity::Fixed(
                        units_needed(peak_tps * per_txn, target_utilization_percent).max(1.0),
                    )
                };
                CapacityMode::Provisioned {
                    read: units(reads),
                    write: units(writes),
                }
            }
        };
        DynamoDbTable {
            capacity_mode,
            ..self.clone()
        }
    }
}

/// `dynamodb_table` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    table_class: Option<SettingsTableClass>,
    capacity_mode: SettingsCapacityMode,
    item_size_kb: NonNegative,
    reads_per_transaction: NonNegative,
    writes_per_transaction: NonNegative,
    read_consistency: Option<SettingsConsistency>,
    #[serde(default)]
    transactional_writes: bool,
    read_capacity: Option<SettingsCapacity>,
    write_capacity: Option<SettingsCapacity>,
    storage_gb: NonNegative,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsTableClass {
    Standard,
    StandardIa,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsCapacityMode {
    OnDemand,
    Provisioned,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsConsistency {
    Eventual,
    Strong,
    Transactional,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsCapacity {
    units: Option<NonNegative>,
    min: Option<NonNegative>,
    max: Option<NonNegative>,
    target_utilization_percent: Option<NonNegative>,
}

/// An auto-scaled capacity whose minimum is at least twice what the quietest hour needs at its
/// target: the minimum lowered to that (1 unit at least), with what the quietest and busiest
/// hours need.
fn lowered(cap: ProvisionedCapacity, consumed: &[f64]) -> Option<(ProvisionedCapacity, String)> {
    let ProvisionedCapacity::AutoScaling {
        min_units,
        max_units,
        target_utilization_percent,
    } = cap
    else {
        return None;
    };
    let (quietest, busiest) = consumed
        .iter()
        .map(|c| units_needed(*c, target_utilization_percent))
        .fold((f64::INFINITY, 0.0_f64), |(lo, hi), n| {
            (lo.min(n), hi.max(n))
        });
    let floor = quietest.max(1.0);
    (min_units >= 2.0 * floor).then(|| {
        (
            ProvisionedCapacity::AutoScaling {
                min_units: floor,
                max_units,
                target_utilization_percent,
            },
            format!(
                "min {} units; the quietest hour needs {} and the busiest {} at {}%",
                qty(min_units),
                qty(floor),
                qty(busiest),
                qty(target_utilization_percent)
            ),
        )
    })
}

impl DynamoDbTable {
    /// Auto-scaled capacity whose minimum is far above the load (at least twice what the
    /// quietest hour needs): both minimums so lowered, in one change.
    fn lower_minimums(&self, tps_by_hour: &[f64]) -> Option<Alternative<Self>> {
        let CapacityMode::Provisioned { read, write } = self.capacity_mode else {
            return None;
        };
        let consumed =
            |per_txn: f64| -> Vec<f64> { tps_by_hour.iter().map(|t| t * per_txn).collect() };
        let reads = lowered(
            read,
            &consumed(self.reads_per_transaction * self.units_per_read()),
        );
        let writes = lowered(
            write,
            &consumed(self.writes_per_transaction * self.units_per_write()),
        );
        if reads.is_none() && writes.is_none() {
            return None;
        }
        let mut patch = Vec::new();
        let mut evidence = Vec::new();
        for (field, what, low) in [
            ("read_capacity", "read", &reads),
            ("write_capacity", "write", &writes),
        ] {
            if let Some((ProvisionedCapacity::AutoScaling { min_units, .. }, why)) = low {
                patch.push((field, format!("{{min: {min_units}}}")));
                evidence.push(format!("{what} {why}"));
            }
        }
        Some(Alternative {
            change: Change::DynamoDbMinCapacity,
            replacement: DynamoDbTable {
                capacity_mode: CapacityMode::Provisioned {
                    read: reads.map_or(read, |(c, _)| c),
                    write: writes.map_or(write, |(c, _)| c),
                },
                ..self.clone()
            },
            patch,
            risk: "a burst above the lowered minimum waits for auto scaling (minutes) and may be throttled meanwhile",
            evidence: Some(evidence.join("; ")),
        })
    }
}

impl Service for DynamoDbTable {
    const KIND: &'static str = "dynamodb_table";
    const ORIGINATES_TRAFFIC: bool = true;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "ReadRequestUnits",
        "WriteRequestUnits",
        "ReadCapacityUnit-Hrs",
        "WriteCapacityUnit-Hrs",
        "TimedStorage-ByteHrs",
        "IA-ReadRequestUnits",
        "IA-WriteRequestUnits",
        "IA-ReadCapacityUnit-Hrs",
        "IA-WriteCapacityUnit-Hrs",
        "IA-TimedStorage-ByteHrs",
    ];

    fn from_settings(r: Settings) -> Result<Self, FieldError> {
        let provisioned = |block: &str,
                           c: Option<SettingsCapacity>|
         -> Result<ProvisionedCapacity, FieldError> {
            let c = c.ok_or_else(|| {
                FieldError::new(
                    block,
                    "missing; provisioned mode needs `units` or min/max/target_utilization_percent",
                )
            })?;
            let cap = match c {
                SettingsCapacity {
                    units: Some(u),
                    min: None,
                    max: None,
                    target_utilization_percent: None,
                } => ProvisionedCapacity::Fixed(u.0),
                SettingsCapacity {
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
                    return Err(FieldError::new(
                        block,
                        "expected either `units` (fixed) or all of min, max and target_utilization_percent (auto scaling)",
                    ));
                }
            };
            cap.validate().map_err(|e| e.within(block))?;
            Ok(cap)
        };
        let capacity_mode = match r.capacity_mode {
            SettingsCapacityMode::OnDemand => {
                if r.read_capacity.is_some() || r.write_capacity.is_some() {
                    return Err(FieldError::new(
                        "read_capacity",
                        "not used in on_demand mode; remove it or set capacity_mode: provisioned",
                    ));
                }
                CapacityMode::OnDemand
            }
            SettingsCapacityMode::Provisioned => CapacityMode::Provisioned {
                read: provisioned("read_capacity", r.read_capacity)?,
                write: provisioned("write_capacity", r.write_capacity)?,
            },
        };
        if r.item_size_kb.0 > 400.0 {
            return Err(FieldError::new(
                "item_size_kb",
                format!(
                    "{} KB is above DynamoDB's 400 KB item limit",
                    r.item_size_kb.0
                ),
            ));
        }
        Ok(DynamoDbTable {
            table_class: match r.table_class {
                None | Some(SettingsTableClass::Standard) => TableClass::Standard,
                Some(SettingsTableClass::StandardIa) => TableClass::StandardIa,
            },
            capacity_mode,
            item_size_kb: r.item_size_kb.0,
            reads_per_transaction: r.reads_per_transaction.0,
            writes_per_transaction: r.writes_per_transaction.0,
            read_consistency: match r.read_consistency {
                None | Some(SettingsConsistency::Eventual) => ReadConsistency::Eventual,
                Some(SettingsConsistency::Strong) => ReadConsistency::Strong,
                Some(SettingsConsistency::Transactional) => ReadConsistency::Transactional,
            },
            transactional_writes: r.transactional_writes,
            storage_gb: r.storage_gb.0,
        })
    }

    fn alternatives(&self, tps_by_hour: &[f64]) -> Vec<Alternative<Self>> {
        if self.capacity_mode == CapacityMode::OnDemand {
            // Auto scaling between 1 unit and the default table quota (40,000), tracking 70%.
            let scaled = ProvisionedCapacity::AutoScaling {
                min_units: 1.0,
                max_units: 40_000.0,
                target_utilization_percent: 70.0,
            };
            const SCALED: &str = "{min: 1, max: 40000, target_utilization_percent: 70}";
            return vec![Alternative {
                change: Change::DynamoDbProvisioned,
                replacement: DynamoDbTable {
                    capacity_mode: CapacityMode::Provisioned {
                        read: scaled,
                        write: scaled,
                    },
                    ..self.clone()
                },
                patch: vec![
                    ("capacity_mode", "provisioned".into()),
                    ("read_capacity", SCALED.into()),
                    ("write_capacity", SCALED.into()),
                ],
                risk: "auto scaling lags a sudden burst by minutes: requests above the provisioned capacity are throttled",
                evidence: None,
            }];
        }
        let mut out = vec![Alternative {
            change: Change::DynamoDbOnDemand,
            replacement: DynamoDbTable {
                capacity_mode: CapacityMode::OnDemand,
                ..self.clone()
            },
            patch: vec![
                ("capacity_mode", "on_demand".into()),
                ("read_capacity", "null".into()),
                ("write_capacity", "null".into()),
            ],
            risk: "pays per request: a load that grows steadily may pass the break-even again",
            evidence: None,
        }];
        out.extend(self.lower_minimums(tps_by_hour));
        out
    }

    fn provisioned(&self, lever: Lever, tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        (lever == Lever::DynamoDbCapacity && self.follows_load()).then(|| {
            Twin::Replace(self.provisioned_at_peak(tps_by_hour, TWIN_DYNAMODB_UTILIZATION_PERCENT))
        })
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        let base = if d.contains("write request units") {
            "WriteRequestUnits"
        } else if d.contains("read request units") {
            "ReadRequestUnits"
        } else if d.contains("units of write capacity") {
            "WriteCapacityUnit-Hrs"
        } else if d.contains("units of read capacity") {
            "ReadCapacityUnit-Hrs"
        } else if d.contains("gb-month of storage") && !d.contains("infrequent") {
            "TimedStorage-ByteHrs"
        } else {
            return None;
        };
        Some(region.usage_type(base, PrefixRule::ExceptUsEast1))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let ia = if self.table_class == TableClass::StandardIa {
            "IA-"
        } else {
            ""
        };
        let ddb = |base: String| {
            key(
                ServiceCode::AmazonDynamoDb,
                ctx.region.usage_type(&base, PrefixRule::ExceptUsEast1),
                None,
            )
        };
        let read_units_per_txn = self.reads_per_transaction * self.units_per_read();
        let write_units_per_txn = self.writes_per_transaction * self.units_per_write();
        match self.capacity_mode {
            CapacityMode::OnDemand => {
                let txns = ctx.transactions();
                out.add(
                    Usage::new(
                        id,
                        ddb(format!("{ia}ReadRequestUnits")),
                        Unit::ReadRequestUnits,
                        txns * read_units_per_txn,
                        format!(
                            "{} transactions × {} reads × {} RRU",
                            qty(txns),
                            qty(self.reads_per_transaction),
                            qty(self.units_per_read())
                        ),
                    )
                    .calibrates(Calibrates::Field("reads_per_transaction")),
                );
                out.add(
                    Usage::new(
                        id,
                        ddb(format!("{ia}WriteRequestUnits")),
                        Unit::WriteRequestUnits,
                        txns * write_units_per_txn,
                        format!(
                            "{} transactions × {} writes × {} WRU",
                            qty(txns),
                            qty(self.writes_per_transaction),
                            qty(self.units_per_write())
                        ),
                    )
                    .calibrates(Calibrates::Field("writes_per_transaction")),
                );
            }
            CapacityMode::Provisioned { read, write } => {
                for (cap, per_txn, base, unit, what) in [
                    (
                        read,
                        read_units_per_txn,
                        "ReadCapacityUnit-Hrs",
                        Unit::RcuHours,
                        "read",
                    ),
                    (
                        write,
                        write_units_per_txn,
                        "WriteCapacityUnit-Hrs",
                        Unit::WcuHours,
                        "write",
                    ),
                ] {
                    let consumed: Vec<f64> = ctx.tps.iter().map(|tps| tps * per_txn).collect();
                    let peak_consumed = consumed.iter().copied().fold(0.0_f64, f64::max);
                    let (units, throttled) = cap.billed_units(&consumed);
                    let unit_hours: f64 = units.iter().sum();
                    let peak = units.iter().copied().fold(0.0_f64, f64::max);
                    if throttled > 0 {
                        out.diagnose(id, Severity::Warning, format!(
                            "consumed {what} capacity (up to {} units/s) exceeds the provisioned units (up to {}) in {throttled} hours: requests would be throttled",
                            qty(peak_consumed), qty(peak)
                        ));
                    }
                    out.add(Usage::new(
                        id,
                        ddb(format!("{ia}{base}")),
                        unit,
                        unit_hours,
                        format!(
                            "provisioned {what} capacity: {} unit-hours (peak {} units)",
                            qty(unit_hours),
                            qty(peak)
                        ),
                    ));
                }
            }
        }
        out.add(
            Usage::new(
                id,
                ddb(format!("{ia}TimedStorage-ByteHrs")),
                Unit::GbMonths,
                self.storage_gb,
                format!("table storage {} GB", qty(self.storage_gb)),
            )
            .calibrates(Calibrates::Field("storage_gb")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_scaling_holds_within_twenty_points_and_scales_in_late() {
        let cap = ProvisionedCapacity::AutoScaling {
            min_units: 1.0,
            max_units: 1000.0,
            target_utilization_percent: 70.0,
        };
        // 70/s at 70% → 100 units. 40/s: wanted ⌈40 / 0.7⌉ = 58, and 40 is below 50% of 100, so
        // it scales in, 15 minutes late: 0.25 × 100 + 0.75 × 58 = 68.5 billed. 30/s: wanted 43,
        // but 30 is not below 50% of 58 (29): it holds 58.
        let (billed, throttled) = cap.billed_units(&[70.0, 40.0, 30.0]);
        assert_eq!(billed, vec![100.0, 68.5, 58.0]);
        assert_eq!(throttled, 0);
        // 60/s after 70/s: within 20 points of the target (60% of 100), nothing scales in.
        assert_eq!(cap.billed_units(&[70.0, 60.0]).0, vec![100.0, 100.0]);
    }

    #[test]
    fn request_units_follow_item_size_and_consistency() {
        let mut t = DynamoDbTable {
            table_class: TableClass::Standard,
            capacity_mode: CapacityMode::OnDemand,
            item_size_kb: 6.0,
            reads_per_transaction: 1.0,
            writes_per_transaction: 1.0,
            read_consistency: ReadConsistency::Eventual,
            transactional_writes: false,
            storage_gb: 1.0,
        };
        // 6 KB: ⌈6/4⌉ = 2 blocks × 0.5 = 1 RRU; ⌈6/1⌉ = 6 WRU.
        assert_eq!(t.units_per_read(), 1.0);
        assert_eq!(t.units_per_write(), 6.0);
        t.read_consistency = ReadConsistency::Transactional;
        t.transactional_writes = true;
        assert_eq!(t.units_per_read(), 4.0);
        assert_eq!(t.units_per_write(), 12.0);
    }

    #[test]
    fn auto_scaling_tracks_consumption() {
        let c = ProvisionedCapacity::AutoScaling {
            min_units: 5.0,
            max_units: 100.0,
            target_utilization_percent: 70.0,
        };
        // 35 consumed / 0.7 = 50.
        assert_eq!(c.provisioned_for(35.0), (50.0, false));
        assert_eq!(c.provisioned_for(1.0), (5.0, false));
        assert_eq!(c.provisioned_for(140.0), (100.0, true));
    }
}
