//! archcost: AWS cost modeling for architects and FinOps teams.
//!
//! A topology file describes an architecture (services, sizes, traffic, workload profile);
//! archcost estimates its monthly cost hour by hour as load varies, with every line priced
//! from a dated price book.
//!
//! ```
//! let yaml = r#"
//! schema_version: 1
//! name: two-tasks
//! region: us-east-1
//! availability_zones: 2
//! workload:
//!   peak_tps: 100
//!   profile: { generator: { trough_ratio: 0.2, busy_start_hour: 8, busy_end_hour: 20, weekend_factor: 0.5 } }
//! components:
//!   - id: api
//!     kind: fargate_service
//!     vcpu: 1
//!     memory_gb: 2
//!     desired_count: 2
//! "#;
//! let topology = archcost::model_file::parse(yaml, "inline.yaml").unwrap();
//! let prices = archcost::PriceBook::embedded(topology.region).unwrap();
//! let period = archcost::BillingPeriod::standard_month();
//! let estimate = archcost::estimate(&topology, &prices, &period).unwrap();
//! // 2 tasks × 730 h × (1 vCPU × 0.04048 + 2 GB × 0.004445) = 1,460 × 0.04937 = 72.0802
//! assert!((estimate.total_usd() - 72.0802).abs() < 1e-6);
//! ```
#![deny(missing_docs)]

pub mod analysis;
pub mod engine;
pub mod model;
pub mod model_file;
pub mod price_list;
pub mod progress;
pub mod report;
pub mod services;
pub mod vocabulary;

#[cfg(feature = "actuals")]
pub mod actuals;
#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "charts")]
pub mod charts;
#[cfg(feature = "aws")]
pub mod compute_optimizer;
#[cfg(feature = "charts")]
pub mod review;

pub use analysis::{calibrate, compare, reconcile, savings, sweep, uncertainty};
pub use engine::estimate::{Estimate, EstimateError, GroupBy, Line, estimate};
pub use engine::price_book::{self, PriceBook, PriceBookError};
pub use model::source::{ModelError, ModelSource};
pub use model::topology::{self, Topology};
pub use model_file::{ModelDocument, TopologyError};
pub use vocabulary::calendar::BillingPeriod;
pub use vocabulary::units;

/// Any error archcost reports to a user: bad input, not a bug.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model file could not be read or is invalid.
    #[error(transparent)]
    Topology(#[from] TopologyError),
    /// The model is valid YAML but cannot be used as it stands (e.g. a region without prices).
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The price book could not be had.
    #[error(transparent)]
    PriceBook(#[from] PriceBookError),
    /// The estimate could not be made.
    #[error(transparent)]
    Estimate(#[from] EstimateError),
    /// A sweep or a Monte Carlo run failed.
    #[error(transparent)]
    Sweep(#[from] sweep::SweepError),
    /// Actual spend could not be read.
    #[cfg(feature = "actuals")]
    #[error(transparent)]
    Actuals(#[from] actuals::ActualsError),
    /// A calibrated copy of the model could not be written.
    #[error(transparent)]
    Calibrate(#[from] calibrate::ApplyError),
    /// Price List data could not become a snapshot.
    #[error(transparent)]
    PriceList(#[from] price_list::PriceListError),
    /// A command-line value is invalid.
    #[error("{0}")]
    Usage(String),
    /// Reading a file failed.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Writing a file failed (nothing was left at its path).
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
