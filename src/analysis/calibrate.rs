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
//! Which field a line calibrates is said by the service that metered it
//! ([`Calibration`]); a field written as a range, or absent, is left alone and said so.

use crate::analysis::reconcile::Reconciliation;
use crate::model::topology::{FlowVolume, Topology};
use crate::services::Calibrates;
use crate::vocabulary::network::{Destination, RoutePath};

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
    let routes = topology.routes();
    let component_index = |id: &str| topology.components().iter().position(|c| c.id == id);
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
        let component = &topology.components()[ci];
        let flows = topology.flows();
        let volume_field = |i: usize| match flows[i].volume {
            FlowVolume::GbPerMonth(_) => "gb_per_month",
            FlowVolume::BytesPerRequest(_) => "bytes_per_request",
        };
        let inbound_field = |i: usize| match flows[i].inbound {
            Some(FlowVolume::GbPerMonth(_)) => Some("inbound_gb_per_month"),
            Some(FlowVolume::BytesPerRequest(_)) => Some("inbound_bytes_per_request"),
            None => None,
        };
        // A NAT gateway processes both directions, so both follow its GB line; internet
        // egress is what is sent only.
        let both_ways = line.calibrates == Calibrates::NatFlows;
        let field = |f: &str| format!("components[{ci}].{f}");
        // Flows whose volume drives this line: through the NAT (not to the internet, which
        // follows the egress line), or from this component to the internet.
        let through: Vec<usize> = match line.calibrates {
            Calibrates::None => continue,
            Calibrates::Field(f) => {
                scale(field(f), ratio, reason, &mut out, &|v| v);
                continue;
            }
            Calibrates::Count(f) => {
                scale(field(f), ratio, reason, &mut out, &|v| v.round().max(1.0));
                continue;
            }
            Calibrates::Throughput(f) => {
                scale(field(f), 1.0 / ratio, reason, &mut out, &|v| v);
                continue;
            }
            Calibrates::NatFlows => (0..routes.len())
                .filter(|i| matches!(&routes[*i], RoutePath::NatGateway { nat, egress: false } if *nat == component.id))
                .collect(),
            Calibrates::InternetFlows => (0..flows.len())
                .filter(|i| flows[*i].from == component.id && flows[*i].to == Destination::Internet)
                .collect(),
        };
        if through.is_empty() {
            out.skipped.push(format!(
                "{reason}: no flow through {} other than to the internet (internet flows follow the egress line)",
                component.id
            ));
        }
        for i in through {
            scale(
                format!("flows[{i}].{}", volume_field(i)),
                ratio,
                reason.clone(),
                &mut out,
                &|v| v,
            );
            if let Some(f) = inbound_field(i).filter(|_| both_ways) {
                scale(
                    format!("flows[{i}].{f}"),
                    ratio,
                    reason.clone(),
                    &mut out,
                    &|v| v,
                );
            }
        }
    }
    out
}

/// A change that cannot be applied to the model text: the field's old value is not where the
/// topology's source map says (the text is not the one the topology was read from).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: field `{path}`: {message}")]
pub struct ApplyError {
    /// The model file.
    pub file: String,
    /// The field.
    pub path: String,
    /// What was expected where.
    pub message: String,
}

/// The model text with the changes applied at their positions; an error names a change whose
/// old value is not where the source map says.
pub fn apply(
    text: &str,
    topology: &Topology,
    calibration: &Calibration,
) -> Result<String, ApplyError> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for c in &calibration.changes {
        let error = |message: String| ApplyError {
            file: topology.source.file().to_string(),
            path: c.path.clone(),
            message,
        };
        let at = topology
            .source
            .locate(&c.path)
            .ok_or_else(|| error("not found in the model file".into()))?;
        let line = lines
            .get_mut(at.line - 1)
            .ok_or_else(|| error(format!("line {} is past the end", at.line)))?;
        let start: usize = line
            .char_indices()
            .nth(at.column - 1)
            .map(|(b, _)| b)
            .ok_or_else(|| error(format!("column {} is past the line", at.column)))?;
        if !line[start..].starts_with(&c.old) {
            return Err(error(format!(
                "expected `{}` at line {}, column {}",
                c.old, at.line, at.column
            )));
        }
        line.replace_range(start..start + c.old.len(), &format!("{}", c.new));
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
