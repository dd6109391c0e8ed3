//! A CUR 2.0 or FOCUS export as CSV, read for reconciliation and for tag analysis.
#![no_main]

use archcost::actuals::tagged::{self, CostBasis, Fields};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // polars reads files: one scratch file a process.
    let path = std::env::temp_dir().join(format!("archcost-fuzz-{}.csv", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let paths = [path];
    let _ = archcost::actuals::export::read(&paths, None, "fuzz.csv");
    let _ = tagged::read(&paths, CostBasis::Effective, Fields::ALL, "fuzz.csv");
});
