//! Helpers shared by the integration tests: model builders, estimating YAML, a private
//! temporary directory per test running the real `archcost` binary in it, and the assertions
//! many tests use.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use archcost::{BillingPeriod, Estimate, EstimateError, PriceBook, estimate, model_file};

/// A valid model, line by line (the line numbers matter: error tests assert them).
///
/// ```text
///  1 schema_version: 1
///  2 name: cli-test
///  3 region: us-east-1
///  4 availability_zones: 2
///  5 workload:
///  6   peak_tps: 100
///  7   profile:
///  8     generator: {…}
///  9 components:
/// 10   - id: api
/// 11     kind: fargate_service
/// 12     vcpu: 1
/// 13     memory_gb: 2
/// 14     desired_count: 2
/// ```
///
/// One x86 Fargate service, 2 tasks of 1 vCPU / 2 GB, no flows. Anything appended starts on
/// line 15.
pub const BASE: &str = "\
schema_version: 1
name: cli-test
region: us-east-1
availability_zones: 2
workload:
  peak_tps: 100
  profile:
    generator: {trough_ratio: 0.2, busy_start_hour: 8, busy_end_hour: 20, weekend_factor: 0.5}
components:
  - id: api
    kind: fargate_service
    vcpu: 1
    memory_gb: 2
    desired_count: 2
";

/// Builds a model around `components` (and `flows`, appended as written) with the given
/// profile block.
pub fn model(profile: &str, peak_tps: f64, components: &str, flows: &str) -> String {
    format!(
        "schema_version: 1\nname: t\nregion: us-east-1\navailability_zones: 2\nworkload:\n  peak_tps: {peak_tps}\n  profile:\n{profile}\ncomponents:\n{components}\n{flows}"
    )
}

/// Every hour at peak.
pub const FLAT: &str = "    generator: { trough_ratio: 1.0, busy_start_hour: 0, busy_end_hour: 24, weekend_factor: 1.0 }";

/// Two levels: peak from 08:00 to 20:00 every day, a quarter of peak otherwise.
/// Over the standard 730-hour month (starting Monday 00:00): 4 full weeks give 28 × 12 = 336
/// busy hours; the remaining 58 hours (Mon, Tue, Wed 00–09) add 12 + 12 + 2 = 26.
/// Busy = 362 hours, trough = 730 − 362 = 368 hours.
pub const TWO_LEVEL: &str = "    generator: { trough_ratio: 0.25, busy_start_hour: 8, busy_end_hour: 20, weekend_factor: 1.0 }";

/// The same model with AWS Free Tier allowances applied (`free_tier: true`).
pub fn with_free_tier(yaml: String) -> String {
    yaml.replacen(
        "availability_zones: 2\n",
        "availability_zones: 2\nfree_tier: true\n",
        1,
    )
}

/// Estimates model YAML over the standard month with the embedded prices.
pub fn try_estimate(yaml: &str) -> Result<Estimate, EstimateError> {
    let t = model_file::parse(yaml, "m.yaml").expect("valid model");
    let prices = PriceBook::embedded(t.region).unwrap();
    estimate(&t, &prices, &BillingPeriod::standard_month())
}

/// Estimates model YAML that must estimate.
pub fn run_estimate(yaml: &str) -> Estimate {
    try_estimate(yaml).expect("estimate")
}

/// Asserts two USD amounts agree to 1e-6.
pub fn assert_usd(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "expected {expected}, got {actual}"
    );
}

/// Runs `archcost ARGS…` in the package directory with test AWS credentials; (exit code,
/// stdout, stderr).
pub fn archcost(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archcost"))
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// Runs `archcost ARGS…` in the package directory on a pseudo-terminal (util-linux `script`),
/// with test AWS credentials; everything it wrote to the terminal, stdout and stderr as one.
pub fn archcost_on_terminal(args: &[&str]) -> String {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_archcost"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let out = Command::new("script")
        .args([
            "--quiet",
            "--return",
            "--command",
            &quoted.join(" "),
            "/dev/null",
        ])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("util-linux `script` runs a command on a pseudo-terminal");
    assert!(
        out.status.success(),
        "{quoted:?} failed on a terminal: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into()
}

/// The archcost binary with nothing of this machine's environment but `PATH`, `HOME` set to
/// `home` and instance metadata off.
fn isolated(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_archcost"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

/// Runs `archcost ARGS…` in the package directory with nothing of this machine's environment
/// but `PATH`, `HOME` set to `home`, instance metadata off, and `env`; (exit code, stdout,
/// stderr).
pub fn archcost_in_env(args: &[&str], home: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    let out = isolated(home)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The embedded price snapshot's source file.
pub fn snapshot_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/prices/us-east-1/2026-10-08.json")
}

/// A file under `tests/fixtures/`, by its absolute path (the binary runs in a sandbox).
pub fn fixture_path(relative: &str) -> String {
    format!("{}/tests/fixtures/{relative}", env!("CARGO_MANIFEST_DIR"))
}

/// The reference model shipped with the project.
pub fn reference_model_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/fintech-global-platform.yaml")
}

/// `text` with `from` replaced by `to`; panics unless `from` occurs exactly once, so a fixture
/// edit can never silently do nothing.
pub fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "fixture edit: `{from}` must occur exactly once in:\n{text}"
    );
    text.replacen(from, to, 1)
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// A fresh directory under the system temp dir, removed when the test passes (kept for
/// inspection when it fails).
pub struct Sandbox {
    /// The directory; the binary runs with it as its working directory.
    pub dir: PathBuf,
}

impl Sandbox {
    /// A new empty directory whose name holds the test name, the process id and a counter.
    pub fn new(test: &str) -> Sandbox {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("archcost-cli-{test}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create the test directory");
        Sandbox { dir }
    }

    /// Writes a file in the sandbox and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.join(name);
        fs::write(&path, contents).expect("write a fixture");
        path
    }

    /// Runs `archcost ARGS…` in the sandbox.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_archcost"))
            .args(args)
            .current_dir(&self.dir)
            .output()
            .expect("run the archcost binary");
        Run::from(out)
    }

    /// Runs `archcost ARGS…` in the sandbox with test AWS credentials and nothing else of this
    /// machine's environment (see [`isolated`]).
    pub fn run_with_test_credentials(&self, args: &[&str]) -> Run {
        let home = self.dir.join("home");
        fs::create_dir_all(&home).expect("create the test HOME");
        let out = isolated(&home)
            .args(args)
            .current_dir(&self.dir)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .output()
            .expect("run the archcost binary");
        Run::from(out)
    }

    /// Runs `archcost ARGS…` in the sandbox with `env` and nothing else of this machine's
    /// environment (see [`isolated`]; `HOME` is the sandbox's `home`).
    pub fn run_in_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let home = self.dir.join("home");
        fs::create_dir_all(&home).expect("create the test HOME");
        let out = isolated(&home)
            .args(args)
            .current_dir(&self.dir)
            .envs(env.iter().copied())
            .output()
            .expect("run the archcost binary");
        Run::from(out)
    }

    /// Writes `model` as `model.yaml` and runs `archcost estimate model.yaml EXTRA…`.
    pub fn estimate(&self, model: &str, extra: &[&str]) -> Run {
        self.write("model.yaml", model);
        let mut args = vec!["estimate", "model.yaml"];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Asserts a successful run: exit 0, nothing on stderr, something on stdout.
pub fn assert_success(run: &Run) {
    assert_eq!(run.code, Some(0), "expected exit 0: {run:#?}");
    assert_eq!(run.stderr, "", "expected no stderr: {run:#?}");
    assert!(!run.stdout.is_empty(), "expected output: {run:#?}");
}

/// Asserts a user error: exit 1, empty stdout, and stderr one paragraph (no blank line, one
/// trailing newline) that starts with `prefix` (`error: FILE:LINE:COL: field `PATH`: `) and
/// contains every word of `words`.
pub fn assert_user_error(run: &Run, prefix: &str, words: &[&str]) {
    assert_eq!(run.code, Some(1), "expected exit 1: {run:#?}");
    assert_eq!(run.stdout, "", "expected no stdout: {run:#?}");
    assert!(
        run.stderr.starts_with(prefix),
        "stderr should start with\n  {prefix}\nbut is\n  {}",
        run.stderr
    );
    for w in words {
        assert!(
            run.stderr.contains(w),
            "stderr should contain `{w}` but is\n  {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.ends_with('\n') && !run.stderr.trim_end().contains("\n\n"),
        "stderr should be one paragraph: {:?}",
        run.stderr
    );
}

/// Asserts a successful run in a machine format (CSV, JSON): exit 0, output, and on stderr only
/// the report's warnings and notes, one a line.
pub fn assert_machine_success(run: &Run) {
    assert_eq!(run.code, Some(0), "expected exit 0: {run:#?}");
    assert!(!run.stdout.is_empty(), "expected output: {run:#?}");
    assert!(
        run.stderr
            .lines()
            .all(|l| l.starts_with("warning: ") || l.starts_with("note: ")),
        "expected only warnings and notes on stderr: {run:#?}"
    );
}

/// Parses a successful JSON estimate.
pub fn json(run: &Run) -> serde_json::Value {
    assert_machine_success(run);
    serde_json::from_str(&run.stdout).expect("the JSON output parses")
}

/// `total_usd_per_month` of a JSON estimate.
pub fn total(doc: &serde_json::Value) -> f64 {
    doc["total_usd_per_month"]
        .as_f64()
        .expect("total_usd_per_month is a number")
}

/// Asserts two amounts agree to 1e-9.
pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: got {actual}, expected {expected}"
    );
}

/// Splits one CSV record (RFC 4180 quoting, no embedded newlines).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Parses an amount as the table and Markdown print it (`2,215.96`).
pub fn parse_usd(s: &str) -> f64 {
    s.trim()
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("`{s}` is not an amount"))
}

/// A loopback HTTP server on 127.0.0.1 answering each request (one per connection) with what
/// `answer` makes of its body: a (status, body) in the JSON 1.1 protocol of AWS's JSON APIs.
/// Returns its URL and the request bodies it saw, in order.
pub fn loopback(
    mut answer: impl FnMut(&str) -> (u16, String) + Send + 'static,
) -> (String, std::sync::mpsc::Receiver<String>) {
    serve(
        move |_, _, body| {
            let (status, response) = answer(&String::from_utf8_lossy(body));
            Reply {
                status,
                content_type: "application/x-amz-json-1.1",
                headers: Vec::new(),
                body: response.into_bytes(),
            }
        },
        |_, _, body| String::from_utf8_lossy(&body).to_string(),
    )
}

/// [`loopback`] for an API whose operation is named by the `X-Amz-Target` header (Athena's
/// `AmazonAthena.StartQueryExecution`): `answer` gets the operation's name (after the dot)
/// and the body. Returns its URL and the (operation, body) of each request it saw, in order.
pub fn loopback_operations(
    mut answer: impl FnMut(&str, &str) -> (u16, String) + Send + 'static,
) -> (String, std::sync::mpsc::Receiver<(String, String)>) {
    let operation = |target: &str| target.rsplit('.').next().unwrap_or("").to_string();
    serve(
        move |_, target, body| {
            let (status, response) = answer(&operation(target), &String::from_utf8_lossy(body));
            Reply {
                status,
                content_type: "application/x-amz-json-1.1",
                headers: Vec::new(),
                body: response.into_bytes(),
            }
        },
        move |_, target, body| {
            (
                operation(&target),
                String::from_utf8_lossy(&body).to_string(),
            )
        },
    )
}

/// What the loopback server answers.
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Its Content-Type.
    pub content_type: &'static str,
    /// Other headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A loopback HTTP server on 127.0.0.1 answering each request (one per connection) with what
/// `answer` makes of its path and body. Returns its URL and the (path, body) of each request
/// it saw, in order.
pub fn loopback_http(
    mut answer: impl FnMut(&str, &[u8]) -> Reply + Send + 'static,
) -> (String, std::sync::mpsc::Receiver<(String, Vec<u8>)>) {
    serve(
        move |path, _, body| answer(path, body),
        |path, _, body| (path, body),
    )
}

/// The loopback server: answers each request, and reports what `seen` makes of its path,
/// `X-Amz-Target` header and body before the answer is written (so a caller that has its
/// answer finds it reported).
fn serve<T: Send + 'static>(
    mut answer: impl FnMut(&str, &str, &[u8]) -> Reply + Send + 'static,
    seen: impl Fn(String, String, Vec<u8>) -> T + Send + 'static,
) -> (String, std::sync::mpsc::Receiver<T>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        loop {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            let mut path = String::new();
            let mut target = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if path.is_empty() {
                    path = line.split(' ').nth(1).unwrap_or("").to_string();
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if line.to_ascii_lowercase().starts_with("x-amz-target:") {
                    target = line["x-amz-target:".len()..].trim().to_string();
                }
            }
            let mut request = vec![0; length];
            let _ = reader.read_exact(&mut request);
            let reply = answer(&path, &target, &request);
            let _ = tx.send(seen(path, target, request));
            let reason = if reply.status == 200 {
                "OK"
            } else {
                "Bad Request"
            };
            // A reply may state its own Content-Length (a body that ends early).
            let length = reply
                .headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                .map_or(reply.body.len().to_string(), |(_, v)| v.clone());
            let mut head = format!(
                "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {length}\r\nConnection: close\r\n",
                reply.status, reply.content_type,
            );
            for (name, value) in &reply.headers {
                if !name.eq_ignore_ascii_case("content-length") {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
            }
            head.push_str("\r\n");
            let mut stream = reader.into_inner();
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&reply.body);
        }
    });
    (url, rx)
}
