//! Files beside the pages that a browser would run as code. With `markdown: { unsafe_html:
//! false }` raw HTML in Markdown is escaped; an `.html` file or a scripted SVG copied next to
//! the page would get around that, so under that setting they are errors, not copies.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// File endings a browser opens as a web page.
const PAGE_ENDINGS: [&str; 7] = [
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml",
];

/// Element names that run code or pull in another document.
const ACTIVE_ELEMENTS: [&str; 7] = [
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];

/// Whether a file of this name could run script when opened: a web page, SVG or XML.
pub fn may_hold_script(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    PAGE_ENDINGS
        .iter()
        .chain(&MARKUP_ENDINGS)
        .any(|e| lower.ends_with(e))
}

/// Markup a browser runs script in, checked by [`active_markup`].
const MARKUP_ENDINGS: [&str; 3] = [".svg", ".xml", ".xsl"];

/// Errors for the assets that could run script in a visitor's browser.
pub fn check_assets(content: &Path, assets: &[String]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for asset in assets {
        let lower = asset.to_ascii_lowercase();
        let file = format!("content/{asset}");
        if PAGE_ENDINGS.iter().any(|e| lower.ends_with(e)) {
            errors.push(
                Diagnostic::error(
                    "raw-html-file",
                    file,
                    "an HTML file would be published as it is, with any script in it, although site.yaml has `markdown: { unsafe_html: false }`",
                )
                .with_help("write the page as Markdown (a .md file), or set `markdown: { unsafe_html: true }` if the site's editors may publish raw HTML"),
            );
        } else if MARKUP_ENDINGS.iter().any(|e| lower.ends_with(e)) {
            let Ok(bytes) = std::fs::read(content.join(asset)) else {
                continue;
            };
            if let Some(reason) = active_markup(&String::from_utf8_lossy(&bytes)) {
                errors.push(
                    Diagnostic::error(
                        "active-svg",
                        file,
                        format!("the file contains {reason}, which a browser would run or fetch when the file is opened"),
                    )
                    .with_help("export the drawing again as a plain SVG (no scripts, links or embedded HTML), or set `markdown: { unsafe_html: true }`"),
                );
            }
        }
    }
    errors
}

/// The first thing in SVG or XML markup that runs script or references another document:
/// an active element, an `on…` event attribute, a link (`href`, `src`) or `url(…)` that is not
/// a `#fragment` inside the file, an entity declaration, a style sheet or an HTML namespace.
pub fn active_markup(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for marker in [
        "<!entity",
        "<?xml-stylesheet",
        "@import",
        "http://www.w3.org/1999/xhtml",
    ] {
        if lower.contains(marker) {
            return Some(format!("`{marker}`"));
        }
    }
    if let Some(at) = lower.find("url(") {
        let target = lower[at + 4..].trim_start_matches([' ', '\'', '"']);
        if !target.starts_with('#') {
            return Some("a `url(…)` reference to another file".into());
        }
    }
    let mut rest = lower.as_str();
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        if let Some(reason) = active_tag(&rest[..end]) {
            return Some(reason);
        }
        rest = &rest[end..];
    }
    None
}

/// Checks one tag's inside (`circle r="5" onload="…"`, lower-cased).
fn active_tag(tag: &str) -> Option<String> {
    let name_end = tag
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(tag.len());
    let name = tag[..name_end].rsplit(':').next().unwrap_or("");
    if ACTIVE_ELEMENTS.contains(&name) {
        return Some(format!("a `<{name}>` element"));
    }
    let mut attributes = &tag[name_end..];
    while let Some(eq) = attributes.find('=') {
        let attribute = attributes[..eq]
            .trim_end()
            .rsplit(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '/')
            .next()
            .unwrap_or("");
        let value = attributes[eq + 1..].trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
        let (value, after) = match quote {
            Some(q) => {
                let inner = &value[1..];
                let close = inner.find(q).unwrap_or(inner.len());
                (&inner[..close], &inner[(close + 1).min(inner.len())..])
            }
            None => {
                let close = value.find(char::is_whitespace).unwrap_or(value.len());
                (&value[..close], &value[close..])
            }
        };
        let local = attribute.rsplit(':').next().unwrap_or("");
        if local.starts_with("on") {
            return Some(format!("the event attribute `{attribute}`"));
        }
        if matches!(local, "href" | "src") && !value.trim().starts_with('#') {
            return Some(format!(
                "a link to another file (`{attribute}=\"{value}\"`)"
            ));
        }
        attributes = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_drawings_pass() {
        let plain = r##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/><use xlink:href="#g"/><text>on=1 href</text></svg>"##;
        assert_eq!(active_markup(plain), None);
    }

    #[test]
    fn scripts_handlers_and_references_are_found() {
        for (svg, found) in [
            ("<svg><script>alert(1)</script></svg>", "`<script>`"),
            ("<svg><SCRIPT>alert(1)</SCRIPT></svg>", "`<script>`"),
            ("<svg><circle onload=\"x()\"/></svg>", "`onload`"),
            ("<svg><circle\nONCLICK='x()'/></svg>", "`onclick`"),
            (
                "<svg><foreignObject><div/></foreignObject></svg>",
                "`<foreignobject>`",
            ),
            (
                "<svg><image href=\"https://evil.example/x.png\"/></svg>",
                "another file",
            ),
            (
                "<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>",
                "another file",
            ),
            (
                "<svg><rect style=\"fill:url(https://x.example/a)\"/></svg>",
                "`url(…)`",
            ),
            (
                "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg>&x;</svg>",
                "<!entity",
            ),
            ("<svg><svg:script>1</svg:script></svg>", "`<script>`"),
        ] {
            let reason = active_markup(svg).unwrap_or_else(|| panic!("not found in {svg}"));
            assert!(reason.contains(found), "{svg}: {reason}");
        }
    }
}
