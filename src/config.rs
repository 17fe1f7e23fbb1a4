//! `content/site.yaml`: the raw struct editors write, checked into the [`Config`] the build uses.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::source::decode_text;
use crate::diagnostics::Diagnostic;
use crate::yaml::YamlSource;

/// Where site.yaml lives, relative to the site root.
pub const CONFIG_PATH: &str = "content/site.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Spanned<String>,
    description: Option<String>,
    language: Option<String>,
    theme: Option<String>,
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
    accessibility: RawAccessibility,
    /// Whether to build the search index (on by default; a very large site may turn it off).
    search: Option<bool>,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub title: String,
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
pub struct MarkdownOptions {
    /// Raw HTML in Markdown is escaped unless the site opts in.
    #[serde(default)]
    pub unsafe_html: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageOptions {
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
    pub title: String,
    pub description: String,
    /// Always ends with `/`: `https://www.county.gov.cn/sfj/`.
    pub base_url: String,
    /// The path part of `base_url`, prepended to every link: `/` or `/sfj/`.
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub publisher: String,
    pub hotline: String,
    pub regions: Vec<String>,
    pub menu: Vec<MenuItem>,
    pub taxonomies: Vec<String>,
    pub footer: Footer,
    pub markdown: MarkdownOptions,
    pub images: ImageOptions,
    pub directory: DirectoryOptions,
    pub accessibility: Accessibility,
    /// A warning, located at `base_url`, when the address is an example or local one: kinds
    /// that print the address (QR codes, signs) report it, since paper cannot be rebuilt.
    pub placeholder_base_url: Option<Diagnostic>,
    /// Build the Chinese search index under `/pagefind/`.
    pub search: bool,
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
        let base_path = match parse_base_url(&base_url) {
            Ok(path) => path,
            Err(message) => {
                let d = Diagnostic::error("bad-base-url", CONFIG_PATH, message)
                    .with_help("write the address the site is published at, e.g. `https://sfj.example.gov.cn/` or `https://www.county.gov.cn/sfj/`");
                errors.push(if base_url_override.is_some() {
                    Diagnostic {
                        file: "--base-url".into(),
                        ..d
                    }
                } else {
                    source.diagnostic_at(d, &self.base_url.referenced)
                });
                String::from("/")
            }
        };
        for item in &self.menu {
            let url = &item.value.url;
            if !(url.starts_with('/') || url.starts_with("https://") || url.starts_with("http://"))
            {
                errors.push(
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
                );
            }
        }
        let taxonomies = self.taxonomies.map_or_else(|| vec!["tags".to_string()], |list| {
            list.into_iter()
                .filter_map(|name| {
                    let ok = !name.value.is_empty()
                        && name.value.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        && !crate::content::front_matter::is_reserved_key(&name.value);
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
        });
        if self.images.widths.is_empty() || self.images.widths.contains(&0) {
            errors.push(
                Diagnostic::error(
                    "bad-image-widths",
                    CONFIG_PATH,
                    "images.widths must list positive pixel widths",
                )
                .with_help("e.g. `images: { widths: [480, 960, 1440] }`"),
            );
        }
        let accessibility = self.accessibility.check(source, &mut errors);
        let placeholder_base_url = placeholder_warning(&base_url).map(|d| {
            if base_url_override.is_some() {
                Diagnostic {
                    file: "--base-url".into(),
                    ..d
                }
            } else {
                source.diagnostic_at(d, &self.base_url.referenced)
            }
        });
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
            language: self.language.unwrap_or_else(|| "zh-CN".into()),
            theme: self.theme.unwrap_or_else(|| "default".into()),
            publisher: self.publisher.unwrap_or_default(),
            hotline: self.hotline.unwrap_or_else(|| "12348".into()),
            regions: self.regions,
            menu: self.menu.into_iter().map(|m| m.value).collect(),
            taxonomies,
            footer: self.footer,
            markdown: self.markdown,
            images: self.images,
            search: self.search.unwrap_or(true),
            directory: self.directory,
            accessibility,
            placeholder_base_url,
        })
    }
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
}
