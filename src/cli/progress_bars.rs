//! Progress bars on stderr (indicatif) for a person at a terminal: the library's long steps
//! (S3 downloads, pages of AWS answers, scans of exports, Monte Carlo draws) each draw one
//! bar, cleared when the step ends. Pipes, files and `--quiet` get nothing.

use std::io::IsTerminal;
use std::rc::Rc;
use std::time::Duration;

use archcost::progress::{Bar, Unit, Watcher};
use indicatif::{ProgressBar, ProgressStyle};

/// Draws the steps as bars on stderr.
struct Bars;

/// The watcher for this run: bars when stderr is a terminal and `--quiet` was not given.
pub fn for_terminal(quiet: bool) -> Option<Rc<dyn Watcher>> {
    (!quiet && std::io::stderr().is_terminal()).then(|| Rc::new(Bars) as Rc<dyn Watcher>)
}

impl Watcher for Bars {
    fn begin(&self, label: &str, total: Option<u64>, unit: Unit) -> Box<dyn Bar> {
        let (bar, template) = match (total, unit) {
            (Some(n), Unit::Bytes) => (
                ProgressBar::new(n),
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}".to_string(),
            ),
            (Some(n), unit) => (
                ProgressBar::new(n),
                format!(
                    "{{msg}} [{{bar:30}}] {{pos}}/{{len}} {} {{elapsed}}",
                    unit.plural()
                ),
            ),
            (None, Unit::Bytes) => (
                ProgressBar::new_spinner(),
                "{spinner} {msg}: {bytes} {bytes_per_sec}".to_string(),
            ),
            (None, unit) => (
                ProgressBar::new_spinner(),
                format!("{{spinner}} {{msg}}: {{pos}} {} {{elapsed}}", unit.plural()),
            ),
        };
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(label.to_string());
        // Redrawn as time passes, so a step that waits (a slow page, a large file) is seen
        // to be alive.
        bar.enable_steady_tick(Duration::from_millis(120));
        Box::new(Drawn(bar))
    }
}

/// One step's bar; cleared from the terminal when the step ends.
struct Drawn(ProgressBar);

impl Bar for Drawn {
    fn advance(&self, by: u64) {
        self.0.inc(by);
    }
}

impl Drop for Drawn {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
