//! Sweeps a numeric field of one or more designs over a range, and finds the break-even points
//! where the cheaper design changes.

use std::collections::BTreeMap;

use crate::engine::estimate::{GroupBy, estimate};
use crate::engine::price_book::PriceBook;
use crate::model::source::{ModelError, ModelSource};
use crate::vocabulary::calendar::BillingPeriod;

/// Bisection steps when refining a break-even point between two sweep points.
const BISECTION_STEPS: usize = 60;

/// What to sweep: `PATH=FROM..TO` over `steps` evenly spaced points (both ends included).
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// Field path (`workload.peak_tps`, `components.api.scaling.max_tasks`).
    pub path: String,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of points, at least 2.
    pub steps: usize,
}

impl SweepSpec {
    /// Parses `PATH=FROM..TO`.
    pub fn parse(set: &str, steps: usize) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{set}` is not a sweep; expected PATH=FROM..TO, e.g. workload.peak_tps=100..5000"
            )
        };
        let (path, range) = set.split_once('=').ok_or_else(bad)?;
        let (from, to) = range.split_once("..").ok_or_else(bad)?;
        // `100...5000` must not read as 100 to .5000: each end is a plain number.
        let plain = |s: &str| {
            let s = s.trim();
            !s.is_empty()
                && s.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
                && !s.starts_with('.')
                && !s.ends_with('.')
        };
        if !plain(from) || !plain(to) {
            return Err(bad());
        }
        let num = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (from, to) = (num(from).ok_or_else(bad)?, num(to).ok_or_else(bad)?);
        if path.trim().is_empty() {
            return Err(bad());
        }
        if steps < 2 {
            return Err(format!("--steps {steps}: a sweep needs at least 2 points"));
        }
        Ok(SweepSpec {
            path: path.trim().to_string(),
            from,
            to,
            steps,
        })
    }

    /// The values swept.
    pub fn values(&self) -> Vec<f64> {
        (0..self.steps)
            .map(|i| self.from + (self.to - self.from) * i as f64 / (self.steps - 1) as f64)
            .collect()
    }
}

/// One design taking part in a sweep.
#[derive(Clone, Copy)]
pub struct Candidate<'a> {
    /// The model.
    pub document: &'a dyn ModelSource,
    /// A variant of it, or its base design.
    pub variant: Option<&'a str>,
}

/// Costs at one point of the sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// The swept field's value.
    pub value: f64,
    /// Total USD per month of each candidate.
    pub totals: Vec<f64>,
    /// USD per month by service code, per candidate.
    pub by_service: Vec<BTreeMap<String, f64>>,
}

/// Where the cheaper of two candidates changes.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakEven {
    /// The field's value at the change.
    pub value: f64,
    /// Index of the candidate cheaper below the value.
    pub cheaper_below: usize,
    /// Index of the candidate cheaper above it.
    pub cheaper_above: usize,
}

/// A completed sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// What was swept.
    pub spec: SweepSpec,
    /// Candidate names.
    pub labels: Vec<String>,
    /// The points, in order.
    pub points: Vec<SweepPoint>,
    /// Break-even points between the first two candidates.
    pub break_evens: Vec<BreakEven>,
    /// The price snapshot used.
    pub prices: String,
}

/// Why a sweep failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The path or a swept value is invalid for a model.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// An estimate failed.
    #[error(transparent)]
    Estimate(#[from] crate::engine::estimate::EstimateError),
    /// A value the sweep set is invalid for the model: the override, not the model file, is to
    /// blame.
    #[error("--set {path}={value}: {point}: {message}")]
    Point {
        /// The swept field.
        path: String,
        /// The value set.
        value: f64,
        /// Which point (`point 2 of 5`, or the refinement of a break-even).
        point: String,
        /// What is wrong with the value.
        message: String,
    },
}

/// A candidate's design with the swept field set to `value`; an invalid value names the
/// override and the point.
fn design_at(
    c: &Candidate<'_>,
    path: &str,
    value: f64,
    point: impl FnOnce() -> String,
) -> Result<crate::model::topology::Topology, SweepError> {
    c.document
        .design(c.variant, &[(path.to_string(), value)])
        .map_err(|e| SweepError::Point {
            path: path.to_string(),
            value,
            point: point(),
            message: match e.field {
                Some(field) if field != path => format!("field `{field}`: {}", e.message),
                _ => e.message,
            },
        })
}

fn total_at(
    c: &Candidate<'_>,
    path: &str,
    value: f64,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<f64, SweepError> {
    let t = design_at(c, path, value, || "refining a break-even".into())?;
    Ok(estimate(&t, prices, period)?.total_usd())
}

/// Sweeps the candidates; break-evens are found between the first two.
pub fn sweep(
    candidates: &[Candidate<'_>],
    spec: &SweepSpec,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<Sweep, SweepError> {
    // Fail early, with the model's own words, if the path is missing or not numeric.
    for c in candidates {
        c.document.numeric_path(c.variant, &spec.path)?;
    }
    let mut labels = Vec::new();
    for c in candidates {
        labels.push(c.document.design(c.variant, &[])?.name);
    }
    let mut points = Vec::with_capacity(spec.steps);
    for (k, value) in spec.values().into_iter().enumerate() {
        let mut totals = Vec::new();
        let mut by_service = Vec::new();
        for c in candidates {
            let t = design_at(c, &spec.path, value, || {
                format!("sweep point {} of {}", k + 1, spec.steps)
            })?;
            let e = estimate(&t, prices, period)?;
            totals.push(e.total_usd());
            by_service.push(e.grouped(GroupBy::Service).into_iter().collect());
        }
        points.push(SweepPoint {
            value,
            totals,
            by_service,
        });
    }
    let mut break_evens = Vec::new();
    if candidates.len() >= 2 {
        // d = first − second: positive where the second is cheaper.
        let diff_at = |v: f64| -> Result<f64, SweepError> {
            Ok(total_at(&candidates[0], &spec.path, v, prices, period)?
                - total_at(&candidates[1], &spec.path, v, prices, period)?)
        };
        let mut last: Option<(f64, f64)> = None; // last point with a non-zero difference
        let mut tie: Option<f64> = None; // a point with exactly equal costs since then
        for p in &points {
            let d = p.totals[0] - p.totals[1];
            if d == 0.0 {
                tie.get_or_insert(p.value);
                continue;
            }
            if let Some((v0, d0)) = last
                && d0.signum() != d.signum()
            {
                let value = match tie {
                    Some(v) => v,
                    None => {
                        let (mut lo, mut hi) = (v0, p.value);
                        for _ in 0..BISECTION_STEPS {
                            let mid = (lo + hi) / 2.0;
                            let dm = diff_at(mid)?;
                            if dm != 0.0 && dm.signum() == d0.signum() {
                                lo = mid;
                            } else {
                                hi = mid;
                            }
                        }
                        (lo + hi) / 2.0
                    }
                };
                // Before the crossing (in sweep order) the second is cheaper when d0 > 0; "below"
                // means lower values, which come first only when the sweep ascends.
                let second_cheaper_before = d0 > 0.0;
                let ascending = spec.to >= spec.from;
                let (cheaper_below, cheaper_above) = if second_cheaper_before == ascending {
                    (1, 0)
                } else {
                    (0, 1)
                };
                break_evens.push(BreakEven {
                    value,
                    cheaper_below,
                    cheaper_above,
                });
            }
            last = Some((p.value, d));
            tie = None;
        }
    }
    Ok(Sweep {
        spec: spec.clone(),
        labels,
        points,
        break_evens,
        prices: prices.label(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_space_their_points() {
        let s = SweepSpec::parse("workload.peak_tps=100..5000", 5).unwrap();
        assert_eq!(s.path, "workload.peak_tps");
        assert_eq!(s.values(), vec![100.0, 1325.0, 2550.0, 3775.0, 5000.0]);
        assert!(
            SweepSpec::parse("workload.peak_tps=100", 5)
                .unwrap_err()
                .contains("PATH=FROM..TO")
        );
        assert!(SweepSpec::parse("x=a..b", 5).is_err());
        // Regression: `100...5000` used to sweep from 100 to 0.5.
        for bad in [
            "x=100...5000",
            "x=100..5000..6000",
            "x=.5..2",
            "x=1...",
            "x=1..inf",
        ] {
            assert!(
                SweepSpec::parse(bad, 5)
                    .unwrap_err()
                    .contains("expected PATH=FROM..TO"),
                "{bad}"
            );
        }
        let s = SweepSpec::parse("x=0.5..1e3", 2).unwrap();
        assert_eq!((s.from, s.to), (0.5, 1000.0));
        assert!(
            SweepSpec::parse("x=1..2", 1)
                .unwrap_err()
                .contains("at least 2")
        );
    }
}
