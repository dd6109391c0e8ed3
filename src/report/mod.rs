//! Renders results as a table, JSON, CSV or Markdown. Output is built whole in memory, so a
//! failure never leaves half a report behind.

mod compare;
mod estimate;
mod reconcile;
mod savings;
mod sweep;
mod table;

pub use compare::render_comparison;
pub use estimate::render;
pub use reconcile::{render_calibration, render_reconciliation};
pub use savings::render_savings;
pub use sweep::{render_distribution, render_sweep};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// Every line and summary, machine-readable.
    Json,
    /// One row per line (or per group).
    Csv,
    /// A Markdown table.
    Markdown,
}

/// Serializes a report document as pretty JSON with a final newline.
fn to_json<T: serde::Serialize>(doc: &T) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("report types serialize");
    s.push('\n');
    s
}
