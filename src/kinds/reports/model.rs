//! A report's own front matter as the build uses it: disclosure metadata, key figures with
//! the rules that tie them, charts, and numbers as the document prints them.

use jiff::Timestamp;
use serde_saphyr::{Location, Spanned};

use crate::config::Config;
use crate::svg::chart::{Bar, group_digits};

use super::checks::to_half_width;

/// A report's own front matter, checked.
pub(super) struct Report {
    pub(super) publisher: Option<String>,
    pub(super) source: Option<String>,
    pub(super) doc_number: Option<Spanned<String>>,
    pub(super) index_number: Option<Spanned<String>>,
    pub(super) category: Option<String>,
    pub(super) signed: Option<Timestamp>,
    pub(super) signed_at: Option<Location>,
    pub(super) stats: Vec<Stat>,
    pub(super) charts: Vec<Chart>,
}

impl Report {
    /// 发布机构: the report's own, else the site's publisher.
    pub(super) fn publisher<'a>(&'a self, config: &'a Config) -> &'a str {
        self.publisher.as_deref().unwrap_or(&config.publisher)
    }

    /// 信息来源: the report's own, else its publisher.
    pub(super) fn source<'a>(&'a self, config: &'a Config) -> &'a str {
        self.source.as_deref().unwrap_or(self.publisher(config))
    }
}

/// A key figure: `{ label: 调解成功率, value: 98, unit: "%", ratio: [调解成功, 受理矛盾纠纷] }`.
pub(super) struct Stat {
    pub(super) label: Spanned<String>,
    pub(super) figure: Figure,
    pub(super) value_at: Location,
    pub(super) unit: String,
    pub(super) rule: Option<Rule>,
}

/// How a figure follows from other figures of the same report.
pub(super) struct Rule {
    pub(super) kind: RuleKind,
    pub(super) labels: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RuleKind {
    /// The figure is the sum of the named figures.
    SumOf,
    /// The figure is `part / whole` as a percentage.
    Ratio,
}

impl RuleKind {
    pub(super) fn key(self) -> &'static str {
        match self {
            RuleKind::SumOf => "sum_of",
            RuleKind::Ratio => "ratio",
        }
    }
}

pub(super) struct Chart {
    pub(super) title: String,
    pub(super) unit: String,
    pub(super) bars: Vec<Bar>,
}

/// A number as the document prints it: its value, and how many digits follow the point
/// (the rounding a check has to respect: `98` is right for anything from 97.5 to 98.49).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Figure {
    /// As written, without thousands separators: `1234567`, `55.6`.
    pub(super) text: String,
    pub(super) value: f64,
    pub(super) decimals: usize,
}

impl Figure {
    /// Reads `656`, `55.6` or `1,234,567`; full-width digits typed with a Chinese input method
    /// (`６５６`) are read as their ASCII twins.
    pub(super) fn parse(written: &str) -> Option<Figure> {
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
    pub(super) fn shown(&self) -> String {
        group_digits(&self.text)
    }

    /// Whether `value`, rounded as this figure is written, is this figure.
    pub(super) fn rounds_to(&self, value: f64) -> bool {
        rounded(value, self.decimals) == rounded(self.value, self.decimals)
    }
}

pub(super) fn rounded(value: f64, decimals: usize) -> String {
    group_digits(&format!("{value:.decimals$}"))
}
