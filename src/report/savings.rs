//! Savings against a provisioned baseline as a table, JSON, CSV or Markdown, ending with the
//! line that sets the design's claim beside archcost's finding.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::savings::{BASELINE_PLAN, Savings};
use crate::model::commitment::compute_savings_plan_name;
use crate::vocabulary::text::usd;

/// Savings: the totals, the levers with their Shapley and one-at-a-time savings, and the claim.
impl Report for Savings {
    type Json<'a> = JsonSavings<'a>;

    fn tables(&self) -> Vec<Table> {
        tables(self)
    }

    fn csv(&self) -> Csv {
        Csv::new(
            &["lever", "shapley_usd_per_month", "alone_usd_per_month"],
            self.levers
                .iter()
                .map(|l| {
                    vec![
                        l.lever.name().to_string(),
                        format!("{:.6}", l.shapley_usd),
                        format!("{:.6}", l.alone_usd),
                    ]
                })
                .chain([vec![
                    "total".to_string(),
                    format!("{:.6}", self.saving_usd()),
                    String::new(),
                ]]),
        )
    }

    fn json(&self) -> JsonSavings<'_> {
        json(self)
    }
}

/// The closing line: the claim, what archcost finds, and whether the claim holds.
pub(crate) fn claim_line(s: &Savings) -> String {
    let found = format!(
        "archcost finds {:.1}% ({} of {} USD/month)",
        s.saving_percent(),
        usd(s.saving_usd()),
        usd(s.baseline.total_usd())
    );
    match s.claimed_percent {
        Some(claim) if s.saving_percent() + 0.05 >= claim => {
            format!(
                "Claim: {claim}% saving over provisioned infrastructure; {found}: the claim holds under this model's assumptions."
            )
        }
        Some(claim) => format!(
            "Claim: {claim}% saving over provisioned infrastructure; {found}: the claim does not hold under this model's assumptions."
        ),
        None => format!("The model states no savings claim (claimed_savings_percent); {found}."),
    }
}

/// How the baseline is priced, and the saving against it bought with its best Savings Plan.
pub(crate) fn committed_line(s: &Savings) -> String {
    match (&s.committed_baseline, s.committed_saving()) {
        (Ok(c), Some((saving, percent))) => format!(
            "The baseline above is priced on demand. Bought with its best {} ({:.3} USD an hour, see `archcost commit`) it costs {} USD/month, and the design saves {} USD/month against it ({percent:.1}%){}.",
            c.plan,
            c.usd_per_hour,
            usd(c.total_usd),
            usd(saving),
            match s.claimed_percent {
                Some(claim) if percent + 0.05 >= claim =>
                    format!("; the {claim}% claim holds against it too"),
                Some(claim) => format!("; against it the {claim}% claim does not hold"),
                None => String::new(),
            }
        ),
        (Err(why), _) => format!(
            "The baseline above is priced on demand; with a Savings Plan it cannot be priced here: {why}"
        ),
        _ => "The baseline above is priced on demand.".to_string(),
    }
}

fn tables(s: &Savings) -> Vec<Table> {
    let title = format!(
        "{} — savings against {} — {}",
        s.design.model,
        s.baseline.model,
        s.design.period.label()
    );
    let summary = Table {
        title,
        head: vec!["".into(), "USD/month".into(), "".into()],
        right: vec![false, true, true],
        rows: vec![
            vec![
                "baseline".into(),
                usd(s.baseline.total_usd()),
                String::new(),
            ],
            vec!["design".into(), usd(s.design.total_usd()), String::new()],
            vec![
                "saving".into(),
                usd(s.saving_usd()),
                format!("{:.1}%", s.saving_percent()),
            ],
        ],
        ..Table::default()
    };
    let mut notes = Vec::new();
    if !s.unused.is_empty() {
        notes.push(format!(
            "Levers the design does not use: {}.",
            s.unused
                .iter()
                .map(|l| l.name())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if s.levers.is_empty() {
        notes.push("No lever breakdown: the baseline was given as its own model.".into());
    } else {
        notes.push("Shapley: each lever's saving averaged over every order of applying the levers; they add up to the total. Alone: that lever applied to the baseline by itself.".into());
        notes.push("Rightsizing (Compute Optimizer) is not derived from the model: the twin keeps the design's task and instance sizes.".into());
    }
    notes.push(format!("prices: {}", s.design.prices));
    notes.push(committed_line(s));
    notes.push(claim_line(s));
    let share = |x: f64| {
        if s.saving_usd() != 0.0 {
            format!("{:.1}%", x / s.saving_usd() * 100.0)
        } else {
            "—".into()
        }
    };
    let levers = Table {
        title: "Levers".into(),
        head: vec![
            "lever".into(),
            "Shapley USD/month".into(),
            "share".into(),
            "alone USD/month".into(),
        ],
        right: vec![false, true, true, true],
        rows: s
            .levers
            .iter()
            .map(|l| {
                vec![
                    l.lever.name().into(),
                    usd(l.shapley_usd),
                    share(l.shapley_usd),
                    usd(l.alone_usd),
                ]
            })
            .collect(),
        total: Some(vec![
            "TOTAL".into(),
            usd(s.saving_usd()),
            share(s.saving_usd()),
            String::new(),
        ]),
        notes,
        ..Table::default()
    };
    if s.levers.is_empty() {
        // A baseline given as a file has no levers: the totals and the closing lines only.
        let mut summary = summary;
        summary.notes = levers.notes;
        return vec![summary];
    }
    vec![summary, levers]
}

#[derive(Serialize)]
pub struct JsonSavings<'a> {
    design: &'a str,
    prices: &'a str,
    baseline: &'a str,
    design_usd_per_month: f64,
    baseline_usd_per_month: f64,
    saving_usd_per_month: f64,
    saving_percent: f64,
    levers: Vec<JsonLever>,
    unused_levers: Vec<&'static str>,
    claim: JsonClaim,
    baseline_priced: &'static str,
    committed_baseline: Option<JsonCommitted>,
}

#[derive(Serialize)]
pub struct JsonCommitted {
    plan: String,
    usd_per_hour: f64,
    baseline_usd_per_month: Option<f64>,
    saving_usd_per_month: Option<f64>,
    saving_percent: Option<f64>,
    unpriced: Option<String>,
    statement: String,
}

#[derive(Serialize)]
pub struct JsonLever {
    lever: &'static str,
    shapley_usd_per_month: f64,
    alone_usd_per_month: f64,
}

#[derive(Serialize)]
pub struct JsonClaim {
    claimed_percent: Option<f64>,
    found_percent: f64,
    holds: Option<bool>,
    statement: String,
}

fn json(s: &Savings) -> JsonSavings<'_> {
    JsonSavings {
        design: &s.design.model,
        prices: &s.design.prices,
        baseline: &s.baseline.model,
        design_usd_per_month: s.design.total_usd(),
        baseline_usd_per_month: s.baseline.total_usd(),
        saving_usd_per_month: s.saving_usd(),
        saving_percent: s.saving_percent(),
        levers: s
            .levers
            .iter()
            .map(|l| JsonLever {
                lever: l.lever.name(),
                shapley_usd_per_month: l.shapley_usd,
                alone_usd_per_month: l.alone_usd,
            })
            .collect(),
        unused_levers: s.unused.iter().map(|l| l.name()).collect(),
        claim: JsonClaim {
            claimed_percent: s.claimed_percent,
            found_percent: s.saving_percent(),
            holds: s.claimed_percent.map(|c| s.saving_percent() + 0.05 >= c),
            statement: claim_line(s),
        },
        baseline_priced: "on_demand",
        committed_baseline: Some(match &s.committed_baseline {
            Ok(c) => JsonCommitted {
                plan: c.plan.clone(),
                usd_per_hour: c.usd_per_hour,
                baseline_usd_per_month: Some(c.total_usd),
                saving_usd_per_month: s.committed_saving().map(|x| x.0),
                saving_percent: s.committed_saving().map(|x| x.1),
                unpriced: None,
                statement: committed_line(s),
            },
            Err(why) => JsonCommitted {
                plan: compute_savings_plan_name(BASELINE_PLAN.0, BASELINE_PLAN.1),
                usd_per_hour: 0.0,
                baseline_usd_per_month: None,
                saving_usd_per_month: None,
                saving_percent: None,
                unpriced: Some(why.clone()),
                statement: committed_line(s),
            },
        }),
    }
}
