//! Benchmarks of the reference model: one estimate (730 hourly steps), parse + estimate,
//! 10,000 Monte Carlo samples of its usage ranges, and a 100-point sweep.
//!
//! `cargo bench --bench estimate`

use archcost::ModelDocument;
use archcost::sweep::{Candidate, SweepSpec, sweep};
use archcost::{BillingPeriod, PriceBook, estimate, model_file};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const MODEL: &str = "models/fintech-global-platform.yaml";

fn reference_model(c: &mut Criterion) {
    let text = std::fs::read_to_string(MODEL).expect("reference model");
    let topology = model_file::parse(&text, MODEL).expect("valid model");
    let prices = PriceBook::embedded(topology.region).expect("snapshot");
    let period = BillingPeriod::standard_month();
    c.bench_function("estimate reference model (730 h)", |b| {
        b.iter(|| estimate(black_box(&topology), &prices, &period).expect("estimate"))
    });
    c.bench_function("parse + estimate reference model", |b| {
        b.iter(|| {
            let t = model_file::parse(black_box(&text), MODEL).expect("valid model");
            estimate(&t, &prices, &period).expect("estimate")
        })
    });
}

fn analyses(c: &mut Criterion) {
    let doc = ModelDocument::load(MODEL.as_ref()).expect("reference model");
    let prices = PriceBook::embedded(archcost::units::Region::UsEast1).expect("snapshot");
    let period = BillingPeriod::standard_month();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("reference model analyses");
    group.sample_size(10);
    group.bench_function(format!("10,000 samples ({threads} threads)"), |b| {
        b.iter(|| {
            archcost::uncertainty::sample(&doc, None, 10_000, 7, threads, &prices, &period)
                .expect("sample")
        })
    });
    group.bench_function("10,000 samples (1 thread)", |b| {
        b.iter(|| {
            archcost::uncertainty::sample(&doc, None, 10_000, 7, 1, &prices, &period)
                .expect("sample")
        })
    });
    let spec = SweepSpec::parse("workload.peak_tps=100..5000", 100).expect("spec");
    group.bench_function("100-point sweep of workload.peak_tps", |b| {
        b.iter(|| {
            sweep(
                &[Candidate {
                    document: &doc,
                    variant: None,
                }],
                &spec,
                &prices,
                &period,
            )
            .expect("sweep")
        })
    });
    group.finish();
}

criterion_group!(benches, reference_model, analyses);
criterion_main!(benches);
