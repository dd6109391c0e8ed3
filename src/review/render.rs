//! The review as files: `report.md` (charts as images beside it), `report.html` (one
//! self-contained file: inline CSS and SVG, nothing fetched), `charts/<id>.svg` and `.png`,
//! and `data/<name>.csv`.

use super::Review;
use crate::charts::ChartError;
use crate::report::Table;

/// A file of the review, its path relative to the output directory.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    /// `report.md`, `charts/cost-by-service.svg`, `data/summary.csv`.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Every file of the review but the Parquet exports (the command line adds those).
pub fn files(review: &Review) -> Result<Vec<OutputFile>, ChartError> {
    let mut out = Vec::new();
    let mut svgs = Vec::new();
    for chart in review.charts() {
        let svg = chart.svg()?;
        out.push(OutputFile {
            path: format!("charts/{}.png", chart.id),
            bytes: chart.png()?,
        });
        out.push(OutputFile {
            path: format!("charts/{}.svg", chart.id),
            bytes: svg.clone().into_bytes(),
        });
        svgs.push((chart.id.clone(), svg));
    }
    for d in review.data() {
        out.push(OutputFile {
            path: format!("data/{}.csv", d.name),
            bytes: d.csv().into_bytes(),
        });
    }
    out.push(OutputFile {
        path: "report.md".into(),
        bytes: markdown(review).into_bytes(),
    });
    out.push(OutputFile {
        path: "report.html".into(),
        bytes: html(review, &svgs).into_bytes(),
    });
    Ok(out)
}

fn data_list(review: &Review, section: usize) -> Vec<String> {
    review.sections[section]
        .data
        .iter()
        .map(|d| format!("data/{}.csv", d.name))
        .collect()
}

/// The review in Markdown.
pub fn markdown(review: &Review) -> String {
    let mut out = format!("# {}\n\n", review.title);
    out.push_str("Inputs:\n\n");
    for (what, which) in &review.inputs {
        out.push_str(&format!("- {what}: {}\n", md_escape(which)));
    }
    if !review.left_out.is_empty() {
        out.push_str("\nLeft out:\n\n");
        for (section, why) in &review.left_out {
            out.push_str(&format!("- {section}: {}\n", md_escape(why)));
        }
    }
    for (i, s) in review.sections.iter().enumerate() {
        out.push_str(&format!("\n## {}\n\n", s.title));
        for l in &s.lines {
            out.push_str(&md_escape(l));
            out.push_str("\n\n");
        }
        for c in &s.charts {
            out.push_str(&format!(
                "![{}](charts/{}.svg)\n\n[PNG](charts/{}.png)\n\n",
                md_escape(&c.title),
                c.id,
                c.id
            ));
        }
        for t in &s.tables {
            out.push_str(&t.markdown_at(3));
            out.push('\n');
        }
        let files = data_list(review, i);
        if !files.is_empty() {
            out.push_str(&format!("Data: {}\n", files.join(", ")));
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CSS: &str = "
body { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; color: #1a1a1a;
  max-width: 1100px; margin: 0 auto; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6em; border-bottom: 2px solid #0072B2; padding-bottom: 6px; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
figure { margin: 1em 0; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #555; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.85em; width: 100%;
  table-layout: auto; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; min-width: 5em; }
th:first-child, td:first-child { min-width: 2em; }
th { background: #f0f4f8; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #999; }
ul.notes { font-size: 0.85em; color: #444; }
.inputs td:first-child { white-space: nowrap; font-weight: bold; }
@media print {
  body { max-width: none; padding: 0; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  table { font-size: 0.75em; }
  tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
}
@page { size: A4; margin: 14mm; }
";

/// The review as one self-contained HTML page.
pub fn html(review: &Review, svgs: &[(String, String)]) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", esc(&review.title)));
    out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", esc(&review.title)));
    out.push_str("<table class=\"inputs\"><tbody>\n");
    for (what, which) in &review.inputs {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>\n",
            esc(what),
            esc(which)
        ));
    }
    out.push_str("</tbody></table>\n");
    if !review.left_out.is_empty() {
        out.push_str("<p>Left out:</p>\n<ul class=\"notes\">\n");
        for (section, why) in &review.left_out {
            out.push_str(&format!("<li>{}: {}</li>\n", esc(section), esc(why)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<nav><ol>\n");
    for s in &review.sections {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            s.id,
            esc(s.title.split_once(". ").map_or(&s.title, |(_, t)| t))
        ));
    }
    out.push_str("</ol></nav>\n");
    for (i, s) in review.sections.iter().enumerate() {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            s.id,
            esc(&s.title)
        ));
        for l in &s.lines {
            out.push_str(&format!("<p>{}</p>\n", esc(l)));
        }
        for c in &s.charts {
            let svg = svgs
                .iter()
                .find(|(id, _)| *id == c.id)
                .map_or("", |(_, s)| s.as_str());
            let svg = svg.replacen(
                "<svg ",
                &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(&c.title)),
                1,
            );
            out.push_str(&format!(
                "<figure>\n{svg}\n<figcaption>{} (charts/{}.svg)</figcaption>\n</figure>\n",
                esc(&c.title),
                c.id
            ));
        }
        for t in &s.tables {
            out.push_str(&html_table(t));
        }
        let files = data_list(review, i);
        if !files.is_empty() {
            out.push_str(&format!(
                "<p class=\"notes\">Data: {}</p>\n",
                esc(&files.join(", "))
            ));
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_table(t: &Table) -> String {
    let mut out = format!("<h3>{}</h3>\n", esc(&t.title));
    if !t.head.is_empty() {
        let cell = |tag: &str, c: usize, text: &str| {
            let class = if t.right.get(c).copied().unwrap_or(false) {
                " class=\"n\""
            } else {
                ""
            };
            format!("<{tag}{class}>{}</{tag}>", esc(text))
        };
        out.push_str("<table>\n<thead><tr>");
        for (c, h) in t.head.iter().enumerate() {
            out.push_str(&cell("th", c, h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for r in &t.rows {
            out.push_str("<tr>");
            for (c, v) in r.iter().enumerate() {
                out.push_str(&cell("td", c, v));
            }
            out.push_str("</tr>\n");
        }
        if let Some(total) = &t.total {
            out.push_str("<tr class=\"total\">");
            for (c, v) in total.iter().enumerate() {
                out.push_str(&cell("td", c, v));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if let Some(s) = &t.summary {
        out.push_str(&format!("<p><strong>{}</strong></p>\n", esc(s)));
    }
    if !t.notes.is_empty() {
        out.push_str("<ul class=\"notes\">\n");
        for n in &t.notes {
            out.push_str(&format!("<li>{}</li>\n", esc(n)));
        }
        out.push_str("</ul>\n");
    }
    out
}
