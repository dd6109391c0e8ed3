//! Charts for the monthly review, drawn with `plotters`: SVG always, and PNG drawn with the
//! DejaVu Sans font the project ships (`assets/fonts/`), so a PNG does not depend on the
//! fonts of the machine that made it.
//!
//! A [`Chart`] is data: a title, axis labels and series. Every bar carries its value as a
//! label, so what a chart says can be read back from its SVG and checked against the tables.
//! Colours are the Okabe–Ito palette (distinct for colour-blind readers), ordered so that
//! neighbouring series also differ in lightness when printed in grey.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::vocabulary::text::usd;

/// The shipped font (DejaVu Sans, Bitstream Vera licence: `assets/fonts/LICENSE-DejaVu.txt`).
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The family every text of a chart is set in.
const FAMILY: &str = "sans-serif";
/// Width and height of a chart, pixels.
const WIDTH: u32 = 900;

/// Okabe–Ito colours: blue, orange, bluish green, vermillion, sky blue, reddish purple.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xCC, 0x79, 0xA7),
];
/// A waterfall's totals, savings and increases.
const TOTAL: RGBColor = PALETTE[0];
const DOWN: RGBColor = PALETTE[2];
const UP: RGBColor = PALETTE[3];

/// A chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("chart `{chart}`: {reason}")]
pub struct ChartError {
    /// The chart's id.
    pub chart: String,
    /// What went wrong.
    pub reason: String,
}

/// One named series of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name in the legend.
    pub name: String,
    /// One value per category (bars) or per x (lines).
    pub values: Vec<f64>,
}

/// A marked x value on a line chart (a break-even point).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Where.
    pub x: f64,
    /// What it is.
    pub label: String,
}

/// What a chart draws.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartKind {
    /// Horizontal bars, one row per category: side by side per series, or stacked.
    Bars {
        /// Row labels, top to bottom.
        categories: Vec<String>,
        /// The series (one colour each).
        series: Vec<Series>,
        /// Stack the series in each row instead of setting them side by side.
        stacked: bool,
    },
    /// A horizontal waterfall: a starting total, steps that move it, and the total they reach.
    Waterfall {
        /// The start's label and value.
        start: (String, f64),
        /// Each step's label and change (negative: down).
        steps: Vec<(String, f64)>,
        /// The end's label (its value is the start plus the steps).
        end: String,
    },
    /// Lines over a numeric x axis, with marked x values.
    Lines {
        /// The x axis's label.
        x_label: String,
        /// The x values.
        x: Vec<f64>,
        /// One line per series.
        series: Vec<Series>,
        /// Vertical markers.
        markers: Vec<Marker>,
    },
}

/// What the values of a chart are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// US dollars (`1,234.56`).
    Usd,
    /// Percentages (`87.5%`).
    Percent,
}

impl Scale {
    /// A value as written on a bar.
    pub fn format(self, v: f64) -> String {
        match self {
            Scale::Usd => usd(v),
            Scale::Percent => format!("{v:.1}%"),
        }
    }

    fn tick(self, v: f64) -> String {
        match self {
            Scale::Usd => usd_tick(v),
            Scale::Percent => format!("{v:.0}%"),
        }
    }
}

/// A chart: its id (the file name stem), title, value-axis label and what it draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File name stem (`cost-by-service`).
    pub id: String,
    /// The title drawn above it.
    pub title: String,
    /// The value axis's label, with its unit (`USD/month`).
    pub value_label: String,
    /// What its values are.
    pub scale: Scale,
    /// What it draws.
    pub kind: ChartKind,
}

impl Chart {
    /// Its height, pixels: bars grow with their rows.
    fn height(&self) -> u32 {
        let rows = match &self.kind {
            ChartKind::Bars {
                categories,
                series,
                stacked,
            } => categories.len() * if *stacked { 1 } else { series.len().max(1) },
            ChartKind::Waterfall { steps, .. } => steps.len() + 2,
            ChartKind::Lines { .. } => return 480,
        };
        (140 + 26 * rows as u32).clamp(220, 1400)
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String, ChartError> {
        fonts();
        let mut out = String::new();
        {
            let root =
                SVGBackend::with_string(&mut out, (WIDTH, self.height())).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| self.error(e))?;
        }
        Ok(out)
    }

    /// The chart as a PNG image.
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        fonts();
        let (w, h) = (WIDTH, self.height());
        let mut pixels = vec![0u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| self.error(e))?;
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&pixels))
            .map_err(|e| self.error(e))?;
        Ok(out)
    }

    fn error(&self, e: impl std::fmt::Display) -> ChartError {
        ChartError {
            chart: self.id.clone(),
            reason: e.to_string(),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        root.fill(&WHITE).map_err(|e| self.error(e))?;
        match &self.kind {
            ChartKind::Bars {
                categories,
                series,
                stacked,
            } => self.bars(root, categories, series, *stacked),
            ChartKind::Waterfall { start, steps, end } => self.waterfall(root, start, steps, end),
            ChartKind::Lines {
                x_label,
                x,
                series,
                markers,
            } => self.lines(root, x_label, x, series, markers),
        }
        .map_err(|e| self.error(e))
    }

    /// Horizontal bars with their values written at their ends.
    fn bars<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        categories: &[String],
        series: &[Series],
        stacked: bool,
    ) -> Result<(), String> {
        let n = categories.len();
        let ends: Vec<f64> = if stacked {
            (0..n)
                .map(|i| series.iter().map(|s| s.values[i].max(0.0)).sum())
                .collect()
        } else {
            series.iter().flat_map(|s| s.values.clone()).collect()
        };
        let (lo, hi) = value_range(&ends);
        let entries = legend(series, Swatch::Block);
        let body = band(
            root,
            &self.title,
            if series.len() > 1 { &entries } else { &[] },
        )?;
        let nudge = (hi - lo) * 0.004;
        let mut chart = self.rows(&body, categories, (lo, hi))?;
        let row = |i: usize| (n - 1 - i) as f64;
        let m = series.len().max(1) as f64;
        for (k, s) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let rects = (0..n).map(|i| {
                let (x0, x1, y0, y1) = if stacked {
                    let below: f64 = series[..k].iter().map(|s| s.values[i].max(0.0)).sum();
                    (below, below + s.values[i], row(i) - 0.38, row(i) + 0.38)
                } else {
                    let top = row(i) + 0.4 - 0.8 * k as f64 / m;
                    (0.0, s.values[i], top - 0.8 / m + 0.04, top)
                };
                Rectangle::new([(x0, y0), (x1, y1)], colour.filled())
            });
            chart.draw_series(rects).map_err(|e| e.to_string())?;
            if !stacked {
                let labels = (0..n).map(|i| {
                    let top = row(i) + 0.4 - 0.8 * k as f64 / m;
                    self.value_text(s.values[i], (s.values[i] + nudge, top - 0.4 / m + 0.02))
                });
                chart.draw_series(labels).map_err(|e| e.to_string())?;
            }
        }
        if stacked {
            let labels = (0..n).map(|i| self.value_text(ends[i], (ends[i] + nudge, row(i))));
            chart.draw_series(labels).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The plot of a chart of rows, the first at the top, with its value axis below.
    fn rows<'a, DB: DrawingBackend>(
        &self,
        body: &'a DrawingArea<DB, Shift>,
        labels: &[String],
        (lo, hi): (f64, f64),
    ) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
        let n = labels.len();
        let mut chart = frame(body, label_width(labels))
            .build_cartesian_2d(lo..hi, -0.5..(n as f64 - 0.5))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|y| category_at(labels, n, *y))
            .x_desc(self.value_label.as_str())
            .x_label_formatter(&|v| self.scale.tick(*v))
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        Ok(chart)
    }

    /// A horizontal waterfall, top to bottom: the start, each step, the end.
    fn waterfall<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        start: &(String, f64),
        steps: &[(String, f64)],
        end: &str,
    ) -> Result<(), String> {
        let mut labels = vec![start.0.clone()];
        labels.extend(steps.iter().map(|(l, _)| l.clone()));
        labels.push(end.to_string());
        let n = labels.len();
        // Each bar: (from, to).
        let mut bars = vec![(0.0, start.1)];
        let mut running = start.1;
        for (_, d) in steps {
            bars.push((running, running + d));
            running += d;
        }
        bars.push((0.0, running));
        let all: Vec<f64> = bars.iter().flat_map(|(a, b)| [*a, *b]).collect();
        let (lo, hi) = value_range(&all);
        let body = band(
            root,
            &self.title,
            &[
                ("total", Swatch::Block(TOTAL)),
                ("saving", Swatch::Block(DOWN)),
                ("increase", Swatch::Block(UP)),
            ],
        )?;
        let nudge = (hi - lo) * 0.004;
        let mut chart = self.rows(&body, &labels, (lo, hi))?;
        let row = |i: usize| (n - 1 - i) as f64;
        let colour = |i: usize| {
            if i == 0 || i == n - 1 {
                TOTAL
            } else if steps[i - 1].1 < 0.0 {
                DOWN
            } else {
                UP
            }
        };
        let rects = bars.iter().enumerate().map(|(i, (a, b))| {
            Rectangle::new(
                [(*a, row(i) - 0.35), (*b, row(i) + 0.35)],
                colour(i).filled(),
            )
        });
        chart.draw_series(rects).map_err(|e| e.to_string())?;
        let texts = bars.iter().enumerate().map(|(i, (a, b))| {
            let value = if i == 0 || i == n - 1 { *b } else { b - a };
            self.value_text(value, (a.max(*b) + nudge, row(i)))
        });
        chart.draw_series(texts).map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Lines with a point at each x, and dashed vertical markers.
    fn lines<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x_label: &str,
        x: &[f64],
        series: &[Series],
        markers: &[Marker],
    ) -> Result<(), String> {
        let xs = (
            x.iter().copied().fold(f64::INFINITY, f64::min),
            x.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        let ys: Vec<f64> = series.iter().flat_map(|s| s.values.clone()).collect();
        let (lo, hi) = value_range(&ys);
        let entries = legend(series, Swatch::Line);
        let body = band(root, &self.title, &entries)?;
        let mut chart = frame(&body, 80)
            .build_cartesian_2d(xs.0..xs.1.max(xs.0 + 1e-9), lo..hi)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .x_label_formatter(&|v| number_tick(*v))
            .y_desc(self.value_label.as_str())
            .y_label_formatter(&|v| self.scale.tick(*v))
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        for (k, s) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let points: Vec<(f64, f64)> = x.iter().copied().zip(s.values.iter().copied()).collect();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            // Circles for the first series, triangles for the next: told apart in grey too.
            if k % 2 == 0 {
                chart
                    .draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))
                    .map_err(|e| e.to_string())?;
            } else {
                chart
                    .draw_series(
                        points
                            .iter()
                            .map(|p| TriangleMarker::new(*p, 4, colour.filled())),
                    )
                    .map_err(|e| e.to_string())?;
            }
        }
        for m in markers {
            chart
                .draw_series(DashedLineSeries::new(
                    [(m.x, lo), (m.x, hi)],
                    6,
                    4,
                    BLACK.stroke_width(1),
                ))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(std::iter::once(Text::new(
                    m.label.clone(),
                    (m.x, hi),
                    (FAMILY, 13)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Left, VPos::Top)),
                )))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// Registers the shipped font once, for every family name plotters asks for.
fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The font is compiled in and known good; a failure would draw no text, not panic.
            let _ = plotters::style::register_font(FAMILY, style, FONT);
        }
    });
}

/// Height of the band above the plot that holds the title and the legend, pixels.
const BAND: u32 = 64;

/// Draws the title and the legend (a swatch and a name per entry, on one line) in the band
/// above the plot, so the legend never covers a bar; returns the area left for the plot.
fn band<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[(&str, Swatch)],
) -> Result<DrawingArea<DB, Shift>, String> {
    let (top, body) = root.split_vertically(BAND);
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    top.draw(&Text::new(
        title.to_string(),
        (WIDTH as i32 / 2, 10),
        (FAMILY, 20)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(e)?;
    let widths: Vec<i32> = legend
        .iter()
        .map(|(name, _)| 22 + 8 * name.chars().count() as i32 + 18)
        .collect();
    let mut x = (WIDTH as i32 - widths.iter().sum::<i32>()) / 2;
    let y = 44;
    for ((name, swatch), w) in legend.iter().zip(&widths) {
        match swatch {
            Swatch::Block(c) => top
                .draw(&Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()))
                .map_err(e)?,
            Swatch::Line(c) => top
                .draw(&PathElement::new([(x, y), (x + 14, y)], c.stroke_width(3)))
                .map_err(e)?,
        }
        top.draw(&Text::new(
            name.to_string(),
            (x + 20, y),
            (FAMILY, 13)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(e)?;
        x += w;
    }
    Ok(body)
}

/// A legend entry per series, in the series' palette colours.
fn legend(series: &[Series], swatch: fn(RGBColor) -> Swatch) -> Vec<(&str, Swatch)> {
    series
        .iter()
        .enumerate()
        .map(|(k, s)| (s.name.as_str(), swatch(PALETTE[k % PALETTE.len()])))
        .collect()
}

/// How a legend entry shows its series.
#[derive(Clone, Copy)]
enum Swatch {
    Block(RGBColor),
    Line(RGBColor),
}

/// The frame every chart shares: the label areas around the plot.
fn frame<'a, 'b, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    y_label_width: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(body);
    b.margin(14)
        .margin_top(4)
        .margin_right(40)
        .x_label_area_size(48)
        .y_label_area_size(y_label_width);
    b
}

/// Room for the longest row label.
fn label_width(labels: &[String]) -> u32 {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32;
    (longest * 8 + 20).clamp(60, 320)
}

/// The value axis's range: zero included, room for the value labels.
fn value_range(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let span = (hi - lo).max(1.0);
    (
        if lo < 0.0 { lo - 0.12 * span } else { 0.0 },
        hi + 0.18 * span,
    )
}

/// The label of the row at `y` (rows are numbered from the bottom; the first is at the top).
fn category_at(labels: &[String], n: usize, y: f64) -> String {
    let r = y.round();
    if (y - r).abs() > 1e-6 || r < 0.0 || r as usize >= n {
        return String::new();
    }
    labels[n - 1 - r as usize].clone()
}

/// A tick on a USD axis, whole dollars with separators.
fn usd_tick(v: f64) -> String {
    let s = usd(v);
    s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
}

/// A tick on a plain number axis: no decimals when it is whole.
fn number_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        crate::vocabulary::text::qty(v)
    } else {
        format!("{v}")
    }
}

impl Chart {
    /// A bar's value, written just past its end.
    fn value_text(&self, value: f64, at: (f64, f64)) -> Text<'static, (f64, f64), String> {
        Text::new(
            self.scale.format(value),
            at,
            (FAMILY, 12)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Chart {
        Chart {
            id: "t".into(),
            title: "Cost by service".into(),
            value_label: "USD/month".into(),
            scale: Scale::Usd,
            kind: ChartKind::Bars {
                categories: vec!["AmazonECS".into(), "AmazonRDS".into()],
                series: vec![Series {
                    name: "estimate".into(),
                    values: vec![655.05, 1118.91],
                }],
                stacked: false,
            },
        }
    }

    #[test]
    fn a_bar_chart_writes_its_labels_and_values_as_text() {
        let svg = bars().svg().unwrap();
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| t.split_once('>')?.1.split_once("</text>"))
            .map(|(text, _)| text.trim())
            .collect();
        for text in [
            "Cost by service",
            "USD/month",
            "AmazonECS",
            "AmazonRDS",
            "655.05",
            "1,118.91",
        ] {
            assert!(texts.contains(&text), "{text} missing from {texts:?}");
        }
    }

    #[test]
    fn a_png_is_a_png_of_the_charts_size() {
        let png = bars().png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, after the 8-byte signature and 8 bytes of header.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 220);
    }

    #[test]
    fn rows_are_labelled_top_down_at_whole_positions_only() {
        let labels = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(category_at(&labels, 3, 2.0), "a");
        assert_eq!(category_at(&labels, 3, 0.0), "c");
        assert_eq!(category_at(&labels, 3, 0.5), "");
        assert_eq!(category_at(&labels, 3, 3.0), "");
    }
}
