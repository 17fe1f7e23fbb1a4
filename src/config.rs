//! `content/site.yaml`: the raw struct editors write, checked into the [`Config`] the build uses.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::Diagnostic;
use crate::text::decode_text;
use crate::yaml::YamlSource;

/// Where site.yaml lives, relative to the site root.
pub const CONFIG_PATH: &str = "content/site.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Spanned<String>,
    description: Option<String>,
    language: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    publisher: Option<String>,
    hotline: Option<String>,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    menu: Vec<Spanned<MenuItem>>,
    taxonomies: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    footer: Footer,
    #[serde(default)]
    markdown: MarkdownOptions,
    #[serde(default)]
    images: ImageOptions,
    #[serde(default)]
    directory: DirectoryOptions,
    #[serde(default)]
    coverage: RawCoverage,
    /// `search: false`, or `search: { synonyms: … }`.
    #[serde(default)]
    search: SearchOptions,
    #[serde(default)]
    accessibility: RawAccessibility,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The entry's text.
    pub title: String,
    /// A site path from the root (`/news/`, base path added when rendered) or a full `http(s)://`
    /// address; anything else is refused.
    pub url: String,
}

/// The registration numbers every Chinese government site shows in its footer.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// 网站标识码, also written into `<meta name="SiteIDCode">`.
    #[serde(default)]
    pub site_code: String,
    /// ICP备案号.
    #[serde(default)]
    pub icp: String,
    /// 公安机关备案号.
    #[serde(default)]
    pub police_record: String,
    /// 联系方式 line.
    #[serde(default)]
    pub contact: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
/// `markdown:` in site.yaml: how editors' Markdown is turned into HTML.
pub struct MarkdownOptions {
    /// Raw HTML in Markdown is escaped unless the site opts in.
    #[serde(default)]
    pub unsafe_html: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
/// `images:` in site.yaml: the responsive copies made of JPEG, PNG and WebP pictures.
pub struct ImageOptions {
    /// The widths in pixels of the copies made of each image (never wider than the original); all
    /// positive. Default `[480, 960, 1440]`.
    pub widths: Vec<u32>,
}

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            widths: vec![480, 960, 1440],
        }
    }
}

/// Site-wide choices for `kind: directory` sections.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryOptions {
    /// Show mobile numbers as `138****0001` in every output, for sites that may not publish
    /// volunteers' full numbers.
    #[serde(default)]
    pub mask_mobile: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoverage {
    minutes: Option<Spanned<f64>>,
    speed_kmh: Option<Spanned<f64>>,
    roles: Option<Vec<String>>,
}

/// `coverage:` in site.yaml, for `kind: coverage` sections: how far a service point may be
/// for a place to count as inside the service circle (半小时公共法律服务圈).
#[derive(Debug, Clone)]
pub struct CoverageOptions {
    /// The promise, in minutes of travel: 30.
    pub minutes: f64,
    /// The assumed travel speed: 15 km/h, a rural e-bike.
    pub speed_kmh: f64,
    /// Directory entry `role`s that count as service points, in the order the page shows
    /// them: `[司法所, 法律服务站, 法律援助机构]`.
    pub roles: Vec<String>,
}

impl Default for CoverageOptions {
    fn default() -> Self {
        CoverageOptions {
            minutes: 30.0,
            speed_kmh: 15.0,
            roles: vec!["司法所".to_string()],
        }
    }
}

impl CoverageOptions {
    /// The farthest a service point may be, in km, for a place to be inside the circle.
    pub fn reach_km(&self) -> f64 {
        self.minutes / 60.0 * self.speed_kmh
    }

    /// Estimated travel minutes for a straight-line distance.
    pub fn minutes_for(&self, km: f64) -> f64 {
        km / self.speed_kmh * 60.0
    }
}

impl RawCoverage {
    fn check(self, source: &YamlSource, errors: &mut Vec<Diagnostic>) -> CoverageOptions {
        let defaults = CoverageOptions::default();
        let mut number =
            |value: Option<Spanned<f64>>, key: &str, max: f64, example: &str, meaning: &str| {
                let value = value?;
                let v = value.value;
                if v.is_finite() && v > 0.0 && v <= max {
                    return Some(v);
                }
                errors.push(
                    source.diagnostic_at(
                        Diagnostic::error(
                            "bad-coverage",
                            CONFIG_PATH,
                            format!(
                                "coverage.{key} must be a number above 0 and at most {max}, not {v}"
                            ),
                        )
                        .with_help(format!(
                            "write a positive number, e.g. `coverage: {{ {example} }}` ({meaning})"
                        )),
                        &value.referenced,
                    ),
                );
                None
            };
        let minutes = number(
            self.minutes,
            "minutes",
            600.0,
            "minutes: 30",
            "the promised half hour",
        );
        let speed_kmh = number(
            self.speed_kmh,
            "speed_kmh",
            120.0,
            "speed_kmh: 15",
            "km/h, a rural e-bike",
        );
        let roles: Vec<String> = self
            .roles
            .unwrap_or(defaults.roles.clone())
            .into_iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        if roles.is_empty() {
            errors.push(
                Diagnostic::error("bad-coverage", CONFIG_PATH, "coverage.roles lists no role")
                    .with_help("name the directory roles that count as service points, e.g. `roles: [司法所, 法律服务站]`"),
            );
        }
        CoverageOptions {
            minutes: minutes.unwrap_or(defaults.minutes),
            speed_kmh: speed_kmh.unwrap_or(defaults.speed_kmh),
            roles,
        }
    }
}

/// `search:` in site.yaml: `false` turns search off; a map keeps it on with options.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// False when site.yaml says `search: false`: no index is written and templates show no search
    /// box.
    pub enabled: bool,
    /// Words citizens type → the words the site uses: `{ 退休金: [养老保险] }`.
    pub synonyms: BTreeMap<String, Vec<String>>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            enabled: true,
            synonyms: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearchMap {
    #[serde(default)]
    synonyms: BTreeMap<String, Vec<String>>,
}

impl<'de> Deserialize<'de> for SearchOptions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SearchOptions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`true`, `false` or `{ synonyms: { 词: [同义词] } }`")
            }
            fn visit_bool<E>(self, enabled: bool) -> Result<SearchOptions, E> {
                Ok(SearchOptions {
                    enabled,
                    ..SearchOptions::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SearchOptions, A::Error> {
                let raw =
                    RawSearchMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(SearchOptions {
                    enabled: true,
                    synonyms: raw.synonyms,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `accessibility:` in site.yaml: what the accessibility statement needs from the site.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessibility {
    contact: Option<String>,
    date: Option<Spanned<String>>,
}

/// The accessibility statement's own facts: who takes complaints, and when the statement was
/// last checked. The date is the editor's, never the build clock: a statement must not look
/// fresh just because the site was rebuilt.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Accessibility {
    /// 电话、邮箱或窗口地址 for feedback about access problems.
    pub contact: String,
    /// `2026年11月30日`, when `date` is given.
    pub date_zh: Option<String>,
    /// `2026-11-30`, for `<time datetime>`.
    pub date_iso: Option<String>,
}

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site's name (`title:`, required).
    pub title: String,
    /// `description:`, the site-wide summary; empty when missing.
    pub description: String,
    /// Always ends with `/`: `https://www.county.gov.cn/sfj/`.
    pub base_url: String,
    /// The path part of `base_url`, prepended to every link: `/` or `/sfj/`.
    pub base_path: String,
    /// The `lang` of every page: a BCP 47 tag, `zh-CN` by default.
    pub language: String,
    /// The theme's folder name under `themes/`, or `default` for the embedded theme.
    pub theme: String,
    /// The office that publishes the site (信息来源); empty when missing.
    pub publisher: String,
    /// The legal-aid hotline shown on every page, `12348` by default.
    pub hotline: String,
    /// The towns and townships (乡镇) the site serves, in site.yaml's order: directory entries
    /// and coverage places must name one of them; each region's pinyin names it in URLs.
    pub regions: Vec<String>,
    /// The main navigation, in order.
    pub menu: Vec<MenuItem>,
    /// The taxonomy names pages may use as front-matter keys (`tags` by default): lowercase ASCII,
    /// never a key pufa already reads.
    pub taxonomies: Vec<String>,
    /// The registration numbers in every page's footer.
    pub footer: Footer,
    /// How Markdown is rendered (raw HTML escaped unless opted in).
    pub markdown: MarkdownOptions,
    /// Which widths images are resized to.
    pub images: ImageOptions,
    /// Site-wide choices for `kind: directory` sections.
    pub directory: DirectoryOptions,
    /// How `kind: coverage` sections measure the service circle.
    pub coverage: CoverageOptions,
    /// The Chinese search index under `/search/`.
    pub search: SearchOptions,
    /// The accessibility statement's facts (contact, last check), for `/accessibility/` and the
    /// footer.
    pub accessibility: Accessibility,
    /// A warning, located at `base_url`, when the address is an example or local one: kinds
    /// that print the address (QR codes, signs) report it, since paper cannot be rebuilt.
    pub placeholder_base_url: Option<Diagnostic>,
}

impl Config {
    /// Reads and checks site.yaml; `base_url_override` is `--base-url`.
    pub fn load(
        root: &std::path::Path,
        base_url_override: Option<&str>,
    ) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_PATH);
        let bytes = std::fs::read(&path).map_err(|e| {
            vec![
                Diagnostic::error(
                    "no-config",
                    CONFIG_PATH,
                    format!("cannot read site.yaml: {e}"),
                )
                .with_help("create content/site.yaml with at least `title:` and `base_url:`"),
            ]
        })?;
        let text = decode_text(CONFIG_PATH, &bytes).map_err(|d| vec![d])?;
        let source = YamlSource {
            file: CONFIG_PATH,
            text: &text,
            yaml: &text,
            first_line: 1,
        };
        let raw: RawConfig = source.parse().map_err(|d| vec![d])?;
        raw.check(&source, base_url_override)
    }
}

impl RawConfig {
    fn check(
        self,
        source: &YamlSource,
        base_url_override: Option<&str>,
    ) -> Result<Config, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let base_url = base_url_override.map_or(self.base_url.value.clone(), str::to_string);
        let base_url_at = &self.base_url.referenced;
        let at_base_url = |d| located_at_base_url(d, source, base_url_at, base_url_override);
        let base_path = parse_base_url(&base_url).unwrap_or_else(|message| {
            errors.push(at_base_url(bad_base_url(message)));
            String::from("/")
        });
        errors.extend(
            self.menu
                .iter()
                .filter_map(|item| menu_url_error(item, source)),
        );
        let taxonomies = self.taxonomies.map_or_else(
            || vec!["tags".to_string()],
            |list| checked_taxonomies(list, source, &mut errors),
        );
        errors.extend(check_synonyms(&self.search.synonyms));
        let language = self.language.map_or_else(
            || "zh-CN".to_string(),
            |tag| checked(tag, is_language_tag, source, &mut errors, language_error),
        );
        let theme = self.theme.map_or_else(
            || "default".to_string(),
            |name| checked(name, is_theme_name, source, &mut errors, theme_error),
        );
        errors.extend(image_widths_error(&self.images));
        let accessibility = self.accessibility.check(source, &mut errors);
        let coverage = self.coverage.check(source, &mut errors);
        let placeholder_base_url = placeholder_warning(&base_url).map(at_base_url);
        if !errors.is_empty() {
            return Err(errors);
        }
        let base_url = if base_url.ends_with('/') {
            base_url
        } else {
            format!("{base_url}/")
        };
        Ok(Config {
            description: self.description.unwrap_or_default(),
            title: self.title,
            base_url,
            base_path,
            language,
            theme,
            publisher: self.publisher.unwrap_or_default(),
            hotline: self.hotline.unwrap_or_else(|| "12348".into()),
            regions: self.regions,
            menu: self.menu.into_iter().map(|m| m.value).collect(),
            taxonomies,
            footer: self.footer,
            markdown: self.markdown,
            images: self.images,
            search: self.search,
            directory: self.directory,
            coverage,
            accessibility,
            placeholder_base_url,
        })
    }
}

/// Points a finding about the address at `base_url:` in site.yaml, or at `--base-url` when the
/// command line replaced it.
fn located_at_base_url(
    diagnostic: Diagnostic,
    source: &YamlSource,
    base_url_at: &serde_saphyr::Location,
    base_url_override: Option<&str>,
) -> Diagnostic {
    if base_url_override.is_some() {
        Diagnostic {
            file: "--base-url".into(),
            ..diagnostic
        }
    } else {
        source.diagnostic_at(diagnostic, base_url_at)
    }
}

/// An unusable `base_url:` (or `--base-url`), with an example of a usable one.
fn bad_base_url(message: String) -> Diagnostic {
    Diagnostic::error("bad-base-url", CONFIG_PATH, message)
        .with_help("write the address the site is published at, e.g. `https://sfj.example.gov.cn/` or `https://www.county.gov.cn/sfj/`")
}

/// A menu link must be a site path from the root or a full `http(s)://` address.
fn menu_url_error(item: &Spanned<MenuItem>, source: &YamlSource) -> Option<Diagnostic> {
    let url = &item.value.url;
    if url.starts_with('/') || url.starts_with("https://") || url.starts_with("http://") {
        return None;
    }
    Some(
        source.diagnostic_at(
            Diagnostic::error(
                "bad-menu-url",
                CONFIG_PATH,
                format!("menu link `{url}` is neither a site path nor a full URL"),
            )
            .with_help(format!(
                "write site paths from the root, e.g. `/{}`",
                url.trim_start_matches("./")
            )),
            &item.referenced,
        ),
    )
}

/// The usable taxonomy names of `taxonomies:`; each unusable one (not lowercase ASCII, or
/// already a front-matter key) becomes an error instead.
fn checked_taxonomies(
    list: Vec<Spanned<String>>,
    source: &YamlSource,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    list.into_iter()
        .filter_map(|name| {
            let ok = !name.value.is_empty()
                && name.value.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && !crate::keys::is_reserved_key(&name.value);
            if !ok {
                errors.push(source.diagnostic_at(
                    Diagnostic::error("bad-taxonomy", CONFIG_PATH, format!("`{}` cannot be a taxonomy name", name.value))
                        .with_help("use lowercase ASCII letters that are not already a front-matter key, e.g. `tags` or `categories`"),
                    &name.referenced,
                ));
            }
            ok.then_some(name.value)
        })
        .collect()
}

/// `images.widths` must be a non-empty list of positive widths.
fn image_widths_error(images: &ImageOptions) -> Option<Diagnostic> {
    (images.widths.is_empty() || images.widths.contains(&0)).then(|| {
        Diagnostic::error(
            "bad-image-widths",
            CONFIG_PATH,
            "images.widths must list positive pixel widths",
        )
        .with_help("e.g. `images: { widths: [480, 960, 1440] }`")
    })
}

/// A synonym is one word (what a citizen types between spaces) standing for other words.
fn check_synonyms(synonyms: &BTreeMap<String, Vec<String>>) -> Vec<Diagnostic> {
    let one_word = |w: &str| !w.trim().is_empty() && !w.contains(char::is_whitespace);
    synonyms
        .iter()
        .filter_map(|(word, others)| {
            let problem = if !one_word(word) {
                Some(format!("`{word}` is not one word"))
            } else if others.is_empty() {
                Some(format!("`{word}` has no synonyms"))
            } else if let Some(bad) = others.iter().find(|o| !one_word(o)) {
                Some(format!("the synonym `{bad}` of `{word}` is not one word"))
            } else {
                others
                    .iter()
                    .any(|o| o == word)
                    .then(|| format!("`{word}` is listed as its own synonym"))
            };
            problem.map(|message| {
                Diagnostic::error("bad-synonym", CONFIG_PATH, format!("search.synonyms: {message}"))
                    .with_help("write each synonym as one word without spaces, e.g. `search: { synonyms: { 退休金: [养老保险, 养老金] } }`")
            })
        })
        .collect()
}

/// Keeps `value` if `ok` says it is well formed, else records the error `explain` gives.
fn checked(
    value: Spanned<String>,
    ok: fn(&str) -> bool,
    source: &YamlSource,
    errors: &mut Vec<Diagnostic>,
    explain: fn(&str) -> Diagnostic,
) -> String {
    if !ok(&value.value) {
        errors.push(source.diagnostic_at(explain(&value.value), &value.referenced));
    }
    value.value
}

fn language_error(tag: &str) -> Diagnostic {
    Diagnostic::error(
        "bad-language",
        CONFIG_PATH,
        format!("`{tag}` is not a language tag"),
    )
    .with_help(
        "write a BCP 47 language tag such as `zh-CN`, or remove the line (zh-CN is the default)",
    )
}

fn theme_error(name: &str) -> Diagnostic {
    Diagnostic::error(
        "bad-theme",
        CONFIG_PATH,
        format!("`{name}` is not a theme name"),
    )
    .with_help("a theme is a folder name under themes/ (letters, digits, `-`, `_`), e.g. `theme: xia` for themes/xia/; remove the line for the built-in theme")
}

/// The longest language tag accepted: BCP 47 sets no limit, but no real tag comes close.
const MAX_LANGUAGE_TAG: usize = 64;

/// A well-formed BCP 47 tag (RFC 5646 syntax): a 2–8 letter language (or `x`/`i` for private
/// use and grandfathered tags), then `-`-separated subtags of 1–8 letters or digits. This is
/// what keeps a tag safe to write into `lang=""`, feeds and file names.
pub fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first = subtags.next().unwrap_or("");
    let language_ok = (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        || first.eq_ignore_ascii_case("x")
        || first.eq_ignore_ascii_case("i");
    tag.len() <= MAX_LANGUAGE_TAG
        && language_ok
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A theme is a plain folder name under `ROOT/themes/`: never a path that could lead
/// elsewhere (`..`, `/abs`, `a/b`).
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['.', '-'])
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `host` is one no reader can reach: an example domain (RFC 2606: any `example`
/// label, `.test`, `.invalid`, `.localhost`), this machine (`localhost`, `127.*`, `::1`,
/// `0.0.0.0`) or a private network (`10.*`, `192.168.*`, `.local`).
pub fn is_placeholder_host(host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .split(']')
        .next()
        .unwrap_or(host);
    let host = match host.matches(':').count() {
        1 => host.split(':').next().unwrap_or(host),
        _ => host,
    }
    .to_ascii_lowercase();
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let last = labels.last().copied().unwrap_or("");
    labels.contains(&"example")
        || ["test", "invalid", "localhost", "local"].contains(&last)
        || host.starts_with("127.")
        || host.starts_with("10.")
        || host.starts_with("192.168.")
        || host == "::1"
        || host == "0.0.0.0"
}

fn placeholder_warning(base_url: &str) -> Option<Diagnostic> {
    let rest = base_url.split_once("://")?.1;
    let host = rest.split('/').next()?;
    is_placeholder_host(host).then(|| {
        Diagnostic::warning(
            "placeholder-base-url",
            CONFIG_PATH,
            format!("base_url `{base_url}` is an example or local address, but the site prints QR codes and signs: printed signs would point nowhere"),
        )
        .with_help("before printing signs, set `base_url` (or `--base-url`) to the address the site is published at, e.g. `https://www.county.gov.cn/sfj/`")
    })
}

impl RawAccessibility {
    fn check(self, source: &YamlSource, errors: &mut Vec<Diagnostic>) -> Accessibility {
        let date = self.date.and_then(|date| {
            crate::dates::parse_date(&date.value)
                .map_err(|message| {
                    errors.push(source.diagnostic_at(
                        Diagnostic::error("bad-date", CONFIG_PATH, message)
                            .with_help("write the day the statement was last checked, e.g. `accessibility: { date: 2026-11-30 }`"),
                        &date.referenced,
                    ));
                })
                .ok()
        });
        Accessibility {
            contact: self.contact.unwrap_or_default(),
            date_zh: date.map(crate::dates::ymd_zh),
            date_iso: date.map(crate::dates::ymd),
        }
    }
}

/// Checks a base URL and returns its path, always starting and ending with `/`.
fn parse_base_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("base_url `{url}` has no host name"));
    }
    if path.contains(['?', '#', ' ']) {
        return Err(format!(
            "base_url `{url}` must not contain a query, fragment or space"
        ));
    }
    let path = path.trim_matches('/');
    Ok(if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_comes_from_the_url() {
        assert_eq!(parse_base_url("https://sfj.example.gov.cn/").unwrap(), "/");
        assert_eq!(parse_base_url("https://sfj.example.gov.cn").unwrap(), "/");
        assert_eq!(
            parse_base_url("https://www.county.gov.cn/sfj").unwrap(),
            "/sfj/"
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080/a/b/").unwrap(),
            "/a/b/"
        );
        assert!(parse_base_url("www.county.gov.cn/sfj/").is_err());
    }

    #[test]
    fn example_and_local_hosts_are_placeholders() {
        for host in [
            "example.com",
            "sfj.example.gov.cn",
            "www.example.org",
            "localhost",
            "localhost:1111",
            "site.test",
            "127.0.0.1:8080",
            "[::1]:8080",
            "pufa.localhost",
            "192.168.1.20",
        ] {
            assert!(is_placeholder_host(host), "{host}");
        }
        for host in [
            "www.county.gov.cn",
            "sfj.xiaxian.gov.cn:8443",
            "examples.gov.cn",
            "test.gov.cn",
        ] {
            assert!(!is_placeholder_host(host), "{host}");
        }
        assert!(parse_base_url("https:///x").is_err());
    }

    #[test]
    fn language_tags_are_checked_as_bcp47() {
        for good in [
            "zh-CN",
            "zh",
            "en",
            "zh-Hans-CN",
            "zh-cmn-Hans-CN-u-ca-chinese-nu-hanidec",
            "x-private",
        ] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "../../../../x",
            "zh_CN",
            "zh-",
            "-zh",
            "z",
            "zh-CN/..",
            "zh CN",
            "中文",
            "zh-toolongsubtag",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn theme_names_are_plain_folder_names() {
        assert!(is_theme_name("xia") && is_theme_name("county_2024") && is_theme_name("default"));
        for bad in ["", "..", "../x", "/etc", "a/b", ".hidden", "a\\b", "x.y"] {
            assert!(!is_theme_name(bad), "{bad}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(128))]

        /// Any site.yaml text is a checked configuration or diagnostics, never a panic; a
        /// language or theme that got through is safe to use in a path or an attribute.
        #[test]
        fn any_site_yaml_loads_or_explains(
            value in crate::hostile::text(40),
            extra in crate::hostile::text(60),
        ) {
            let quoted = serde_json::to_string(&value).unwrap();
            for text in [
                format!("title: t\nbase_url: https://a.example/\nlanguage: {quoted}\ntheme: {quoted}\n"),
                format!("title: {quoted}\nbase_url: {quoted}\n{extra}"),
                extra.clone(),
            ] {
                let source = YamlSource { file: CONFIG_PATH, text: &text, yaml: &text, first_line: 1 };
                let Ok(raw) = source.parse::<RawConfig>() else { continue };
                if let Ok(config) = raw.check(&source, None) {
                    proptest::prop_assert!(is_language_tag(&config.language), "{}", config.language);
                    proptest::prop_assert!(is_theme_name(&config.theme), "{}", config.theme);
                    proptest::prop_assert!(config.base_path.starts_with('/') && config.base_path.ends_with('/'));
                }
            }
        }
    }
}
