//! Properties that hold for every input, checked on generated ones (proptest): an estimate's
//! total is the sum of its lines; cost never falls when load grows; the order components are
//! written in changes nothing; usage-priced cost scales with usage; a design compared with
//! itself differs by nothing; Shapley contributions add up to the saving; and a bill made
//! from an estimate reconciles to zero variance.

use archcost::analysis::reconcile::{ActualRow, ChargeCategory};
use archcost::{BillingPeriod, Estimate, ModelDocument, PriceBook, Topology};
use proptest::prelude::*;

use crate::util::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn reference() -> ModelDocument {
    ModelDocument::load(&reference_model_path()).unwrap()
}

fn prices() -> PriceBook {
    PriceBook::embedded("us-east-1".parse().unwrap()).unwrap()
}

fn estimate_of(t: &Topology) -> Estimate {
    archcost::estimate(t, &prices(), &BillingPeriod::standard_month()).unwrap()
}

/// The reference design at `tps` transactions a second at peak.
fn reference_at(doc: &ModelDocument, tps: f64) -> Topology {
    doc.topology(None, &[("workload.peak_tps".to_string(), tps)])
        .unwrap()
}

/// Relative closeness for sums of many floating-point terms.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The reference model's text split into what comes before its components, each component's
/// block (with the comments above it), and what follows them (flows, variants).
fn component_blocks(text: &str) -> (String, Vec<String>, String) {
    let start = text.find("\ncomponents:\n").unwrap() + "\ncomponents:\n".len();
    let end = start + text[start..].find("\nflows:\n").unwrap() + 1;
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text[start..end].lines() {
        if line.starts_with("  - id:") && current.lines().any(|l| l.starts_with("  - id:")) {
            blocks.push(std::mem::take(&mut current));
        }
        current.push_str(line);
        current.push('\n');
    }
    blocks.push(current);
    (text[..start].to_string(), blocks, text[end..].to_string())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_total_is_the_sum_of_the_lines(tps in 1.0f64..5_000.0) {
        let e = estimate_of(&reference_at(&reference(), tps));
        let sum: f64 = e.lines.iter().map(|l| l.usd_per_month).sum();
        prop_assert!(close(e.total_usd(), sum), "{} vs {sum}", e.total_usd());
        // And every line is its quantity at its unit price, or tiered below it.
        for l in &e.lines {
            prop_assert!(l.quantity > 0.0 && l.usd_per_month >= 0.0, "{l:?}");
        }
    }

    #[test]
    fn cost_never_falls_when_load_grows(tps in 1.0f64..4_000.0, more in 0.0f64..2_000.0) {
        let doc = reference();
        let low = estimate_of(&reference_at(&doc, tps)).total_usd();
        let high = estimate_of(&reference_at(&doc, tps + more)).total_usd();
        prop_assert!(high >= low - 1e-9, "{tps} TPS: {low}; {} TPS: {high}", tps + more);
    }

    #[test]
    fn the_order_components_are_written_in_changes_nothing(
        order in Just((0..20usize).collect::<Vec<_>>()).prop_shuffle()
    ) {
        let text = std::fs::read_to_string(reference_model_path()).unwrap();
        let (head, blocks, tail) = component_blocks(&text);
        prop_assert_eq!(blocks.len(), 20, "the reference model has 20 components");
        let shuffled: String = order.iter().map(|&i| blocks[i].as_str()).collect();
        let written = format!("{head}{shuffled}{tail}");
        let t = archcost::model_file::parse(&written, "shuffled.yaml").unwrap();
        let a = estimate_of(&t);
        let b = estimate_of(&archcost::model_file::parse(&text, "reference.yaml").unwrap());
        prop_assert!(close(a.total_usd(), b.total_usd()));
        let key = |e: &Estimate| {
            let mut lines: Vec<(String, String, String)> = e
                .lines
                .iter()
                .map(|l| (l.component.clone(), l.usage_type.clone(), format!("{:.9} {:.9}", l.quantity, l.usd_per_month)))
                .collect();
            lines.sort();
            lines
        };
        prop_assert_eq!(key(&a), key(&b));
    }

    #[test]
    fn usage_priced_cost_scales_with_usage(tps in 1.0f64..500.0, k in 1.0f64..20.0) {
        // Usage-priced only, flat rates (DynamoDB on-demand requests; SQS standard requests,
        // far below their first tier's 100 billion): cost is linear in load.
        let components = "  - id: ledger\n    kind: dynamodb_table\n    capacity_mode: on_demand\n    item_size_kb: 2\n    storage_gb: 0\n    reads_per_transaction: 3\n    writes_per_transaction: 1\n  - id: events\n    kind: sqs_queue\n    queue_type: standard\n    message_size_kb: 8\n    messages_per_transaction: 2\n";
        let at = |peak: f64| {
            estimate_of(&archcost::model_file::parse(&model(TWO_LEVEL, peak, components, ""), "m.yaml").unwrap())
                .total_usd()
        };
        let (base, scaled) = (at(tps), at(tps * k));
        prop_assert!(base > 0.0);
        prop_assert!(close(scaled, k * base), "×{k}: {scaled} vs {}", k * base);
    }

    #[test]
    fn a_design_compared_with_itself_differs_by_nothing(tps in 1.0f64..5_000.0) {
        let e = estimate_of(&reference_at(&reference(), tps));
        let c = archcost::compare::compare(&[e.clone(), e]);
        prop_assert_eq!(c.totals[0], c.totals[1]);
        for row in c.by_component.iter().chain(&c.by_service) {
            prop_assert_eq!(row.delta(1), 0.0, "{}", row.key);
        }
    }

    #[test]
    fn shapley_contributions_add_up_to_the_saving(tps in 50.0f64..3_000.0) {
        let t = reference_at(&reference(), tps);
        let s = archcost::savings::savings(&t, &prices(), &BillingPeriod::standard_month()).unwrap();
        let total = s.baseline.total_usd() - s.design.total_usd();
        let shares: f64 = s.levers.iter().map(|l| l.shapley_usd).sum();
        prop_assert!(!s.levers.is_empty());
        prop_assert!((total - shares).abs() < 1e-6, "saving {total} vs contributions {shares}");
    }

    #[test]
    fn a_bill_made_from_the_estimate_reconciles_to_zero(tps in 1.0f64..5_000.0) {
        let t = reference_at(&reference(), tps);
        let book = prices();
        let e = estimate_of(&t);
        let rows: Vec<ActualRow> = e
            .lines
            .iter()
            .map(|l| ActualRow {
                service_code: l.service_code.code().to_string(),
                usage_type: l.usage_type.clone(),
                category: ChargeCategory::Usage,
                quantity: l.quantity,
                cost_usd: l.usd_per_month,
                tags: Default::default(),
            })
            .collect();
        let r = archcost::reconcile::reconcile(&t, &e, &book, &rows, "2026-10", "generated", 10.0);
        prop_assert!(r.unmapped.is_empty(), "{:?}", r.unmapped);
        prop_assert!(close(r.estimated_usd(), r.actual_usage_usd()));
        for g in r.by_component.iter().chain(&r.by_service) {
            prop_assert!(g.variance_usd().abs() < 1e-6, "{}: {}", g.key, g.variance_usd());
            prop_assert!(g.price_effect.abs() < 1e-6 && g.usage_effect.abs() < 1e-6, "{g:?}");
        }
    }
}
