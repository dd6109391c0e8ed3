//! A titled table of text cells, rendered aligned for a terminal, as Markdown, or as CSV.

/// A titled table of text cells, ready to render as aligned text or Markdown.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// A heading line.
    pub title: String,
    /// Column names.
    pub head: Vec<String>,
    /// Which columns are numeric (right-aligned).
    pub right: Vec<bool>,
    /// Body rows.
    pub rows: Vec<Vec<String>>,
    /// A total row, set off by a rule in text.
    pub total: Option<Vec<String>>,
    /// A bold summary line under the Markdown table.
    pub summary: Option<String>,
    /// Lines after the table (warnings, notes, footnotes).
    pub notes: Vec<String>,
    /// A column that is cut short (with `…`) when the table must fit a width.
    pub shrink: Option<usize>,
    /// Columns from this one on may be left out, rightmost first, when the table must fit a
    /// width (a note says how many).
    pub optional_from: Option<usize>,
}

impl Table {
    /// Aligned text.
    pub fn text(&self) -> String {
        self.text_within(None)
    }

    /// Aligned text no wider than `width` characters where the table allows it: optional
    /// columns are left out, then the shrinkable column is cut short.
    pub fn text_within(&self, width: Option<usize>) -> String {
        match width {
            Some(w) => self.fitted(w).aligned(),
            None => self.aligned(),
        }
    }

    /// The table with optional columns dropped and the shrinkable column cut to fit `width`.
    fn fitted(&self, width: usize) -> Table {
        let mut t = self.clone();
        let line_width =
            |t: &Table| t.widths().iter().sum::<usize>() + 2 * t.head.len().saturating_sub(1);
        // A description cut to fewer characters than this says too little: drop it instead.
        const USEFUL: usize = 16;
        let cut = |t: &mut Table, c: usize, room: usize| {
            for r in std::iter::once(&mut t.head)
                .chain(t.rows.iter_mut())
                .chain(t.total.iter_mut())
            {
                if r[c].chars().count() > room {
                    r[c] = r[c].chars().take(room - 1).collect::<String>() + "…";
                }
            }
        };
        if let Some(c) = t.shrink.filter(|c| *c < t.head.len()) {
            let excess = line_width(&t).saturating_sub(width);
            let room = t.widths()[c].saturating_sub(excess);
            if excess == 0 {
                return t;
            }
            if room >= USEFUL {
                cut(&mut t, c, room);
                return t;
            }
        }
        let mut dropped = 0;
        while line_width(&t) > width && t.optional_from.is_some_and(|first| t.head.len() > first) {
            for r in std::iter::once(&mut t.head)
                .chain(t.rows.iter_mut())
                .chain(t.total.iter_mut())
            {
                r.pop();
            }
            t.right.pop();
            dropped += 1;
        }
        if dropped > 0 {
            t.notes.insert(
                0,
                format!("{dropped} more column(s) left out to fit the terminal: --wide or --format csv shows them"),
            );
        }
        if let Some(c) = t.shrink.filter(|c| *c < t.head.len()) {
            let excess = line_width(&t).saturating_sub(width);
            if excess > 0 {
                let room = t.widths()[c]
                    .saturating_sub(excess)
                    .max(t.head[c].chars().count())
                    .max(8);
                cut(&mut t, c, room);
            }
        }
        t
    }

    /// Each column's width: its widest cell or heading.
    fn widths(&self) -> Vec<usize> {
        let all: Vec<&Vec<String>> = self.rows.iter().chain(self.total.iter()).collect();
        (0..self.head.len())
            .map(|c| {
                all.iter()
                    .map(|r| r[c].chars().count())
                    .chain([self.head[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn aligned(&self) -> String {
        let widths = self.widths();
        let fmt_row = |r: &[String]| {
            r.iter()
                .enumerate()
                .map(|(c, cell)| {
                    if self.right[c] {
                        format!("{cell:>w$}", w = widths[c])
                    } else {
                        format!("{cell:<w$}", w = widths[c])
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
                + "\n"
        };
        let rule = widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
            + "\n";
        let mut out = format!("{}\n\n", self.title);
        out.push_str(&fmt_row(&self.head));
        out.push_str(&rule);
        for r in &self.rows {
            out.push_str(&fmt_row(r));
        }
        if let Some(t) = &self.total {
            out.push_str(&rule);
            out.push_str(&fmt_row(t));
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for n in &self.notes {
                out.push_str(n);
                out.push('\n');
            }
        }
        out
    }

    /// A Markdown section (`## title`).
    pub fn markdown(&self) -> String {
        self.markdown_at(2)
    }

    /// A Markdown section under a heading of `level` (`###` for 3), its total row last.
    pub fn markdown_at(&self, level: usize) -> String {
        let esc = |s: &str| s.replace('|', "\\|");
        let row = |r: &[String]| {
            format!(
                "| {} |\n",
                r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
            )
        };
        let mut out = format!("{} {}\n\n", "#".repeat(level), esc(&self.title));
        if self.head.is_empty() {
            return out;
        }
        out.push_str(&row(&self.head));
        let align: Vec<String> = self
            .right
            .iter()
            .map(|r| if *r { "---:" } else { "---" }.to_string())
            .collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for r in self
            .rows
            .iter()
            .chain(if level > 2 { self.total.as_ref() } else { None })
        {
            out.push_str(&row(r));
        }
        if let Some(s) = &self.summary {
            out.push_str(&format!("\n**{}**\n", esc(s)));
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for n in &self.notes {
                out.push_str(&format!("- {}\n", esc(n)));
            }
        }
        out
    }
}

/// One CSV cell, quoted when it must be.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A report's CSV: a header and rows of raw values (amounts with 6 decimals, no separators).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csv {
    /// Column names.
    pub head: Vec<String>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    /// A CSV from a header and rows.
    pub fn new(head: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Self {
        Csv {
            head: head.iter().map(|h| h.to_string()).collect(),
            rows: rows.into_iter().collect(),
        }
    }

    /// CSV text (RFC 4180 quoting), a header line first.
    pub fn text(&self) -> String {
        let line = |r: &[String]| r.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
        let mut out = line(&self.head) + "\n";
        for r in &self.rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_needed() {
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            Csv::new(&["a", "b"], [vec!["1".into(), "x,y".into()]]).text(),
            "a,b\n1,\"x,y\"\n"
        );
    }
}
