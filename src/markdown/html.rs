//! Raw HTML in Markdown is shown as text unless the site opts in (`markdown.unsafe_html`):
//! editors paste from Word and web pages, and a `<script>` must never reach citizens.

use pulldown_cmark::{CowStr, Event};

use super::Spanned;

/// Turns every raw HTML block and inline tag into text, so it is shown escaped; used unless the
/// site sets `markdown.unsafe_html`.
pub fn escape_raw_html(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    events
        .into_iter()
        .map(|(event, range)| match event {
            Event::Html(html) | Event::InlineHtml(html) => (Event::Text(html), range),
            other => (other, range),
        })
        .collect()
}

/// Schemes that run code when clicked.
pub fn is_script_url(url: &CowStr) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|s| lower.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{html_of, parse};
    use super::*;

    #[test]
    fn script_tags_become_text() {
        let html = html_of(escape_raw_html(parse(
            "<script>alert(1)</script>\n\n文字<b onclick=x>粗</b>",
        )));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_urls_are_recognised() {
        assert!(is_script_url(&" JavaScript:alert(1)".into()));
        assert!(!is_script_url(&"https://example.org".into()));
    }
}
