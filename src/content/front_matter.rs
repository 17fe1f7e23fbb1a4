//! Front matter: the YAML block between `---` lines at the top of a Markdown file. The keys
//! every page shares are parsed here; a kind parses its own keys from the same block
//! (see [`crate::kinds::Kind::load_page`]), and [`check_keys`] rejects keys nobody knows.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::dates::parse_date;
use crate::diagnostics::Diagnostic;
use crate::keys::SECTION_KEYS;
use crate::yaml::{Loose, TopLevel, YamlSource, unknown_key};

/// A value with the file position it came from, for diagnostics raised after parsing.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The parsed value.
    pub value: T,
    /// 1-based line in the file (not in the YAML block), where the value starts.
    pub line: usize,
    /// 1-based column, in characters, where the value starts.
    pub column: usize,
}

/// Where the front matter and the body are in a file's text.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Byte range of the YAML.
    pub yaml_start: usize,
    /// Byte offset just past the YAML, before the closing `---` line.
    pub yaml_end: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the front matter. A file without one, or with an unclosed one, gets the fix shown.
pub fn split(file: &str, text: &str) -> Result<Layout, Diagnostic> {
    let missing = || {
        Diagnostic::error(
            "no-front-matter",
            file,
            "the file does not start with front matter",
        )
        .at(text, 1, 1)
        .with_help("start the file with three lines:\n---\ntitle: 标题\n---")
    };
    let first_line_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_line_end].trim_end() != "---" {
        return Err(missing());
    }
    let yaml_start = first_line_end + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Layout {
                yaml_start,
                yaml_end: offset,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "unclosed-front-matter",
        file,
        "the front matter is never closed",
    )
    .at(text, 1, 1)
    .with_help("add a line `---` after the last front-matter line, before the text"))
}

#[derive(Debug, Deserialize)]
struct RawCommon {
    title: Spanned<String>,
    date: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    publish: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    slug: Option<Spanned<String>>,
    summary: Option<String>,
    weight: Option<i64>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    image: Option<Spanned<String>>,
    image_alt: Option<String>,
    kind: Option<Spanned<String>>,
    sort_by: Option<Spanned<String>>,
    paginate: Option<usize>,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Newest first.
    #[default]
    Date,
    /// By `weight:`, smallest first (then by file path), for hand-ordered sections.
    Weight,
    /// By title in code-point order (then by file path); not pinyin order.
    Title,
}

/// What a section's `_index.md` says about the section.
#[derive(Debug, Clone, Default)]
pub struct SectionSettings {
    /// `kind:`: which kind runs the section (`route`, `guides`, …); `None` means plain pages. Kept
    /// with its position so an unknown kind can be pointed at.
    pub kind: Option<Located<String>>,
    /// `sort_by:`: `date` (the default), `weight` or `title`.
    pub sort_by: SortBy,
    /// Items per list page; 0 means all on one page.
    pub paginate: usize,
}

/// The shared front matter, checked.
#[derive(Debug, Clone)]
pub struct PageMeta {
    /// `title:`, required and non-empty.
    pub title: String,
    /// `date:`, the publication date (in China's time zone); undated pages are not in feeds.
    pub date: Option<Timestamp>,
    /// `updated:`, the last substantial revision, shown as 更新日期 and used in sitemaps.
    pub updated: Option<Timestamp>,
    /// `publish:`, a scheduled date: the page is left out of builds until then (unless `--drafts`).
    pub publish: Option<Timestamp>,
    /// `draft: true` leaves the page out unless the build is run with `--drafts`.
    pub draft: bool,
    /// `slug:`, the last URL segment instead of the file name; positioned for errors on an unusable
    /// one.
    pub slug: Option<Located<String>>,
    /// `summary:`, for lists, feeds and `<meta name="description">`; else the first paragraph is
    /// used.
    pub summary: Option<String>,
    /// `weight:`, for sections sorted by weight; 0 when missing.
    pub weight: i64,
    /// `aliases:`, old site paths that redirect to this page, each positioned for error messages.
    pub aliases: Vec<Located<String>>,
    /// `image:`, a picture for the page: relative to the page's folder, from the content root, or a
    /// full URL.
    pub image: Option<Located<String>>,
    /// `image_alt:`, the text alternative for `image:`.
    pub image_alt: Option<String>,
    /// Each taxonomy of site.yaml `taxonomies:` → the page's terms in it, as written.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// The section keys (`kind`, `sort_by`, `paginate`); default on regular pages.
    pub section: SectionSettings,
    /// Every top-level key with its position, for [`check_keys`] once the kind is known.
    pub keys: Vec<Located<String>>,
}

/// Parses the shared keys. Taxonomy lists are read by name from the loose top level.
pub fn parse(source: &YamlSource, taxonomies: &[String]) -> Result<PageMeta, Vec<Diagnostic>> {
    let raw: RawCommon = source.parse().map_err(|d| vec![d])?;
    let top: TopLevel = source.parse().map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let mut date = |field: &Option<Spanned<String>>| checked_date(source, field, &mut errors);
    let (date_v, updated, publish) = (date(&raw.date), date(&raw.updated), date(&raw.publish));
    let sort_by = checked_sort_by(source, raw.sort_by.as_ref(), &mut errors);
    let taxonomy_values = taxonomy_terms(source, &top, taxonomies, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let located = |s: Spanned<String>| locate(source, s);
    Ok(PageMeta {
        title: raw.title.value,
        date: date_v,
        updated,
        publish,
        draft: raw.draft,
        slug: raw.slug.map(located),
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        weight: raw.weight.unwrap_or(0),
        aliases: raw.aliases.into_iter().map(located).collect(),
        image: raw.image.map(located),
        image_alt: raw.image_alt,
        taxonomies: taxonomy_values,
        section: SectionSettings {
            kind: raw.kind.map(located),
            sort_by,
            paginate: raw.paginate.unwrap_or(super::LIST_PAGE_SIZE),
        },
        keys: top.0.into_iter().map(|(k, _)| located(k)).collect(),
    })
}

/// A date key's value, if present and readable; an unreadable one becomes an error.
fn checked_date(
    source: &YamlSource,
    field: &Option<Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Timestamp> {
    let spanned = field.as_ref()?;
    match parse_date(&spanned.value) {
        Ok(ts) => Some(ts),
        Err(message) => {
            errors.push(
                source.diagnostic_at(
                    Diagnostic::error("bad-date", source.file, message)
                        .with_help("write dates as 2025-02-19 or 2025-02-19T10:00:00+08:00"),
                    &spanned.referenced,
                ),
            );
            None
        }
    }
}

/// `sort_by:`, `date` when missing; an unknown order becomes an error (and `date`).
fn checked_sort_by(
    source: &YamlSource,
    sort_by: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> SortBy {
    match sort_by.map(|s| s.value.as_str()) {
        None | Some("date") => SortBy::Date,
        Some("weight") => SortBy::Weight,
        Some("title") => SortBy::Title,
        Some(other) => {
            let spanned = sort_by.map(|s| &s.referenced);
            errors.push(
                source.diagnostic_at(
                    Diagnostic::error(
                        "bad-sort-by",
                        source.file,
                        format!("unknown sort_by `{other}`"),
                    )
                    .with_help("use `date` (newest first), `weight` or `title`"),
                    spanned.unwrap_or(&serde_saphyr::Location::UNKNOWN),
                ),
            );
            SortBy::Date
        }
    }
}

/// The terms of each of the site's taxonomies the page uses; a value that is not a list of
/// words becomes an error.
fn taxonomy_terms(
    source: &YamlSource,
    top: &TopLevel,
    taxonomies: &[String],
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<String>> {
    let mut taxonomy_values = BTreeMap::new();
    for (key, value) in &top.0 {
        if taxonomies.contains(&key.value) {
            match terms(&value.value) {
                Some(list) => {
                    taxonomy_values.insert(key.value.clone(), list);
                }
                None => errors.push(
                    source.diagnostic_at(
                        Diagnostic::error(
                            "yaml-type",
                            source.file,
                            format!("`{}` must be a list of words", key.value),
                        )
                        .with_help(format!("e.g. `{}: [法律援助, 宪法]`", key.value)),
                        &value.referenced,
                    ),
                ),
            }
        }
    }
    taxonomy_values
}

fn locate<T>(source: &YamlSource, spanned: Spanned<T>) -> Located<T> {
    let line = source.first_line + (spanned.referenced.line() as usize).saturating_sub(1);
    Located {
        value: spanned.value,
        line,
        column: spanned.referenced.column() as usize,
    }
}

fn terms(value: &Loose) -> Option<Vec<String>> {
    match value {
        Loose::List(items) => items
            .iter()
            .map(|item| match item {
                Loose::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                _ => None,
            })
            .collect(),
        Loose::Text(t) if !t.trim().is_empty() => Some(vec![t.trim().to_string()]),
        _ => None,
    }
}

/// Rejects keys that neither the core, the section's kind, nor a taxonomy knows.
pub fn check_keys(file: &str, text: &str, meta: &PageMeta, allowed: &[&str]) -> Vec<Diagnostic> {
    meta.keys
        .iter()
        .filter(|key| !allowed.contains(&key.value.as_str()))
        .map(|key| {
            let (code, message, help) = unknown_key(&key.value, allowed);
            let help = if SECTION_KEYS.contains(&key.value.as_str()) {
                format!(
                    "`{}` belongs in a section's _index.md, not in a page",
                    key.value
                )
            } else {
                help
            };
            Diagnostic::error(code, file, message)
                .at(text, key.line, key.column)
                .underline(key.value.chars().count())
                .with_help(help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<PageMeta, Vec<Diagnostic>> {
        let layout = split("f.md", text).map_err(|d| vec![d])?;
        let source = YamlSource {
            file: "f.md",
            text,
            yaml: &text[layout.yaml_start..layout.yaml_end],
            first_line: 2,
        };
        parse(&source, &["tags".to_string()])
    }

    #[test]
    fn split_finds_yaml_and_body() {
        let text = "---\ntitle: x\n---\n正文\n";
        let layout = split("f.md", text).unwrap();
        assert_eq!(&text[layout.yaml_start..layout.yaml_end], "title: x\n");
        assert_eq!(&text[layout.body_start..], "正文\n");
    }

    #[test]
    fn split_explains_missing_and_unclosed() {
        assert_eq!(
            split("f.md", "# 标题\n").unwrap_err().code,
            "no-front-matter"
        );
        assert_eq!(
            split("f.md", "---\ntitle: x\n").unwrap_err().code,
            "unclosed-front-matter"
        );
    }

    #[test]
    fn dates_and_taxonomies_are_read() {
        let meta =
            parse_text("---\ntitle: x\ndate: 2025-02-19\ntags: [宪法, 普法]\n---\n").unwrap();
        assert_eq!(crate::dates::ymd(meta.date.unwrap()), "2025-02-19");
        assert_eq!(meta.taxonomies["tags"], ["宪法", "普法"]);
    }

    #[test]
    fn bad_date_points_at_its_line() {
        let errs = parse_text("---\ntitle: x\ndate: 2024-02-30\n---\n").unwrap_err();
        assert_eq!(errs[0].code, "bad-date");
        assert_eq!(errs[0].line, Some(3));
    }

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion() {
        let text = "---\ntitle: x\nsumary: y\n---\n";
        let meta = parse_text(text).unwrap();
        let errs = check_keys("f.md", text, &meta, crate::keys::PAGE_KEYS);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(3));
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `summary`?"));
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(192))]

        /// Whatever the file holds, splitting and parsing end in a page or in diagnostics that
        /// point inside the file.
        #[test]
        fn any_file_splits_and_parses_without_panicking(
            yaml in crate::hostile::text(120),
            body in crate::hostile::text(60),
            closed in proptest::bool::ANY,
        ) {
            let written = format!("---\n{yaml}\n{}{body}", if closed { "---\n" } else { "" });
            let text = crate::text::decode_text("f.md", written.as_bytes()).unwrap();
            let lines = text.lines().count().max(1);
            match parse_text(&text) {
                Ok(meta) => proptest::prop_assert!(!meta.title.is_empty() || meta.title.is_empty()),
                Err(diagnostics) => {
                    proptest::prop_assert!(!diagnostics.is_empty());
                    for d in diagnostics {
                        proptest::prop_assert!(d.line.is_none_or(|l| l >= 1 && l <= lines + 1), "{d:?} in {lines} lines");
                        let shown = d.render();
                        proptest::prop_assert!(!shown.contains(['\u{1b}', '\u{7}', '\r']), "{shown:?}");
                    }
                }
            }
            let _ = split("f.md", &body);
        }
    }
}
