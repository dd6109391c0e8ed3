//! Every result as a report: a [`Report`] says what its tables, CSV and JSON document are, and
//! [`render`] turns any report into a table, JSON, CSV or Markdown. Output is built whole in
//! memory, so a failure never leaves half a report behind. Numbers are formatted in one place
//! (`vocabulary::text`).

mod bill_commitments;
mod commit;
mod compare;
mod estimate;
mod prices;
mod reconcile;
mod rightsize;
mod savings;
mod spend;
mod sweep;
mod table;
mod tags;

use serde::Serialize;

pub use bill_commitments::BillCommitmentsReport;
pub use commit::CommitReport;
pub use estimate::EstimateReport;
pub use prices::{EntriesReport, SnapshotsReport};
pub use reconcile::render_calibration;
pub use rightsize::{RightsizeReport, variant};
pub use spend::SpendReport;
pub use table::{Csv, Table};
pub use tags::TagsReport;

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

/// A result that can be rendered: its tables (for the terminal and Markdown), its CSV and its
/// JSON document.
pub trait Report {
    /// The JSON document's type (its own serde type: core types are not `Serialize`).
    type Json<'a>: Serialize
    where
        Self: 'a;

    /// The tables, in order.
    fn tables(&self) -> Vec<Table>;

    /// The CSV.
    fn csv(&self) -> Csv;

    /// The JSON document.
    fn json(&self) -> Self::Json<'_>;

    /// Warnings and notes the reader must see whatever the format (`warning: …`, `note: …`).
    /// The tables carry them under their rows and the JSON in its own field; with CSV and JSON
    /// the command line also prints them on stderr.
    fn diagnostics(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Renders any report in a format: tables one after another (text or Markdown), the CSV, or
/// the JSON document pretty-printed with a final newline.
pub fn render<R: Report>(report: &R, format: Format) -> String {
    render_within(report, format, None)
}

/// [`render`], with tables fitted to `width` characters (a terminal's) where they allow it.
pub fn render_within<R: Report>(report: &R, format: Format, width: Option<usize>) -> String {
    match format {
        Format::Table => report
            .tables()
            .iter()
            .map(|t| t.text_within(width))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Markdown => report
            .tables()
            .iter()
            .map(Table::markdown)
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Csv => report.csv().text(),
        Format::Json => {
            let mut s =
                serde_json::to_string_pretty(&report.json()).expect("report types serialize");
            s.push('\n');
            s
        }
    }
}
