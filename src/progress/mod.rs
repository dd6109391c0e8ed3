//! Progress of long steps (S3 downloads, pages of an AWS API, scans of billing exports), told
//! to whoever watches: the command line draws bars on a terminal, a library user may do
//! anything or nothing. Nobody watching (the default) costs a thread-local read a step.
//!
//! A watcher is installed for the length of a closure on the current thread
//! ([`watched_by`]); the edge modules that run long steps ([`begin`] a [`Step`], then
//! [`Step::advance`]) run on the caller's thread, so they find it there.

use std::cell::RefCell;
use std::rc::Rc;

/// What a step counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes downloaded or read.
    Bytes,
    /// Pages of an API's answer.
    Pages,
    /// Files read.
    Files,
    /// Checks of a running job's status (an Athena query).
    Checks,
    /// Draws of a Monte Carlo run.
    Draws,
}

impl Unit {
    /// The unit's name in the plural (`pages`).
    pub fn plural(self) -> &'static str {
        match self {
            Unit::Bytes => "bytes",
            Unit::Pages => "pages",
            Unit::Files => "files",
            Unit::Checks => "status checks",
            Unit::Draws => "draws",
        }
    }
}

/// Someone watching long steps.
pub trait Watcher {
    /// A step has begun: `label` says what it does, `total` how much there is to do when it
    /// is known. The returned bar is advanced as the step goes and dropped when it ends.
    fn begin(&self, label: &str, total: Option<u64>, unit: Unit) -> Box<dyn Bar>;
}

/// One step's display, advanced as the step goes; dropped when the step ends.
pub trait Bar: Send + Sync {
    /// `by` more units are done.
    fn advance(&self, by: u64);
}

thread_local! {
    static WATCHER: RefCell<Option<Rc<dyn Watcher>>> = const { RefCell::new(None) };
}

/// Runs `work` with `watcher` told of every step begun on this thread, then puts back
/// whoever watched before.
pub fn watched_by<T>(watcher: Rc<dyn Watcher>, work: impl FnOnce() -> T) -> T {
    /// Puts the previous watcher back, also when `work` unwinds.
    struct Restore(Option<Rc<dyn Watcher>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            WATCHER.with(|w| *w.borrow_mut() = previous);
        }
    }
    let _restore = Restore(WATCHER.with(|w| w.borrow_mut().replace(watcher)));
    work()
}

/// Begins a step, shown to this thread's watcher if there is one.
pub fn begin(label: &str, total: Option<u64>, unit: Unit) -> Step {
    let watcher = WATCHER.with(|w| w.borrow().clone());
    Step(watcher.map(|w| w.begin(label, total, unit)))
}

/// A step under way; it ends when dropped.
pub struct Step(Option<Box<dyn Bar>>);

impl Step {
    /// `by` more units are done.
    pub fn advance(&self, by: u64) {
        if let Some(bar) = &self.0 {
            bar.advance(by);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Records what it was told, as `label total unit` then `+n` lines, `end` on drop.
    #[derive(Default)]
    struct Log(Arc<Mutex<Vec<String>>>);

    struct LogBar(Arc<Mutex<Vec<String>>>);

    impl Bar for LogBar {
        fn advance(&self, by: u64) {
            self.0.lock().unwrap().push(format!("+{by}"));
        }
    }

    impl Drop for LogBar {
        fn drop(&mut self) {
            self.0.lock().unwrap().push("end".into());
        }
    }

    impl Watcher for Log {
        fn begin(&self, label: &str, total: Option<u64>, unit: Unit) -> Box<dyn Bar> {
            self.0
                .lock()
                .unwrap()
                .push(format!("{label} {total:?} {}", unit.plural()));
            Box::new(LogBar(self.0.clone()))
        }
    }

    #[test]
    fn a_watcher_sees_the_steps_begun_while_it_watches_and_no_others() {
        let log = Log::default();
        let lines = log.0.clone();
        begin("before", None, Unit::Pages).advance(1);
        watched_by(Rc::new(log), || {
            let step = begin("download", Some(10), Unit::Bytes);
            step.advance(4);
            step.advance(6);
        });
        begin("after", None, Unit::Pages).advance(1);
        assert_eq!(
            *lines.lock().unwrap(),
            ["download Some(10) bytes", "+4", "+6", "end"]
        );
    }

    #[test]
    fn the_previous_watcher_is_back_after_a_nested_one() {
        let outer = Log::default();
        let outer_lines = outer.0.clone();
        let inner = Log::default();
        let inner_lines = inner.0.clone();
        watched_by(Rc::new(outer), || {
            watched_by(Rc::new(inner), || drop(begin("inner", None, Unit::Pages)));
            drop(begin("outer", Some(2), Unit::Draws));
        });
        assert_eq!(*inner_lines.lock().unwrap(), ["inner None pages", "end"]);
        assert_eq!(*outer_lines.lock().unwrap(), ["outer Some(2) draws", "end"]);
    }
}
