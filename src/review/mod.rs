//! The monthly cost review: what archcost computes for a month (the estimate, the
//! reconciliation, savings against the provisioned baseline, tag coverage, rightsizing, a
//! sweep and the model's ranges) gathered into one document of numbered sections, each with
//! its charts, tables and data. A section whose input is missing is left out, and the
//! document says so. Charts are drawn from the section's data tables, so their numbers are
//! the tables' numbers.
//!
//! [`build`] makes the document (no I/O); [`files`] renders it as `report.md`, `report.html`,
//! `charts/*.svg|png` and `data/*.csv`, ready to be written whole.

mod data;
mod render;

use std::collections::BTreeMap;

pub use data::{Cell, ColumnKind, DataTable};
pub use render::{OutputFile, files};

use crate::analysis::reconcile::Reconciliation;
use crate::analysis::savings::Savings;
use crate::analysis::sweep::Sweep;
use crate::analysis::uncertainty::Distribution;
use crate::charts::{Chart, ChartKind, Marker, Scale, Series};
use crate::engine::estimate::{Estimate, GroupBy};
use crate::model::source::Range;
use crate::report::{EstimateReport, Report, RightsizeReport, Table, TagsReport};
use crate::vocabulary::text::{signed_usd, usd};

/// The actual spend of the month, as far as it was given.
pub enum Actuals<'a> {
    /// No `--actuals`.
    NotGiven,
    /// The source has no spend in the month.
    Missing {
        /// The source as given.
        source: &'a str,
        /// The month asked for.
        month: &'a str,
        /// The months it has.
        available: String,
    },
    /// Reconciled.
    Reconciled(&'a Reconciliation),
}

/// The previous month's spend by service beside this month's.
pub struct Previous<'a> {
    /// The previous month (`2026-09`).
    pub month: &'a str,
    /// Where it was read.
    pub source: &'a str,
    /// Its spend by service code, USD.
    pub by_service: &'a BTreeMap<String, f64>,
    /// This month's spend by service code, USD, from the same kind of source.
    pub current_by_service: &'a BTreeMap<String, f64>,
}

/// Everything a review may show; `None` leaves a section out.
pub struct Inputs<'a> {
    /// The model file as given (`models/x.yaml`).
    pub model: &'a str,
    /// Its estimate for the month.
    pub estimate: &'a Estimate,
    /// The month's actual spend.
    pub actuals: Actuals<'a>,
    /// The previous month, for month over month.
    pub previous: Option<Previous<'a>>,
    /// Savings against the provisioned twin, lever by lever.
    pub savings: Option<&'a Savings>,
    /// Savings against a baseline file, when one was given.
    pub savings_against_file: Option<&'a Savings>,
    /// Tag coverage of the month's bill.
    pub tags: Option<TagsReport<'a>>,
    /// Rightsizing: the model's own and Compute Optimizer's.
    pub rightsizing: Option<RightsizeReport<'a>>,
    /// A sweep of the model (and of the baseline, for the break-even).
    pub sweep: Option<&'a Sweep>,
    /// The model's ranged inputs.
    pub ranges: &'a [Range],
    /// P10/P50/P90 of the model sampled over its ranges.
    pub distribution: Option<&'a Distribution>,
    /// What else was used, in words (`("Compute Optimizer", "co.json")`).
    pub used: Vec<(String, String)>,
}

/// One numbered section of the review.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its anchor (`summary`).
    pub id: &'static str,
    /// Its heading (`1. Summary`).
    pub title: String,
    /// Sentences before the charts.
    pub lines: Vec<String>,
    /// Charts, each drawn from the data below.
    pub charts: Vec<Chart>,
    /// Tables for the reader.
    pub tables: Vec<Table>,
    /// The section's data, as exported.
    pub data: Vec<DataTable>,
}

/// The review document.
#[derive(Debug, Clone)]
pub struct Review {
    /// Its heading.
    pub title: String,
    /// Inputs used, as (what, which).
    pub inputs: Vec<(String, String)>,
    /// Sections left out, as (section, why).
    pub left_out: Vec<(String, String)>,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

impl Review {
    /// Every data table, in section order.
    pub fn data(&self) -> impl Iterator<Item = &DataTable> {
        self.sections.iter().flat_map(|s| s.data.iter())
    }

    /// Every chart, in section order.
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections.iter().flat_map(|s| s.charts.iter())
    }
}

/// The section titles, in order (the HTML check looks for each).
pub const SECTIONS: [(&str, &str); 8] = [
    ("summary", "Summary"),
    ("cost-by-service", "Cost by service"),
    ("estimate-vs-actual", "Estimate against actual"),
    ("savings", "Savings against the provisioned baseline"),
    ("tags", "Tag coverage"),
    ("rightsizing", "Rightsizing"),
    ("cost-vs-scale", "Cost against scale"),
    ("assumptions", "Assumptions"),
];

fn title_of(id: &str) -> String {
    let i = SECTIONS.iter().position(|(s, _)| *s == id).unwrap_or(0);
    format!("{}. {}", i + 1, SECTIONS[i].1)
}

fn section(id: &'static str) -> Section {
    Section {
        id,
        title: title_of(id),
        lines: Vec::new(),
        charts: Vec::new(),
        tables: Vec::new(),
        data: Vec::new(),
    }
}

/// Builds the review from what was computed.
pub fn build(inputs: &Inputs<'_>) -> Review {
    let e = inputs.estimate;
    let mut used = vec![
        (
            "model".to_string(),
            format!("{} ({})", inputs.model, e.model),
        ),
        ("month".to_string(), e.period.label().to_string()),
        ("prices".to_string(), e.prices.clone()),
    ];
    match &inputs.actuals {
        Actuals::Reconciled(r) => used.push(("actuals".into(), r.source.clone())),
        Actuals::Missing { source, .. } => used.push(("actuals".into(), source.to_string())),
        Actuals::NotGiven => {}
    }
    if let Some(p) = &inputs.previous {
        used.push((
            "previous month".into(),
            format!("{} ({})", p.month, p.source),
        ));
    }
    used.extend(inputs.used.iter().cloned());
    let mut left_out = Vec::new();
    let mut sections = vec![summary(inputs), cost_by_service(inputs)];
    let mut leave = |id: &str, why: &str| left_out.push((title_of(id), why.to_string()));
    match &inputs.actuals {
        Actuals::Reconciled(r) => sections.push(estimate_vs_actual(r)),
        Actuals::Missing { source, month, .. } => {
            let mut s = section("estimate-vs-actual");
            s.lines.push(format!(
                "{source} has no spend for {month}: there is nothing to reconcile this month."
            ));
            sections.push(s);
        }
        Actuals::NotGiven => leave("estimate-vs-actual", "no actuals given (--actuals)"),
    }
    match inputs.savings {
        Some(s) => sections.push(savings(s, inputs.savings_against_file)),
        None => leave("savings", "no savings computed"),
    }
    match &inputs.tags {
        Some(t) => sections.push(tags(t)),
        None => leave(
            "tags",
            "no required tags (--require-tags) or no bill export to check them on",
        ),
    }
    match &inputs.rightsizing {
        Some(r) => sections.push(rightsizing(r)),
        None => leave("rightsizing", "no rightsizing computed"),
    }
    match inputs.sweep {
        Some(s) => sections.push(cost_vs_scale(s)),
        None => leave(
            "cost-vs-scale",
            "no sweep asked for (--sweep PATH=FROM..TO)",
        ),
    }
    if inputs.ranges.is_empty() {
        leave("assumptions", "the model has no ranged inputs ({p10, p90})");
    } else {
        sections.push(assumptions(inputs.ranges, inputs.distribution));
    }
    Review {
        title: format!("Monthly cost review — {} — {}", e.model, e.period.label()),
        inputs: used,
        left_out,
        sections,
    }
}

/// Variance status against the tolerance.
fn status(variance_percent: f64, tolerance_percent: f64) -> String {
    if variance_percent.abs() <= tolerance_percent {
        format!("within ±{tolerance_percent}%")
    } else if variance_percent > 0.0 {
        format!("over the estimate by {variance_percent:.1}% (tolerance ±{tolerance_percent}%)")
    } else {
        format!(
            "under the estimate by {:.1}% (tolerance ±{tolerance_percent}%)",
            -variance_percent
        )
    }
}

fn percent_of(part: f64, whole: f64) -> Option<f64> {
    (whole.abs() > 1e-9).then(|| 100.0 * part / whole)
}

fn summary(inputs: &Inputs<'_>) -> Section {
    let e = inputs.estimate;
    let mut s = section("summary");
    let mut data = DataTable::new("summary", &["measure", "usd:n", "percent:n", "detail"]);
    data.push(vec![
        "estimate".into(),
        e.total_usd().into(),
        Cell::Empty,
        format!("{} for {}", inputs.model, e.period.label()).into(),
    ]);
    match &inputs.actuals {
        Actuals::Reconciled(r) => {
            let actual = r.actual_usage_usd();
            let variance = actual - r.estimated_usd();
            let pct = percent_of(variance, r.estimated_usd());
            data.push(vec![
                "actual usage".into(),
                actual.into(),
                Cell::Empty,
                r.source.clone().into(),
            ]);
            data.push(vec![
                "variance".into(),
                variance.into(),
                pct.into(),
                pct.map_or("no estimate to compare".to_string(), |p| {
                    status(p, r.tolerance_percent)
                })
                .into(),
            ]);
        }
        Actuals::Missing {
            source,
            month,
            available,
        } => {
            data.push(vec![
                "actual usage".into(),
                Cell::Empty,
                Cell::Empty,
                format!("{source} has no spend for {month} (it has {available})").into(),
            ]);
        }
        Actuals::NotGiven => {}
    }
    let mut movers = DataTable::new(
        "movers",
        &["service", "previous_usd:n", "current_usd:n", "change_usd:n"],
    );
    if let Some(p) = &inputs.previous {
        let before: f64 = p.by_service.values().sum();
        let now: f64 = p.current_by_service.values().sum();
        data.push(vec![
            format!("actual, {}", p.month).into(),
            before.into(),
            Cell::Empty,
            p.source.into(),
        ]);
        data.push(vec![
            "month over month".into(),
            (now - before).into(),
            percent_of(now - before, before).into(),
            format!("{} → {}", usd(before), usd(now)).into(),
        ]);
        let mut changes: Vec<(String, f64, f64)> = p
            .by_service
            .keys()
            .chain(p.current_by_service.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|k| {
                let a = p.by_service.get(k).copied().unwrap_or(0.0);
                let b = p.current_by_service.get(k).copied().unwrap_or(0.0);
                (k.clone(), a, b)
            })
            .collect();
        changes.sort_by(|x, y| (y.2 - y.1).abs().total_cmp(&(x.2 - x.1).abs()));
        for (k, a, b) in changes.into_iter().take(3) {
            movers.push(vec![k.into(), a.into(), b.into(), (b - a).into()]);
        }
    }
    let mut month = table_of(
        "The month".into(),
        &data,
        &[
            ("", Shown::Text),
            ("USD", Shown::Usd),
            ("%", Shown::SignedShare),
            ("", Shown::Text),
        ],
    );
    // A row with a percentage is a change: its USD reads with a sign.
    for (row, cells) in month.rows.iter_mut().zip(&data.rows) {
        if let (Cell::Number(v), Cell::Number(_)) = (&cells[1], &cells[2]) {
            row[1] = signed_usd(*v);
        }
    }
    s.tables.push(month);
    if !movers.rows.is_empty() {
        s.tables.push(table_of(
            "The three largest movers, by service".into(),
            &movers,
            &[
                ("service", Shown::Text),
                ("previous", Shown::Usd),
                ("this month", Shown::Usd),
                ("change", Shown::SignedUsd),
            ],
        ));
        s.data.push(movers);
    }
    s.data.insert(0, data);
    s
}

/// How a data column reads in a table.
#[derive(Debug, Clone, Copy)]
enum Shown {
    Text,
    Usd,
    SignedUsd,
    Share,
    SignedShare,
    Number,
}

/// A cell as a reader's table shows it.
fn shown(c: &Cell, how: Shown) -> String {
    match (c, how) {
        (Cell::Empty, _) => String::new(),
        (Cell::Text(t), _) => t.clone(),
        (Cell::Number(v), Shown::Usd) => usd(*v),
        (Cell::Number(v), Shown::SignedUsd) => signed_usd(*v),
        (Cell::Number(v), Shown::Share) => format!("{v:.1}%"),
        (Cell::Number(v), Shown::SignedShare) => format!("{v:+.1}%"),
        (Cell::Number(v), Shown::Text | Shown::Number) => {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

/// A data table as a reader's table: a heading and a way of showing for each column.
fn table_of(title: String, data: &DataTable, columns: &[(&str, Shown)]) -> Table {
    Table {
        title,
        head: columns.iter().map(|(h, _)| h.to_string()).collect(),
        right: columns
            .iter()
            .map(|(_, how)| !matches!(how, Shown::Text))
            .collect(),
        rows: data
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(columns)
                    .map(|(c, (_, how))| shown(c, *how))
                    .collect()
            })
            .collect(),
        ..Table::default()
    }
}

fn cost_by_service(inputs: &Inputs<'_>) -> Section {
    let e = inputs.estimate;
    let mut s = section("cost-by-service");
    let actual: Option<BTreeMap<&str, f64>> = match &inputs.actuals {
        Actuals::Reconciled(r) => Some(
            r.by_service
                .iter()
                .map(|g| (g.key.as_str(), g.actual_usd))
                .collect(),
        ),
        _ => None,
    };
    // Largest estimate first, as `grouped` gives them; then services only the bill has
    // (unmapped spend), at an estimate of 0.
    let mut by_service = e.grouped(GroupBy::Service);
    if let Some(a) = &actual {
        for k in a.keys() {
            if !by_service.iter().any(|(s, _)| s == k) {
                by_service.push((k.to_string(), 0.0));
            }
        }
    }
    let mut data = DataTable::new(
        "cost_by_service",
        &["service", "estimate_usd:n", "actual_usd:n"],
    );
    for (k, v) in &by_service {
        let a = actual
            .as_ref()
            .map(|m| m.get(k.as_str()).copied().unwrap_or(0.0));
        data.push(vec![k.clone().into(), (*v).into(), a.into()]);
    }
    let mut series = vec![Series {
        name: "estimate".into(),
        values: data.values("estimate_usd"),
    }];
    if actual.is_some() {
        series.push(Series {
            name: "actual".into(),
            values: data.values("actual_usd"),
        });
    }
    s.charts.push(Chart {
        id: "cost-by-service".into(),
        title: format!("Cost by service, {}", e.period.label()),
        value_label: "USD/month".into(),
        scale: Scale::Usd,
        kind: ChartKind::Bars {
            categories: data.texts("service"),
            series,
            stacked: false,
        },
    });
    let total = e.total_usd();
    // Largest first, as `grouped` gives them.
    let components = e.grouped(GroupBy::Component);
    let mut top = DataTable::new(
        "top_components",
        &["component", "usd_per_month:n", "share_percent:n"],
    );
    for (k, v) in components.iter().take(10) {
        top.push(vec![
            k.clone().into(),
            (*v).into(),
            percent_of(*v, total).into(),
        ]);
    }
    let mut by = EstimateReport {
        estimate: e,
        by: Some(GroupBy::Service),
    }
    .tables();
    if let Some(t) = by.first_mut() {
        t.title = "Estimate by service".into();
    }
    s.tables.extend(by);
    s.tables.push(table_of(
        format!("Top {} components", top.rows.len()),
        &top,
        &[
            ("component", Shown::Text),
            ("USD/month", Shown::Usd),
            ("share", Shown::Share),
        ],
    ));
    s.data.push(data);
    s.data.push(top);
    s.data.push(DataTable::from_csv(
        "estimate_lines",
        &EstimateReport {
            estimate: e,
            by: None,
        }
        .csv(),
    ));
    s
}

fn estimate_vs_actual(r: &Reconciliation) -> Section {
    let mut s = section("estimate-vs-actual");
    let mut data = DataTable::new(
        "reconcile_components",
        &[
            "component",
            "estimated_usd:n",
            "actual_usd:n",
            "variance_usd:n",
            "variance_percent:n",
            "price_effect_usd:n",
            "usage_effect_usd:n",
            "status",
        ],
    );
    for g in &r.by_component {
        data.push(vec![
            g.key.clone().into(),
            g.estimated_usd.into(),
            g.actual_usd.into(),
            g.variance_usd().into(),
            percent_of(g.variance_usd(), g.estimated_usd).into(),
            g.price_effect.into(),
            g.usage_effect.into(),
            g.status.key().into(),
        ]);
    }
    s.lines.push(format!(
        "{} against {}; a component is flagged beyond ±{}%. The price effect is the actual quantity × (actual − model unit price); the usage effect is (actual − model quantity) × the model's unit price.",
        r.month, r.source, r.tolerance_percent
    ));
    s.charts.push(Chart {
        id: "estimate-vs-actual".into(),
        title: format!("Estimate against actual by component, {}", r.month),
        value_label: "USD/month".into(),
        scale: Scale::Usd,
        kind: ChartKind::Bars {
            categories: data.texts("component"),
            series: vec![
                Series {
                    name: "estimate".into(),
                    values: data.values("estimated_usd"),
                },
                Series {
                    name: "actual".into(),
                    values: data.values("actual_usd"),
                },
            ],
            stacked: false,
        },
    });
    let mut effects = Vec::new();
    for (name, col) in [
        ("price effect", "price_effect_usd"),
        ("usage effect", "usage_effect_usd"),
    ] {
        effects.push(Series {
            name: name.into(),
            values: data.values(col),
        });
    }
    s.charts.push(Chart {
        id: "variance-effects".into(),
        title: format!(
            "Variance by component: price and usage effects, {}",
            r.month
        ),
        value_label: "USD/month (actual − estimate)".into(),
        scale: Scale::Usd,
        kind: ChartKind::Bars {
            categories: data.texts("component"),
            series: effects,
            stacked: false,
        },
    });
    s.tables.extend(r.tables());
    let mut unmapped = DataTable::new(
        "reconcile_unmapped",
        &["service_code", "usage_type", "quantity:n", "cost_usd:n"],
    );
    for u in &r.unmapped {
        unmapped.push(vec![
            u.service_code.clone().into(),
            u.usage_type.clone().into(),
            u.quantity.into(),
            u.cost_usd.into(),
        ]);
    }
    s.data.push(data);
    s.data.push(unmapped);
    s.data
        .push(DataTable::from_csv("reconcile_lines", &r.csv()));
    s
}

fn savings(sv: &Savings, file: Option<&Savings>) -> Section {
    let mut s = section("savings");
    let mut levers = DataTable::new(
        "savings_levers",
        &["lever", "shapley_usd_per_month:n", "alone_usd_per_month:n"],
    );
    for l in &sv.levers {
        levers.push(vec![
            l.lever.name().into(),
            l.shapley_usd.into(),
            l.alone_usd.into(),
        ]);
    }
    let base = sv.baseline.total_usd();
    let design = sv.design.total_usd();
    let mut summary = DataTable::new("savings_summary", &["measure", "usd:n", "percent:n"]);
    summary.push(vec![
        "baseline at on-demand prices".into(),
        base.into(),
        Cell::Empty,
    ]);
    summary.push(vec!["design".into(), design.into(), Cell::Empty]);
    summary.push(vec![
        "saving".into(),
        sv.saving_usd().into(),
        sv.saving_percent().into(),
    ]);
    if let Some(c) = sv.claimed_percent {
        summary.push(vec!["claimed saving".into(), Cell::Empty, c.into()]);
    }
    if let Some((usd_saved, pct)) = sv.committed_saving() {
        summary.push(vec![
            "saving against the baseline with its best commitment".into(),
            usd_saved.into(),
            pct.into(),
        ]);
    }
    if let Some(f) = file {
        summary.push(vec![
            format!("baseline file {}", f.baseline.model).into(),
            f.baseline.total_usd().into(),
            Cell::Empty,
        ]);
        summary.push(vec![
            "saving against the baseline file".into(),
            f.saving_usd().into(),
            f.saving_percent().into(),
        ]);
    }
    let mut steps: Vec<(String, f64)> = levers
        .texts("lever")
        .into_iter()
        .zip(levers.values("shapley_usd_per_month"))
        .map(|(l, v)| (l, -v))
        .collect();
    let explained: f64 = steps.iter().map(|(_, d)| d).sum();
    let rest = design - base - explained;
    if rest.abs() >= 0.005 {
        steps.push(("other differences".into(), rest));
    }
    s.charts.push(Chart {
        id: "savings-waterfall".into(),
        title: "From the provisioned baseline to the design, lever by lever (Shapley)".into(),
        value_label: "USD/month".into(),
        scale: Scale::Usd,
        kind: ChartKind::Waterfall {
            start: ("provisioned baseline".into(), base),
            steps,
            end: "design".into(),
        },
    });
    if let Some(c) = sv.claimed_percent {
        s.lines.push(format!(
            "The design document claims {c}% savings; computed: {:.1}% against the baseline at on-demand prices{}.",
            sv.saving_percent(),
            match sv.committed_saving() {
                Some((_, p)) => format!(", {p:.1}% against the baseline with its best commitment"),
                None => String::new(),
            }
        ));
    }
    s.tables.extend(sv.tables());
    if let Some(f) = file {
        s.lines.push(format!(
            "Against the baseline file ({}): {} USD/month saved ({:.1}%); its tables follow the lever-by-lever ones.",
            f.baseline.model,
            usd(f.saving_usd()),
            f.saving_percent()
        ));
        s.tables.extend(f.tables());
    }
    s.data.push(summary);
    s.data.push(levers);
    s
}

fn tags(t: &TagsReport<'_>) -> Section {
    let mut s = section("tags");
    let r = t.report;
    let mut data = DataTable::new(
        "tag_coverage",
        &[
            "scope",
            "name",
            "key",
            "cost_usd:n",
            "tagged_usd:n",
            "coverage_percent:n",
        ],
    );
    let mut keys: Vec<String> = r.required.clone();
    keys.push("all keys".into());
    let mut add = |scope: &str, c: &crate::analysis::tags::Coverage| {
        let mut tagged = c.tagged_usd.clone();
        tagged.push(c.all_tagged_usd);
        for (k, v) in keys.iter().zip(tagged) {
            data.push(vec![
                scope.into(),
                c.key.clone().into(),
                k.clone().into(),
                c.cost_usd.into(),
                v.into(),
                percent_of(v, c.cost_usd).into(),
            ]);
        }
    };
    add("overall", &r.overall);
    for c in &r.by_service {
        add("service", c);
    }
    let overall: Vec<f64> = data
        .rows
        .iter()
        .filter(|row| row[0] == Cell::from("overall"))
        .filter_map(|row| match row[5] {
            Cell::Number(v) => Some(v),
            _ => None,
        })
        .collect();
    s.charts.push(Chart {
        id: "tag-coverage".into(),
        title: "Share of cost carrying each required tag".into(),
        value_label: "% of cost".into(),
        scale: Scale::Percent,
        kind: ChartKind::Bars {
            categories: keys.clone(),
            series: vec![Series {
                name: "coverage".into(),
                values: overall,
            }],
            stacked: false,
        },
    });
    let services: Vec<String> = r.by_service.iter().map(|c| c.key.clone()).collect();
    if !services.is_empty() {
        let series = r
            .required
            .iter()
            .map(|k| Series {
                name: k.clone(),
                values: services
                    .iter()
                    .map(|svc| {
                        data.rows
                            .iter()
                            .find(|row| {
                                row[0] == Cell::from("service")
                                    && row[1] == Cell::from(svc.as_str())
                                    && row[2] == Cell::from(k.as_str())
                            })
                            .and_then(|row| match row[5] {
                                Cell::Number(v) => Some(v),
                                _ => None,
                            })
                            .unwrap_or(0.0)
                    })
                    .collect(),
            })
            .collect();
        s.charts.push(Chart {
            id: "tag-coverage-by-service".into(),
            title: "Tag coverage by service and key".into(),
            value_label: "% of the service's cost".into(),
            scale: Scale::Percent,
            kind: ChartKind::Bars {
                categories: services,
                series,
                stacked: false,
            },
        });
    }
    s.tables.extend(t.tables());
    let mut untagged = DataTable::new(
        "tag_untagged",
        &["resource", "service", "account", "cost_usd:n", "missing"],
    );
    for u in &r.untagged {
        untagged.push(vec![
            u.resource.clone().into(),
            u.service.clone().into(),
            u.account.clone().into(),
            u.cost_usd.into(),
            u.missing.join(";").into(),
        ]);
    }
    s.data.push(data);
    s.data.push(untagged);
    s
}

fn rightsizing(r: &RightsizeReport<'_>) -> Section {
    let mut s = section("rightsizing");
    s.tables.extend(r.tables());
    s.data.push(DataTable::from_csv("rightsizing", &r.csv()));
    s
}

fn cost_vs_scale(sw: &Sweep) -> Section {
    let mut s = section("cost-vs-scale");
    let mut data = DataTable::new("sweep", &["value:n", "design", "total_usd:n"]);
    for p in &sw.points {
        for (label, t) in sw.labels.iter().zip(&p.totals) {
            data.push(vec![p.value.into(), label.clone().into(), (*t).into()]);
        }
    }
    let x: Vec<f64> = sw.points.iter().map(|p| p.value).collect();
    let series = sw
        .labels
        .iter()
        .map(|label| Series {
            name: label.clone(),
            values: data
                .rows
                .iter()
                .filter(|row| row[1] == Cell::from(label.as_str()))
                .filter_map(|row| match row[2] {
                    Cell::Number(v) => Some(v),
                    _ => None,
                })
                .collect(),
        })
        .collect();
    let mut breaks = DataTable::new("break_even", &["value:n", "cheaper_below", "cheaper_above"]);
    for b in &sw.break_evens {
        breaks.push(vec![
            b.value.into(),
            sw.labels[b.cheaper_below].clone().into(),
            sw.labels[b.cheaper_above].clone().into(),
        ]);
    }
    s.charts.push(Chart {
        id: "cost-vs-scale".into(),
        title: format!("Monthly cost against {}", sw.spec.path),
        value_label: "USD/month".into(),
        scale: Scale::Usd,
        kind: ChartKind::Lines {
            x_label: sw.spec.path.clone(),
            x,
            series,
            markers: sw
                .break_evens
                .iter()
                .map(|b| Marker {
                    x: b.value,
                    label: format!("break-even at {}", round_for_label(b.value)),
                })
                .collect(),
        },
    });
    s.tables.extend(sw.tables());
    s.data.push(data);
    if !breaks.rows.is_empty() {
        s.data.push(breaks);
    }
    s
}

fn round_for_label(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn assumptions(ranges: &[Range], d: Option<&Distribution>) -> Section {
    let mut s = section("assumptions");
    let mut data = DataTable::new("assumptions", &["path", "p10:n", "median:n", "p90:n"]);
    for r in ranges {
        data.push(vec![
            r.path.clone().into(),
            r.p10.into(),
            r.median().into(),
            r.p90.into(),
        ]);
    }
    s.lines.push(
        "Inputs the model gives as ranges ({p10, p90}, drawn log-normal); the estimate uses each one's median."
            .into(),
    );
    s.tables.push(table_of(
        "Ranged inputs".into(),
        &data,
        &[
            ("field", Shown::Text),
            ("P10", Shown::Number),
            ("median", Shown::Number),
            ("P90", Shown::Number),
        ],
    ));
    s.data.push(data);
    match d {
        Some(d) => {
            s.tables.extend(d.tables());
            s.data.push(DataTable::from_csv("distribution", &d.csv()));
        }
        None => s
            .lines
            .push("Not sampled: --samples N gives the P10/P50/P90 of the monthly cost.".into()),
    }
    s
}
