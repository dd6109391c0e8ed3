//! Time to estimate the reference model over a standard month (730 hourly steps).
//!
//! `cargo bench --bench estimate`

use archcost::{BillingPeriod, PriceBook, estimate, topology_file};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn reference_model(c: &mut Criterion) {
    let text =
        std::fs::read_to_string("models/fintech-global-platform.yaml").expect("reference model");
    let topology =
        topology_file::parse(&text, "fintech-global-platform.yaml").expect("valid model");
    let prices = PriceBook::embedded(topology.region).expect("snapshot");
    let period = BillingPeriod::standard_month();
    c.bench_function("estimate reference model (730 h)", |b| {
        b.iter(|| estimate(black_box(&topology), &prices, &period).expect("estimate"))
    });
    c.bench_function("parse + estimate reference model", |b| {
        b.iter(|| {
            let t = topology_file::parse(black_box(&text), "m.yaml").expect("valid model");
            estimate(&t, &prices, &period).expect("estimate")
        })
    });
}

criterion_group!(benches, reference_model);
criterion_main!(benches);
