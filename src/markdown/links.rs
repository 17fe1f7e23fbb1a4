//! Links and images. A link to a `.md` file (relative to the page, or from the content root
//! with a leading `/`) becomes that page's URL; images and files must exist inside `content/`.
//! Every output link is a path under the base URL's path, never host-qualified.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Spanned;
use super::html::is_script_url;
use crate::diagnostics::Diagnostic;
use crate::images::ImageStore;
use crate::url::{encode_path, site_url};

/// What links can point at, shared by every page of the build.
pub struct LinkTargets<'a> {
    /// Content path of each built page (`guides/legal-aid.md`) → its site path (`/guides/legal-aid/`).
    pub pages: &'a HashMap<String, String>,
    /// Content paths of pages left out of this build, with the reason (`draft`).
    pub excluded: &'a HashMap<String, &'static str>,
    /// Content paths of every asset.
    pub assets: &'a HashSet<String>,
    /// `/` or `/sfj/`.
    pub base_path: &'a str,
    /// site.yaml `markdown.unsafe_html`: when false, `javascript:` and similar links are replaced
    /// by `#` and reported.
    pub unsafe_html: bool,
    /// The build's images, for responsive `<img>` tags; `None` leaves images as plain tags.
    pub images: Option<&'a ImageStore>,
}

/// An anchor that can only be checked once every page's headings are known.
#[derive(Debug, Clone)]
pub struct PendingAnchor {
    /// The linked page's content path; `None` for the page itself.
    pub page: Option<String>,
    /// The fragment, percent-decoded, as heading ids are written.
    pub anchor: String,
    /// Byte offset of the link in the file's text, for the diagnostic.
    pub offset: usize,
}

/// What the links pass learned about one page.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// Fragments to check once every page's heading ids are known.
    pub anchors: Vec<PendingAnchor>,
    /// Root-relative links that are not `.md` files (`/tags/`): checked against the written site.
    pub site_paths: Vec<(String, usize)>,
    /// Content paths of the pages this page links to.
    pub links_to: Vec<String>,
    /// Broken, unsafe and unclear links on this page.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a page is, for resolving its relative links and reporting problems.
pub struct PagePlace<'a> {
    /// As editors see it, for diagnostics: `content/guides/legal-aid.md`.
    pub file: &'a str,
    /// The file's whole text, so that offsets become line:column.
    pub text: &'a str,
    /// Offset of the Markdown body in `text`.
    pub body_start: usize,
    /// The page's folder relative to `content/` (`guides`, or `` for the root).
    pub dir: &'a str,
}

/// The links pass: every link and image destination becomes its site URL (with the base path), link
/// text that does not say where it goes is reported, and what can only be checked later (anchors,
/// generated pages) is queued in the report.
pub fn resolve<'a>(
    events: Vec<Spanned<'a>>,
    place: &PagePlace,
    targets: &LinkTargets,
) -> (Vec<Spanned<'a>>, LinkReport) {
    let mut report = LinkReport::default();
    let mut out = Vec::with_capacity(events.len());
    let mut image_alt: Option<(usize, bool)> = None;
    let mut link_text: Option<(usize, String)> = None;
    for (mut event, range) in events {
        let offset = place.body_start + range.start;
        if let (Event::Text(t) | Event::Code(t), Some((_, text))) = (&event, &mut link_text) {
            text.push_str(t);
        }
        match &mut event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                *dest_url = rewrite(dest_url, false, offset, place, targets, &mut report);
                link_text = Some((offset, String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((at, text)) = link_text.take() {
                    report.diagnostics.extend(vague_link_text(&text, at, place));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                *dest_url = rewrite(dest_url, true, offset, place, targets, &mut report);
                image_alt = Some((offset, false));
            }
            Event::Text(t) if image_alt.is_some() && !t.trim().is_empty() => {
                image_alt = image_alt.map(|(o, _)| (o, true));
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, false)) = image_alt.take() {
                    report
                        .diagnostics
                        .push(missing_alt(place.file, place.text, at));
                }
            }
            _ => {}
        }
        out.push((event, range));
    }
    (out, report)
}

/// The warning for an image without alt text at byte `offset` of a page.
pub(crate) fn missing_alt(file: &str, text: &str, offset: usize) -> Diagnostic {
    Diagnostic::warning("image-alt", file, "image without alt text")
        .at_offset(text, offset)
        .with_help("describe the picture for screen readers: ![夏县公共法律服务中心大厅](…)")
}

/// Link text that says nothing about where it goes ("点击这里"): screen-reader users often
/// list a page's links out of context.
const VAGUE_LINK_TEXT: &[&str] = &[
    "点击这里",
    "点击此处",
    "这里",
    "此处",
    "点此",
    "请点击",
    "点击",
    "详情",
    "更多",
    "链接",
    "click here",
    "here",
    "more",
];

fn vague_link_text(text: &str, offset: usize, place: &PagePlace) -> Option<Diagnostic> {
    let trimmed = text.trim().trim_end_matches(['。', '！', '>', '》']);
    VAGUE_LINK_TEXT
        .iter()
        .any(|v| trimmed.eq_ignore_ascii_case(v))
        .then(|| {
            Diagnostic::warning(
                "link-text",
                place.file,
                format!(
                    "link text `{}` does not say where the link goes",
                    text.trim()
                ),
            )
            .at_offset(place.text, offset)
            .with_help("name the destination, e.g. [法律援助申请指南](…) instead of [点击这里](…)")
        })
}

/// What a link or image destination becomes in the HTML: site URLs with the base path for
/// content files, other addresses as written; every problem goes into `report`.
fn rewrite<'a>(
    dest: &CowStr<'a>,
    image: bool,
    offset: usize,
    place: &PagePlace,
    targets: &LinkTargets,
    report: &mut LinkReport,
) -> CowStr<'a> {
    if is_script_url(dest) && !targets.unsafe_html {
        report.diagnostics.push(
            link_error(
                place,
                offset,
                "unsafe-link",
                format!("link to `{dest}` runs a script"),
            )
            .with_help("link to a page or a web address instead"),
        );
        return CowStr::from("#");
    }
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
        return dest.clone();
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest.as_ref(), None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        if let Some(anchor) = fragment {
            report.anchors.push(PendingAnchor {
                page: None,
                anchor: percent_decode(anchor),
                offset,
            });
        }
        return dest.clone();
    }
    let Some(resolved) = join(place.dir, &percent_decode(path)) else {
        report.diagnostics.push(
            link_error(
                place,
                offset,
                "outside-content",
                format!("`{dest}` points outside the content folder"),
            )
            .with_help("link only to files inside content/; remove the extra `../`"),
        );
        return dest.clone();
    };
    let local = LocalLink {
        dest,
        path,
        fragment,
        resolved,
        offset,
    };
    let url = if !image && local.resolved.ends_with(".md") {
        page_link(local, place, targets, report)
    } else {
        file_link(local, image, place, targets, report)
    };
    match (url, fragment) {
        (Some(url), Some(f)) => CowStr::from(format!("{url}#{f}")),
        (Some(url), None) => CowStr::from(url),
        (None, _) => dest.clone(),
    }
}

/// A link inside the content folder, resolved against the linking page's folder.
struct LocalLink<'d> {
    /// The destination as written.
    dest: &'d str,
    /// The destination without fragment and query.
    path: &'d str,
    fragment: Option<&'d str>,
    /// The content path it points at (`guides/aid.md`).
    resolved: String,
    /// Where the link is in the file's text, for diagnostics.
    offset: usize,
}

/// An error at the link's place in the file.
fn link_error(place: &PagePlace, offset: usize, code: &'static str, message: String) -> Diagnostic {
    Diagnostic::error(code, place.file, message).at_offset(place.text, offset)
}

/// The site URL of a link to a `.md` page (its anchor queued for checking), or `None` with an
/// error when that page does not exist or is not published.
fn page_link(
    link: LocalLink,
    place: &PagePlace,
    targets: &LinkTargets,
    report: &mut LinkReport,
) -> Option<String> {
    let LocalLink {
        dest,
        fragment,
        resolved,
        offset,
        ..
    } = link;
    if let Some(url) = targets.pages.get(&resolved) {
        if let Some(anchor) = fragment {
            report.anchors.push(PendingAnchor {
                page: Some(resolved.clone()),
                anchor: percent_decode(anchor),
                offset,
            });
        }
        report.links_to.push(resolved);
        return Some(site_url(targets.base_path, url));
    }
    let error = |code, message| link_error(place, offset, code, message);
    let diagnostic = match targets.excluded.get(&resolved) {
        Some(why) => error("link-to-unpublished", format!("`{dest}` links to a page that is not published ({why})"))
            .with_help("publish that page, or remove the link"),
        None => error("broken-link", format!("`{dest}` links to a page that does not exist (looked for content/{resolved})"))
            .with_help("check the file name; links are relative to this page, or start with / for the content folder"),
    };
    report.diagnostics.push(diagnostic);
    None
}

/// The site URL of a link to an asset or to a generated page (`/tags/`, checked once the site
/// is written), or `None` with an error when the file does not exist.
fn file_link(
    link: LocalLink,
    image: bool,
    place: &PagePlace,
    targets: &LinkTargets,
    report: &mut LinkReport,
) -> Option<String> {
    let LocalLink {
        dest,
        path,
        resolved,
        offset,
        ..
    } = link;
    if targets.assets.contains(&resolved) {
        return Some(site_url(
            targets.base_path,
            &format!("/{}", encode_path(&resolved)),
        ));
    }
    if !image && path.starts_with('/') && is_page_path(path) {
        report.site_paths.push((resolved.clone(), offset));
        let trailing = if path.ends_with('/') && !resolved.is_empty() {
            "/"
        } else {
            ""
        };
        return Some(site_url(
            targets.base_path,
            &format!("/{}{trailing}", encode_path(&resolved)),
        ));
    }
    let what = if image { "image" } else { "file" };
    report.diagnostics.push(link_error(place, offset, if image { "missing-image" } else { "missing-file" }, format!("the {what} `{dest}` does not exist (looked for content/{resolved})"))
        .with_help("check the file name and folder; paths are relative to this page, or start with / for the content folder"));
    None
}

/// `/tags/` or `/search`: a path to a generated page rather than to a file.
fn is_page_path(path: &str) -> bool {
    path.ends_with('/') || !path.rsplit('/').next().unwrap_or("").contains('.')
}

pub(crate) fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && i > 0
        }
        None => false,
    }
}

/// Resolves `target` against folder `dir` (both relative to `content/`). `None` if it escapes.
pub fn join(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{html_of, parse};
    use super::*;

    struct Fixture {
        pages: HashMap<String, String>,
        excluded: HashMap<String, &'static str>,
        assets: HashSet<String>,
    }

    impl Fixture {
        fn new() -> Self {
            Fixture {
                pages: HashMap::from([
                    ("guides/legal-aid.md".into(), "/guides/legal-aid/".into()),
                    ("news/宪法.md".into(), "/news/xian-fa/".into()),
                ]),
                excluded: HashMap::from([("news/draft.md".into(), "draft")]),
                assets: HashSet::from(["images/大厅.jpg".to_string()]),
            }
        }

        fn run(&self, markdown: &str) -> (String, LinkReport) {
            let targets = LinkTargets {
                pages: &self.pages,
                excluded: &self.excluded,
                assets: &self.assets,
                base_path: "/sfj/",
                unsafe_html: false,
                images: None,
            };
            let place = PagePlace {
                file: "content/news/a.md",
                text: markdown,
                body_start: 0,
                dir: "news",
            };
            let (events, report) = resolve(parse(markdown), &place, &targets);
            (html_of(events), report)
        }
    }

    #[test]
    fn md_links_become_urls_under_the_base_path() {
        let (html, report) = Fixture::new()
            .run("[援助](../guides/legal-aid.md#申请条件) [宪法](/news/宪法.md) [同目录](宪法.md)");
        // pulldown-cmark percent-encodes hrefs; browsers match the decoded fragment to the id.
        assert!(
            html.contains("href=\"/sfj/guides/legal-aid/#%E7%94%B3%E8%AF%B7%E6%9D%A1%E4%BB%B6\""),
            "{html}"
        );
        assert_eq!(
            html.matches("href=\"/sfj/news/xian-fa/\"").count(),
            2,
            "{html}"
        );
        assert_eq!(report.anchors[0].anchor, "申请条件");
        assert_eq!(report.links_to.len(), 3);
        assert!(report.diagnostics.is_empty());
    }

    #[test]
    fn missing_pages_and_unpublished_pages_are_errors() {
        let (_, report) = Fixture::new().run("[x](nope.md)\n\n[y](draft.md)");
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["broken-link", "link-to-unpublished"]);
        assert_eq!(report.diagnostics[1].line, Some(3));
    }

    #[test]
    fn images_resolve_or_fail_and_cannot_escape() {
        let (html, report) = Fixture::new()
            .run("![大厅](../images/大厅.jpg) ![](../images/none.png) ![x](../../etc/passwd)");
        assert!(
            html.contains("src=\"/sfj/images/%E5%A4%A7%E5%8E%85.jpg\""),
            "{html}"
        );
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["missing-image", "image-alt", "outside-content"]);
    }

    #[test]
    fn external_links_are_untouched_and_script_links_refused() {
        let (html, report) =
            Fixture::new().run("[a](https://www.gov.cn/) [b](tel:12348) [c](javascript:alert(1))");
        assert!(html.contains("href=\"https://www.gov.cn/\""));
        assert!(html.contains("href=\"tel:12348\""));
        assert!(!html.contains("javascript"));
        assert_eq!(report.diagnostics[0].code, "unsafe-link");
    }

    #[test]
    fn site_paths_are_prefixed_and_kept_for_checking() {
        let (html, report) = Fixture::new().run("[标签](/tags/) [本页](#步骤)");
        assert!(html.contains("href=\"/sfj/tags/\""), "{html}");
        assert_eq!(report.site_paths[0].0, "tags");
        assert!(report.anchors[0].page.is_none());
    }

    #[test]
    fn vague_link_text_is_a_warning() {
        let (_, report) = Fixture::new().run(
            "申请请[点击这里](../guides/legal-aid.md)，[法律援助指南](../guides/legal-aid.md)",
        );
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(report.diagnostics[0].code, "link-text");
        assert_eq!(report.diagnostics[0].column, Some(4));
    }

    #[test]
    fn join_handles_dot_segments() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "/x/./y.md").as_deref(), Some("x/y.md"));
        assert_eq!(join("a", "../../x.md"), None);
    }
}
