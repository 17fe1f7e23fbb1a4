//! Tests of parsing and checking reports.

use super::checks::{check_figures, doc_number_fix, index_number_problem, is_index_number};
use super::model::{Figure, Report};
use super::parse::parse_report;
use crate::diagnostics::Diagnostic;
use crate::yaml::YamlSource;

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
