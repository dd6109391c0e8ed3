//! Tag coverage as tables, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::tags::{ComponentGap, Coverage, TagReport, Variants};
use crate::vocabulary::text::usd;

/// A tag report with what it was read from.
pub struct TagsReport<'a> {
    /// The analysis.
    pub report: &'a TagReport,
    /// The bill (`exports/ (FOCUS)`).
    pub source: &'a str,
    /// The cost measured (`effective: EffectiveCost`).
    pub cost: &'a str,
    /// A model's components checked against the policy: (model name, gaps).
    pub model: Option<(&'a str, &'a [ComponentGap])>,
}

fn percent(c: &Coverage, usd_amount: f64) -> String {
    if usd_amount.is_nan() {
        "n/a".into()
    } else {
        format!("{:.1}%", c.percent(usd_amount))
    }
}

fn coverage_table(title: &str, first: &str, r: &TagReport, rows: &[Coverage]) -> Table {
    let mut head = vec![first.to_string(), "USD".into()];
    head.extend(r.required.iter().cloned());
    head.push("all keys".into());
    let n = head.len();
    Table {
        title: title.to_string(),
        head,
        right: (0..n).map(|i| i > 0).collect(),
        rows: rows
            .iter()
            .map(|c| {
                let mut row = vec![c.key.clone(), usd(c.cost_usd)];
                row.extend(c.tagged_usd.iter().map(|t| percent(c, *t)));
                row.push(percent(c, c.all_tagged_usd));
                row
            })
            .collect(),
        shrink: Some(0),
        ..Table::default()
    }
}

fn variants_rows(v: &[Variants]) -> Vec<Vec<String>> {
    v.iter()
        .map(|v| {
            vec![
                v.key.clone(),
                v.canonical.clone(),
                v.spellings
                    .iter()
                    .map(|(s, c)| format!("`{s}` {}", usd(*c)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect()
}

impl Report for TagsReport<'_> {
    type Json<'b>
        = JsonTags<'b>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        let r = self.report;
        let mut overall = coverage_table(
            &format!(
                "Tag coverage of {}, {} cost: share of cost carrying each required key",
                self.source, self.cost
            ),
            "",
            r,
            std::slice::from_ref(&r.overall),
        );
        overall.notes = r.warnings.iter().map(|w| format!("warning: {w}")).collect();
        let untaggable: f64 = r.untaggable.values().sum();
        overall.notes.push(if r.per_key_only {
            "Usage records only (Cost Explorer RECORD_TYPE Usage, DiscountedUsage, SavingsPlanCoveredUsage).".into()
        } else if r.include_untaggable {
            format!(
                "Lines that cannot carry tags (no resource id, or not usage: {} USD) are in the denominator (--include-untaggable).",
                usd(untaggable)
            )
        } else {
            format!(
                "Lines that cannot carry tags (no resource id, or not usage: {} USD) are left out of the denominator; --include-untaggable keeps them.",
                usd(untaggable)
            )
        });
        let mut tables = vec![
            overall,
            coverage_table("By service", "service", r, &r.by_service),
        ];
        if !r.per_key_only {
            tables.push(coverage_table("By account", "account", r, &r.by_account));
        }
        if r.by_month.len() > 1 {
            tables.push(coverage_table("By month", "month", r, &r.by_month));
        }
        if !r.per_key_only {
            tables.push(Table {
                title: format!(
                    "Costliest resources lacking a required key ({})",
                    r.untagged.len()
                ),
                head: vec![
                    "resource".into(),
                    "service".into(),
                    "account".into(),
                    "USD".into(),
                    "lacks".into(),
                ],
                right: vec![false, false, false, true, false],
                rows: r
                    .untagged
                    .iter()
                    .map(|u| {
                        vec![
                            u.resource.clone(),
                            u.service.clone(),
                            u.account.clone(),
                            usd(u.cost_usd),
                            u.missing.join(", "),
                        ]
                    })
                    .collect(),
                shrink: Some(0),
                ..Table::default()
            });
        }
        if !r.untaggable.is_empty() {
            tables.push(Table {
                title: "Lines that cannot carry tags".into(),
                head: vec!["charge".into(), "USD".into()],
                right: vec![false, true],
                rows: r
                    .untaggable
                    .iter()
                    .map(|(c, v)| vec![c.key().to_string(), usd(*v)])
                    .collect(),
                ..Table::default()
            });
        }
        let head = vec!["key".into(), "means".into(), "spellings (USD)".into()];
        if !r.value_variants.is_empty() {
            tables.push(Table {
                title: "Values spelt several ways".into(),
                head: head.clone(),
                right: vec![false; 3],
                rows: variants_rows(&r.value_variants),
                shrink: Some(2),
                ..Table::default()
            });
        }
        if !r.key_variants.is_empty() {
            tables.push(Table {
                title: "Keys spelt several ways".into(),
                head,
                right: vec![false; 3],
                rows: variants_rows(&r.key_variants),
                shrink: Some(2),
                ..Table::default()
            });
        }
        if let Some((model, gaps)) = self.model {
            tables.push(Table {
                title: format!(
                    "Components of {model} untagged or mis-tagged under the policy ({})",
                    gaps.len()
                ),
                head: vec![
                    "component".into(),
                    "kind".into(),
                    "USD/month".into(),
                    "lacks".into(),
                    "outside the policy".into(),
                    "declared at".into(),
                ],
                right: vec![false, false, true, false, false, false],
                rows: gaps
                    .iter()
                    .map(|g| {
                        vec![
                            g.component.clone(),
                            g.kind.to_string(),
                            g.usd_per_month.map(usd).unwrap_or_default(),
                            g.missing.join(", "),
                            g.disallowed
                                .iter()
                                .map(|(k, v)| format!("{k}={v}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                            g.location.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
                notes: if gaps.is_empty() {
                    vec!["Every component carries the required keys with allowed values.".into()]
                } else {
                    Vec::new()
                },
                shrink: Some(5),
                ..Table::default()
            });
        }
        if !r.disallowed.is_empty() {
            tables.push(Table {
                title: "Values outside the policy".into(),
                head: vec!["key".into(), "value".into(), "USD".into()],
                right: vec![false, false, true],
                rows: r
                    .disallowed
                    .iter()
                    .map(|d| vec![d.key.clone(), d.value.clone(), usd(d.cost_usd)])
                    .collect(),
                ..Table::default()
            });
        }
        tables
    }

    fn csv(&self) -> Csv {
        let r = self.report;
        let mut head: Vec<String> = vec!["section".into(), "key".into(), "cost_usd".into()];
        head.extend(r.required.iter().map(|k| format!("{k}_usd")));
        head.extend(["all_keys_usd".to_string(), "detail".to_string()]);
        let width = head.len();
        let blank = |section: &str, key: &str, cost: f64, detail: String| {
            let mut row = vec![String::new(); width];
            row[0] = section.into();
            row[1] = key.into();
            row[2] = format!("{cost:.6}");
            row[width - 1] = detail;
            row
        };
        let coverage = |section: &'static str, c: &Coverage| {
            let mut row = vec![
                section.to_string(),
                c.key.clone(),
                format!("{:.6}", c.cost_usd),
            ];
            row.extend(c.tagged_usd.iter().map(|t| format!("{t:.6}")));
            row.push(format!("{:.6}", c.all_tagged_usd));
            row.push(String::new());
            row
        };
        let mut rows = vec![coverage("overall", &r.overall)];
        rows.extend(r.by_service.iter().map(|c| coverage("service", c)));
        rows.extend(r.by_account.iter().map(|c| coverage("account", c)));
        rows.extend(r.by_month.iter().map(|c| coverage("month", c)));
        rows.extend(r.untagged.iter().map(|u| {
            blank(
                "untagged",
                &u.resource,
                u.cost_usd,
                format!("lacks {}", u.missing.join(" ")),
            )
        }));
        rows.extend(
            r.untaggable
                .iter()
                .map(|(c, v)| blank("untaggable", c.key(), *v, String::new())),
        );
        for (section, vs) in [
            ("value_variant", &r.value_variants),
            ("key_variant", &r.key_variants),
        ] {
            for v in vs {
                rows.extend(v.spellings.iter().map(|(s, c)| {
                    blank(section, &format!("{}={s}", v.key), *c, v.canonical.clone())
                }));
            }
        }
        rows.extend(r.disallowed.iter().map(|d| {
            blank(
                "disallowed",
                &format!("{}={}", d.key, d.value),
                d.cost_usd,
                String::new(),
            )
        }));
        let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
        Csv::new(&head_refs, rows)
    }

    fn json(&self) -> JsonTags<'_> {
        let r = self.report;
        let coverage = |c: &Coverage| JsonCoverage {
            key: c.key.clone(),
            cost_usd: c.cost_usd,
            by_key: r
                .required
                .iter()
                .zip(&c.tagged_usd)
                .map(|(k, t)| JsonKeyCoverage {
                    key: k.clone(),
                    tagged_usd: *t,
                    percent: c.percent(*t),
                })
                .collect(),
            all_keys_usd: c.all_tagged_usd,
            all_keys_percent: c.percent(c.all_tagged_usd),
        };
        JsonTags {
            source: self.source,
            cost: self.cost,
            required: &r.required,
            include_untaggable: r.include_untaggable,
            overall: coverage(&r.overall),
            by_service: r.by_service.iter().map(coverage).collect(),
            by_account: r.by_account.iter().map(coverage).collect(),
            by_month: r.by_month.iter().map(coverage).collect(),
            untagged: r
                .untagged
                .iter()
                .map(|u| JsonUntagged {
                    resource: &u.resource,
                    service: &u.service,
                    account: &u.account,
                    cost_usd: u.cost_usd,
                    missing: &u.missing,
                })
                .collect(),
            untaggable: r.untaggable.iter().map(|(c, v)| (c.key(), *v)).collect(),
            value_variants: r.value_variants.iter().map(json_variants).collect(),
            key_variants: r.key_variants.iter().map(json_variants).collect(),
            disallowed: r
                .disallowed
                .iter()
                .map(|d| JsonDisallowed {
                    key: &d.key,
                    value: &d.value,
                    cost_usd: d.cost_usd,
                })
                .collect(),
            warnings: &r.warnings,
            model: self.model.map(|(name, gaps)| JsonModel {
                name,
                components: gaps
                    .iter()
                    .map(|g| JsonGap {
                        component: &g.component,
                        kind: g.kind,
                        usd_per_month: g.usd_per_month,
                        missing: &g.missing,
                        disallowed: g
                            .disallowed
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect(),
                        declared_at: g.location.as_deref(),
                    })
                    .collect(),
            }),
        }
    }

    fn diagnostics(&self) -> Vec<String> {
        self.report
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect()
    }
}

fn json_variants(v: &Variants) -> JsonVariants<'_> {
    JsonVariants {
        key: &v.key,
        means: &v.canonical,
        spellings: v
            .spellings
            .iter()
            .map(|(s, c)| JsonSpelling {
                spelling: s,
                cost_usd: *c,
            })
            .collect(),
    }
}

/// The tag report's JSON.
#[derive(Serialize)]
pub struct JsonTags<'a> {
    source: &'a str,
    cost: &'a str,
    required: &'a [String],
    include_untaggable: bool,
    overall: JsonCoverage,
    by_service: Vec<JsonCoverage>,
    by_account: Vec<JsonCoverage>,
    by_month: Vec<JsonCoverage>,
    untagged: Vec<JsonUntagged<'a>>,
    untaggable: std::collections::BTreeMap<&'static str, f64>,
    value_variants: Vec<JsonVariants<'a>>,
    key_variants: Vec<JsonVariants<'a>>,
    disallowed: Vec<JsonDisallowed<'a>>,
    warnings: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<JsonModel<'a>>,
}

/// A model's components against the policy.
#[derive(Serialize)]
pub struct JsonModel<'a> {
    name: &'a str,
    components: Vec<JsonGap<'a>>,
}

/// One component's gap.
#[derive(Serialize)]
pub struct JsonGap<'a> {
    component: &'a str,
    kind: &'static str,
    usd_per_month: Option<f64>,
    missing: &'a [String],
    disallowed: Vec<String>,
    declared_at: Option<&'a str>,
}

/// Coverage of a slice.
#[derive(Serialize)]
pub struct JsonCoverage {
    key: String,
    cost_usd: f64,
    by_key: Vec<JsonKeyCoverage>,
    all_keys_usd: f64,
    all_keys_percent: f64,
}

/// Coverage of one key.
#[derive(Serialize)]
pub struct JsonKeyCoverage {
    key: String,
    tagged_usd: f64,
    percent: f64,
}

/// An untagged resource.
#[derive(Serialize)]
pub struct JsonUntagged<'a> {
    resource: &'a str,
    service: &'a str,
    account: &'a str,
    cost_usd: f64,
    missing: &'a [String],
}

/// Spellings of one meaning.
#[derive(Serialize)]
pub struct JsonVariants<'a> {
    key: &'a str,
    means: &'a str,
    spellings: Vec<JsonSpelling<'a>>,
}

/// One spelling.
#[derive(Serialize)]
pub struct JsonSpelling<'a> {
    spelling: &'a str,
    cost_usd: f64,
}

/// A value outside the policy.
#[derive(Serialize)]
pub struct JsonDisallowed<'a> {
    key: &'a str,
    value: &'a str,
    cost_usd: f64,
}
