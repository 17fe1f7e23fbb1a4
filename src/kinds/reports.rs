//! Published reports (公开报告): each page of a `kind: reports` section is a government
//! document with its disclosure metadata (索引号, 文号, 成文日期 …), its key figures and charts,
//! listed newest first, archived by year and offered as a feed of its own.
//!
//! The figures are checked against each other (`sum_of`, `ratio`) because a published report
//! that says "656 received, 628 settled, 98%" should be caught by the build, not by a citizen
//! with a calculator. A mismatch is a warning: the page still shows what the document says.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};

use super::{HomeEntries, Kind, KindContext, KindOutput};
use crate::config::Config;
use crate::content::KindData;
use crate::content::{Library, Page};
use crate::dates;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::render::views::{self, ListItem};
use crate::svg::chart::{self, Bar, BarChart, MAX_BARS, group_digits};
use crate::textsearch::Field;
use crate::url::site_url;
use crate::yaml::YamlSource;

/// The `reports` kind: registered in [`super::lookup`] under the name editors write.
pub struct Reports;

/// The front-matter keys a report takes besides the shared ones.
const KEYS: &[&str] = &[
    "publisher",
    "source",
    "doc_number",
    "index_number",
    "category",
    "signed",
    "stats",
    "charts",
];

impl Kind for Reports {
    fn name(&self) -> &'static str {
        "reports"
    }

    fn search_label(&self, _dated: bool) -> &'static str {
        "公开报告"
    }

    fn home(&self, site: &KindContext, section: usize, home: &mut HomeEntries) {
        home.reports.extend(site.dated_pages(section));
    }

    fn search_fields(&self, site: &KindContext, page: usize) -> Vec<(Field, String)> {
        let Some(report) = site.library.pages[page].kind_data::<Report>() else {
            return Vec::new();
        };
        let mut texts = vec![report.publisher(site.config).to_string()];
        texts.extend(report.doc_number.iter().map(|n| n.value.clone()));
        texts.extend(report.index_number.iter().map(|n| n.value.clone()));
        texts.extend(report.category.clone());
        texts.extend(report.stats.iter().map(|s| s.label.value.clone()));
        texts.extend(report.charts.iter().map(|c| c.title.clone()));
        texts.into_iter().map(|t| (Field::Detail, t)).collect()
    }

    fn page_keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn load_page(
        &self,
        source: &YamlSource,
        is_index: bool,
    ) -> Result<Option<KindData>, Vec<Diagnostic>> {
        if is_index {
            return Ok(None);
        }
        let report = parse_report(source)?;
        Ok(Some(Box::new(report)))
    }

    fn validate(&self, site: &KindContext, section: usize) -> Vec<Diagnostic> {
        let library = site.library;
        let mut found = Vec::new();
        for &i in &library.sections[section].pages {
            let page = &library.pages[i];
            if page.meta.date.is_none() {
                found.push(
                    Diagnostic::error(
                        "report-date",
                        &page.file,
                        "a report needs its publication date (`date`)",
                    )
                    .at(&page.text, 2, 1)
                    .with_help("add a line `date: 2025-02-19` (发布日期) to the front matter"),
                );
            }
            if let Some(report) = page.kind_data::<Report>() {
                found.extend(check_report(page, report));
                found.extend(check_dates(page, report));
            }
        }
        found
    }

    fn page_template(&self) -> &'static str {
        "report.html"
    }

    fn section_template(&self) -> &'static str {
        "reports.html"
    }

    fn page_context(&self, site: &KindContext, page: usize, context: &mut tera::Context) {
        let page = &site.library.pages[page];
        let Some(report) = page.kind_data::<Report>() else {
            return;
        };
        let mut meta = views::gov_meta(site.library, site.config, page);
        meta.content_source = report.source(site.config).to_string();
        context.insert("meta", &meta);
        context.insert("report", &ReportView::new(site, page, report));
    }

    fn section_context(&self, site: &KindContext, section: usize, context: &mut tera::Context) {
        context.insert("reports", &ArchiveView::new(site, section, None));
    }

    fn outputs(&self, site: &KindContext, section: usize) -> Vec<KindOutput> {
        let (library, config) = (site.library, site.config);
        let sec = &library.sections[section];
        let mut outputs: Vec<KindOutput> = by_year(library, section)
            .into_iter()
            .map(|(year, pages)| {
                let mut context = tera::Context::new();
                let items: Vec<ListItem> = pages
                    .iter()
                    .map(|&i| ListItem::new(&library.pages[i], config))
                    .collect();
                context.insert("items", &items);
                context.insert("year", &year);
                context.insert("reports", &ArchiveView::new(site, section, Some(year)));
                KindOutput::Page {
                    url: year_url(&sec.url, year),
                    template: "reports_year.html",
                    title: format!("{year}年{}", library.section_title(sec)),
                    section,
                    context,
                }
            })
            .collect();
        let newest_first: Vec<&Page> = dated_pages(library, section)
            .into_iter()
            .map(|i| &library.pages[i])
            .collect();
        let feed = crate::render::atom::atom(
            config,
            &feed_title(library, config, section),
            &feed_path(&sec.url),
            &newest_first,
        );
        outputs.push(KindOutput::File {
            path: feed_path(&sec.url),
            bytes: feed.into_bytes(),
        });
        outputs
    }
}

/// A report's own front matter, checked.
struct Report {
    publisher: Option<String>,
    source: Option<String>,
    doc_number: Option<Spanned<String>>,
    index_number: Option<Spanned<String>>,
    category: Option<String>,
    signed: Option<Timestamp>,
    signed_at: Option<Location>,
    stats: Vec<Stat>,
    charts: Vec<Chart>,
}

impl Report {
    /// 发布机构: the report's own, else the site's publisher.
    fn publisher<'a>(&'a self, config: &'a Config) -> &'a str {
        self.publisher.as_deref().unwrap_or(&config.publisher)
    }

    /// 信息来源: the report's own, else its publisher.
    fn source<'a>(&'a self, config: &'a Config) -> &'a str {
        self.source.as_deref().unwrap_or(self.publisher(config))
    }
}

/// A key figure: `{ label: 调解成功率, value: 98, unit: "%", ratio: [调解成功, 受理矛盾纠纷] }`.
struct Stat {
    label: Spanned<String>,
    figure: Figure,
    value_at: Location,
    unit: String,
    rule: Option<Rule>,
}

/// How a figure follows from other figures of the same report.
struct Rule {
    kind: RuleKind,
    labels: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RuleKind {
    /// The figure is the sum of the named figures.
    SumOf,
    /// The figure is `part / whole` as a percentage.
    Ratio,
}

impl RuleKind {
    fn key(self) -> &'static str {
        match self {
            RuleKind::SumOf => "sum_of",
            RuleKind::Ratio => "ratio",
        }
    }
}

struct Chart {
    title: String,
    unit: String,
    bars: Vec<Bar>,
}

/// A number as the document prints it: its value, and how many digits follow the point
/// (the rounding a check has to respect: `98` is right for anything from 97.5 to 98.49).
#[derive(Debug, Clone, PartialEq)]
struct Figure {
    /// As written, without thousands separators: `1234567`, `55.6`.
    text: String,
    value: f64,
    decimals: usize,
}

impl Figure {
    /// Reads `656`, `55.6` or `1,234,567`; full-width digits typed with a Chinese input method
    /// (`６５６`) are read as their ASCII twins.
    fn parse(written: &str) -> Option<Figure> {
        let text: String = to_half_width(written)
            .chars()
            .filter(|&c| c != ',')
            .collect();
        let unsigned = text.strip_prefix('-').unwrap_or(&text);
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || unsigned.ends_with('.') {
            return None;
        }
        Some(Figure {
            value: text.parse().ok()?,
            decimals: fraction.len(),
            text,
        })
    }

    /// `1,234,567`.
    fn shown(&self) -> String {
        group_digits(&self.text)
    }

    /// Whether `value`, rounded as this figure is written, is this figure.
    fn rounds_to(&self, value: f64) -> bool {
        rounded(value, self.decimals) == rounded(self.value, self.decimals)
    }
}

fn rounded(value: f64, decimals: usize) -> String {
    group_digits(&format!("{value:.decimals$}"))
}

#[derive(Deserialize)]
struct RawReport {
    publisher: Option<String>,
    source: Option<String>,
    doc_number: Option<Spanned<String>>,
    index_number: Option<Spanned<String>>,
    category: Option<String>,
    signed: Option<Spanned<String>>,
    #[serde(default)]
    stats: Vec<RawStat>,
    #[serde(default)]
    charts: Vec<RawChart>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStat {
    label: Spanned<String>,
    value: Spanned<String>,
    #[serde(default)]
    unit: String,
    sum_of: Option<Spanned<Vec<Spanned<String>>>>,
    ratio: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChart {
    title: Spanned<String>,
    #[serde(default)]
    unit: String,
    bars: Vec<RawBar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBar {
    label: String,
    value: Spanned<String>,
}

/// Parses a report's keys; every problem found is returned, each pointing at its line.
fn parse_report(source: &YamlSource) -> Result<Report, Vec<Diagnostic>> {
    let raw: RawReport = source.parse().map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let signed = raw.signed.as_ref().and_then(|signed| {
        dates::parse_date(&signed.value)
            .map_err(|message| {
                errors.push(source.diagnostic_at(
                    Diagnostic::error("bad-date", source.file, message).with_help(
                        "write the date the document was signed (成文日期) as 2024-12-31",
                    ),
                    &signed.referenced,
                ))
            })
            .ok()
    });
    let mut stats = Vec::new();
    for raw in raw.stats {
        if let Some(stat) = parse_stat(source, raw, &mut errors) {
            stats.push(stat);
        }
    }
    let mut charts = Vec::new();
    for raw in raw.charts {
        if let Some(chart) = parse_chart(source, raw, &mut errors) {
            charts.push(chart);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Report {
        publisher: non_empty(raw.publisher),
        source: non_empty(raw.source),
        doc_number: raw.doc_number.filter(|d| !d.value.trim().is_empty()),
        index_number: raw.index_number.filter(|d| !d.value.trim().is_empty()),
        category: non_empty(raw.category),
        signed,
        signed_at: raw.signed.map(|s| s.referenced),
        stats,
        charts,
    })
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// A number from the front matter, or an error at its position.
fn number(
    source: &YamlSource,
    value: &Spanned<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Figure> {
    let figure = Figure::parse(&value.value);
    if figure.is_none() {
        errors.push(
            source.diagnostic_at(
                Diagnostic::error(
                    "not-a-number",
                    source.file,
                    format!("`{}` is not a number", value.value),
                )
                .with_help(
                    "write the figure in digits, e.g. `656` or `55.6`; the unit goes in `unit:`",
                ),
                &value.referenced,
            ),
        );
    }
    figure
}

fn parse_stat(source: &YamlSource, raw: RawStat, errors: &mut Vec<Diagnostic>) -> Option<Stat> {
    let figure = number(source, &raw.value, errors);
    let mut error_at = |location: &Location, message: &str, help: &str| {
        errors.push(source.diagnostic_at(
            Diagnostic::error("bad-figure", source.file, message).with_help(help),
            location,
        ));
    };
    if raw.label.value.trim().is_empty() {
        error_at(
            &raw.label.referenced,
            "a figure needs a label",
            "say what is counted, e.g. `label: 受理矛盾纠纷`",
        );
    }
    let rule = match (raw.sum_of, raw.ratio) {
        (Some(_), Some(ratio)) => {
            error_at(
                &ratio.referenced,
                "a figure is either a sum (`sum_of`) or a ratio (`ratio`), not both",
                "keep one of the two lines",
            );
            None
        }
        (Some(sum), None) if sum.value.is_empty() => {
            error_at(
                &sum.referenced,
                "`sum_of` names no figures",
                "list the labels it adds up, e.g. `sum_of: [刑事案件, 民事案件]`",
            );
            None
        }
        (None, Some(ratio)) if ratio.value.len() != 2 => {
            error_at(
                &ratio.referenced,
                &format!("`ratio` takes two labels, not {}", ratio.value.len()),
                "write `ratio: [part, whole]`, e.g. `ratio: [调解成功, 受理矛盾纠纷]`",
            );
            None
        }
        (Some(sum), None) => Some(Rule {
            kind: RuleKind::SumOf,
            labels: sum.value,
        }),
        (None, Some(ratio)) => Some(Rule {
            kind: RuleKind::Ratio,
            labels: ratio.value,
        }),
        (None, None) => None,
    };
    Some(Stat {
        figure: figure?,
        value_at: raw.value.referenced,
        label: Spanned {
            value: raw.label.value.trim().to_string(),
            ..raw.label
        },
        unit: raw.unit.trim().to_string(),
        rule,
    })
}

fn parse_chart(source: &YamlSource, raw: RawChart, errors: &mut Vec<Diagnostic>) -> Option<Chart> {
    let count = raw.bars.len();
    if count == 0 || count > MAX_BARS {
        let (message, help) = if count == 0 {
            (
                format!("the chart `{}` has no bars", raw.title.value),
                "give it between 1 and 20 `bars: [{ label, value }]`",
            )
        } else {
            (
                format!(
                    "the chart `{}` has {count} bars; a chart shows at most {MAX_BARS}",
                    raw.title.value
                ),
                "split it into two charts, or keep the largest entries",
            )
        };
        errors.push(
            source
                .diagnostic_at(
                    Diagnostic::error("bad-chart", source.file, message).with_help(help),
                    &raw.title.referenced,
                )
                .underline(raw.title.value.chars().count()),
        );
        return None;
    }
    let mut bars = Vec::with_capacity(count);
    for bar in raw.bars {
        let figure = number(source, &bar.value, errors)?;
        if figure.value < 0.0 {
            errors.push(
                source.diagnostic_at(
                    Diagnostic::error("bad-chart", source.file, "a bar cannot be negative")
                        .with_help("charts show counts and amounts from 0 up"),
                    &bar.value.referenced,
                ),
            );
            return None;
        }
        bars.push(Bar {
            label: bar.label.trim().to_string(),
            value: figure.value,
            shown: figure.shown(),
        });
    }
    Some(Chart {
        title: raw.title.value.trim().to_string(),
        unit: raw.unit.trim().to_string(),
        bars,
    })
}

/// The checks of one report: disclosure numbers and figures.
fn check_report(page: &Page, report: &Report) -> Vec<Diagnostic> {
    let yaml = page.yaml();
    let mut found = Vec::new();
    if let Some(number) = &report.index_number
        && let Some(help) = index_number_problem(&number.value)
    {
        found.push(
            yaml.diagnostic_at(
                Diagnostic::warning(
                    "index-number",
                    &page.file,
                    format!(
                        "`{}` is not written as a disclosure index number (索引号)",
                        number.value
                    ),
                )
                .with_help(help),
                &number.referenced,
            ),
        );
    }
    if let Some(number) = &report.doc_number
        && let Some(fixed) = doc_number_fix(&number.value)
    {
        found.push(
            yaml.diagnostic_at(
                Diagnostic::warning(
                    "doc-number",
                    &page.file,
                    format!(
                        "the year in the document number `{}` belongs in 〔〕",
                        number.value
                    ),
                )
                .with_help(format!("write `doc_number: {fixed}`")),
                &number.referenced,
            ),
        );
    }
    found.extend(check_figures(&yaml, &report.stats));
    found
}

/// A document is signed (成文日期) before it is published (发布日期), not after.
fn check_dates(page: &Page, report: &Report) -> Option<Diagnostic> {
    let (signed, published) = (report.signed?, page.meta.date?);
    if signed <= published {
        return None;
    }
    let yaml = page.yaml();
    Some(
        yaml.diagnostic_at(
            Diagnostic::warning(
                "report-dates",
                &page.file,
                format!(
                    "the report is signed on {} but published on {}, before it was signed",
                    dates::ymd(signed),
                    dates::ymd(published)
                ),
            )
            .with_help("check `signed` (成文日期) and `date` (发布日期); one of them is mistyped"),
            report.signed_at.as_ref().unwrap_or(&Location::UNKNOWN),
        ),
    )
}

/// Labels are unique; `sum_of` and `ratio` name other figures and agree with them.
fn check_figures(yaml: &YamlSource, stats: &[Stat]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut by_label: HashMap<&str, &Stat> = HashMap::new();
    for stat in stats {
        match by_label.entry(&stat.label.value) {
            Entry::Vacant(slot) => {
                slot.insert(stat);
            }
            Entry::Occupied(_) => found.push(
                yaml.diagnostic_at(
                    Diagnostic::error(
                        "duplicate-label",
                        yaml.file,
                        format!("two figures are labelled `{}`", stat.label.value),
                    )
                    .with_help("give each figure in `stats` its own label"),
                    &stat.label.referenced,
                )
                .underline(stat.label.value.chars().count()),
            ),
        }
    }
    for stat in stats {
        let Some(rule) = &stat.rule else {
            continue;
        };
        let parts: Vec<&Stat> = rule
            .labels
            .iter()
            .filter_map(|label| resolve(yaml, stat, rule.kind, label, &by_label, &mut found))
            .collect();
        if parts.len() != rule.labels.len() {
            continue;
        }
        let mismatch = match rule.kind {
            RuleKind::SumOf => sum_mismatch(stat, &parts),
            RuleKind::Ratio => ratio_mismatch(stat, parts[0], parts[1]),
        };
        if let Some((message, help)) = mismatch {
            found.push(
                yaml.diagnostic_at(
                    Diagnostic::warning("figure-mismatch", yaml.file, message).with_help(help),
                    &stat.value_at,
                )
                .underline(stat.figure.text.chars().count()),
            );
        }
    }
    found
}

/// The figure a `sum_of` / `ratio` label names, or an error saying why there is none.
fn resolve<'a>(
    yaml: &YamlSource,
    stat: &Stat,
    kind: RuleKind,
    label: &Spanned<String>,
    by_label: &HashMap<&str, &'a Stat>,
    found: &mut Vec<Diagnostic>,
) -> Option<&'a Stat> {
    let (message, help) = match by_label.get(label.value.trim()) {
        Some(part) if part.label.value != stat.label.value => return Some(*part),
        Some(_) => (
            format!(
                "`{}` cannot be computed from itself in `{}`",
                stat.label.value,
                kind.key()
            ),
            "name the other figures it comes from".to_string(),
        ),
        None => (
            format!(
                "`{}` in `{}` is not the label of a figure in `stats`",
                label.value,
                kind.key()
            ),
            match did_you_mean(&label.value, by_label.keys().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "add a figure with this label to `stats`, or use one of: {}",
                    sorted_labels(by_label)
                ),
            },
        ),
    };
    found.push(
        yaml.diagnostic_at(
            Diagnostic::error("unknown-label", yaml.file, message).with_help(help),
            &label.referenced,
        )
        .underline(label.value.chars().count()),
    );
    None
}

fn sorted_labels(by_label: &HashMap<&str, &Stat>) -> String {
    let mut labels: Vec<&str> = by_label.keys().copied().collect();
    labels.sort_unstable();
    labels.join("、")
}

const MISMATCH_HELP: &str = "check the figures against the original document: correct a typing \
    mistake here; if the document itself prints these numbers, keep them (the page shows the \
    figure as the document gives it)";

fn sum_mismatch(stat: &Stat, parts: &[&Stat]) -> Option<(String, String)> {
    let total: f64 = parts.iter().map(|p| p.figure.value).sum();
    if stat.figure.rounds_to(total) {
        return None;
    }
    let decimals = parts.iter().map(|p| p.figure.decimals).max().unwrap_or(0);
    let names: Vec<&str> = parts.iter().map(|p| p.label.value.as_str()).collect();
    let numbers: Vec<String> = parts.iter().map(|p| p.figure.shown()).collect();
    Some((
        format!(
            "`{}` is given as {}{unit}, but {} = {} = {}{unit}",
            stat.label.value,
            stat.figure.shown(),
            names.join(" + "),
            numbers.join(" + "),
            rounded(total, decimals),
            unit = stat.unit,
        ),
        MISMATCH_HELP.to_string(),
    ))
}

fn ratio_mismatch(stat: &Stat, part: &Stat, whole: &Stat) -> Option<(String, String)> {
    let label = &stat.label.value;
    if whole.figure.value == 0.0 {
        return Some((
            format!("`{label}` cannot be checked: `{}` is 0", whole.label.value),
            "check the figure it is divided by".to_string(),
        ));
    }
    let percent = part.figure.value / whole.figure.value * 100.0;
    if stat.figure.rounds_to(percent) {
        return None;
    }
    Some((
        format!(
            "`{label}` is given as {}{}, but {} / {} = {} / {} = {}%",
            stat.figure.shown(),
            stat.unit,
            part.label.value,
            whole.label.value,
            part.figure.shown(),
            whole.figure.shown(),
            rounded(percent, stat.figure.decimals + 1),
        ),
        MISMATCH_HELP.to_string(),
    ))
}

/// Why `number` is not a disclosure index number (`<organisation code>/<year>-<5-digit
/// serial>` or `<code>-<year>-<serial>`), as help; `None` if it is one.
fn index_number_problem(number: &str) -> Option<String> {
    if is_index_number(number) {
        return None;
    }
    let half_width = to_half_width(number);
    if is_index_number(&half_width) {
        return Some(format!(
            "write it with half-width characters: `index_number: {half_width}`"
        ));
    }
    Some(
        "an index number is `<organisation code>/<year>-<5-digit serial>` \
         (e.g. `<机构代码>/2025-00001`) or `<code>-<year>-<serial>`; copy it exactly from the \
         disclosure catalogue"
            .to_string(),
    )
}

fn is_index_number(number: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let code = |s: &str| {
        s.bytes().any(|b| b.is_ascii_alphanumeric())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if let Some((org, rest)) = number.split_once('/') {
        return match rest.split_once('-') {
            Some((year, serial)) => {
                code(org) && digits(year) && year.len() == 4 && digits(serial) && serial.len() == 5
            }
            None => false,
        };
    }
    let mut parts = number.rsplitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(serial), Some(year), Some(org)) => {
            code(org) && digits(year) && year.len() == 4 && digits(serial)
        }
        _ => false,
    }
}

/// Full-width letters, digits and signs (`／`, `－`, `２`) as their ASCII twins.
fn to_half_width(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '—' | '–' => '-',
            c => c,
        })
        .collect()
}

const OPENING: &str = "[【(（［〖{｛〈<〔";
const CLOSING: &str = "]】)）］〗}｝〉>〕";

/// The document number with its year in 〔〕 (`夏司发[2024]12号` → `夏司发〔2024〕12号`),
/// or `None` if it is already written so.
fn doc_number_fix(number: &str) -> Option<String> {
    let chars: Vec<char> = number.trim().chars().collect();
    let mut fixed = String::with_capacity(number.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let year = chars.get(i + 1..i + 5);
        let is_bracketed_year = OPENING.contains(chars[i])
            && year.is_some_and(|y| y.iter().all(char::is_ascii_digit))
            && chars.get(i + 5).is_some_and(|&c| CLOSING.contains(c));
        if is_bracketed_year {
            if chars[i] != '〔' || chars[i + 5] != '〕' {
                changed = true;
            }
            fixed.push('〔');
            fixed.extend(&chars[i + 1..i + 5]);
            fixed.push('〕');
            i += 6;
        } else {
            fixed.push(chars[i]);
            i += 1;
        }
    }
    changed.then_some(fixed)
}

/// The section's dated pages, newest first (ties by file name, so builds are repeatable).
fn dated_pages(library: &Library, section: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = library.sections[section]
        .pages
        .iter()
        .copied()
        .filter(|&i| library.pages[i].meta.date.is_some())
        .collect();
    pages.sort_by(|&a, &b| crate::content::newest_first(&library.pages[a], &library.pages[b]));
    pages
}

/// The section's reports by year of publication, newest year first.
fn by_year(library: &Library, section: usize) -> Vec<(i16, Vec<usize>)> {
    let mut years: BTreeMap<i16, Vec<usize>> = BTreeMap::new();
    for i in dated_pages(library, section) {
        if let Some(date) = library.pages[i].meta.date {
            years.entry(dates::year(date)).or_default().push(i);
        }
    }
    years.into_iter().rev().collect()
}

fn year_url(section_url: &str, year: i16) -> String {
    format!("{section_url}{year}/")
}

/// `reports/atom.xml`, beside the section's list page.
fn feed_path(section_url: &str) -> String {
    format!("{}atom.xml", section_url.trim_start_matches('/'))
}

fn feed_title(library: &Library, config: &Config, section: usize) -> String {
    format!(
        "{} - {}",
        library.section_title(&library.sections[section]),
        config.title
    )
}

/// What the list and archive templates see: the years to browse and the feed.
#[derive(Serialize)]
struct ArchiveView {
    years: Vec<YearLink>,
    feed_url: String,
    feed_title: String,
    /// The section's list of all reports.
    all_url: String,
}

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
    current: bool,
}

impl ArchiveView {
    fn new(site: &KindContext, section: usize, current: Option<i16>) -> ArchiveView {
        let (library, config) = (site.library, site.config);
        let url = &library.sections[section].url;
        ArchiveView {
            years: by_year(library, section)
                .into_iter()
                .map(|(year, pages)| YearLink {
                    year,
                    url: site_url(&config.base_path, &year_url(url, year)),
                    count: pages.len(),
                    current: current == Some(year),
                })
                .collect(),
            feed_url: site_url(&config.base_path, &format!("/{}", feed_path(url))),
            feed_title: feed_title(library, config, section),
            all_url: site_url(&config.base_path, url),
        }
    }
}

/// What `report.html` sees besides `page`.
#[derive(Serialize)]
struct ReportView {
    /// The disclosure table, in the order government sites use; empty fields left out.
    metadata: Vec<MetaRow>,
    figures: Vec<FigureView>,
    charts: Vec<ChartView>,
    publisher: String,
    signed_zh: Option<String>,
    signed_iso: Option<String>,
    /// This report's year archive.
    year: Option<views::Link>,
    feed_url: String,
    feed_title: String,
}

#[derive(Serialize)]
struct MetaRow {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct FigureView {
    label: String,
    value: String,
    unit: String,
}

#[derive(Serialize)]
struct ChartView {
    id: String,
    /// `图1　人民调解工作情况`.
    caption: String,
    /// The drawing, inline so that the theme's colours apply to it.
    svg: String,
    /// The value column's heading: `数量（件）`.
    value_header: String,
    rows: Vec<ChartRow>,
}

/// A label and a value, both as shown.
#[derive(Serialize)]
struct ChartRow {
    label: String,
    value: String,
}

impl ReportView {
    fn new(site: &KindContext, page: &Page, report: &Report) -> ReportView {
        let (library, config) = (site.library, site.config);
        let section = &library.sections[page.section];
        let publisher = report.publisher(config).to_string();
        let rows = [
            (
                "索引号",
                report.index_number.as_ref().map(|n| n.value.clone()),
            ),
            ("主题分类", report.category.clone()),
            ("发布机构", Some(publisher.clone())),
            ("成文日期", report.signed.map(dates::ymd_zh)),
            ("文号", report.doc_number.as_ref().map(|n| n.value.clone())),
            ("发布日期", page.meta.date.map(dates::ymd_zh)),
            ("信息来源", Some(report.source(config).to_string())),
        ];
        ReportView {
            metadata: rows
                .into_iter()
                .filter_map(|(name, value)| {
                    let value = value.filter(|v| !v.is_empty())?;
                    Some(MetaRow { name, value })
                })
                .collect(),
            figures: report
                .stats
                .iter()
                .map(|stat| FigureView {
                    label: stat.label.value.clone(),
                    value: stat.figure.shown(),
                    unit: stat.unit.clone(),
                })
                .collect(),
            charts: report
                .charts
                .iter()
                .enumerate()
                .map(|(i, chart)| chart_view(i + 1, chart))
                .collect(),
            publisher,
            signed_zh: report.signed.map(dates::ymd_zh),
            signed_iso: report.signed.map(dates::ymd),
            year: page.meta.date.map(|date| {
                let year = dates::year(date);
                views::Link {
                    title: format!("{year}年"),
                    url: site_url(&config.base_path, &year_url(&section.url, year)),
                }
            }),
            feed_url: site_url(&config.base_path, &format!("/{}", feed_path(&section.url))),
            feed_title: feed_title(library, config, page.section),
        }
    }
}

fn chart_view(number: usize, chart: &Chart) -> ChartView {
    let id = format!("report-chart-{number}");
    let svg = chart::render(&BarChart {
        id: &id,
        title: &chart.title,
        unit: &chart.unit,
        bars: &chart.bars,
    });
    ChartView {
        caption: format!("图{number}　{}", chart.title),
        svg,
        value_header: if chart.unit.is_empty() {
            "数值".to_string()
        } else {
            format!("数值（{}）", chart.unit)
        },
        rows: chart
            .bars
            .iter()
            .map(|bar| ChartRow {
                label: bar.label.clone(),
                value: bar.shown.clone(),
            })
            .collect(),
        id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(yaml: &str) -> YamlSource<'_> {
        YamlSource {
            file: "content/reports/r.md",
            text: yaml,
            yaml,
            first_line: 1,
        }
    }

    fn report(yaml: &str) -> Report {
        parse_report(&source(yaml)).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn errors(yaml: &str) -> Vec<Diagnostic> {
        match parse_report(&source(yaml)) {
            Ok(_) => panic!("no errors in {yaml}"),
            Err(errors) => errors,
        }
    }

    #[test]
    fn figures_keep_the_rounding_they_are_written_with() {
        let f = Figure::parse("98").unwrap();
        assert!(f.rounds_to(97.6));
        assert!(!f.rounds_to(95.73));
        let f = Figure::parse("95.7").unwrap();
        assert_eq!(f.decimals, 1);
        assert!(f.rounds_to(628.0 / 656.0 * 100.0));
        assert_eq!(Figure::parse("1,234,567").unwrap().shown(), "1,234,567");
        assert_eq!(Figure::parse("-3").unwrap().value, -3.0);
        assert_eq!(Figure::parse("６５６").unwrap().text, "656");
        for bad in ["98%", "", "1.", ".5", "1e3", "NaN", "五"] {
            assert!(Figure::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_read_as_written() {
        let r = report(
            "stats:\n  - { label: 平均年龄, value: 55.60, unit: 岁 }\n  - { label: 金额, value: \"1,234,567\", unit: 元 }\n",
        );
        assert_eq!(r.stats[0].figure.text, "55.60");
        assert_eq!(r.stats[0].figure.decimals, 2);
        assert_eq!(r.stats[1].figure.value, 1_234_567.0);
    }

    #[test]
    fn the_sample_ratio_is_caught_with_both_numbers() {
        let r = report(
            "stats:\n  - { label: 受理, value: 656 }\n  - { label: 成功, value: 628 }\n  - { label: 成功率, value: 98, unit: \"%\", ratio: [成功, 受理] }\n",
        );
        let found = check_figures(&source(""), &r.stats);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`成功率` is given as 98%, but 成功 / 受理 = 628 / 656 = 95.7%"
        );
        assert!(!found[0].is_error());
    }

    #[test]
    fn sums_that_add_up_are_quiet_and_others_are_not() {
        let yaml = "stats:\n  - { label: 合计, value: 344, sum_of: [刑事, 民事, 行政] }\n  - { label: 刑事, value: 191 }\n  - { label: 民事, value: 151 }\n  - { label: 行政, value: 2 }\n";
        assert!(check_figures(&source(yaml), &report(yaml).stats).is_empty());
        let wrong = yaml.replace("value: 2 }", "value: 3 }");
        let found = check_figures(&source(&wrong), &report(&wrong).stats);
        assert_eq!(
            found[0].message,
            "`合计` is given as 344, but 刑事 + 民事 + 行政 = 191 + 151 + 3 = 345"
        );
        assert_eq!(found[0].line, Some(2));
    }

    #[test]
    fn unknown_and_duplicate_labels_are_errors() {
        let yaml = "stats:\n  - { label: 合计, value: 3, sum_of: [刑事案件, 民事] }\n  - { label: 刑事, value: 1 }\n  - { label: 刑事, value: 2 }\n";
        let found = check_figures(&source(yaml), &report(yaml).stats);
        let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["duplicate-label", "unknown-label", "unknown-label"]);
        assert!(found.iter().all(Diagnostic::is_error));
        assert_eq!(found[1].help.as_deref(), Some("did you mean `刑事`?"));
    }

    #[test]
    fn malformed_rules_and_charts_are_errors_at_their_line() {
        let errors = errors(
            "stats:\n  - { label: a, value: 1, ratio: [a] }\n  - { label: b, value: 十 }\ncharts:\n  - { title: 空, bars: [] }\n",
        );
        let lines: Vec<Option<usize>> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(5)]);
        assert_eq!(errors[1].code, "not-a-number");
        assert_eq!(errors[2].code, "bad-chart");
    }

    #[test]
    fn unknown_keys_inside_a_figure_are_named() {
        let errors = errors("stats:\n  - { lable: a, value: 1 }\n");
        assert_eq!(errors[0].code, "unknown-key");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `label`?"));
    }

    #[test]
    fn index_numbers_follow_the_disclosure_format() {
        assert!(is_index_number("11140828MB1234567X/2025-00001"));
        assert!(is_index_number("01234567-8/2024-00012"));
        assert!(is_index_number("XXSFJ-2024-12"));
        assert!(!is_index_number("2024-00001"));
        assert!(!is_index_number("ABC/2024-1"));
        assert!(!is_index_number("夏司/2024-00001"));
        let help = index_number_problem("ABC／2024－00001").unwrap();
        assert!(help.contains("`index_number: ABC/2024-00001`"), "{help}");
    }

    #[test]
    fn doc_numbers_get_their_year_brackets_fixed() {
        assert_eq!(doc_number_fix("夏司发〔2024〕12号"), None);
        assert_eq!(
            doc_number_fix("夏司发[2024]12号").unwrap(),
            "夏司发〔2024〕12号"
        );
        assert_eq!(
            doc_number_fix("夏司发【2024】12号").unwrap(),
            "夏司发〔2024〕12号"
        );
        assert_eq!(
            doc_number_fix("夏司发（2024）12号").unwrap(),
            "夏司发〔2024〕12号"
        );
        assert_eq!(
            doc_number_fix("夏司发(2024)12号").unwrap(),
            "夏司发〔2024〕12号"
        );
        assert_eq!(doc_number_fix("夏司发12号"), None);
    }
}
