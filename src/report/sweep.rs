//! Sweeps and Monte Carlo distributions as tables, JSON, CSV or Markdown.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::sweep::Sweep;
use crate::analysis::uncertainty::Distribution;
use crate::vocabulary::text::{qty, usd};

/// Every service code that appears in any point, for stable columns.
fn services(s: &Sweep, candidate: usize) -> Vec<String> {
    let set: BTreeSet<&String> = s
        .points
        .iter()
        .flat_map(|p| p.by_service[candidate].keys())
        .collect();
    set.into_iter().cloned().collect()
}

/// The break-even sentences.
fn break_even_lines(s: &Sweep) -> Vec<String> {
    if s.labels.len() < 2 {
        return Vec::new();
    }
    if s.break_evens.is_empty() {
        let p = &s.points[0];
        let cheaper = if p.totals[0] <= p.totals[1] { 0 } else { 1 };
        return vec![format!(
            "No break-even between {} and {} over {} = {}..{}: {} is cheaper throughout.",
            s.labels[0],
            s.labels[1],
            s.spec.path,
            qty(s.spec.from),
            qty(s.spec.to),
            s.labels[cheaper]
        )];
    }
    s.break_evens
        .iter()
        .map(|b| {
            format!(
                "Break-even at {} = {:.4}: {} is cheaper below, {} above.",
                s.spec.path, b.value, s.labels[b.cheaper_below], s.labels[b.cheaper_above]
            )
        })
        .collect()
}

/// A sweep. With one design the table has a column per service; with several, a column per
/// design, and the break-even points between the first two follow.
impl Report for Sweep {
    type Json<'a> = JsonSweep<'a>;

    fn json(&self) -> JsonSweep<'_> {
        json(self)
    }

    fn csv(&self) -> Csv {
        let s = self;
        {
            let mut head = vec![s.spec.path.clone()];
            head.extend(s.labels.iter().map(|l| format!("total_usd:{l}")));
            for (i, l) in s.labels.iter().enumerate() {
                head.extend(
                    services(s, i)
                        .into_iter()
                        .map(|svc| format!("{svc}_usd:{l}")),
                );
            }
            let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
            let rows = s.points.iter().map(|p| {
                let mut r = vec![format!("{}", p.value)];
                r.extend(p.totals.iter().map(|t| format!("{t:.6}")));
                for i in 0..s.labels.len() {
                    r.extend(services(s, i).iter().map(|svc| {
                        format!("{:.6}", p.by_service[i].get(svc).copied().unwrap_or(0.0))
                    }));
                }
                r
            });
            Csv::new(&head_refs, rows)
        }
    }

    fn tables(&self) -> Vec<Table> {
        let s = self;
        let single = s.labels.len() == 1;
        // With one design, its services by cost at the sweep's last point, largest first: the
        // columns a narrow terminal keeps.
        let service_cols = if single {
            let mut cols = services(s, 0);
            let last = s.points.last().map(|p| &p.by_service[0]);
            let at_last = |svc: &String| last.and_then(|m| m.get(svc)).copied().unwrap_or(0.0);
            cols.sort_by(|a, b| at_last(b).total_cmp(&at_last(a)).then_with(|| a.cmp(b)));
            cols
        } else {
            Vec::new()
        };
        {
            let mut head = vec![s.spec.path.clone()];
            if single {
                head.push("total".into());
                head.extend(service_cols.iter().cloned());
            } else {
                head.extend(s.labels.iter().cloned());
            }
            let right = (0..head.len()).map(|i| i > 0).collect();
            let rows = s
                .points
                .iter()
                .map(|p| {
                    let mut r = vec![qty(p.value)];
                    r.extend(p.totals.iter().map(|t| usd(*t)));
                    if single {
                        r.extend(
                            service_cols
                                .iter()
                                .map(|svc| usd(p.by_service[0].get(svc).copied().unwrap_or(0.0))),
                        );
                    }
                    r
                })
                .collect();
            let table = Table {
                title: format!(
                    "Sweep of {} from {} to {}, USD/month",
                    s.spec.path,
                    qty(s.spec.from),
                    qty(s.spec.to)
                ),
                head,
                right,
                rows,
                notes: break_even_lines(s)
                    .into_iter()
                    .chain([format!("prices: {}", s.prices)])
                    .collect(),
                // Past the total, service columns give way to a narrow terminal.
                optional_from: single.then_some(2),
                ..Table::default()
            };
            vec![table]
        }
    }
}

#[derive(Serialize)]
pub struct JsonSweep<'a> {
    path: &'a str,
    prices: &'a str,
    designs: &'a [String],
    points: Vec<JsonPoint<'a>>,
    break_evens: Vec<JsonBreakEven<'a>>,
}

#[derive(Serialize)]
struct JsonPoint<'a> {
    value: f64,
    total_usd_per_month: &'a [f64],
    by_service: &'a [std::collections::BTreeMap<String, f64>],
}

#[derive(Serialize)]
struct JsonBreakEven<'a> {
    value: f64,
    cheaper_below: &'a str,
    cheaper_above: &'a str,
}

fn json(s: &Sweep) -> JsonSweep<'_> {
    JsonSweep {
        path: &s.spec.path,
        prices: &s.prices,
        designs: &s.labels,
        points: s
            .points
            .iter()
            .map(|p| JsonPoint {
                value: p.value,
                total_usd_per_month: &p.totals,
                by_service: &p.by_service,
            })
            .collect(),
        break_evens: s
            .break_evens
            .iter()
            .map(|b| JsonBreakEven {
                value: b.value,
                cheaper_below: &s.labels[b.cheaper_below],
                cheaper_above: &s.labels[b.cheaper_above],
            })
            .collect(),
    }
}

/// Services by median cost, largest first (ties by name): the order `--by service` uses.
fn by_median(d: &Distribution) -> Vec<(&String, &crate::analysis::uncertainty::Percentiles)> {
    let mut v: Vec<_> = d.by_service.iter().collect();
    v.sort_by(|a, b| b.1.p50.total_cmp(&a.1.p50).then_with(|| a.0.cmp(b.0)));
    v
}

/// The percentiles of a Monte Carlo run, by service and in total.
impl Report for Distribution {
    type Json<'a> = JsonDistribution<'a>;

    fn json(&self) -> JsonDistribution<'_> {
        let d = self;
        JsonDistribution {
            model: &d.model,
            prices: &d.prices,
            samples: d.samples,
            seed: d.seed,
            ranges: &d.ranges,
            total: JsonPercentiles {
                p10: d.total.p10,
                p50: d.total.p50,
                p90: d.total.p90,
            },
            by_service: d
                .by_service
                .iter()
                .map(|(k, p)| {
                    (
                        k.as_str(),
                        JsonPercentiles {
                            p10: p.p10,
                            p50: p.p50,
                            p90: p.p90,
                        },
                    )
                })
                .collect(),
        }
    }

    fn csv(&self) -> Csv {
        let d = self;
        Csv::new(
            &["service", "p10_usd", "p50_usd", "p90_usd"],
            by_median(d)
                .into_iter()
                .map(|(k, p)| {
                    vec![
                        k.clone(),
                        format!("{:.6}", p.p10),
                        format!("{:.6}", p.p50),
                        format!("{:.6}", p.p90),
                    ]
                })
                .chain([vec![
                    "total".into(),
                    format!("{:.6}", d.total.p10),
                    format!("{:.6}", d.total.p50),
                    format!("{:.6}", d.total.p90),
                ]]),
        )
    }

    fn tables(&self) -> Vec<Table> {
        let d = self;
        let rows: Vec<Vec<String>> = by_median(d)
            .into_iter()
            .map(|(k, p)| vec![k.clone(), usd(p.p10), usd(p.p50), usd(p.p90)])
            .collect();
        vec![Table {
            title: format!(
                "{} — {} samples, seed {}, USD/month",
                d.model, d.samples, d.seed
            ),
            head: vec!["service".into(), "P10".into(), "P50".into(), "P90".into()],
            right: vec![false, true, true, true],
            rows,
            total: Some(vec![
                "TOTAL".into(),
                usd(d.total.p10),
                usd(d.total.p50),
                usd(d.total.p90),
            ]),
            summary: Some(format!(
                "Total P10 {} / P50 {} / P90 {} USD/month",
                usd(d.total.p10),
                usd(d.total.p50),
                usd(d.total.p90)
            )),
            notes: vec![
                format!(
                    "Ranges drawn (log-normal between p10 and p90): {}",
                    d.ranges.join(", ")
                ),
                format!("prices: {}", d.prices),
            ],
            ..Table::default()
        }]
    }
}

#[derive(Serialize)]
struct JsonPercentiles {
    p10: f64,
    p50: f64,
    p90: f64,
}

#[derive(Serialize)]
pub struct JsonDistribution<'a> {
    model: &'a str,
    prices: &'a str,
    samples: usize,
    seed: u64,
    ranges: &'a [String],
    total: JsonPercentiles,
    by_service: std::collections::BTreeMap<&'a str, JsonPercentiles>,
}
