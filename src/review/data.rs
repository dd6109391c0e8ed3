//! The review's data exports: every table as typed columns, written as CSV here and as
//! Parquet by the command line (polars lives in `actuals`). Column names are stable and
//! listed in the README; numbers are USD, percentages or quantities, never formatted text.

use crate::report::Csv;

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text (empty: null).
    Text,
    /// A number (empty: null).
    Number,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// No value.
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Number)
    }
}

/// A data table: `data/<name>.csv` and `data/<name>.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// File name stem (`cost_by_service`).
    pub name: String,
    /// Column names and types.
    pub columns: Vec<(String, ColumnKind)>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl DataTable {
    /// An empty table with these columns (`"name"` text, `"name:n"` a number).
    pub fn new(name: &str, columns: &[&str]) -> Self {
        DataTable {
            name: name.to_string(),
            columns: columns
                .iter()
                .map(|c| match c.strip_suffix(":n") {
                    Some(n) => (n.to_string(), ColumnKind::Number),
                    None => (c.to_string(), ColumnKind::Text),
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.name);
        self.rows.push(row);
    }

    /// A report's CSV as a data table: a column is a number when its name says it holds one
    /// (`…_usd`, `…_usd_per_month`, `…_percent`, `quantity`, `usd_per_unit`, `rank`).
    pub fn from_csv(name: &str, csv: &Csv) -> Self {
        let numeric = |c: &str| {
            [
                "_usd",
                "_usd_per_month",
                "_percent",
                "quantity",
                "usd_per_unit",
            ]
            .iter()
            .any(|s| c.ends_with(s))
                || c == "rank"
        };
        DataTable {
            name: name.to_string(),
            columns: csv
                .head
                .iter()
                .map(|c| {
                    let kind = if numeric(c) {
                        ColumnKind::Number
                    } else {
                        ColumnKind::Text
                    };
                    (c.clone(), kind)
                })
                .collect(),
            rows: csv
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .zip(&csv.head)
                        .map(|(cell, c)| match (numeric(c), cell.parse::<f64>()) {
                            (_, _) if cell.is_empty() => Cell::Empty,
                            (true, Ok(v)) => Cell::Number(v),
                            _ => Cell::Text(cell.clone()),
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// The column's values as numbers (`None` where empty or text).
    pub fn numbers(&self, column: &str) -> Vec<Option<f64>> {
        let Some(i) = self.columns.iter().position(|(c, _)| c == column) else {
            return Vec::new();
        };
        self.rows
            .iter()
            .map(|r| match r[i] {
                Cell::Number(v) => Some(v),
                _ => None,
            })
            .collect()
    }

    /// The column's values as numbers, one per row (an empty cell is 0): a chart's series,
    /// aligned with the rows' labels.
    pub fn values(&self, column: &str) -> Vec<f64> {
        self.numbers(column)
            .into_iter()
            .map(|v| v.unwrap_or(0.0))
            .collect()
    }

    /// The column's values as text.
    pub fn texts(&self, column: &str) -> Vec<String> {
        let Some(i) = self.columns.iter().position(|(c, _)| c == column) else {
            return Vec::new();
        };
        self.rows
            .iter()
            .map(|r| match &r[i] {
                Cell::Text(s) => s.clone(),
                Cell::Number(v) => format!("{v}"),
                Cell::Empty => String::new(),
            })
            .collect()
    }

    /// CSV text: numbers with 6 decimals, empty cells empty.
    pub fn csv(&self) -> String {
        Csv {
            head: self.columns.iter().map(|(c, _)| c.clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Cell::Text(s) => s.clone(),
                            Cell::Number(v) => format!("{v:.6}"),
                            Cell::Empty => String::new(),
                        })
                        .collect()
                })
                .collect(),
        }
        .text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_csv_keeps_its_numbers_as_numbers_and_its_ids_as_text() {
        let csv = Csv::new(
            &["rank", "resource", "saving_usd_per_month", "evidence"],
            [vec![
                "1".into(),
                "111122223333".into(),
                "".into(),
                "12".into(),
            ]],
        );
        let t = DataTable::from_csv("r", &csv);
        assert_eq!(
            t.rows[0],
            vec![
                Cell::Number(1.0),
                Cell::Text("111122223333".into()),
                Cell::Empty,
                Cell::Text("12".into())
            ]
        );
        assert_eq!(
            t.csv(),
            "rank,resource,saving_usd_per_month,evidence\n1.000000,111122223333,,12\n"
        );
    }
}
