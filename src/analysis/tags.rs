//! Tag coverage of a bill: which share of the cost carries each required cost-allocation tag
//! (and all of them), overall and by service, account and month; the costliest resources that
//! lack one; and tag hygiene (values spelt several ways, values outside a policy's allowed
//! lists, keys that differ only by case).
//!
//! Lines that cannot carry tags (tax, support, credits, fees and any line without a resource
//! id) are reported apart and left out of the denominator unless asked.

use std::collections::BTreeMap;

use crate::analysis::reconcile::ChargeCategory;
use crate::engine::estimate::Estimate;
use crate::model::topology::Topology;

/// The cost of bill lines that share a month, service, account, resource, category and tags.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedCost {
    /// Billing month (`2026-10`).
    pub month: String,
    /// Service code or name.
    pub service: String,
    /// Usage type (empty when the bill gives none).
    pub usage_type: String,
    /// Usage account id.
    pub account: String,
    /// Region code (empty for global lines).
    pub region: String,
    /// Resource id; empty when the line names none.
    pub resource: String,
    /// What the charge is.
    pub category: ChargeCategory,
    /// Cost, USD (billed, effective or list, as read).
    pub cost_usd: f64,
    /// Quantity in the usage type's pricing unit.
    pub quantity: f64,
    /// Tags by key, as the bill spells them (CUR's `user:` prefix removed).
    pub tags: BTreeMap<String, String>,
}

impl TaggedCost {
    /// Whether the line can carry tags: usage on a resource.
    pub fn taggable(&self) -> bool {
        self.category == ChargeCategory::Usage && !self.resource.is_empty()
    }

    /// The value of a tag, when present and not blank.
    fn value(&self, key: &str) -> Option<&str> {
        self.tags
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// A tagging policy: the keys every resource must carry and, for some, the values allowed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagPolicy {
    /// Keys every taggable line must carry.
    pub required: Vec<String>,
    /// Allowed values by key (exact spelling).
    pub allowed: BTreeMap<String, Vec<String>>,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct TagQuery {
    /// The required keys.
    pub required: Vec<String>,
    /// Allowed values by key.
    pub allowed: BTreeMap<String, Vec<String>>,
    /// Keep untaggable lines in the denominator.
    pub include_untaggable: bool,
    /// How many untagged resources to list.
    pub top: usize,
}

/// Coverage of one slice of the bill (all of it, a service, an account, a month).
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// What the slice is (`all`, a service, an account, a month).
    pub key: String,
    /// The slice's cost in the denominator, USD.
    pub cost_usd: f64,
    /// Cost carrying each required key, USD, in the order of the keys.
    pub tagged_usd: Vec<f64>,
    /// Cost carrying every required key, USD.
    pub all_tagged_usd: f64,
}

impl Coverage {
    fn new(key: String, n: usize) -> Self {
        Coverage {
            key,
            cost_usd: 0.0,
            tagged_usd: vec![0.0; n],
            all_tagged_usd: 0.0,
        }
    }

    fn add(&mut self, line: &CoverageLine) {
        self.cost_usd += line.cost_usd;
        for (t, l) in self.tagged_usd.iter_mut().zip(&line.tagged_usd) {
            *t += l;
        }
        self.all_tagged_usd += line.all_tagged_usd;
    }

    /// A share in percent of the slice's cost (100 for a slice that costs nothing).
    pub fn percent(&self, usd: f64) -> f64 {
        if self.cost_usd == 0.0 {
            100.0
        } else {
            usd / self.cost_usd * 100.0
        }
    }
}

/// A resource lacking a required key.
#[derive(Debug, Clone, PartialEq)]
pub struct Untagged {
    /// Resource id.
    pub resource: String,
    /// Its service.
    pub service: String,
    /// Its account.
    pub account: String,
    /// Its cost, USD.
    pub cost_usd: f64,
    /// The required keys it lacks.
    pub missing: Vec<String>,
}

/// Spellings of one tag value (or key) that mean the same thing, with the cost under each.
#[derive(Debug, Clone, PartialEq)]
pub struct Variants {
    /// The tag key (for value variants) or `(keys)` for key variants.
    pub key: String,
    /// What the spellings normalize to.
    pub canonical: String,
    /// Each spelling and the cost under it, costliest first.
    pub spellings: Vec<(String, f64)>,
}

/// A value outside the policy's allowed list for its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Disallowed {
    /// The key.
    pub key: String,
    /// The value as billed.
    pub value: String,
    /// The cost under it, USD.
    pub cost_usd: f64,
}

/// A modeled component that would be untagged (or mis-tagged) under the policy.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentGap {
    /// Component id.
    pub component: String,
    /// Its kind keyword.
    pub kind: &'static str,
    /// Where it is declared (`model.yaml:42:5`).
    pub location: Option<String>,
    /// Its estimated monthly cost, USD, when the model was estimated.
    pub usd_per_month: Option<f64>,
    /// Required keys it lacks (or leaves blank).
    pub missing: Vec<String>,
    /// Its values outside the policy: (key, value).
    pub disallowed: Vec<(String, String)>,
}

/// The components of a model checked against the required keys and allowed values, before any
/// money is spent; with an estimate, each carries its monthly cost.
pub fn model_gaps(
    topology: &Topology,
    estimate: Option<&Estimate>,
    q: &TagQuery,
) -> Vec<ComponentGap> {
    topology
        .components()
        .iter()
        .filter_map(|c| {
            let missing: Vec<String> = q
                .required
                .iter()
                .filter(|k| c.tags.get(*k).is_none_or(|v| v.trim().is_empty()))
                .cloned()
                .collect();
            let disallowed: Vec<(String, String)> = q
                .allowed
                .iter()
                .filter_map(|(k, allowed)| {
                    c.tags
                        .get(k)
                        .filter(|v| !allowed.contains(v))
                        .map(|v| (k.clone(), v.clone()))
                })
                .collect();
            (!missing.is_empty() || !disallowed.is_empty()).then(|| ComponentGap {
                component: c.id.clone(),
                kind: c.spec.kind().keyword(),
                location: c
                    .origin
                    .as_ref()
                    .map(|o| format!("{}:{}:{}", topology.source.file(), o.line, o.column)),
                usd_per_month: estimate.map(|e| e.component_usd(&c.id)),
                missing,
                disallowed,
            })
        })
        .collect()
}

/// The tag report.
#[derive(Debug, Clone, PartialEq)]
pub struct TagReport {
    /// The required keys.
    pub required: Vec<String>,
    /// Whether untaggable lines are in the denominator.
    pub include_untaggable: bool,
    /// The whole bill.
    pub overall: Coverage,
    /// By service, costliest first.
    pub by_service: Vec<Coverage>,
    /// By account, costliest first.
    pub by_account: Vec<Coverage>,
    /// By month, in order (when the bill has several).
    pub by_month: Vec<Coverage>,
    /// The costliest resources lacking a required key.
    pub untagged: Vec<Untagged>,
    /// Untaggable cost by category, USD.
    pub untaggable: BTreeMap<ChargeCategory, f64>,
    /// Values spelt several ways.
    pub value_variants: Vec<Variants>,
    /// Keys spelt several ways (differing by case, spaces, `-` or `_`).
    pub key_variants: Vec<Variants>,
    /// Values outside the policy.
    pub disallowed: Vec<Disallowed>,
    /// Warnings (a required key no line carries).
    pub warnings: Vec<String>,
    /// Read one key at a time (Cost Explorer): no all-keys coverage, accounts or resources,
    /// and usage records only.
    pub per_key_only: bool,
}

/// Well-known synonyms of environment values, normalized to one word.
const SYNONYMS: &[(&str, &str)] = &[
    ("prod", "production"),
    ("prd", "production"),
    ("live", "production"),
    ("dev", "development"),
    ("develop", "development"),
    ("stg", "staging"),
    ("stage", "staging"),
    ("tst", "test"),
    ("testing", "test"),
    ("qa", "test"),
];

/// A value or key reduced to what it means: lower case, without spaces, `-` or `_`, and
/// well-known synonyms merged.
fn normalize(s: &str) -> String {
    let plain: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    SYNONYMS
        .iter()
        .find(|(from, _)| *from == plain)
        .map_or(plain, |(_, to)| to.to_string())
}

fn by_cost(mut v: Vec<Coverage>) -> Vec<Coverage> {
    v.sort_by(|a, b| {
        b.cost_usd
            .total_cmp(&a.cost_usd)
            .then_with(|| a.key.cmp(&b.key))
    });
    v
}

/// Groups of spellings that normalize alike, with more than one spelling.
fn variants(key: &str, costs: &BTreeMap<String, f64>, norm: fn(&str) -> String) -> Vec<Variants> {
    let mut groups: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for (spelling, usd) in costs {
        groups
            .entry(norm(spelling))
            .or_default()
            .push((spelling.clone(), *usd));
    }
    groups
        .into_iter()
        .filter(|(_, s)| s.len() > 1)
        .map(|(canonical, mut spellings)| {
            spellings.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Variants {
                key: key.to_string(),
                canonical,
                spellings,
            }
        })
        .collect()
}

/// Key spellings compared: case, spaces, `-` and `_` only (no synonyms).
fn normalize_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Values spelt several ways, and values outside the policy, from the cost under each key and
/// value.
fn hygiene(
    values: &BTreeMap<&str, BTreeMap<String, f64>>,
    q: &TagQuery,
) -> (Vec<Variants>, Vec<Disallowed>) {
    let variants = values
        .iter()
        .flat_map(|(k, costs)| variants(k, costs, normalize))
        .collect();
    let disallowed = q
        .allowed
        .iter()
        .flat_map(|(k, allowed)| {
            values
                .get(k.as_str())
                .into_iter()
                .flatten()
                .filter(|(v, _)| !allowed.contains(v))
                .map(|(v, usd)| Disallowed {
                    key: k.clone(),
                    value: v.clone(),
                    cost_usd: *usd,
                })
        })
        .collect();
    (variants, disallowed)
}

/// Usage cost by the values of one tag key, as Cost Explorer groups it (one key at a time).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCost {
    /// The tag key.
    pub key: String,
    /// Billing month.
    pub month: String,
    /// Service code or name.
    pub service: String,
    /// The key's value; empty when untagged.
    pub value: String,
    /// Cost, USD.
    pub cost_usd: f64,
}

/// Coverage from cost grouped by one key at a time (Cost Explorer): per key, overall and by
/// service and month. Coverage of all keys together, accounts and resources need the lines
/// themselves: they are left out (`all_tagged_usd` is NaN) and a warning says so.
pub fn analyse_by_key(rows: &[KeyCost], q: &TagQuery) -> TagReport {
    let n = q.required.len();
    // Coverage of all keys together is unknown: each query sees one key.
    let per_key_only = |label: String| {
        let mut c = Coverage::new(label, n);
        c.all_tagged_usd = f64::NAN;
        c
    };
    let mut overall = per_key_only("all".into());
    let mut services: BTreeMap<&str, Coverage> = BTreeMap::new();
    let mut months: BTreeMap<&str, Coverage> = BTreeMap::new();
    let mut values: BTreeMap<&str, BTreeMap<String, f64>> = BTreeMap::new();
    for r in rows {
        let Some(i) = q.required.iter().position(|k| *k == r.key) else {
            continue;
        };
        let tagged = !r.value.trim().is_empty();
        let service = services
            .entry(&r.service)
            .or_insert_with(|| per_key_only(r.service.clone()));
        let month = months
            .entry(&r.month)
            .or_insert_with(|| per_key_only(r.month.clone()));
        for c in [&mut overall, service, month] {
            // Every key's query covers the same usage: the first key's gives the total.
            if i == 0 {
                c.cost_usd += r.cost_usd;
            }
            if tagged {
                c.tagged_usd[i] += r.cost_usd;
            }
        }
        if tagged {
            *values
                .entry(&r.key)
                .or_default()
                .entry(r.value.clone())
                .or_insert(0.0) += r.cost_usd;
        }
    }
    let (value_variants, disallowed) = hygiene(&values, q);
    TagReport {
        required: q.required.clone(),
        include_untaggable: false,
        overall,
        by_service: by_cost(services.into_values().collect()),
        by_account: Vec::new(),
        by_month: months.into_values().collect(),
        untagged: Vec::new(),
        untaggable: BTreeMap::new(),
        value_variants,
        key_variants: Vec::new(),
        disallowed,
        warnings: vec!["Cost Explorer groups usage by one tag at a time: coverage of all keys together, by account, and the untagged resources need CUR 2.0 or FOCUS exports".into()],
        per_key_only: true,
    }
}

/// Bill lines reduced for coverage: the cost of one month, service, account, resource and
/// charge, and how much of it carries each required key and all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageLine {
    /// Billing month.
    pub month: String,
    /// Service code or name.
    pub service: String,
    /// Usage account.
    pub account: String,
    /// Resource id; empty when the lines name none.
    pub resource: String,
    /// What the charge is.
    pub category: ChargeCategory,
    /// Cost, USD.
    pub cost_usd: f64,
    /// Cost carrying each required key (non-blank), in the order of the keys.
    pub tagged_usd: Vec<f64>,
    /// Cost carrying every required key.
    pub all_tagged_usd: f64,
}

impl CoverageLine {
    /// Whether the lines can carry tags: usage on a resource.
    pub fn taggable(&self) -> bool {
        self.category == ChargeCategory::Usage && !self.resource.is_empty()
    }
}

/// The cost under one tag key and value (empty when blank), for hygiene.
#[derive(Debug, Clone, PartialEq)]
pub struct TagValueCost {
    /// The key as billed.
    pub key: String,
    /// The value as billed; empty when blank.
    pub value: String,
    /// Whether the lines could carry tags.
    pub taggable: bool,
    /// Cost, USD.
    pub cost_usd: f64,
}

/// Reduces tagged lines to coverage lines and tag-value costs.
pub fn reduce(lines: &[TaggedCost], required: &[String]) -> (Vec<CoverageLine>, Vec<TagValueCost>) {
    let mut values: BTreeMap<(String, String, bool), f64> = BTreeMap::new();
    let coverage = lines
        .iter()
        .map(|line| {
            let has: Vec<bool> = required.iter().map(|k| line.value(k).is_some()).collect();
            for (k, v) in &line.tags {
                // A blank value is kept as empty; others as spelt (spaces show up as variants).
                let v = if v.trim().is_empty() { "" } else { v.as_str() };
                *values
                    .entry((k.clone(), v.to_string(), line.taggable()))
                    .or_insert(0.0) += line.cost_usd;
            }
            CoverageLine {
                month: line.month.clone(),
                service: line.service.clone(),
                account: line.account.clone(),
                resource: line.resource.clone(),
                category: line.category,
                cost_usd: line.cost_usd,
                tagged_usd: has
                    .iter()
                    .map(|h| if *h { line.cost_usd } else { 0.0 })
                    .collect(),
                all_tagged_usd: if has.iter().all(|h| *h) {
                    line.cost_usd
                } else {
                    0.0
                },
            }
        })
        .collect();
    let values = values
        .into_iter()
        .map(|((key, value, taggable), cost_usd)| TagValueCost {
            key,
            value,
            taggable,
            cost_usd,
        })
        .collect();
    (coverage, values)
}

/// Analyses the tags of a bill's lines.
pub fn analyse(lines: &[TaggedCost], q: &TagQuery) -> TagReport {
    let (coverage, values) = reduce(lines, &q.required);
    analyse_reduced(&coverage, &values, q)
}

/// Analyses a bill already reduced to coverage lines and tag-value costs.
pub fn analyse_reduced(
    lines: &[CoverageLine],
    tag_values: &[TagValueCost],
    q: &TagQuery,
) -> TagReport {
    let n = q.required.len();
    let mut overall = Coverage::new("all".into(), n);
    let mut services: BTreeMap<&str, Coverage> = BTreeMap::new();
    let mut accounts: BTreeMap<&str, Coverage> = BTreeMap::new();
    let mut months: BTreeMap<&str, Coverage> = BTreeMap::new();
    let mut untaggable: BTreeMap<ChargeCategory, f64> = BTreeMap::new();
    let mut resources: BTreeMap<(&str, &str, &str), (f64, Vec<bool>)> = BTreeMap::new();
    for line in lines {
        let taggable = line.taggable();
        if !taggable {
            *untaggable.entry(line.category).or_insert(0.0) += line.cost_usd;
            if !q.include_untaggable {
                continue;
            }
        }
        overall.add(line);
        for (map, key) in [
            (&mut services, line.service.as_str()),
            (&mut accounts, line.account.as_str()),
            (&mut months, line.month.as_str()),
        ] {
            map.entry(key)
                .or_insert_with(|| Coverage::new(key.to_string(), n))
                .add(line);
        }
        // The cost of this resource's lines lacking some key, and which keys.
        let lacking_usd = line.cost_usd - line.all_tagged_usd;
        if taggable && lacking_usd.abs() > 1e-12 {
            let r = resources
                .entry((&line.resource, &line.service, &line.account))
                .or_insert_with(|| (0.0, vec![false; n]));
            r.0 += lacking_usd;
            for (m, t) in r.1.iter_mut().zip(&line.tagged_usd) {
                *m |= (line.cost_usd - t).abs() > 1e-12;
            }
        }
    }
    let mut values: BTreeMap<&str, BTreeMap<String, f64>> = BTreeMap::new();
    let mut keys: BTreeMap<String, f64> = BTreeMap::new();
    for v in tag_values
        .iter()
        .filter(|v| v.taggable || q.include_untaggable)
    {
        *keys.entry(v.key.clone()).or_insert(0.0) += v.cost_usd;
        if !v.value.is_empty() {
            *values
                .entry(&v.key)
                .or_default()
                .entry(v.value.clone())
                .or_insert(0.0) += v.cost_usd;
        }
    }
    let mut untagged: Vec<Untagged> = resources
        .into_iter()
        .map(
            |((resource, service, account), (cost_usd, lacking))| Untagged {
                resource: resource.to_string(),
                service: service.to_string(),
                account: account.to_string(),
                cost_usd,
                missing: q
                    .required
                    .iter()
                    .zip(lacking)
                    .filter(|(_, l)| *l)
                    .map(|(k, _)| k.clone())
                    .collect(),
            },
        )
        .collect();
    untagged.sort_by(|a, b| {
        b.cost_usd
            .total_cmp(&a.cost_usd)
            .then_with(|| a.resource.cmp(&b.resource))
    });
    untagged.truncate(q.top);
    let (value_variants, disallowed) = hygiene(&values, q);
    let key_variants = variants("(keys)", &keys, normalize_key);
    let warnings = q
        .required
        .iter()
        .filter(|k| !values.contains_key(k.as_str()))
        .map(|k| {
            let near: Vec<&String> = keys
                .keys()
                .filter(|seen| normalize_key(seen) == normalize_key(k))
                .collect();
            if near.is_empty() {
                format!("no line carries the required key `{k}`: its coverage is 0%")
            } else {
                format!(
                    "no line carries the required key `{k}` as spelt (its coverage is 0%); the bill has {}",
                    near.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                )
            }
        })
        .collect();
    TagReport {
        required: q.required.clone(),
        include_untaggable: q.include_untaggable,
        overall,
        by_service: by_cost(services.into_values().collect()),
        by_account: by_cost(accounts.into_values().collect()),
        by_month: months.into_values().collect(),
        untagged,
        untaggable,
        value_variants,
        key_variants,
        disallowed,
        warnings,
        per_key_only: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_normalize_across_case_spaces_and_synonyms() {
        assert_eq!(normalize(" Prod "), "production");
        assert_eq!(normalize("PRODUCTION"), "production");
        assert_eq!(normalize("pay ments"), normalize("Payments"));
        assert_ne!(normalize("payments"), normalize("payment"));
        assert_eq!(normalize_key("cost-center"), normalize_key("CostCenter"));
    }
}
