//! Markdown to HTML as a chain of small passes over pulldown-cmark's event stream, each one
//! tested alone: raw HTML, Chinese typography, heading ids, links and images.

pub mod anchors;
pub mod cjk;
pub mod html;
pub mod images;
pub mod links;
pub mod toc;

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;
use crate::images::Responsive;
use anchors::Heading;
use links::{LinkReport, LinkTargets, PagePlace};
use toc::TocEntry;

/// An event with the byte range of the Markdown it came from.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// A page's body, rendered.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The body's HTML, ready for a template's `{{ page.content | safe }}`.
    pub html: String,
    /// Every heading with its id, in order, for anchor checks.
    pub headings: Vec<Heading>,
    /// The headings nested into a table of contents, as `page.toc` gives templates.
    pub toc: Vec<TocEntry>,
    /// The first paragraph as plain text, for lists and `<meta name="description">`.
    pub first_paragraph: String,
    /// What the links pass found: anchors to check, pages linked to, problems.
    pub links: LinkReport,
    /// The processed images the body shows, in order.
    pub images: Vec<Arc<Responsive>>,
    /// The front matter's `image:`, when pufa processes it (set by the build, not this pass).
    pub image: Option<Arc<Responsive>>,
}

fn options() -> Options {
    // No smart punctuation: it curls "你好" into “你好“.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `place.text[place.body_start..]`. Problems found on the way are in `links.diagnostics`.
pub fn render(place: &PagePlace, targets: &LinkTargets) -> Rendered {
    let body = &place.text[place.body_start..];
    let events: Vec<Spanned> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let events = if targets.unsafe_html {
        events
    } else {
        html::escape_raw_html(events)
    };
    let events = cjk::merge_text(cjk::join_soft_breaks(events));
    let (events, unpaired) = cjk::repair_strong(events);
    let (events, headings, duplicate_ids) = anchors::assign_ids(events);
    let (events, images) = images::responsive(events, place, targets);
    let (events, mut links) = links::resolve(events, place, targets);
    links.diagnostics.extend(images.diagnostics);
    for offset in unpaired {
        links.diagnostics.push(
            Diagnostic::warning(
                "cjk-emphasis",
                place.file,
                "`**` here is shown as two asterisks, not as bold",
            )
            .at_offset(place.text, place.body_start + offset)
            .with_help("pair it with a closing `**` in the same paragraph, e.g. **注意：**正文"),
        );
    }
    for (id, offset) in duplicate_ids {
        links.diagnostics.push(
            Diagnostic::error(
                "duplicate-id",
                place.file,
                format!("two headings have the id `{id}`"),
            )
            .at_offset(place.text, place.body_start + offset)
            .with_help("give one of them another {#id}"),
        );
    }
    let first_paragraph = first_paragraph(&events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    let html = without_style_attributes(html);
    Rendered {
        html,
        toc: toc::build(&headings),
        headings,
        first_paragraph,
        links,
        images: images.shown,
        image: None,
    }
}

/// pulldown-cmark aligns table cells with `style="text-align: …"`, which a strict
/// Content-Security-Policy (`default-src 'self'`) blocks; the theme styles these classes instead.
fn without_style_attributes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

fn first_paragraph(events: &[Spanned]) -> String {
    let mut text = String::new();
    let mut inside = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(t),
            Event::SoftBreak if inside => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn parse(markdown: &str) -> Vec<Spanned<'_>> {
        Parser::new_ext(markdown, options())
            .into_offset_iter()
            .collect()
    }

    pub fn html_of(events: Vec<Spanned<'_>>) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        html
    }

    #[test]
    fn the_whole_chain_renders_a_chinese_page() {
        let text = "---\ntitle: x\n---\n## 一、主要举措\n\n依法治县\n工作。**注意：**见[下文](#一主要举措)。\n\n<script>x</script>\n";
        let empty = Default::default();
        let excluded = Default::default();
        let assets = Default::default();
        let targets = LinkTargets {
            pages: &empty,
            excluded: &excluded,
            assets: &assets,
            base_path: "/",
            unsafe_html: false,
            images: None,
        };
        let place = PagePlace {
            file: "content/a.md",
            text,
            body_start: 16,
            dir: "",
        };
        let rendered = render(&place, &targets);
        assert!(
            rendered
                .html
                .contains("<h2 id=\"一主要举措\">一、主要举措</h2>"),
            "{}",
            rendered.html
        );
        assert!(
            rendered
                .html
                .contains("依法治县工作。<strong>注意：</strong>见"),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains("&lt;script&gt;"));
        assert_eq!(rendered.first_paragraph, "依法治县工作。注意：见下文。");
        assert_eq!(rendered.links.anchors[0].anchor, "一主要举措");
        assert_eq!(rendered.toc[0].id, "一主要举措");
    }

    #[test]
    fn footnotes_tables_and_task_lists_are_on() {
        let html = html_of(parse(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] 已办\n\n注[^1]\n\n[^1]: 说明\n",
        ));
        assert!(html.contains("<table>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("footnote-reference"));
    }

    #[test]
    fn table_alignment_uses_classes_not_inline_styles() {
        let html = without_style_attributes(html_of(parse("| a | b |\n|:-:|--:|\n| 1 | 2 |\n")));
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("<th class=\"align-center\">a</th>"), "{html}");
        assert!(html.contains("<td class=\"align-right\">2</td>"), "{html}");
    }

    /// Elements the Markdown passes may write; anything else in the output came from input.
    const WRITTEN_TAGS: &[&str] = &[
        "p",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
        "input",
        "sup",
        "div",
        "img",
        "section",
        "span",
        "dl",
        "dt",
        "dd",
    ];

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(192))]

        /// With `unsafe_html: false`, any body renders with only the elements the passes write,
        /// no event attribute and no script link, and every pass runs without panicking.
        #[test]
        fn any_markdown_renders_only_safe_markup(body in crate::hostile::text(160)) {
            let text = format!("---\ntitle: x\n---\n{body}");
            let (empty, excluded, assets) = (Default::default(), Default::default(), Default::default());
            let targets = LinkTargets { pages: &empty, excluded: &excluded, assets: &assets, base_path: "/", unsafe_html: false, images: None };
            let place = PagePlace { file: "content/a.md", text: &text, body_start: 16, dir: "" };
            let rendered = render(&place, &targets);
            let html = &rendered.html;
            for (at, _) in html.match_indices('<') {
                let rest = &html[at + 1..];
                let name: String = rest.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                proptest::prop_assert!(WRITTEN_TAGS.contains(&name.as_str()), "<{name} in {html}");
                let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
                proptest::prop_assert!(!tag.split_whitespace().skip(1).any(|a| a.to_ascii_lowercase().starts_with("on")), "{tag}");
                proptest::prop_assert!(!tag.to_ascii_lowercase().contains("javascript:"), "{tag}");
            }
            for heading in &rendered.headings {
                proptest::prop_assert!(!heading.id.is_empty() && !heading.id.contains(['"', '<', '>', ' ']), "{:?}", heading.id);
            }
        }
    }
}
