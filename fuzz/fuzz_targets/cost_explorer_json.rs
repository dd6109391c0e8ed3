//! A saved Cost Explorer GetCostAndUsage response (one, or a JSON array of them).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = archcost::actuals::cost_explorer::parse_saved(text, "fuzz.json");
});
