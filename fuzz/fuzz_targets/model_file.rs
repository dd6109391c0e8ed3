//! The model file: YAML parsing and validation, variants, ranges at their edges, and the
//! estimate of whatever validates. Anything but a panic (or a hang) is fine.
#![no_main]

use archcost::{BillingPeriod, ModelDocument, PriceBook};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = ModelDocument::parse(text, "fuzz.yaml") else {
        return;
    };
    let period = BillingPeriod::standard_month();
    let variants: Vec<Option<&str>> = std::iter::once(None)
        .chain(doc.variant_names().into_iter().map(Some))
        .collect();
    for variant in variants {
        let Ok(topology) = doc.topology(variant, &[]) else {
            continue;
        };
        if let Ok(prices) = PriceBook::embedded(topology.region) {
            let _ = archcost::estimate(&topology, &prices, &period);
        }
    }
    // Every range far out at both ends and at its median.
    if let Ok(sampler) = doc.sampler(None) {
        for z in [-6.0, 0.0, 6.0] {
            let values: Vec<f64> = doc.ranges().iter().map(|r| r.at(z)).collect();
            let _ = sampler.topology(&values);
        }
    }
});
