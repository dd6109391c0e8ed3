//! Hostile input: YAML that would blow up (aliases, deep nesting), numbers that are not numbers
//! (NaN, infinities, negative counts), bytes that are not UTF-8, a CSV line of many megabytes,
//! and outputs that would overwrite an input. Each is a clear error (file, where, what was
//! expected), exit code 1, quickly, and the input is left as it was.

use crate::util::*;

fn model_text() -> String {
    std::fs::read_to_string(reference_model_path()).unwrap()
}

#[test]
fn yaml_that_would_blow_up_is_refused() {
    let s = Sandbox::new("hostile-yaml");
    // A billion laughs: 10 strings, each level 10 aliases of the one before, 11 levels.
    let mut bomb = String::from(
        "schema_version: 1\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    let mut previous = "a".to_string();
    for i in 1..12 {
        let name = format!("b{i}");
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 10].join(",")
        ));
        previous = name;
    }
    // 100,000 nested lists, and 50,000 nested mappings.
    let lists = format!(
        "schema_version: 1\nname: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let maps = format!(
        "schema_version: 1\nname: {}1{}\n",
        "{a: ".repeat(50_000),
        "}".repeat(50_000)
    );
    for (file, text, said) in [
        ("bomb.yaml", bomb, "anchors and aliases are not supported"),
        ("deep.yaml", lists, "recursion limit exceeded"),
        ("deepmap.yaml", maps, "recursion limit exceeded"),
    ] {
        s.write(file, &text);
        let run = s.run(&["estimate", file]);
        assert_user_error(&run, &format!("error: {file}:2:"), &[said]);
    }
}

#[test]
fn numbers_that_are_not_finite_or_not_allowed_are_refused_where_they_are() {
    let s = Sandbox::new("hostile-numbers");
    for (name, value, said) in [
        ("nan", ".nan", "`.nan` is not allowed"),
        ("inf", ".inf", "`.inf` is not allowed"),
        ("negative", "-1000", "-1000 is not allowed"),
    ] {
        let file = format!("{name}.yaml");
        s.write(
            &file,
            &model_text().replacen("peak_tps: 1000", &format!("peak_tps: {value}"), 1),
        );
        let run = s.run(&["estimate", &file]);
        assert_user_error(
            &run,
            &format!("error: {file}:25:13: field `workload.peak_tps`: {said}"),
            &["expected a finite number of at least 0"],
        );
    }
    // Finite but so large the month's cost is not.
    s.write(
        "huge.yaml",
        &model_text().replacen("peak_tps: 1000", "peak_tps: 1e308", 1),
    );
    let run = s.run(&["estimate", "huge.yaml"]);
    assert_user_error(
        &run,
        "error: estimating huge.yaml:",
        &["too large to price"],
    );
}

#[test]
fn a_model_that_is_not_utf8_is_refused() {
    let s = Sandbox::new("hostile-utf8");
    let bytes = model_text()
        .into_bytes()
        .iter()
        .copied()
        .flat_map(|b| if b == b'@' { vec![0xff, 0xfe] } else { vec![b] })
        .collect::<Vec<u8>>();
    let mut bytes = bytes;
    bytes.extend_from_slice(b"# \xff\xfe\n");
    std::fs::write(s.dir.join("bad.yaml"), bytes).unwrap();
    let run = s.run(&["estimate", "bad.yaml"]);
    assert_user_error(
        &run,
        "error: cannot read model file bad.yaml",
        &["valid UTF-8"],
    );
}

/// The reconcile fixture's FOCUS bill with `BilledCost` of its first line replaced.
fn focus_with_billed_cost(value: &str) -> String {
    let text = std::fs::read_to_string(fixture_path("reconcile/focus.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header = csv_fields(&lines[0]);
    let at = header.iter().position(|c| c == "BilledCost").unwrap();
    let mut first = csv_fields(&lines[1]);
    first[at] = value.to_string();
    lines[1] = first
        .iter()
        .map(|c| {
            if c.contains([',', '"']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    lines.join("\n") + "\n"
}

#[test]
fn bills_with_amounts_that_are_not_numbers_are_refused_at_the_row() {
    let s = Sandbox::new("hostile-amounts");
    let model = fixture_path("reconcile/model.yaml");
    for value in ["NaN", "inf", "-inf"] {
        s.write("bill.csv", &focus_with_billed_cost(value));
        let run = s.run(&["reconcile", "--model", &model, "--actuals", "bill.csv"]);
        assert_user_error(
            &run,
            "error: bill.csv: row 1, column BilledCost (FOCUS): ",
            &[
                "AmazonECS USE1-Fargate-vCPU-Hours:perCPU (2026-10)",
                "is not a finite number",
            ],
        );
        let run = s.run(&["spend", "bill.csv", "--cost", "billed"]);
        assert_user_error(
            &run,
            "error: bill.csv: row 1, column BilledCost (FOCUS): ",
            &["not a finite number"],
        );
    }
    // A word where a number belongs: polars names the column and the value.
    s.write("bill.csv", &focus_with_billed_cost("abc"));
    let run = s.run(&["reconcile", "--model", &model, "--actuals", "bill.csv"]);
    assert_user_error(
        &run,
        "error: bill.csv (FOCUS): ",
        &["'BilledCost'", "\"abc\""],
    );
    // Bytes that are not UTF-8.
    let mut bytes = focus_with_billed_cost("1").into_bytes();
    let at = bytes.windows(9).position(|w| w == b"AmazonECS").unwrap();
    bytes.splice(at..at, [0xff, 0xfe]);
    std::fs::write(s.dir.join("bill.csv"), bytes).unwrap();
    let run = s.run(&["reconcile", "--model", &model, "--actuals", "bill.csv"]);
    assert_user_error(&run, "error: bill.csv (FOCUS): ", &["invalid utf-8"]);
}

#[test]
fn a_csv_line_of_many_megabytes_is_refused_without_reading_it() {
    let s = Sandbox::new("hostile-long-line");
    let text = std::fs::read_to_string(fixture_path("reconcile/focus.csv")).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    // Line 3 (the second line of data) holds a 17 MiB description.
    let mut bill = format!("{header}\n{}\n", rest.lines().next().unwrap());
    bill.push_str(&"x".repeat(17 << 20));
    bill.push('\n');
    s.write("bill.csv", &bill);
    let run = s.run(&["spend", "bill.csv"]);
    assert_user_error(
        &run,
        "error: bill.csv: line 3 (CSV): the line is longer than 16 MiB",
        &["expected a billing export's lines"],
    );
}

#[test]
fn an_output_that_would_overwrite_an_input_is_refused() {
    let s = Sandbox::new("hostile-overwrite");
    let model = model_text();
    s.write("m.yaml", &model);
    for out in ["m.yaml", "./m.yaml"] {
        let run = s.run(&["estimate", "m.yaml", "-o", out, "-q"]);
        assert_user_error(
            &run,
            &format!("error: {out}: is an input of this command too"),
            &[],
        );
    }
    let run = s.run(&["estimate", "m.yaml", "--output=m.yaml", "-q"]);
    assert_user_error(&run, "error: m.yaml: is an input of this command too", &[]);
    assert_eq!(
        std::fs::read_to_string(s.dir.join("m.yaml")).unwrap(),
        model
    );
    // A review replacing the directory its bill is in.
    std::fs::create_dir_all(s.dir.join("rev")).unwrap();
    let bill = std::fs::read_to_string(fixture_path("review/focus.csv")).unwrap();
    s.write("rev/focus.csv", &bill);
    let run = s.run(&[
        "report",
        "--model",
        "m.yaml",
        "--actuals",
        "rev/focus.csv",
        "--out",
        "rev",
        "--force",
        "-q",
    ]);
    assert_user_error(
        &run,
        "error: rev: the output would replace rev/focus.csv, an input of this command",
        &[],
    );
    assert_eq!(
        std::fs::read_to_string(s.dir.join("rev/focus.csv")).unwrap(),
        bill
    );
    // An output that is not an input may be replaced.
    let run = s.run(&["estimate", "m.yaml", "-o", "out.txt", "-q"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    let run = s.run(&["estimate", "m.yaml", "-o", "out.txt", "-q"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
}
