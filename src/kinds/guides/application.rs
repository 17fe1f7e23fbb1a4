//! A guide's printable application (申请表): sections of fields, published as a form a
//! citizen fills in on the phone and prints, or prints blank to fill in by hand. The form is
//! not submitted anywhere; the build only checks that each field says what it is.

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::yaml::YamlSource;

/// `application:` as editors write it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApplication {
    title: Option<String>,
    intro: Option<String>,
    #[serde(default)]
    sections: Vec<Spanned<RawFormSection>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormSection {
    title: Option<String>,
    note: Option<String>,
    #[serde(default)]
    fields: Vec<Spanned<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    label: Option<String>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    #[serde(default)]
    required: bool,
    help: Option<String>,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    multiple: bool,
    lines: Option<Spanned<i64>>,
}

/// The checked form.
#[derive(Debug)]
pub struct Application {
    /// The form's heading; `None`: 「<service>申请表」.
    pub title: Option<String>,
    pub intro: Option<String>,
    pub sections: Vec<FormSection>,
}

/// A titled group of fields; `note` carries text such as a declaration to sign.
#[derive(Debug)]
pub struct FormSection {
    pub title: String,
    pub note: Option<String>,
    pub fields: Vec<Field>,
}

/// One field of the form.
#[derive(Debug)]
pub struct Field {
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub help: Option<String>,
    /// For `choice`: the answers to tick.
    pub options: Vec<String>,
    /// For `choice`: more than one may be ticked.
    pub multiple: bool,
    /// For `long_text`: how many handwritten lines the printed box leaves.
    pub lines: usize,
}

/// What a field holds; decides the input, the printed box and the gentle hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    LongText,
    Date,
    Choice,
    Phone,
    IdNumber,
}

/// The `type` names editors write.
const KINDS: &[(&str, FieldKind)] = &[
    ("text", FieldKind::Text),
    ("long_text", FieldKind::LongText),
    ("date", FieldKind::Date),
    ("choice", FieldKind::Choice),
    ("phone", FieldKind::Phone),
    ("id_number", FieldKind::IdNumber),
];

/// Lines of a `long_text` box when the editor gives none.
const DEFAULT_LINES: usize = 4;
/// More lines than this would not leave the form on two sheets.
const MAX_LINES: i64 = 20;

impl FieldKind {
    /// The name as written in `type`, used as a class name too.
    pub fn name(self) -> &'static str {
        KINDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("text", |(n, _)| n)
    }
}

/// Parses and checks `application`; problems go to `errors`, each at its line.
pub fn parse(
    source: &YamlSource,
    raw: Spanned<RawApplication>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Application> {
    let before = errors.len();
    if raw.value.sections.is_empty() {
        errors.push(error(
            source,
            "missing-key",
            &raw.referenced,
            "`application` has no sections".into(),
            "add `sections:`, each with a `title` and `fields` (`- { label: 姓名, type: text, required: true }`)",
        ));
    }
    let sections = raw
        .value
        .sections
        .into_iter()
        .filter_map(|s| section(source, s, errors))
        .collect();
    (errors.len() == before).then(|| Application {
        title: non_empty(raw.value.title),
        intro: non_empty(raw.value.intro),
        sections,
    })
}

fn section(
    source: &YamlSource,
    raw: Spanned<RawFormSection>,
    errors: &mut Vec<Diagnostic>,
) -> Option<FormSection> {
    let title = non_empty(raw.value.title);
    let note = non_empty(raw.value.note);
    if title.is_none() {
        errors.push(error(
            source,
            "missing-key",
            &raw.referenced,
            "a section of `application` has no `title`".into(),
            "give it a heading such as `title: 申请人基本情况`",
        ));
    } else if raw.value.fields.is_empty() && note.is_none() {
        errors.push(error(
            source,
            "missing-key",
            &raw.referenced,
            format!(
                "the section `{}` has neither `fields` nor a `note`",
                title.as_deref().unwrap_or("")
            ),
            "add `fields:` (`- { label: 姓名 }`), or a `note:` with the text to sign",
        ));
    }
    let fields = raw
        .value
        .fields
        .into_iter()
        .filter_map(|f| field(source, f, errors))
        .collect();
    Some(FormSection {
        title: title?,
        note,
        fields,
    })
}

fn field(
    source: &YamlSource,
    raw: Spanned<RawField>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Field> {
    let at = raw.referenced;
    let raw = raw.value;
    let Some(label) = non_empty(raw.label) else {
        errors.push(error(
            source,
            "missing-key",
            &at,
            "a field of `application` has no `label`".into(),
            "write what the citizen fills in, e.g. `- { label: 姓名, type: text }`",
        ));
        return None;
    };
    let kind = field_kind(source, &label, raw.kind.as_ref(), errors)?;
    let options: Vec<String> = raw
        .options
        .into_iter()
        .filter_map(|o| non_empty(Some(o)))
        .collect();
    if kind == FieldKind::Choice && options.is_empty() {
        errors.push(error(
            source,
            "missing-key",
            &at,
            format!("the choice `{label}` has no `options`"),
            "list the answers to tick, e.g. `options: [男, 女]`",
        ));
        return None;
    }
    let lines = lines(source, &label, raw.lines.as_ref(), errors)?;
    Some(Field {
        label,
        kind,
        required: raw.required,
        help: non_empty(raw.help),
        options,
        multiple: raw.multiple,
        lines,
    })
}

fn field_kind(
    source: &YamlSource,
    label: &str,
    raw: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> Option<FieldKind> {
    let Some(raw) = raw else {
        return Some(FieldKind::Text);
    };
    let written = raw.value.trim();
    if let Some((_, kind)) = KINDS.iter().find(|(n, _)| *n == written) {
        return Some(*kind);
    }
    let names: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
    let help = match did_you_mean(written, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("write one of: {}", names.join(", ")),
    };
    errors.push(
        error(
            source,
            "form-field-type",
            &raw.referenced,
            format!("the field `{label}` has an unknown `type: {written}`"),
            &help,
        )
        .underline(written.chars().count()),
    );
    None
}

fn lines(
    source: &YamlSource,
    label: &str,
    raw: Option<&Spanned<i64>>,
    errors: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let Some(raw) = raw else {
        return Some(DEFAULT_LINES);
    };
    if (1..=MAX_LINES).contains(&raw.value) {
        return Some(raw.value as usize);
    }
    errors.push(error(
        source,
        "form-lines",
        &raw.referenced,
        format!("the field `{label}` asks for {} lines", raw.value),
        &format!("write a number from 1 to {MAX_LINES}: the printed form must fit on two sheets"),
    ));
    None
}

fn error(
    source: &YamlSource,
    code: &'static str,
    at: &Location,
    message: String,
    help: &str,
) -> Diagnostic {
    source.diagnostic_at(
        Diagnostic::error(code, source.file, message).with_help(help),
        at,
    )
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}
