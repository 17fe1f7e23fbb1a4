//! A guide's front matter as editors write it, and the checked [`Guide`] the rest of the kind
//! uses. What can be checked on the page alone is checked here (a service, numbered steps with
//! titles, a web address for `online`); what needs the site (directory ids) waits for
//! `validate`, and so do warnings, which a page's loading cannot return.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::application::{self, Application, RawApplication};
use super::self_check::{self, RawSelfCheck, SelfCheck};
use crate::diagnostics::Diagnostic;
use crate::yaml::{Loose, YamlSource};

/// The front-matter keys a guide takes besides the shared ones.
pub const KEYS: &[&str] = &[
    "service",
    "audience",
    "eligibility",
    "materials",
    "steps",
    "time_limit",
    "fee",
    "where",
    "hotline",
    "legal_basis",
    "online",
    "self_check",
    "application",
];

#[derive(Deserialize)]
struct RawGuide {
    service: Option<Spanned<String>>,
    audience: Option<String>,
    #[serde(default)]
    eligibility: Vec<String>,
    #[serde(default)]
    materials: Vec<Spanned<TextOr<RawMaterial>>>,
    steps: Option<Spanned<Vec<Spanned<TextOr<RawStep>>>>>,
    time_limit: Option<String>,
    #[serde(default, deserialize_with = "present")]
    fee: Option<Spanned<Option<String>>>,
    #[serde(default, rename = "where")]
    offices: Vec<Spanned<String>>,
    hotline: Option<Spanned<Loose>>,
    #[serde(default)]
    legal_basis: Vec<String>,
    online: Option<Spanned<String>>,
    self_check: Option<Spanned<RawSelfCheck>>,
    application: Option<Spanned<RawApplication>>,
}

/// Keeps a key written with nothing after it (`fee:`) apart from a key not written at all.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Spanned<Option<T>>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Spanned::<Option<T>>::deserialize(deserializer).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMaterial {
    name: Option<String>,
    note: Option<String>,
    copies: Option<Spanned<Loose>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    title: Option<String>,
    detail: Option<String>,
}

/// A list item written either as plain text (`- 居民身份证`) or as a mapping
/// (`- { name: 居民身份证, copies: 1 }`). A mapping is read by `T`, so its unknown keys are
/// still named with "did you mean".
enum TextOr<T> {
    Text(String),
    Map(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TextOr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextOrVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for TextOrVisitor<T> {
            type Value = TextOr<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text, or a mapping such as `{ title: …, detail: … }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(TextOr::Text(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(TextOr::Text(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(TextOr::Text(String::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(TextOr::Map)
            }
        }

        deserializer.deserialize_any(TextOrVisitor(PhantomData))
    }
}

/// One guide's own front matter, checked.
pub struct Guide {
    /// 服务事项: what the guides index groups by (法律援助, 人民调解 …).
    pub service: String,
    /// 适用对象, one line for the summary box; `eligibility` has the conditions in full.
    pub audience: Option<String>,
    pub eligibility: Vec<String>,
    pub materials: Vec<Material>,
    pub steps: Vec<Step>,
    pub time_limit: Option<String>,
    pub fee: Option<String>,
    /// A fee that does not tell a citizen whether to bring money, and where it was written.
    pub fee_problem: Option<FeeProblem>,
    /// Directory entry ids, with where each was written: checked once every directory is
    /// loaded.
    pub offices: Vec<Spanned<String>>,
    pub hotline: Option<String>,
    pub legal_basis: Vec<String>,
    /// Where the service can be applied for online: an http(s) address.
    pub online: Option<String>,
    /// The decision tree published at `<guide>/check/`, checked.
    pub self_check: Option<SelfCheck>,
    /// The form published at `<guide>/apply/`.
    pub application: Option<Application>,
}

/// One item of the materials checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    pub name: String,
    pub note: Option<String>,
    /// As shown: `2 份`, or what the editor wrote (`原件1份、复印件2份`).
    pub copies: Option<String>,
}

/// One numbered step; the detail is optional because a title like 领取证书 often says it all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    pub detail: Option<String>,
}

/// Why a guide's fee needs a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeProblem {
    /// No `fee` line at all.
    Missing,
    /// `fee:` with nothing after it.
    Empty(Location),
    /// `fee: 无`: "no fee" or "no information"? A reader cannot tell.
    Ambiguous(Location),
}

/// Fee texts that can mean "free" or "not stated".
const AMBIGUOUS_FEES: &[&str] = &["无", "無", "没有", "暂无", "-", "—", "/", "none", "n/a"];

/// Parses a guide's keys; every problem found is returned, each pointing at its line.
pub fn parse_guide(source: &YamlSource) -> Result<Guide, Vec<Diagnostic>> {
    let raw: RawGuide = source.parse().map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let service = raw
        .service
        .as_ref()
        .map(|s| s.value.trim().to_string())
        .filter(|s| !s.is_empty());
    if service.is_none() {
        errors.push(missing(
            source,
            raw.service.as_ref().map(|s| &s.referenced),
            "a guide needs the service it explains (`service`)",
            "add a line such as `service: 法律援助`; the guides index groups guides by it",
        ));
    }
    let steps = parse_steps(source, raw.steps.as_ref(), &mut errors);
    let materials = raw
        .materials
        .into_iter()
        .enumerate()
        .filter_map(|(i, m)| parse_material(source, i + 1, m, &mut errors))
        .collect();
    let online = raw
        .online
        .as_ref()
        .and_then(|o| check_online(source, o, &mut errors));
    let hotline = raw
        .hotline
        .as_ref()
        .and_then(|h| text_value(source, h, "hotline", &mut errors));
    let self_check = raw
        .self_check
        .and_then(|raw| self_check::parse(source, raw, &mut errors));
    let application = raw
        .application
        .and_then(|raw| application::parse(source, raw, &mut errors));
    if !errors.is_empty() {
        return Err(errors);
    }
    let (fee, fee_problem) = fee(raw.fee);
    Ok(Guide {
        service: service.unwrap_or_default(),
        audience: non_empty(raw.audience),
        eligibility: trimmed(raw.eligibility),
        materials,
        steps,
        time_limit: non_empty(raw.time_limit),
        fee,
        fee_problem,
        offices: raw.offices,
        hotline,
        legal_basis: trimmed(raw.legal_basis),
        online,
        self_check,
        application,
    })
}

/// A required key that is missing or empty: at its line if written, else at the front matter.
fn missing(source: &YamlSource, at: Option<&Location>, message: &str, help: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error("missing-key", source.file, message).with_help(help);
    match at {
        Some(at) => source.diagnostic_at(diagnostic, at),
        None => diagnostic.at(source.text, source.first_line, 1),
    }
}

fn parse_steps(
    source: &YamlSource,
    raw: Option<&Spanned<Vec<Spanned<TextOr<RawStep>>>>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Step> {
    let help = "list what the citizen does, in order, each step with a title, e.g. `steps: [{ title: 提出申请, detail: 到窗口提交材料。 }, { title: 审查决定 }]`";
    let Some(raw) = raw.filter(|s| !s.value.is_empty()) else {
        errors.push(missing(
            source,
            raw.map(|s| &s.referenced),
            "a guide needs its steps (`steps`)",
            help,
        ));
        return Vec::new();
    };
    let mut steps = Vec::new();
    for (i, step) in raw.value.iter().enumerate() {
        let (title, detail) = match &step.value {
            TextOr::Text(title) => (title.trim(), None),
            TextOr::Map(raw) => (
                raw.title.as_deref().unwrap_or("").trim(),
                non_empty(raw.detail.clone()),
            ),
        };
        if title.is_empty() {
            errors.push(source.diagnostic_at(
                Diagnostic::error("step-title", source.file, format!("step {} has no `title`", i + 1))
                    .with_help("give every step a short title, e.g. `- { title: 提出申请, detail: … }`; the detail is optional"),
                &step.referenced,
            ));
            continue;
        }
        steps.push(Step {
            title: title.to_string(),
            detail,
        });
    }
    steps
}

fn parse_material(
    source: &YamlSource,
    number: usize,
    raw: Spanned<TextOr<RawMaterial>>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Material> {
    let (name, note, copies) = match raw.value {
        TextOr::Text(name) => (name, None, None),
        TextOr::Map(m) => (m.name.unwrap_or_default(), m.note, m.copies),
    };
    let name = name.trim().to_string();
    if name.is_empty() {
        errors.push(
            source.diagnostic_at(
                Diagnostic::error(
                    "material-name",
                    source.file,
                    format!("material {number} has no `name`"),
                )
                .with_help(
                    "write what to bring, e.g. `- { name: 居民身份证, note: 原件, copies: 1 }`",
                ),
                &raw.referenced,
            ),
        );
        return None;
    }
    let copies = copies.and_then(|c| parse_copies(source, &c, errors));
    Some(Material {
        name,
        note: non_empty(note),
        copies,
    })
}

/// `copies: 2` → `2 份`; text such as `原件1份、复印件1份` is kept as written.
fn parse_copies(
    source: &YamlSource,
    copies: &Spanned<Loose>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let text = text_value(source, copies, "copies", errors)?;
    match text.parse::<i64>() {
        Ok(n) if n >= 1 => Some(format!("{n} 份")),
        Ok(_) => {
            errors.push(
                source.diagnostic_at(
                    Diagnostic::error(
                        "bad-copies",
                        source.file,
                        format!("`copies: {text}`: at least one copy is needed"),
                    )
                    .with_help("write how many copies to bring (1 or more), or leave `copies` out"),
                    &copies.referenced,
                ),
            );
            None
        }
        Err(_) => Some(text),
    }
}

/// A value that must be text (a number written bare is read as its digits).
fn text_value(
    source: &YamlSource,
    value: &Spanned<Loose>,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    if let Loose::Text(text) = &value.value {
        return non_empty(Some(text.clone()));
    }
    errors.push(source.diagnostic_at(
        Diagnostic::error("yaml-type", source.file, format!("`{key}` must be text")).with_help(
            format!("write one value after `{key}:`, e.g. `{key}: \"12348\"`"),
        ),
        &value.referenced,
    ));
    None
}

fn check_online(
    source: &YamlSource,
    online: &Spanned<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let url = online.value.trim();
    if is_web_url(url) {
        return Some(url.to_string());
    }
    let help = if !url.contains("://") && url.contains('.') && !url.contains(char::is_whitespace) {
        format!("write the full address, e.g. `online: https://{url}`")
    } else {
        "write the full web address where the service can be applied for, starting with https:// (e.g. `online: https://www.sxgl.gov.cn/`), or leave `online` out".to_string()
    };
    errors.push(
        source
            .diagnostic_at(
                Diagnostic::error(
                    "bad-url",
                    source.file,
                    format!("`online` must be a web address (http:// or https://), not `{url}`"),
                )
                .with_help(help),
                &online.referenced,
            )
            .underline(url.chars().count()),
    );
    None
}

/// `https://host/…` or `http://host/…` with a host and no spaces: what a phone can open.
fn is_web_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with('.')
        && !url.contains(char::is_whitespace)
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || "-.:[]".contains(c))
}

fn fee(raw: Option<Spanned<Option<String>>>) -> (Option<String>, Option<FeeProblem>) {
    let Some(raw) = raw else {
        return (None, Some(FeeProblem::Missing));
    };
    let text = raw.value.as_deref().unwrap_or("").trim();
    if text.is_empty() {
        return (None, Some(FeeProblem::Empty(raw.referenced)));
    }
    let problem = AMBIGUOUS_FEES
        .iter()
        .any(|f| f.eq_ignore_ascii_case(text))
        .then_some(FeeProblem::Ambiguous(raw.referenced));
    (Some(text.to_string()), problem)
}

impl FeeProblem {
    /// The warning an editor sees, pointing at the `fee` line (or the front matter).
    pub fn warning(self, source: &YamlSource, fee: Option<&str>) -> Diagnostic {
        let help = "write `fee: 不收费` (or `免费`) if the service is free, or the charge and its basis (e.g. `按省定收费标准收取`)";
        let (message, at) = match self {
            FeeProblem::Missing => (
                "this guide does not say what it costs (`fee`)".to_string(),
                None,
            ),
            FeeProblem::Empty(at) => ("`fee` is left empty".to_string(), Some(at)),
            FeeProblem::Ambiguous(at) => (
                format!("`fee: {}` can mean free or not stated", fee.unwrap_or("")),
                Some(at),
            ),
        };
        let diagnostic = Diagnostic::warning("guide-fee", source.file, message).with_help(help);
        match at {
            Some(at) => source.diagnostic_at(diagnostic, &at),
            None => diagnostic.at(source.text, source.first_line, 1),
        }
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn trimmed(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .filter_map(|i| non_empty(Some(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(yaml: &str) -> YamlSource<'_> {
        YamlSource {
            file: "content/guides/a.md",
            text: yaml,
            yaml,
            first_line: 1,
        }
    }

    fn guide(yaml: &str) -> Guide {
        match parse_guide(&source(yaml)) {
            Ok(guide) => guide,
            Err(errors) => panic!("{errors:?}"),
        }
    }

    fn errors(yaml: &str) -> Vec<Diagnostic> {
        match parse_guide(&source(yaml)) {
            Ok(_) => panic!("expected errors"),
            Err(errors) => errors,
        }
    }

    const MINIMAL: &str = "title: t\nservice: 法律援助\nsteps: [申请]\nfee: 不收费\n";

    #[test]
    fn materials_and_steps_take_text_or_mappings() {
        let g = guide(
            "service: 法律援助\nmaterials:\n  - 居民身份证\n  - { name: 申请表, note: 窗口领取, copies: 2 }\n  - { name: 证据, copies: 原件1份、复印件1份 }\nsteps:\n  - 提出申请\n  - { title: 审查, detail: 7 日内决定 }\nfee: 不收费\n",
        );
        assert_eq!(g.materials.len(), 3);
        assert_eq!(g.materials[0].name, "居民身份证");
        assert_eq!(g.materials[1].copies.as_deref(), Some("2 份"));
        assert_eq!(g.materials[1].note.as_deref(), Some("窗口领取"));
        assert_eq!(g.materials[2].copies.as_deref(), Some("原件1份、复印件1份"));
        assert_eq!(
            g.steps,
            [
                Step {
                    title: "提出申请".into(),
                    detail: None
                },
                Step {
                    title: "审查".into(),
                    detail: Some("7 日内决定".into())
                },
            ]
        );
        assert_eq!(g.fee_problem, None);
    }

    #[test]
    fn service_and_steps_are_required() {
        let found = errors("title: t\n");
        let codes: Vec<(&str, Option<usize>)> = found.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(codes, [("missing-key", Some(1)), ("missing-key", Some(1))]);
        assert!(found[0].message.contains("service"));
        assert!(found[1].message.contains("steps"));
        let found = errors("service: 调解\nsteps: []\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(2), "points at the empty list");
    }

    #[test]
    fn a_step_without_title_is_named_by_its_number_and_line() {
        let found =
            errors("service: 调解\nsteps:\n  - { title: 申请 }\n  - { detail: 只有说明 }\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "step-title");
        assert!(found[0].message.contains("step 2"), "{}", found[0].message);
        assert_eq!(found[0].line, Some(4));
    }

    #[test]
    fn unknown_keys_inside_steps_and_materials_suggest_the_nearest() {
        let found = errors("service: 调解\nsteps:\n  - { title: 申请, detial: x }\n");
        assert_eq!(found[0].code, "unknown-key");
        assert_eq!(found[0].line, Some(3));
        assert_eq!(found[0].help.as_deref(), Some("did you mean `detail`?"));
        let found = errors("service: 调解\nsteps: [a]\nmaterials:\n  - { nmae: 身份证 }\n");
        assert_eq!(found[0].code, "unknown-key");
        assert_eq!(found[0].line, Some(4));
        assert_eq!(found[0].help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn online_must_be_a_web_address() {
        assert_eq!(
            guide(&format!(
                "{MINIMAL}online: https://www.example.gov.cn/ban\n"
            ))
            .online
            .as_deref(),
            Some("https://www.example.gov.cn/ban")
        );
        let found = errors(&format!("{MINIMAL}online: www.example.gov.cn\n"));
        assert_eq!(found[0].code, "bad-url");
        assert_eq!(found[0].line, Some(5));
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .contains("https://www.example.gov.cn")
        );
        assert!(!is_web_url("ftp://example.gov.cn/"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("https://exa mple.cn/"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(is_web_url("http://12348.example.cn:8080/a?b#c"));
    }

    #[test]
    fn an_ambiguous_or_missing_fee_is_flagged_where_it_is_written() {
        let problem = |yaml: &str| guide(yaml).fee_problem;
        let base = "service: 调解\nsteps: [申请]\n";
        assert_eq!(problem(base), Some(FeeProblem::Missing));
        assert!(
            matches!(problem(&format!("{base}fee:\n")), Some(FeeProblem::Empty(at)) if at.line() == 3)
        );
        assert!(matches!(
            problem(&format!("{base}fee: \"\"\n")),
            Some(FeeProblem::Empty(_))
        ));
        assert!(
            matches!(problem(&format!("{base}fee: 无\n")), Some(FeeProblem::Ambiguous(at)) if at.line() == 3)
        );
        assert_eq!(problem(&format!("{base}fee: 不收费\n")), None);
        assert_eq!(problem(&format!("{base}fee: 免费\n")), None);
        let g = guide(&format!("{base}fee: 无\n"));
        let warning = g
            .fee_problem
            .unwrap()
            .warning(&source("x"), g.fee.as_deref());
        assert!(warning.message.contains("无"));
        assert!(warning.help.unwrap().contains("不收费"));
    }

    #[test]
    fn hotline_and_copies_accept_bare_numbers() {
        let g = guide(&format!(
            "{MINIMAL}hotline: 12348\nmaterials:\n  - {{ name: 身份证, copies: 1 }}\n"
        ));
        assert_eq!(g.hotline.as_deref(), Some("12348"));
        assert_eq!(g.materials[0].copies.as_deref(), Some("1 份"));
        let found = errors(&format!(
            "{MINIMAL}materials:\n  - {{ name: 身份证, copies: 0 }}\n"
        ));
        assert_eq!(found[0].code, "bad-copies");
        assert!(guide(&format!("{MINIMAL}hotline:\n")).hotline.is_none());
    }
}
