//! The checks of one report: the disclosure index number (索引号), the document number (文号),
//! signing before publishing, and figures that must agree with each other (`sum_of`, `ratio`).
//! A mismatch is a warning: the page still shows what the document says.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde_saphyr::{Location, Spanned};

use crate::content::Page;
use crate::dates;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::yaml::YamlSource;

use super::model::{Report, RuleKind, Stat, rounded};

/// The checks of one report: disclosure numbers and figures.
pub(super) fn check_report(page: &Page, report: &Report) -> Vec<Diagnostic> {
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
pub(super) fn check_dates(page: &Page, report: &Report) -> Option<Diagnostic> {
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
pub(super) fn check_figures(yaml: &YamlSource, stats: &[Stat]) -> Vec<Diagnostic> {
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
pub(super) fn resolve<'a>(
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

pub(super) fn sorted_labels(by_label: &HashMap<&str, &Stat>) -> String {
    let mut labels: Vec<&str> = by_label.keys().copied().collect();
    labels.sort_unstable();
    labels.join("、")
}

pub(super) const MISMATCH_HELP: &str = "check the figures against the original document: correct a typing \
    mistake here; if the document itself prints these numbers, keep them (the page shows the \
    figure as the document gives it)";

pub(super) fn sum_mismatch(stat: &Stat, parts: &[&Stat]) -> Option<(String, String)> {
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

pub(super) fn ratio_mismatch(stat: &Stat, part: &Stat, whole: &Stat) -> Option<(String, String)> {
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
pub(super) fn index_number_problem(number: &str) -> Option<String> {
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

pub(super) fn is_index_number(number: &str) -> bool {
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
pub(super) fn to_half_width(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '—' | '–' => '-',
            c => c,
        })
        .collect()
}

pub(super) const OPENING: &str = "[【(（［〖{｛〈<〔";
pub(super) const CLOSING: &str = "]】)）］〗}｝〉>〕";

/// The document number with its year in 〔〕 (`夏司发[2024]12号` → `夏司发〔2024〕12号`),
/// or `None` if it is already written so.
pub(super) fn doc_number_fix(number: &str) -> Option<String> {
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
