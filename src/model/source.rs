//! Where analyses get their designs: a model source gives the base design or a variant, with
//! numeric fields set by path (sweeps) and usage ranges drawn (uncertainty). The YAML model
//! file is one source (`model_file::ModelDocument`); analyses never name it.

use std::fmt;

use super::topology::Topology;

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

/// The z-score of the 90th percentile of a standard normal distribution.
pub(crate) const Z_90: f64 = 1.281_551_565_545;

/// A usage field given as a range instead of a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// Path of the field (`components.logs.stored_gb`, `workload.peak_tps`).
    pub path: String,
    /// 10th percentile.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Range {
    /// The median of the log-normal distribution: √(p10 × p90).
    pub fn median(&self) -> f64 {
        (self.p10 * self.p90).sqrt()
    }

    /// The value at a standard-normal draw `z`: exp(μ + σz), with μ and σ such that the 10th
    /// and 90th percentiles are p10 and p90.
    pub fn at(&self, z: f64) -> f64 {
        let mu = (self.p10.ln() + self.p90.ln()) / 2.0;
        let sigma = (self.p90.ln() - self.p10.ln()) / (2.0 * Z_90);
        (mu + sigma * z).exp()
    }
}

/// A model that analyses can ask for designs.
pub trait ModelSource: Sync {
    /// The file or name the model comes from, for messages.
    fn origin(&self) -> &str;

    /// Names of the model's variants, in file order.
    fn variant_names(&self) -> Vec<&str>;

    /// The base design (`variant: None`) or a variant, with numeric fields set by path.
    /// Ranges not set take their median.
    fn design(
        &self,
        variant: Option<&str>,
        overrides: &[(String, f64)],
    ) -> Result<Topology, ModelError>;

    /// The canonical path of a numeric field (`components[2].vcpu`), or an error saying why it
    /// cannot be set.
    fn numeric_path(&self, variant: Option<&str>, path: &str) -> Result<String, ModelError>;

    /// Usage fields given as ranges.
    fn ranges(&self) -> &[Range];

    /// Draws designs from the ranges, for Monte Carlo runs.
    fn sampler<'a>(&'a self, variant: Option<&str>) -> Result<Box<dyn Draws + 'a>, ModelError>;
}

/// Designs drawn from a model's ranges.
pub trait Draws: Sync {
    /// The design with the ranges set to `values` (one per range, in order; the values of
    /// unsampled ranges are ignored).
    fn topology(&self, values: &[f64]) -> Result<Topology, ModelError>;

    /// Paths of the ranges a variant replaced, which draws leave alone.
    fn unsampled(&self) -> &[String];
}
