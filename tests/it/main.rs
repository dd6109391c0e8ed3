//! archcost's integration tests, in one binary so that polars and the AWS SDK are linked once.
//! Shared helpers live in `util`; each module's header says what it covers and where its
//! hand-computed figures come from.

mod analysis;
mod architecture;
mod athena;
mod aws;
mod cbor;
mod cli;
mod commitments;
mod compute_optimizer;
mod estimates;
mod faults;
mod fuzz_regressions;
mod hostile;
mod models;
mod price_list;
mod prices;
mod progress;
mod properties;
mod reconcile;
mod review;
mod rightsize;
mod rollup;
mod services;
mod snapshots;
mod tags;
mod util;
