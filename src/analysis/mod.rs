//! What archcost works out from estimates: designs compared, savings against a provisioned
//! baseline lever by lever, sweeps with break-evens, Monte Carlo over usage ranges, the
//! reconciliation with actual spend and the calibration it suggests. Pure: designs come through
//! [`ModelSource`](crate::model::source::ModelSource), actual spend arrives already read.

pub mod bill_commitments;
pub mod calibrate;
pub mod commit;
pub mod compare;
pub mod compute_optimizer;
pub mod price_diff;
pub mod reconcile;
pub mod rightsize;
pub mod savings;
pub mod spend;
pub mod sweep;
pub mod tags;
pub mod uncertainty;
