//! Parsing a report's keys from its front matter: every problem found is returned, each
//! pointing at its line.

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::dates;
use crate::diagnostics::Diagnostic;
use crate::svg::chart::{Bar, MAX_BARS};
use crate::yaml::YamlSource;

use super::model::{Chart, Figure, Report, Rule, RuleKind, Stat};

#[derive(Deserialize)]
pub(super) struct RawReport {
    pub(super) publisher: Option<String>,
    pub(super) source: Option<String>,
    pub(super) doc_number: Option<Spanned<String>>,
    pub(super) index_number: Option<Spanned<String>>,
    pub(super) category: Option<String>,
    pub(super) signed: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) stats: Vec<RawStat>,
    #[serde(default)]
    pub(super) charts: Vec<RawChart>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStat {
    pub(super) label: Spanned<String>,
    pub(super) value: Spanned<String>,
    #[serde(default)]
    pub(super) unit: String,
    pub(super) sum_of: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) ratio: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChart {
    pub(super) title: Spanned<String>,
    #[serde(default)]
    pub(super) unit: String,
    pub(super) bars: Vec<RawBar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBar {
    pub(super) label: String,
    pub(super) value: Spanned<String>,
}

/// Parses a report's keys; every problem found is returned, each pointing at its line.
pub(super) fn parse_report(source: &YamlSource) -> Result<Report, Vec<Diagnostic>> {
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

pub(super) fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// A number from the front matter, or an error at its position.
pub(super) fn number(
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

pub(super) fn parse_stat(
    source: &YamlSource,
    raw: RawStat,
    errors: &mut Vec<Diagnostic>,
) -> Option<Stat> {
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

pub(super) fn parse_chart(
    source: &YamlSource,
    raw: RawChart,
    errors: &mut Vec<Diagnostic>,
) -> Option<Chart> {
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
