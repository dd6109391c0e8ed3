//! Monte Carlo over usage ranges: every field written `{p10, p90}` is drawn from its log-normal
//! distribution, the design is estimated for each draw, and the percentiles of the total and of
//! each service are reported. The generator is seeded, so a seed always gives the same result.

use std::collections::BTreeMap;

use crate::analysis::sweep::SweepError;
use crate::engine::estimate::{GroupBy, estimate};
use crate::engine::price_book::PriceBook;
use crate::model::source::ModelSource;
use crate::vocabulary::calendar::BillingPeriod;

/// A small, fast, seedable generator (SplitMix64), with standard-normal draws by Box–Muller.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator for a seed.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw in (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// A standard-normal draw.
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// The 10th, 50th and 90th percentiles of a quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles {
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Percentiles {
    /// Percentiles of samples (nearest rank on the sorted samples).
    pub fn of(mut samples: Vec<f64>) -> Self {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
            samples[rank - 1]
        };
        Percentiles {
            p10: at(0.10),
            p50: at(0.50),
            p90: at(0.90),
        }
    }
}

/// The result of sampling a design.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Design name.
    pub model: String,
    /// Samples drawn.
    pub samples: usize,
    /// Seed used.
    pub seed: u64,
    /// Paths of the fields drawn.
    pub ranges: Vec<String>,
    /// Percentiles of the total, USD per month.
    pub total: Percentiles,
    /// Percentiles per service code, USD per month.
    pub by_service: BTreeMap<String, Percentiles>,
    /// The price snapshot used.
    pub prices: String,
}

/// One draw's result: the total and the cost by service.
type Draw = (f64, Vec<(String, f64)>);

/// Samples a design `samples` times with `seed`, spreading the draws over `threads` threads.
/// The draws are generated in order before they are shared out, so the result depends on the
/// seed only, never on the number of threads.
pub fn sample(
    document: &dyn ModelSource,
    variant: Option<&str>,
    samples: usize,
    seed: u64,
    threads: usize,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<Distribution, SweepError> {
    sample_reporting(
        document,
        variant,
        samples,
        seed,
        threads,
        prices,
        period,
        &|_| {},
    )
}

/// [`sample`], calling `progress` with the number of draws estimated since its last call,
/// about every 1% of the run (from the sampling threads); the calls add up to `samples`.
#[allow(clippy::too_many_arguments)]
pub fn sample_reporting(
    document: &dyn ModelSource,
    variant: Option<&str>,
    samples: usize,
    seed: u64,
    threads: usize,
    prices: &PriceBook,
    period: &BillingPeriod,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Distribution, SweepError> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let step = (samples / 100).max(1);
    let ranges = document.ranges();
    let sampler = document.sampler(variant)?;
    let mut rng = Rng::new(seed);
    let draws: Vec<Vec<f64>> = (0..samples)
        .map(|_| ranges.iter().map(|r| r.at(rng.normal())).collect())
        .collect();
    let run = |chunk: &[Vec<f64>]| -> Result<Vec<Draw>, SweepError> {
        chunk
            .iter()
            .map(|values| {
                let e = estimate(&sampler.topology(values)?, prices, period)?;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if n.is_multiple_of(step) {
                    progress(step);
                } else if n == samples {
                    progress(samples % step);
                }
                Ok((e.total_usd(), e.grouped(GroupBy::Service)))
            })
            .collect()
    };
    let chunk = samples.div_ceil(threads.max(1)).max(1);
    let results: Vec<Draw> = std::thread::scope(|scope| {
        let handles: Vec<_> = draws
            .chunks(chunk)
            .map(|c| scope.spawn(move || run(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a sampling thread panicked"))
            .collect::<Result<Vec<Vec<Draw>>, _>>()
    })?
    .into_iter()
    .flatten()
    .collect();
    let mut services: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (i, (_, by_service)) in results.iter().enumerate() {
        for (service, usd) in by_service {
            // A service absent from earlier draws cost 0 in them.
            services
                .entry(service.clone())
                .or_insert_with(|| vec![0.0; i])
                .push(*usd);
        }
        for v in services.values_mut() {
            v.resize(i + 1, 0.0);
        }
    }
    Ok(Distribution {
        prices: prices.label(),
        model: document.design(variant, &[])?.name,
        samples,
        seed,
        ranges: ranges
            .iter()
            .map(|r| r.path.clone())
            .filter(|p| !sampler.unsampled().contains(p))
            .collect(),
        total: Percentiles::of(results.iter().map(|(t, _)| *t).collect()),
        by_service: services
            .into_iter()
            .map(|(k, v)| (k, Percentiles::of(v)))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_and_roughly_normal() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        let draws: Vec<f64> = (0..20_000).map(|_| a.normal()).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let below =
            draws.iter().filter(|z| **z < -1.281_551_565_545).count() as f64 / draws.len() as f64;
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((below - 0.10).abs() < 0.01, "{below}");
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let p = Percentiles::of((1..=10).map(f64::from).collect());
        assert_eq!((p.p10, p.p50, p.p90), (1.0, 5.0, 9.0));
    }
}
