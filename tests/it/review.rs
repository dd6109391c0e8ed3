//! `archcost report`: the monthly cost review of the reference model against the fixture bill
//! `tests/fixtures/review/focus.csv`, whose departures from the estimate are known (see its
//! make.py): api usage +12%, ledger-db prices +5%, cdn usage −7%, 42.17 USD of SNS the model
//! lacks and a 120.00 USD tax line in October; September at 0.9 × every line (cdn 0.8).

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::*;

/// Runs the full review into `out` inside the sandbox.
fn review(s: &Sandbox, out: &str, extra: &[&str]) -> Run {
    let model = reference_model_path();
    let baseline = model.with_file_name("fintech-provisioned-baseline.yaml");
    let mut args = vec![
        "report",
        "--model",
        model.to_str().unwrap(),
        "--actuals",
        FOCUS,
        "--previous-month",
        "2026-09",
        "--require-tags",
        "CostCenter,Environment,Owner",
        "--sweep",
        "workload.peak_tps=100..3000",
        "--samples",
        "100",
        "--out",
        out,
        "-q",
    ];
    let baseline = baseline.to_str().unwrap().to_string();
    args.extend(["--baseline", &baseline]);
    args.extend_from_slice(extra);
    s.run(&args)
}

/// The review's section headings, in order.
const SECTION_TITLES: [&str; 8] = [
    "Summary",
    "Cost by service",
    "Estimate against actual",
    "Savings against the provisioned baseline",
    "Tag coverage",
    "Rightsizing",
    "Cost against scale",
    "Assumptions",
];

const FOCUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/review/focus.csv"
);

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A data CSV as rows of (column → cell).
fn data(dir: &Path, name: &str) -> Vec<BTreeMap<String, String>> {
    let text = read(dir, &format!("data/{name}.csv"));
    let mut lines = text.lines();
    let head = csv_fields(lines.next().unwrap());
    lines
        .map(|l| head.iter().cloned().zip(csv_fields(l)).collect())
        .collect()
}

fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} in {row:?}"))
}

/// The texts of an SVG's `<text>` elements, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>')?.1.split_once("</text>"))
        .map(|(text, _)| text.trim().replace("&amp;", "&"))
        .collect()
}

/// A USD amount as a chart writes it beside a bar.
fn written(v: f64) -> String {
    let cents = (v.abs() * 100.0).round() as u64;
    let whole = cents / 100;
    let mut digits = whole.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    format!(
        "{}{digits}{grouped}.{:02}",
        if v < 0.0 && cents > 0 { "-" } else { "" },
        cents % 100
    )
}

#[test]
fn the_reference_review_finds_the_fixtures_departures() {
    let s = Sandbox::new("review-numbers");
    let run = review(&s, "out", &[]);
    assert_success(&run);
    assert!(run.stdout.contains("report.html, report.md"), "{run:#?}");
    let dir = s.dir.join("out");
    // October against the estimate: ledger-db's price effect is 5% of its estimate
    // (0.05 × 1,118.91 = 55.95), cdn's usage effect −7% of its estimate (−0.07 × 2,904.03 =
    // −203.28), neither with the other effect.
    let components = data(&dir, "reconcile_components");
    let row = |c: &str| components.iter().find(|r| r["component"] == c).unwrap();
    let db = row("ledger-db");
    assert_usd(
        number(db, "price_effect_usd"),
        0.05 * number(db, "estimated_usd"),
    );
    // In figures: October's estimates (744 hours, as `archcost estimate --month 2026-10`
    // prints them) are ledger-db 1,118.91 and cdn 2,904.03, so 0.05 × 1,118.91 = 55.95 and
    // −0.07 × 2,904.03 = −203.28, to the cent.
    assert!(
        (number(db, "price_effect_usd") - 55.95).abs() < 0.005,
        "{db:?}"
    );
    assert_usd(number(db, "usage_effect_usd"), 0.0);
    let cdn = row("cdn");
    assert_usd(
        number(cdn, "usage_effect_usd"),
        -0.07 * number(cdn, "estimated_usd"),
    );
    assert_usd(number(cdn, "price_effect_usd"), 0.0);
    assert!(
        (number(cdn, "usage_effect_usd") + 203.28).abs() < 0.005,
        "{cdn:?}"
    );
    assert_eq!(row("api")["status"], "over", "api is 12% over, beyond ±10%");
    // The SNS spend is unmapped.
    let unmapped = data(&dir, "reconcile_unmapped");
    assert_eq!(unmapped.len(), 1);
    assert_usd(number(&unmapped[0], "cost_usd"), 42.17);
    // September: 0.9 × (every line but cdn) + 0.8 × cdn, usage only.
    let summary = data(&dir, "summary");
    let measure = |m: &str| summary.iter().find(|r| r["measure"] == m).unwrap();
    let estimate = number(measure("estimate"), "usd");
    let cdn_estimate = number(cdn, "estimated_usd");
    let september = 0.9 * (estimate - cdn_estimate) + 0.8 * cdn_estimate;
    assert_usd(number(measure("actual, 2026-09"), "usd"), september);
    let october = number(measure("actual usage"), "usd");
    assert_usd(
        number(measure("month over month"), "usd"),
        october - september,
    );
    // Tags: Owner is missing on cdn, monitoring, waf and SNS (42.17); CostCenter only on waf.
    let tags = data(&dir, "tag_coverage");
    let overall = |k: &str| {
        tags.iter()
            .find(|r| r["scope"] == "overall" && r["key"] == k)
            .unwrap()
    };
    let all = number(overall("Owner"), "cost_usd");
    assert_usd(all, october);
    let waf = number(row("waf"), "actual_usd");
    assert_usd(number(overall("CostCenter"), "tagged_usd"), all - waf);
    let lacking_owner =
        number(cdn, "actual_usd") + number(row("monitoring"), "actual_usd") + waf + 42.17;
    assert_usd(number(overall("Owner"), "tagged_usd"), all - lacking_owner);
}

#[test]
fn every_chart_says_what_its_data_says() {
    let s = Sandbox::new("review-charts");
    let run = review(&s, "out", &[]);
    assert_success(&run);
    let dir = s.dir.join("out");
    let texts = |id: &str| svg_texts(&read(&dir, &format!("charts/{id}.svg")));
    // Cost by service: each service's row label and its estimate and actual beside the bars.
    let t = texts("cost-by-service");
    assert!(t.contains(&"USD/month".to_string()), "{t:?}");
    for label in ["estimate", "actual"] {
        assert!(t.contains(&label.to_string()), "legend {label}: {t:?}");
    }
    let services = data(&dir, "cost_by_service");
    assert_eq!(services.len(), 18, "17 modeled services and SNS");
    for r in &services {
        assert!(t.contains(&r["service"]), "{} not labelled", r["service"]);
        for column in ["estimate_usd", "actual_usd"] {
            let v = written(number(r, column));
            assert!(
                t.contains(&v),
                "{} {column} {v} not on the chart",
                r["service"]
            );
        }
    }
    // And the Markdown table shows the same estimates.
    let md = read(&dir, "report.md");
    for r in services.iter().filter(|r| number(r, "estimate_usd") > 0.0) {
        let line = format!(
            "| {} | {} |",
            r["service"],
            written(number(r, "estimate_usd"))
        );
        assert!(md.contains(&line), "{line} missing from report.md");
    }
    // Estimate against actual: every component with both of its figures.
    let t = texts("estimate-vs-actual");
    for r in data(&dir, "reconcile_components") {
        assert!(t.contains(&r["component"]));
        assert!(t.contains(&written(number(&r, "estimated_usd"))));
        assert!(t.contains(&written(number(&r, "actual_usd"))));
    }
    // The waterfall: the baseline, each lever's saving as a step down, the design.
    let t = texts("savings-waterfall");
    let summary = data(&dir, "savings_summary");
    let usd_of = |m: &str| number(summary.iter().find(|r| r["measure"] == m).unwrap(), "usd");
    assert!(t.contains(&written(usd_of("baseline at on-demand prices"))));
    assert!(t.contains(&written(usd_of("design"))));
    let levers = data(&dir, "savings_levers");
    assert_eq!(levers.len(), 5);
    for r in &levers {
        assert!(t.contains(&r["lever"]), "{t:?}");
        assert!(t.contains(&written(-number(r, "shapley_usd_per_month"))));
    }
    let shapley: f64 = levers
        .iter()
        .map(|r| number(r, "shapley_usd_per_month"))
        .sum();
    assert_usd(
        shapley,
        usd_of("baseline at on-demand prices") - usd_of("design"),
    );
    // Tag coverage: a percentage per key and for all keys.
    let t = texts("tag-coverage");
    assert!(t.contains(&"% of cost".to_string()));
    let overall: Vec<_> = data(&dir, "tag_coverage")
        .into_iter()
        .filter(|r| r["scope"] == "overall")
        .collect();
    assert_eq!(overall.len(), 4, "three keys and all of them");
    for r in &overall {
        assert!(t.contains(&r["key"]));
        assert!(t.contains(&format!("{:.1}%", number(r, "coverage_percent"))));
    }
    // Cost against scale: both designs in the legend, the swept field on the x axis.
    let t = texts("cost-vs-scale");
    for label in [
        "fintech-global-platform",
        "fintech-provisioned-baseline",
        "workload.peak_tps",
        "USD/month",
    ] {
        assert!(t.contains(&label.to_string()), "{label}: {t:?}");
    }
    // Every chart has its PNG, a real one.
    for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            let png = std::fs::read(path.with_extension("png")).unwrap();
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
        }
    }
}

/// Where the design and its provisioned twin swap places as the cheaper one, the cost-against-
/// scale chart marks the break-even and the data lists it. The reference model is cheaper up to
/// 8,400 TPS; one TPS more and its services scale out a step (+135 USD) past the baseline.
#[test]
fn the_scale_chart_marks_the_break_even() {
    let s = Sandbox::new("review-break-even");
    let model = reference_model_path();
    let baseline = model.with_file_name("fintech-provisioned-baseline.yaml");
    let run = s.run(&[
        "report",
        "--model",
        model.to_str().unwrap(),
        "--baseline",
        baseline.to_str().unwrap(),
        "--sweep",
        "workload.peak_tps=10..20000",
        "--steps",
        "12",
        "--out",
        "out",
        "-q",
    ]);
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
    let dir = s.dir.join("out");
    let breaks = data(&dir, "break_even");
    assert_eq!(breaks.len(), 1, "{breaks:?}");
    let at = number(&breaks[0], "value");
    assert_eq!(breaks[0]["cheaper_below"], "fintech-global-platform");
    assert_eq!(breaks[0]["cheaper_above"], "fintech-provisioned-baseline");
    // Checked against the designs themselves, a TPS either side of the point found.
    let cost = |path: &Path, tps: f64| {
        let doc = archcost::ModelDocument::load(path).unwrap();
        let t = doc
            .topology(None, &[("workload.peak_tps".to_string(), tps)])
            .unwrap();
        let prices = archcost::PriceBook::embedded(t.region).unwrap();
        archcost::estimate(&t, &prices, &archcost::BillingPeriod::standard_month())
            .unwrap()
            .total_usd()
    };
    assert!(cost(&model, at - 1.0) < cost(&baseline, at - 1.0));
    assert!(cost(&model, at + 1.0) > cost(&baseline, at + 1.0));
    assert!((8_399.0..=8_401.0).contains(&at), "{at}");
    let t = svg_texts(&read(&dir, "charts/cost-vs-scale.svg"));
    assert!(
        t.contains(&format!("break-even at {at:.0}")),
        "the marker's label: {t:?}"
    );
    // The Markdown says it too.
    let md = read(&dir, "report.md");
    assert!(md.contains("Break-even"), "{md}");
}

#[test]
fn the_html_is_self_contained_and_has_every_section() {
    let s = Sandbox::new("review-html");
    let run = review(&s, "out", &[]);
    assert_success(&run);
    let html = read(&s.dir.join("out"), "report.html");
    for forbidden in ["<script", "<link", "<img", "@import", "url(", "https://"] {
        assert!(!html.contains(forbidden), "{forbidden} in report.html");
    }
    // The only address is the SVG namespace, which is a name, not a fetch.
    assert_eq!(
        html.matches("http://").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    for (i, title) in SECTION_TITLES.iter().enumerate() {
        assert!(
            html.contains(&format!("<h2>{}. {title}</h2>", i + 1)),
            "{title}"
        );
    }
    assert!(html.contains("@media print"));
}

#[test]
fn the_parquet_exports_hold_the_csv_numbers() {
    use polars::prelude::*;
    let s = Sandbox::new("review-parquet");
    let run = review(&s, "out", &[]);
    assert_success(&run);
    let dir = s.dir.join("out");
    let file = std::fs::File::open(dir.join("data/cost_by_service.parquet")).unwrap();
    let df = ParquetReader::new(file).finish().unwrap();
    let csv = data(&dir, "cost_by_service");
    assert_eq!(df.height(), csv.len());
    let estimate = df.column("estimate_usd").unwrap().f64().unwrap();
    for (i, r) in csv.iter().enumerate() {
        assert_usd(estimate.get(i).unwrap(), number(r, "estimate_usd"));
    }
    assert_eq!(
        df.column("service").unwrap().dtype(),
        &DataType::String,
        "service is text"
    );
}

#[test]
fn the_review_in_markdown() {
    let s = Sandbox::new("review-md");
    let run = review(&s, "out", &[]);
    assert_success(&run);
    let md = read(&s.dir.join("out"), "report.md").replace(env!("CARGO_MANIFEST_DIR"), "[package]");
    insta::assert_snapshot!("review-fintech-global-platform.md", md);
}

#[test]
fn without_inputs_the_review_says_which_sections_it_left_out() {
    let s = Sandbox::new("review-bare");
    let model = reference_model_path();
    let run = s.run(&["report", "--model", model.to_str().unwrap(), "--out", "out"]);
    assert_success(&run);
    let md = read(&s.dir.join("out"), "report.md");
    for left in [
        "- 3. Estimate against actual: no actuals given (--actuals)",
        "- 5. Tag coverage: no required tags",
        "- 7. Cost against scale: no sweep asked for",
    ] {
        assert!(md.contains(left), "{left}");
    }
    assert!(!md.contains("## 3."));
    assert!(md.contains("## 4. Savings against the provisioned baseline"));
}

#[test]
fn a_month_without_actuals_is_said_in_the_review() {
    let s = Sandbox::new("review-empty-month");
    let model = reference_model_path();
    let run = s.run(&[
        "report",
        "--model",
        model.to_str().unwrap(),
        "--actuals",
        FOCUS,
        "--month",
        "2026-11",
        "--out",
        "out",
    ]);
    assert_success(&run);
    let md = read(&s.dir.join("out"), "report.md");
    assert!(
        md.contains("has no spend for 2026-11: there is nothing to reconcile this month"),
        "{md}"
    );
    assert!(md.contains("2026-09, 2026-10"), "the months it has: {md}");
}

#[test]
fn report_bad_inputs_are_named() {
    let s = Sandbox::new("review-bad");
    let model = reference_model_path();
    let model = model.to_str().unwrap();
    // An output directory that exists and is not empty: refused, and left as it was.
    s.write("keep.txt", "mine");
    std::fs::create_dir_all(s.dir.join("full")).unwrap();
    std::fs::write(s.dir.join("full/keep.txt"), "mine").unwrap();
    let run = s.run(&["report", "--model", model, "--out", "full"]);
    assert_user_error(
        &run,
        "error: --out full: the directory exists and is not empty",
        &["--force"],
    );
    assert_eq!(read(&s.dir.join("full"), "keep.txt"), "mine");
    // --force replaces it whole: the old file is gone, no temporary directory is left.
    let run = s.run(&["report", "--model", model, "--out", "full", "--force"]);
    assert_success(&run);
    assert!(!s.dir.join("full/keep.txt").exists());
    assert!(s.dir.join("full/report.html").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&s.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A directory that cannot be written.
    let run = s.run(&["report", "--model", model, "--out", "/proc/archcost-review"]);
    assert_user_error(&run, "error: cannot write /proc/", &[]);
    // Inputs from different months.
    let run = s.run(&[
        "report",
        "--model",
        model,
        "--actuals",
        FOCUS,
        "--month",
        "2026-10",
        "--previous-month",
        "2026-11",
        "--out",
        "o1",
    ]);
    assert_user_error(
        &run,
        "error: --previous-month 2026-11: inputs from different months",
        &["2026-10"],
    );
    let july = s.write(
        "july.csv",
        &read(Path::new(FOCUS).parent().unwrap(), "focus.csv")
            .replace("2026-09-01", "2026-07-01")
            .lines()
            .filter(|l| !l.starts_with("2026-10"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let run = s.run(&[
        "report",
        "--model",
        model,
        "--actuals",
        FOCUS,
        "--previous",
        july.to_str().unwrap(),
        "--out",
        "o2",
    ]);
    assert_user_error(
        &run,
        "error: --previous",
        &["inputs from different months", "2026-07", "2026-09"],
    );
    assert!(!s.dir.join("o1").exists() && !s.dir.join("o2").exists());
    // Tags without a bill.
    let run = s.run(&[
        "report",
        "--model",
        model,
        "--require-tags",
        "Owner",
        "--out",
        "o3",
    ]);
    assert_eq!(run.code, Some(1), "a usage error from clap: {run:#?}");
    assert!(run.stderr.contains("--actuals"), "{run:#?}");
}

/// Chromium (`ARCHCOST_CHROMIUM`, set by `scripts/test`); a test that needs it fails without.
fn chromium() -> String {
    match std::env::var("ARCHCOST_CHROMIUM") {
        Ok(path) if !path.is_empty() => path,
        _ => panic!(
            "needs headless Chromium: set ARCHCOST_CHROMIUM to its path (scripts/test finds or installs Debian's chromium)"
        ),
    }
}

/// Runs headless Chromium on a page with a fresh profile and no background networking.
fn headless(s: &Sandbox, args: &[&str]) -> std::process::Output {
    let profile = s.dir.join("chromium-profile");
    std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("run chromium")
}

#[test]
#[ignore = "needs headless Chromium: scripts/test runs it"]
fn the_html_renders_in_headless_chromium() {
    let s = Sandbox::new("review-chromium");
    let run = review(&s, "out", &[]);
    assert_success(&run);
    let page = format!("file://{}", s.dir.join("out/report.html").display());
    // The DOM as Chromium parsed it: every section heading and every chart.
    let dom = headless(&s, &["--dump-dom", &page]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    for (i, title) in SECTION_TITLES.iter().enumerate() {
        assert!(
            dom.contains(&format!("<h2>{}. {title}</h2>", i + 1)),
            "{title} missing from the DOM"
        );
    }
    let charts = std::fs::read_dir(s.dir.join("out/charts"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "svg")
        })
        .count();
    assert_eq!(dom.matches("<svg ").count(), charts, "every chart inline");
    // The first screen, rendered: not blank, and the charts' blue is on it.
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-check");
    std::fs::create_dir_all(&shot).unwrap();
    let png = shot.join("report.png");
    let out = headless(
        &s,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2200",
            &page,
        ],
    );
    assert!(png.exists(), "no screenshot: {out:?}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let inked = pixels
        .iter()
        .filter(|p| p[..3].iter().any(|c| *c < 200))
        .count();
    let blue = pixels
        .iter()
        .filter(|p| p[0] < 10 && (104..=124).contains(&p[1]) && (168..=188).contains(&p[2]))
        .count();
    assert_eq!((info.width, info.height), (1280, 2200));
    assert!(
        inked * 100 > pixels.len() * 2,
        "the page looks blank: {inked} of {} pixels inked",
        pixels.len()
    );
    assert!(
        blue > 1000,
        "no chart bars on the first screen: {blue} blue pixels"
    );
}

#[test]
fn the_readme_lists_every_data_export_with_its_columns() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let documented: BTreeMap<String, String> = readme
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("| `")?;
            let (name, columns) = rest.split_once("` | ")?;
            Some((
                name.to_string(),
                columns.trim_end_matches(" |").replace(", ", ","),
            ))
        })
        .collect();
    let s = Sandbox::new("review-readme");
    assert_success(&review(&s, "out", &[]));
    let mut written = Vec::new();
    for entry in std::fs::read_dir(s.dir.join("out/data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "csv") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let head = text.lines().next().unwrap_or_default().to_string();
            assert_eq!(
                documented.get(&name),
                Some(&head),
                "data/{name}.csv: the README's columns differ"
            );
            written.push(name);
        }
    }
    assert!(written.len() >= 16, "{written:?}");
}
