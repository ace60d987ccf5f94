//! Small bar charts as inline SVG, drawn from counts.
//!
//! Every bar carries its label and value in `data-` attributes and a
//! `<title>`, so the numbers can be read back and screen readers say them.

use super::html::escape;
use std::fmt::Write as _;

/// The width of every chart, in SVG units.
const WIDTH: f64 = 340.0;
/// The height of a column chart's plot area.
const PLOT_HEIGHT: f64 = 120.0;
/// Room for the value scale on the left.
const LEFT: f64 = 30.0;
/// Room above the plot.
const TOP: f64 = 10.0;
/// The height of one row of a bar chart.
const ROW: f64 = 18.0;
/// The width of a bar chart's labels.
const LABEL_WIDTH: f64 = 150.0;
/// The longest label a bar chart shows whole, in characters.
const LABEL_CHARS: usize = 26;

/// One bar: what it counts and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bar {
    /// The label, as plain text.
    pub label: String,
    /// The count.
    pub value: u64,
}

impl Bar {
    /// A bar labelled `label`.
    pub(crate) fn new(label: impl Into<String>, value: u64) -> Bar {
        Bar {
            label: label.into(),
            value,
        }
    }
}

/// Vertical columns with a value scale; every `label_every`th label shown.
pub(crate) fn columns(title: &str, bars: &[Bar], label_every: usize) -> String {
    let height = TOP + PLOT_HEIGHT + 20.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let slot = (WIDTH - LEFT) / bars.len().max(1) as f64;
    let mut svg = open(title, height);
    scale(&mut svg, max);
    for (i, bar) in bars.iter().enumerate() {
        let x = LEFT + slot * i as f64;
        let h = scaled(bar.value, max, PLOT_HEIGHT);
        let y = TOP + PLOT_HEIGHT - h;
        rect(&mut svg, bar, (x + slot * 0.15, y), (slot * 0.7, h));
        if i % label_every.max(1) == 0 {
            let (cx, ly) = (x + slot / 2.0, TOP + PLOT_HEIGHT + 12.0);
            let label = escape(&bar.label);
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{ly:.1}" text-anchor="middle">{label}</text>"#
            );
        }
    }
    svg + "</svg>"
}

/// Horizontal bars, one row each, with the value after the bar.
pub(crate) fn bars(title: &str, bars: &[Bar]) -> String {
    let height = ROW * bars.len().max(1) as f64 + 4.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let room = WIDTH - LABEL_WIDTH - 40.0;
    let mut svg = open(title, height);
    for (i, bar) in bars.iter().enumerate() {
        let y = 2.0 + ROW * i as f64;
        let w = scaled(bar.value, max, room);
        let (ty, vx) = (y + ROW * 0.65, LABEL_WIDTH + 4.0 + w + 4.0);
        let label = escape(&shorten(&bar.label));
        let _ = write!(
            svg,
            r#"<text x="{LABEL_WIDTH:.1}" y="{ty:.1}" text-anchor="end">{label}</text>"#
        );
        rect(&mut svg, bar, (LABEL_WIDTH + 4.0, y + 3.0), (w, ROW - 6.0));
        let value = bar.value;
        let _ = write!(svg, r#"<text x="{vx:.1}" y="{ty:.1}">{value}</text>"#);
    }
    svg + "</svg>"
}

/// The opening tag, sized by its view box, with a title for readers.
fn open(title: &str, height: f64) -> String {
    let title = escape(title);
    format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>"#
    )
}

/// The base line, and the top of the scale with its value.
fn scale(svg: &mut String, max: u64) {
    let (base, right) = (TOP + PLOT_HEIGHT, WIDTH);
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{base}" x2="{right}" y2="{base}"/><line class="grid" x1="{LEFT}" y1="{TOP}" x2="{right}" y2="{TOP}"/><text x="{x:.1}" y="{y:.1}" text-anchor="end">{max}</text><text x="{x:.1}" y="{base:.1}" text-anchor="end">0</text>"#,
        x = LEFT - 3.0,
        y = TOP + 3.0,
    );
}

/// One bar's rectangle with its label and value.
fn rect(svg: &mut String, bar: &Bar, (x, y): (f64, f64), (w, h): (f64, f64)) {
    let label = escape(&bar.label);
    let value = bar.value;
    let _ = write!(
        svg,
        r#"<rect class="bar" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" data-label="{label}" data-value="{value}"><title>{label}: {value}</title></rect>"#
    );
}

/// `value` as a share of `max`, in `room` units; zero when `max` is.
fn scaled(value: u64, max: u64, room: f64) -> f64 {
    if max == 0 {
        return 0.0;
    }
    value as f64 / max as f64 * room
}

/// A label cut to fit, with an ellipsis.
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    cut + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `(label, value, height)` of every bar drawn.
    fn drawn(svg: &str) -> Vec<(String, u64, f64)> {
        svg.split("<rect ")
            .skip(1)
            .map(|rect| {
                let attr = |name: &str| {
                    let start = rect.find(&format!(" {name}=\"")).unwrap_or(0) + name.len() + 3;
                    let rest = &rect[start..];
                    rest[..rest.find('"').unwrap_or(0)].to_string()
                };
                let value = attr("data-value").parse().unwrap_or(u64::MAX);
                let height = attr("height").parse().unwrap_or(-1.0);
                (attr("data-label"), value, height)
            })
            .collect()
    }

    #[test]
    fn columns_are_as_tall_as_their_share_of_the_largest() {
        let bars = [Bar::new("00", 0), Bar::new("01", 30), Bar::new("02", 60)];
        let svg = columns("By hour", &bars, 1);
        let found = drawn(&svg);
        let expected = [
            ("00".to_string(), 0, 0.0),
            ("01".to_string(), 30, 60.0),
            ("02".to_string(), 60, 120.0),
        ];
        assert_eq!(found, expected);
        assert!(svg.contains(r#"text-anchor="end">60</text>"#), "scale top");
    }

    #[test]
    fn empty_charts_draw_no_height() {
        let bars = [Bar::new("Mon", 0), Bar::new("Tue", 0)];
        let heights: Vec<f64> = drawn(&columns("x", &bars, 1)).iter().map(|b| b.2).collect();
        assert_eq!(heights, [0.0, 0.0]);
        assert!(bars_of("x", &[]).ends_with("</svg>"));
    }

    fn bars_of(title: &str, list: &[Bar]) -> String {
        bars(title, list)
    }

    #[test]
    fn bar_widths_follow_values_and_labels_are_escaped() {
        let svg = bars("Units", &[Bar::new("<b>&ward", 4), Bar::new("ward 2", 2)]);
        let widths: Vec<&str> = svg
            .split(r#"width=""#)
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap_or(0)])
            .collect();
        assert_eq!(widths, ["150.0", "75.0"]);
        assert!(svg.contains(r#"data-label="&lt;b&gt;&amp;ward""#));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains(">4</text>") && svg.contains(">2</text>"));
    }

    #[test]
    fn long_labels_are_shortened() {
        let label = "a".repeat(40);
        assert_eq!(shorten(&label).chars().count(), LABEL_CHARS);
        assert!(shorten(&label).ends_with('…'));
        assert_eq!(shorten("ward 7"), "ward 7");
    }
}
