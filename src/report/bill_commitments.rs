//! A month's commitments on the bill as tables, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::bill_commitments::BillCommitments;
use crate::vocabulary::text::usd;

/// A month's commitments, with the bill they were read from.
pub struct BillCommitmentsReport<'a> {
    /// The bill (`exports/ (FOCUS)`).
    pub source: &'a str,
    /// What was found.
    pub bill: &'a BillCommitments,
}

/// The last part of a commitment's ARN (`sp-1` of `…:savingsplan/sp-1`).
fn short(id: &str) -> &str {
    id.rsplit(['/', ':']).next().unwrap_or(id)
}

impl Report for BillCommitmentsReport<'_> {
    type Json<'b>
        = JsonBill<'b>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        let b = self.bill;
        let mut notes = vec![format!(
            "Savings Plans cover {:.1}% of the usage they may cover (EC2 instances, Fargate, Lambda; Spot never): {} USD at on-demand prices covered, {} USD left on demand.",
            b.coverage_percent(),
            usd(b.plans_covered_list_usd()),
            usd(b.eligible_on_demand_usd)
        )];
        if b.unknown_on_demand_usd > 0.0 {
            notes.push(format!(
                "{} USD of on-demand usage has no usage type: whether a plan may cover it is not known, and it is left out of the coverage.",
                usd(b.unknown_on_demand_usd)
            ));
        }
        notes.push("Used: the commitment's effective cost of the usage it covered; unused: what it did not spend; net saving: the covered usage at on-demand prices less the whole commitment.".into());
        vec![Table {
            title: format!("Commitments on the bill {} — {}", self.source, b.month),
            head: [
                "commitment",
                "type",
                "used $",
                "unused $",
                "utilisation",
                "covered at on-demand $",
                "net saving $",
            ]
            .map(String::from)
            .to_vec(),
            right: vec![false, false, true, true, true, true, true],
            rows: b
                .commitments
                .iter()
                .map(|c| {
                    vec![
                        short(&c.id).to_string(),
                        c.kind.clone(),
                        usd(c.used_usd),
                        usd(c.unused_usd),
                        format!("{:.1}%", c.utilization_percent()),
                        usd(c.covered_list_usd),
                        usd(c.net_saving_usd()),
                    ]
                })
                .collect(),
            notes,
            ..Table::default()
        }]
    }

    fn csv(&self) -> Csv {
        Csv::new(
            &[
                "month",
                "commitment",
                "type",
                "used_usd",
                "unused_usd",
                "utilization_percent",
                "covered_on_demand_usd",
                "net_saving_usd",
            ],
            self.bill.commitments.iter().map(|c| {
                vec![
                    self.bill.month.clone(),
                    c.id.clone(),
                    c.kind.clone(),
                    format!("{:.6}", c.used_usd),
                    format!("{:.6}", c.unused_usd),
                    format!("{:.6}", c.utilization_percent()),
                    format!("{:.6}", c.covered_list_usd),
                    format!("{:.6}", c.net_saving_usd()),
                ]
            }),
        )
    }

    fn json(&self) -> JsonBill<'_> {
        let b = self.bill;
        JsonBill {
            source: self.source,
            month: &b.month,
            coverage_percent: b.coverage_percent(),
            eligible_on_demand_usd: b.eligible_on_demand_usd,
            unknown_on_demand_usd: b.unknown_on_demand_usd,
            commitments: b
                .commitments
                .iter()
                .map(|c| JsonCommitment {
                    id: &c.id,
                    kind: &c.kind,
                    used_usd: c.used_usd,
                    unused_usd: c.unused_usd,
                    utilization_percent: c.utilization_percent(),
                    covered_on_demand_usd: c.covered_list_usd,
                    net_saving_usd: c.net_saving_usd(),
                })
                .collect(),
        }
    }
}

/// The month's commitments in JSON.
#[derive(Serialize)]
pub struct JsonBill<'a> {
    source: &'a str,
    month: &'a str,
    coverage_percent: f64,
    eligible_on_demand_usd: f64,
    unknown_on_demand_usd: f64,
    commitments: Vec<JsonCommitment<'a>>,
}

/// One commitment in JSON.
#[derive(Serialize)]
pub struct JsonCommitment<'a> {
    id: &'a str,
    kind: &'a str,
    used_usd: f64,
    unused_usd: f64,
    utilization_percent: f64,
    covered_on_demand_usd: f64,
    net_saving_usd: f64,
}
