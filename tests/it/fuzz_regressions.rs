//! Inputs the fuzzers found crashing archcost (`fuzz/`, see its README), kept in
//! `fuzz/regressions/<target>/` and run here through what each target runs: each must now be
//! read without a panic, to a result or a clear error.

use std::path::{Path, PathBuf};

use archcost::actuals::tagged::{self, CostBasis, Fields};
use archcost::{BillingPeriod, ModelDocument, PriceBook};

use crate::util::*;

/// The regression inputs of a target.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.file_name().is_some_and(|n| n != ".gitkeep"));
    files.sort();
    files
}

#[test]
fn there_are_regressions_to_run() {
    let all: usize = [
        "model_file",
        "offer_file",
        "cost_explorer_json",
        "export_csv",
    ]
    .iter()
    .map(|t| inputs(t).len())
    .sum();
    assert!(all > 0, "fuzz/regressions holds no inputs");
}

#[test]
fn model_files_the_fuzzer_broke_are_clear_errors() {
    let files = inputs("model_file");
    assert!(!files.is_empty());
    for file in files {
        let path = file.to_str().unwrap();
        // Through the library, as the fuzz target runs it: no panic.
        let text = std::fs::read_to_string(&file).unwrap();
        if let Ok(doc) = ModelDocument::parse(&text, path) {
            let variants: Vec<Option<&str>> = std::iter::once(None)
                .chain(doc.variant_names().into_iter().map(Some))
                .collect();
            for v in variants {
                if let Ok(t) = doc.topology(v, &[]) {
                    let prices = PriceBook::embedded(t.region).unwrap();
                    let _ = archcost::estimate(&t, &prices, &BillingPeriod::standard_month());
                }
            }
        }
        // Through the command line: exit 1 and an error naming the file, where it is.
        let (code, out, err) = archcost(&["estimate", path]);
        assert_eq!((code, out.as_str()), (1, ""), "{path}: {err}");
        assert!(err.starts_with(&format!("error: {path}:")), "{path}: {err}");
    }
}

#[test]
fn other_inputs_the_fuzzers_broke_are_read_without_a_panic() {
    for file in inputs("offer_file") {
        let data = std::fs::read(&file).unwrap();
        let _ = archcost::price_list::offer_file::read_json(&data[..], "fuzz.json", &mut |_| true);
        let _ = archcost::price_list::offer_file::read_csv(&data[..], "fuzz.csv", &mut |_| true);
    }
    for file in inputs("cost_explorer_json") {
        let data = std::fs::read(&file).unwrap();
        if let Ok(text) = std::str::from_utf8(&data) {
            let _ = archcost::actuals::cost_explorer::parse_saved(text, "fuzz.json");
        }
    }
}

#[test]
fn csv_exports_the_fuzzer_broke_are_clear_errors() {
    // Each has a quoted field never closed, which polars 0.55 read past the end of.
    let files = inputs("export_csv");
    assert!(!files.is_empty());
    for file in files {
        let paths = [file.clone()];
        let e = archcost::actuals::export::read(&paths, None, "fuzz.csv").unwrap_err();
        assert!(
            e.to_string().contains("a quoted field is never closed"),
            "{e}"
        );
        let e = tagged::read(&paths, CostBasis::Effective, Fields::ALL, "fuzz.csv").unwrap_err();
        assert!(
            e.to_string().contains("a quoted field is never closed"),
            "{e}"
        );
        let path = file.to_str().unwrap();
        let (code, _, err) = archcost(&["spend", path]);
        assert_eq!(code, 1, "{err}");
        assert!(err.starts_with(&format!("error: {path}: line ")), "{err}");
    }
}
