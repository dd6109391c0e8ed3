//! Progress bars: long steps draw one on stderr when it is a terminal (run here on a
//! pseudo-terminal with util-linux `script`), and nothing with `--quiet` or into a pipe. The
//! Cost Explorer pages and S3 downloads are checked in `aws`, beside their servers.

use crate::util::{Sandbox, archcost, archcost_on_terminal, reference_model_path};

const BILL: &str = "tests/fixtures/review/focus.csv";

#[test]
fn sampling_and_reading_exports_draw_a_bar_on_a_terminal() {
    let sandbox = Sandbox::new("progress-terminal");
    let out = sandbox.dir.join("p.json");
    let model = reference_model_path();
    let transcript = archcost_on_terminal(&[
        "estimate",
        model.to_str().unwrap(),
        "--samples",
        "2000",
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(transcript.contains("sampling ["), "{transcript:?}");
    assert!(transcript.contains("/2000 draws"), "{transcript:?}");
    // The bar is wiped when the step ends (carriage return, erase line) and the result is whole.
    assert!(transcript.ends_with("\r\x1b[2K"), "{transcript:?}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["samples"], 2000);

    let transcript = archcost_on_terminal(&["spend", BILL]);
    assert!(
        transcript.contains("reading billing exports [") && transcript.contains("/1 files"),
        "{transcript:?}"
    );
    assert!(transcript.contains("AmazonCloudFront"), "{transcript:?}");
}

#[test]
fn quiet_and_pipes_get_no_bar() {
    let sandbox = Sandbox::new("progress-quiet");
    let out = sandbox.dir.join("p.json");
    let model = reference_model_path();
    let args = [
        "estimate",
        model.to_str().unwrap(),
        "--samples",
        "500",
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ];
    // On a terminal with --quiet: the output went to the file, so the terminal saw nothing.
    let quiet: Vec<&str> = args.iter().copied().chain(["--quiet"]).collect();
    assert_eq!(archcost_on_terminal(&quiet), "");
    // Into a pipe: no bar on stderr.
    let run = sandbox.run(&args);
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
    assert!(out.exists());
    let (code, _, err) = archcost(&["spend", BILL]);
    assert_eq!((code, err.as_str()), (0, ""));
}
