//! Calibrates a model against a reconciliation: the usage fields behind each reconciled line
//! are scaled so that the estimate reproduces the actual quantity, and a copy of the model file
//! is written with only those numbers changed (comments and layout kept).
//!
//! | usage the bill shows | field scaled by actual ÷ model quantity |
//! |---|---|
//! | NAT gateway GB processed | `gb_per_month` / `bytes_per_request` of the flows through that NAT (not to the internet) |
//! | internet egress | the sending component's flows to the internet |
//! | DynamoDB read / write request units | `reads_per_transaction` / `writes_per_transaction` |
//! | Aurora, DynamoDB storage | `storage_gb` |
//! | Fargate vCPU task-hours | `desired_count` (rounded, at least 1) or `scaling.tps_per_task_at_full_cpu` (÷) |
//!
//! A field written as a range, or absent, is left alone and said so.

use crate::reconcile::Reconciliation;
use crate::routing::RoutePath;
use crate::services::fargate::TaskCount;
use crate::topology::{ComponentSpec, Destination, FlowVolume, Topology};

/// One field changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Field path (`flows[2].gb_per_month`).
    pub path: String,
    /// Old value as written.
    pub old: String,
    /// New value.
    pub new: f64,
    /// Why: the usage type and the ratio.
    pub reason: String,
}

/// The calibration of a model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calibration {
    /// Fields to change.
    pub changes: Vec<Change>,
    /// Lines that could not be calibrated, and why.
    pub skipped: Vec<String>,
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Works out the field changes that make the estimate reproduce the actual quantities.
pub fn calibrate(topology: &Topology, r: &Reconciliation) -> Calibration {
    let mut out = Calibration::default();
    let routes = topology.routes().unwrap_or_default();
    let component_index = |id: &str| topology.components.iter().position(|c| c.id == id);
    let scale = |path: String,
                 factor: f64,
                 reason: String,
                 out: &mut Calibration,
                 transform: &dyn Fn(f64) -> f64| {
        match topology
            .source
            .scalar(&path)
            .and_then(|s| s.parse::<f64>().ok().map(|v| (s.to_string(), v)))
        {
            Some((old, value)) => {
                let new = round6(transform(value * factor));
                out.changes.retain(|c| c.path != path);
                if new == value {
                    out.skipped.push(format!(
                        "{path}: stays {old} (the scaled value rounds back to it); {reason}"
                    ));
                } else {
                    out.changes.push(Change {
                        path,
                        old,
                        new,
                        reason,
                    });
                }
            }
            None => out.skipped.push(format!(
                "{path}: not a plain number in the model (a range?); {reason}"
            )),
        }
    };
    for line in &r.lines {
        if line.estimated_quantity <= 0.0 || line.actual_quantity <= 0.0 {
            continue;
        }
        let ratio = line.actual_quantity / line.estimated_quantity;
        if (ratio - 1.0).abs() < 1e-9 {
            continue;
        }
        let reason = format!(
            "{} {}: actual {:.6} / model {:.6} = ×{:.6}",
            line.component, line.usage_type, line.actual_quantity, line.estimated_quantity, ratio
        );
        let Some(ci) = component_index(&line.component) else {
            continue;
        };
        let component = &topology.components[ci];
        let ut = line.usage_type.as_str();
        let volume_field = |i: usize| match topology.flows[i].volume {
            FlowVolume::GbPerMonth(_) => "gb_per_month",
            FlowVolume::BytesPerRequest(_) => "bytes_per_request",
        };
        // Flows whose volume drives this line: through the NAT (not to the internet, which
        // follows the egress line), or from this component to the internet.
        let flows: Option<Vec<usize>> = if ut.ends_with("NatGateway-Bytes") {
            Some(
                (0..routes.len())
                    .filter(|i| matches!(&routes[*i], RoutePath::NatGateway { nat, egress: false } if *nat == component.id))
                    .collect(),
            )
        } else if ut.ends_with("DataTransfer-Out-Bytes") {
            Some(
                (0..topology.flows.len())
                    .filter(|i| {
                        topology.flows[*i].from == component.id
                            && topology.flows[*i].to == Destination::Internet
                    })
                    .collect(),
            )
        } else {
            None
        };
        if let Some(flows) = flows {
            if flows.is_empty() {
                out.skipped.push(format!(
                    "{reason}: no flow through {} other than to the internet (internet flows follow the egress line)",
                    component.id
                ));
            }
            for i in flows {
                scale(
                    format!("flows[{i}].{}", volume_field(i)),
                    ratio,
                    reason.clone(),
                    &mut out,
                    &|v| v,
                );
            }
        } else if let ComponentSpec::DynamoDbTable(_) = &component.spec {
            let field = if ut.ends_with("ReadRequestUnits") {
                Some("reads_per_transaction")
            } else if ut.ends_with("WriteRequestUnits") {
                Some("writes_per_transaction")
            } else if ut.ends_with("TimedStorage-ByteHrs") {
                Some("storage_gb")
            } else {
                None
            };
            if let Some(f) = field {
                scale(
                    format!("components[{ci}].{f}"),
                    ratio,
                    reason,
                    &mut out,
                    &|v| v,
                );
            }
        } else if let ComponentSpec::AuroraPostgresql(_) = &component.spec {
            if ut.contains("StorageUsage") {
                scale(
                    format!("components[{ci}].storage_gb"),
                    ratio,
                    reason,
                    &mut out,
                    &|v| v,
                );
            }
        } else if let ComponentSpec::FargateService(f) = &component.spec
            && ut.contains("vCPU-Hours")
            && !ut.contains("SpotUsage")
        {
            match f.count() {
                TaskCount::Fixed(_) => scale(
                    format!("components[{ci}].desired_count"),
                    ratio,
                    reason,
                    &mut out,
                    &|v| v.round().max(1.0),
                ),
                TaskCount::TargetTracking(_) => scale(
                    format!("components[{ci}].scaling.tps_per_task_at_full_cpu"),
                    1.0 / ratio,
                    reason,
                    &mut out,
                    &|v| v,
                ),
            }
        }
    }
    out
}

/// The model text with the changes applied at their positions; an error names a change whose
/// old value is not where the source map says.
pub fn apply(text: &str, topology: &Topology, calibration: &Calibration) -> Result<String, String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for c in &calibration.changes {
        let at = topology
            .source
            .locate(&c.path)
            .ok_or_else(|| format!("{}: not found in the model file", c.path))?;
        let line = lines
            .get_mut(at.line - 1)
            .ok_or_else(|| format!("{}: line {} is past the end", c.path, at.line))?;
        let start: usize = line
            .char_indices()
            .nth(at.column - 1)
            .map(|(b, _)| b)
            .ok_or_else(|| format!("{}: column {} is past the line", c.path, at.column))?;
        if !line[start..].starts_with(&c.old) {
            return Err(format!(
                "{}: expected `{}` at line {}, column {}",
                c.path, c.old, at.line, at.column
            ));
        }
        line.replace_range(start..start + c.old.len(), &format!("{}", c.new));
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
