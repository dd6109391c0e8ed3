//! DynamoDB tables: on-demand (request units) or provisioned (capacity unit-hours, fixed or
//! auto-scaled so capacity follows consumption hour by hour), plus storage by table class.
//!
//! Request units per request: a read takes ⌈item KB / 4⌉ units, halved when eventually
//! consistent and doubled when transactional; a write takes ⌈item KB / 1⌉ units, doubled when
//! transactional.

use super::{Context, Meter, Severity, Usage, key};
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit};

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

impl ProvisionedCapacity {
    /// Units provisioned for a consumption (units per second), and whether consumption exceeds them.
    pub fn provisioned_for(&self, consumed: f64) -> (f64, bool) {
        let units = match *self {
            ProvisionedCapacity::Fixed(u) => u,
            ProvisionedCapacity::AutoScaling {
                min_units,
                max_units,
                target_utilization_percent,
            } => (consumed / (target_utilization_percent / 100.0))
                .ceil()
                .clamp(min_units, max_units),
        };
        (units, consumed > units + 1e-9)
    }

    /// Checks the settings; errors name the field relative to the capacity block.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        match *self {
            ProvisionedCapacity::Fixed(u) if u < 1.0 => {
                Err(("units", format!("{u} units; expected at least 1")))
            }
            ProvisionedCapacity::Fixed(_) => Ok(()),
            ProvisionedCapacity::AutoScaling {
                min_units,
                max_units,
                target_utilization_percent,
            } => {
                if min_units < 1.0 {
                    Err(("min", format!("{min_units} units; expected at least 1")))
                } else if max_units < min_units {
                    Err((
                        "max",
                        format!("max ({max_units}) is below min ({min_units}); expected max ≥ min"),
                    ))
                } else if !(20.0..=90.0).contains(&target_utilization_percent) {
                    Err((
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
                        (peak_tps * per_txn / (target_utilization_percent / 100.0))
                            .ceil()
                            .max(1.0),
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

    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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
                out.add(Usage::new(
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
                ));
                out.add(Usage::new(
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
                ));
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
                    let (mut unit_hours, mut throttled, mut peak, mut peak_consumed) =
                        (0.0, 0, 0.0_f64, 0.0_f64);
                    for tps in ctx.tps {
                        let consumed = tps * per_txn;
                        let (units, short) = cap.provisioned_for(consumed);
                        unit_hours += units;
                        peak = peak.max(units);
                        peak_consumed = peak_consumed.max(consumed);
                        throttled += short as usize;
                    }
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
        out.add(Usage::new(
            id,
            ddb(format!("{ia}TimedStorage-ByteHrs")),
            Unit::GbMonths,
            self.storage_gb,
            format!("table storage {} GB", qty(self.storage_gb)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
