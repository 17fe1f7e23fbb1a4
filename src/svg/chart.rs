//! Horizontal bar charts drawn at build time, so a report's figures show as a picture with no
//! script, no chart library and no request to another host.
//!
//! Bars run left to right: long Chinese labels then sit in a column of their own (wrapped onto
//! two lines, or cut with `…` and the full text in a tooltip `<title>`), and twenty bars still
//! fit a phone screen. Colours are classes (`chart-bar`, `chart-axis`, …) that the theme's CSS
//! fills from its variables, so a chart follows high-contrast mode and carries no `style=""`.

use std::fmt::Write as _;

use crate::xml::escape;

/// The most bars one chart shows; beyond that the bars are too thin to read on a phone.
pub const MAX_BARS: usize = 20;

/// The drawing's width in user units. It fits a phone's column at about its natural size, so
/// the labels stay as large as `FONT`; the theme caps it at `WIDTH / FONT` rem on wider screens,
/// so the labels are then as large as the text around them.
const WIDTH: f64 = 360.0;
/// The text size at 中 (the theme's `.chart text`); on a phone 360 units fill about 340 px, so
/// labels and ticks are 14 px there.
const FONT: f64 = 15.0;
/// The size the theme draws chart text at in 大 mode. Room is reserved for it — label
/// column, line spacing, values, ticks — so text that fits at 大 fits at every size.
const LARGEST: f64 = 20.0;
/// The label column (seven Chinese characters a line at 大): labels end at `LABEL_RIGHT`.
const LABEL_WIDTH: f64 = 140.0;
const LABEL_RIGHT: f64 = 144.0;
const PLOT_LEFT: f64 = 152.0;
/// `单位：件` ends here, clear of the axis's `0`.
const UNIT_RIGHT: f64 = 136.0;
const TOP: f64 = 8.0;
const BAR_HEIGHT: f64 = 20.0;
/// Room under the plot for the tick labels and the unit.
const AXIS_SPACE: f64 = LARGEST + 12.0;
const LABEL_LINES: usize = 2;

/// One bar: the label as written, the value, and the value as shown (`1,234,567`).
#[derive(Debug, Clone)]
pub struct Bar {
    /// The category as the report writes it (`人民调解`), drawn beside its bar and wrapped to two
    /// lines.
    pub label: String,
    /// The number the bar's length is drawn from; the axis starts at 0.
    pub value: f64,
    /// The number as printed at the bar's end, formatted by the caller.
    pub shown: String,
}

/// A chart to draw. `id` must be unique within the page (it names the `<title>` element).
pub struct BarChart<'a> {
    /// Unique within the page: the `<title>` element's id is derived from it.
    pub id: &'a str,
    /// The chart's heading, read out by screen readers.
    pub title: &'a str,
    /// What the values count (`件`, `人次`), shown with the title and the axis.
    pub unit: &'a str,
    /// The bars, drawn top to bottom in this order.
    pub bars: &'a [Bar],
}

/// The chart as an inline `<svg>` element.
pub fn render(chart: &BarChart) -> String {
    let labels: Vec<Vec<String>> = chart
        .bars
        .iter()
        .map(|bar| wrap(&bar.label, LABEL_WIDTH, LARGEST, LABEL_LINES))
        .collect();
    let row = if labels.iter().any(|lines| lines.len() > 1) {
        LARGEST * 2.4 + 8.0
    } else {
        LARGEST * 1.2 + 12.0
    };
    let value_room = chart
        .bars
        .iter()
        .map(|bar| text_width(&bar.shown, LARGEST))
        .fold(0.0, f64::max)
        + 10.0;
    let axis = Axis::new(chart.bars.iter().map(|b| b.value));
    let plot = Plot {
        right: (WIDTH - 4.0 - value_room).max(PLOT_LEFT + 40.0),
        bottom: TOP + row * chart.bars.len() as f64,
        row,
    };
    let height = plot.bottom + AXIS_SPACE;
    let mut svg = String::with_capacity(1024 + chart.bars.len() * 400);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-size=\"{FONT}\" role=\"img\" aria-labelledby=\"{id}-title\">\
         <title id=\"{id}-title\">{title}</title>",
        id = escape(chart.id),
        title = escape(&title_with_unit(chart.title, chart.unit)),
    );
    draw_grid(&mut svg, &axis, &plot);
    for (i, (bar, lines)) in chart.bars.iter().zip(&labels).enumerate() {
        draw_bar(&mut svg, bar, lines, chart.unit, &axis, &plot, i);
    }
    draw_axis(&mut svg, &axis, &plot, chart.unit);
    svg.push_str("</svg>");
    svg
}

/// `法律援助案件（单位：件）`, the chart's accessible name.
fn title_with_unit(title: &str, unit: &str) -> String {
    if unit.is_empty() {
        title.to_string()
    } else {
        format!("{title}（单位：{unit}）")
    }
}

/// Where the bars are drawn.
struct Plot {
    right: f64,
    bottom: f64,
    row: f64,
}

impl Plot {
    fn x(&self, axis: &Axis, value: f64) -> f64 {
        PLOT_LEFT + (self.right - PLOT_LEFT) * value / axis.max
    }
}

fn draw_grid(svg: &mut String, axis: &Axis, plot: &Plot) {
    svg.push_str("<g class=\"chart-grid\">");
    for tick in axis.ticks().skip(1) {
        let x = plot.x(axis, tick);
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
            plot.bottom
        );
    }
    svg.push_str("</g>");
}

fn draw_bar(
    svg: &mut String,
    bar: &Bar,
    lines: &[String],
    unit: &str,
    axis: &Axis,
    plot: &Plot,
    index: usize,
) {
    let middle = TOP + plot.row * (index as f64 + 0.5);
    let width = plot.x(axis, bar.value.max(0.0)) - PLOT_LEFT;
    let _ = write!(
        svg,
        "<g class=\"chart-row\"><title>{}：{}{}</title>",
        escape(&bar.label),
        escape(&bar.shown),
        escape(unit)
    );
    let baseline = |line: usize| {
        let first = middle - (lines.len() as f64 - 1.0) * LARGEST * 0.6;
        first + line as f64 * LARGEST * 1.2 + FONT * 0.35
    };
    let _ = write!(
        svg,
        "<text class=\"chart-label\" x=\"{LABEL_RIGHT}\" y=\"{:.1}\" text-anchor=\"end\">",
        baseline(0)
    );
    if let [only] = lines {
        svg.push_str(&escape(only));
    } else {
        for (n, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                "<tspan x=\"{LABEL_RIGHT}\" y=\"{:.1}\">{}</tspan>",
                baseline(n),
                escape(line)
            );
        }
    }
    let _ = write!(
        svg,
        "</text><rect class=\"chart-bar\" x=\"{PLOT_LEFT}\" y=\"{:.1}\" width=\"{width:.2}\" height=\"{BAR_HEIGHT}\"/>\
         <text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
        middle - BAR_HEIGHT / 2.0,
        PLOT_LEFT + width + 6.0,
        middle + FONT * 0.35,
        escape(&bar.shown)
    );
}

fn draw_axis(svg: &mut String, axis: &Axis, plot: &Plot, unit: &str) {
    let _ = write!(
        svg,
        "<g class=\"chart-axis\"><line x1=\"{PLOT_LEFT}\" y1=\"{TOP}\" x2=\"{PLOT_LEFT}\" y2=\"{bottom:.1}\"/>\
         <line x1=\"{PLOT_LEFT}\" y1=\"{bottom:.1}\" x2=\"{right:.1}\" y2=\"{bottom:.1}\"/></g>",
        bottom = plot.bottom,
        right = plot.right,
    );
    let y = plot.bottom + LARGEST + 4.0;
    let _ = write!(svg, "<g class=\"chart-ticks\">");
    let every = tick_label_step(axis, plot);
    for (i, tick) in axis.ticks().enumerate() {
        if i % every != 0 {
            continue;
        }
        let _ = write!(
            svg,
            "<text class=\"chart-tick\" x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{}</text>",
            plot.x(axis, tick),
            escape(&axis.label(tick))
        );
    }
    if !unit.is_empty() {
        let _ = write!(
            svg,
            "<text class=\"chart-unit\" x=\"{UNIT_RIGHT}\" y=\"{y:.1}\" text-anchor=\"end\">单位：{}</text>",
            escape(unit)
        );
    }
    svg.push_str("</g>");
}

/// Label every n-th tick so that tick labels at their largest size never touch.
fn tick_label_step(axis: &Axis, plot: &Plot) -> usize {
    let spacing = plot.x(axis, axis.step) - PLOT_LEFT;
    let widest = axis
        .ticks()
        .map(|t| text_width(&axis.label(t), LARGEST))
        .fold(0.0, f64::max);
    ((widest + 6.0) / spacing.max(1.0)).ceil().max(1.0) as usize
}

/// The value axis: from 0 to a round number at or above the largest value, in 3–5 steps of
/// 1, 2, 2.5 or 5 times a power of ten.
#[derive(Debug, PartialEq)]
struct Axis {
    max: f64,
    step: f64,
}

impl Axis {
    fn new(values: impl Iterator<Item = f64>) -> Axis {
        let mut largest = 0.0_f64;
        let mut whole = true;
        for value in values {
            largest = largest.max(value);
            whole &= value.fract() == 0.0;
        }
        if largest <= 0.0 {
            return Axis {
                max: 1.0,
                step: 1.0,
            };
        }
        let rough = largest / 4.0;
        let magnitude = 10f64.powf(rough.log10().floor());
        let mut step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|&s| s >= rough * 0.999_999)
            .unwrap_or(10.0 * magnitude);
        if whole {
            // Counts of cases or people: no tick at 0.5 of a case.
            step = step.max(1.0).round();
        }
        Axis {
            max: (largest / step).ceil() * step,
            step,
        }
    }

    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let count = (self.max / self.step).round() as usize;
        (0..=count).map(|i| i as f64 * self.step)
    }

    /// A tick's text: `400`, `2.5`, or in 万 from ten thousand up (`150万`), so ticks stay short.
    fn label(&self, tick: f64) -> String {
        if tick == 0.0 {
            "0".to_string()
        } else if self.step >= 10_000.0 {
            let decimals = decimals_of(self.step / 10_000.0);
            format!(
                "{}万",
                group_digits(&format!("{:.*}", decimals, tick / 10_000.0))
            )
        } else {
            group_digits(&format!("{:.*}", decimals_of(self.step), tick))
        }
    }
}

/// How many decimals show `step` exactly (0 for 200, 1 for 2.5 or 0.5).
fn decimals_of(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

/// `1234567.5` → `1,234,567.5`. Text that is not a plain number is returned as it is.
pub fn group_digits(number: &str) -> String {
    let (sign, rest) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_string();
    }
    let mut out = String::from(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// The width of `text` at `font` size: CJK and full-width characters are square, Latin
/// letters and digits about 0.6 of that.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * font
}

/// Breaks `text` into at most `max_lines` lines of `width`. Chinese breaks between any two
/// characters, but a run of Latin letters or digits stays whole, closing punctuation stays with
/// the character before it and opening punctuation with the one after. Lines are balanced
/// (`通过调解等方式` / `化解行政争议`, not a lone character on the last line). Text that does
/// not fit is cut with `…`; the chart's tooltip `<title>` carries it whole.
fn wrap(text: &str, width: f64, font: f64, max_lines: usize) -> Vec<String> {
    let pieces = pieces(text, width, font);
    let widest = fill(&pieces, width, font);
    if widest.len() == 1 {
        return widest;
    }
    if widest.len() > max_lines {
        return cut(widest, width, font, max_lines);
    }
    let needed = widest.len();
    let mut limit = text_width(text.trim(), font) / needed as f64;
    loop {
        let lines = fill(&pieces, limit, font);
        if lines.len() <= needed || limit >= width {
            return lines;
        }
        limit = (limit + 1.0).min(width);
    }
}

/// Puts `pieces` greedily onto lines no wider than `limit`.
fn fill(pieces: &[String], limit: f64, font: f64) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for piece in pieces {
        let last = lines.len() - 1;
        let fits = text_width(&lines[last], font) + text_width(piece, font) <= limit + 1e-9;
        if fits || lines[last].is_empty() {
            lines[last].push_str(piece);
        } else {
            lines.push(piece.clone());
        }
    }
    lines
}

/// Keeps the first `max_lines` lines, the last one ending in `…`.
fn cut(mut lines: Vec<String>, width: f64, font: f64, max_lines: usize) -> Vec<String> {
    lines.truncate(max_lines);
    let last = &mut lines[max_lines - 1];
    while !last.is_empty() && text_width(last, font) + font > width {
        last.pop();
    }
    last.push('…');
    lines
}

/// The unbreakable pieces of `text` (see [`wrap`]); a piece wider than a line is split up.
fn pieces(text: &str, width: f64, font: f64) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for c in text.trim().chars() {
        let joins = pieces.last().is_some_and(|last: &String| {
            let before = last.chars().last().unwrap_or(' ');
            is_closing(c)
                || is_opening(before)
                || (c.is_ascii_alphanumeric() && before.is_ascii_alphanumeric())
        });
        match pieces.last_mut() {
            Some(last)
                if joins && text_width(last, font) + text_width(&c.to_string(), font) <= width =>
            {
                last.push(c)
            }
            _ => pieces.push(c.to_string()),
        }
    }
    pieces
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）》」』】〕,.;:!?)]%".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『【〔([“‘".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(values: &[(&str, f64)]) -> Vec<Bar> {
        values
            .iter()
            .map(|&(label, value)| Bar {
                label: label.to_string(),
                value,
                shown: group_digits(&value.to_string()),
            })
            .collect()
    }

    #[test]
    fn digits_are_grouped_by_thousands() {
        assert_eq!(group_digits("1234567"), "1,234,567");
        assert_eq!(group_digits("656"), "656");
        assert_eq!(group_digits("3385"), "3,385");
        assert_eq!(group_digits("-1234.56"), "-1,234.56");
        assert_eq!(group_digits("55.6"), "55.6");
        assert_eq!(group_digits("约100"), "约100");
    }

    #[test]
    fn axis_ends_on_a_round_number() {
        let axis = Axis::new([656.0, 628.0].into_iter());
        assert_eq!(
            axis,
            Axis {
                max: 800.0,
                step: 200.0
            }
        );
        assert_eq!(
            axis.ticks().collect::<Vec<_>>(),
            [0.0, 200.0, 400.0, 600.0, 800.0]
        );
        let axis = Axis::new([2.0, 1.0].into_iter());
        assert_eq!(
            axis,
            Axis {
                max: 2.0,
                step: 1.0
            }
        );
        let axis = Axis::new([0.3, 0.1].into_iter());
        assert_eq!(axis.label(axis.step * 3.0), "0.3");
        assert_eq!(Axis::new([0.0].into_iter()).max, 1.0);
    }

    #[test]
    fn large_ticks_are_written_in_wan() {
        let axis = Axis::new([1_234_567.0].into_iter());
        assert_eq!(axis.step, 500_000.0);
        assert_eq!(axis.label(1_000_000.0), "100万");
        assert_eq!(axis.label(0.0), "0");
    }

    #[test]
    fn long_chinese_labels_wrap_then_cut() {
        assert_eq!(wrap("刑事案件", LABEL_WIDTH, LARGEST, 2), ["刑事案件"]);
        let lines = wrap("通过调解等方式化解行政争议", LABEL_WIDTH, LARGEST, 2);
        assert_eq!(lines, ["通过调解等方式", "化解行政争议"]);
        let lines = wrap("审结案件中直接纠错", LABEL_WIDTH, LARGEST, 2);
        assert_eq!(
            lines,
            ["审结案件中", "直接纠错"],
            "balanced, no lone character"
        );
        let lines = wrap(
            "县本级行政执法主体与乡镇综合行政执法队伍联合执法检查次数",
            LABEL_WIDTH,
            LARGEST,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(text_width(&lines[1], LARGEST) <= LABEL_WIDTH);
    }

    #[test]
    fn numbers_and_closing_punctuation_are_not_split() {
        let lines = wrap("2024年刑事辩护（全覆盖）", LABEL_WIDTH, LARGEST, 2);
        assert_eq!(lines, ["2024年刑事辩", "护（全覆盖）"]);
        let lines = wrap("辩护全覆盖试点（刑事案件）", LABEL_WIDTH, LARGEST, 2);
        assert_eq!(lines, ["辩护全覆盖试点", "（刑事案件）"]);
        let lines = wrap("受理咨询12348热线", 8.0 * FONT, FONT, 2);
        assert!(lines.iter().any(|l| l.contains("12348")), "{lines:?}");
    }

    #[test]
    fn chart_has_a_title_one_bar_per_entry_and_proportional_lengths() {
        let data = bars(&[("受理", 656.0), ("成功", 628.0), ("零", 0.0)]);
        let svg = render(&BarChart {
            id: "c1",
            title: "人民调解",
            unit: "件",
            bars: &data,
        });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some("人民调解（单位：件）"));
        let widths: Vec<f64> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-bar"))
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        assert_eq!(widths.len(), 3);
        assert!((widths[0] / 656.0 - widths[1] / 628.0).abs() < 1e-3);
        assert_eq!(widths[2], 0.0);
        assert!(svg.contains(">单位：件</text>"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn twenty_bars_and_millions_fit_the_drawing() {
        let data: Vec<Bar> = (1..=MAX_BARS)
            .map(|i| Bar {
                label: format!("第{i}项很长很长很长很长的统计项目名称"),
                value: i as f64 * 61_728.35,
                shown: group_digits(&format!("{:.0}", i as f64 * 61_728.35)),
            })
            .collect();
        let svg = render(&BarChart {
            id: "c2",
            title: "测试",
            unit: "元",
            bars: &data,
        });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(svg.contains(">1,234,567</text>"), "{svg}");
        for rect in doc.descendants().filter(|n| n.has_tag_name("rect")) {
            let x: f64 = rect.attribute("x").unwrap().parse().unwrap();
            let w: f64 = rect.attribute("width").unwrap().parse().unwrap();
            assert!(
                x + w + text_width("1,234,567", FONT) < WIDTH,
                "bar and value fit"
            );
        }
        let rows = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-row"))
            .count();
        assert_eq!(rows, MAX_BARS);
        let tooltip = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .nth(1)
            .unwrap();
        assert_eq!(
            tooltip.text(),
            Some("第1项很长很长很长很长的统计项目名称：61,728元")
        );
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(96))]

        /// Hostile titles, units and labels give well-formed SVG whose text is the input's.
        #[test]
        fn any_chart_text_gives_well_formed_svg(
            title in crate::hostile::text(40),
            unit in crate::hostile::text(8),
            labels in proptest::collection::vec(crate::hostile::text(30), 1..6),
            values in proptest::collection::vec(0.0f64..1e9, 6),
        ) {
            let bars: Vec<Bar> = labels
                .iter()
                .zip(&values)
                .map(|(label, value)| Bar { label: label.clone(), value: *value, shown: value.to_string() })
                .collect();
            let svg = render(&BarChart { id: "c1", title: &title, unit: &unit, bars: &bars });
            let parsed = roxmltree::Document::parse(&svg);
            proptest::prop_assert!(parsed.is_ok(), "{svg}: {parsed:?}");
            for node in parsed.unwrap().descendants() {
                proptest::prop_assert!(!matches!(node.tag_name().name(), "script" | "foreignObject"));
                for attribute in node.attributes() {
                    proptest::prop_assert!(!attribute.name().starts_with("on"), "{}", attribute.name());
                }
            }
        }
    }
}
