//! Heading ids. An id keeps the heading's own words, Chinese included, minus punctuation
//! (`## 一、主要举措` → `一主要举措`), so editors can link `page.md#一主要举措` and read it.
//! `{#id}` written by the editor wins; every id is unique within the page.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Spanned;

/// A heading as the table of contents and link checks see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 2 to 6: `#` in the body becomes 2, because the page title is the only `<h1>`.
    pub level: u8,
    /// The `id` attribute, unique within the page, for `#fragment` links.
    pub id: String,
    /// The heading's plain text, for the table of contents.
    pub title: String,
    /// Byte offset in the Markdown, for diagnostics.
    pub offset: usize,
}

/// The id a heading's text gets before de-duplication.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            id.extend(c.to_lowercase());
        } else if c.is_whitespace() && !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() { "section".into() } else { id }
}

/// Gives every heading an id, demotes `#` headings in the body to level 2 (the page title is
/// the page's only `<h1>`), and returns the headings. Duplicate explicit ids are returned too.
pub fn assign_ids(
    mut events: Vec<Spanned<'_>>,
) -> (Vec<Spanned<'_>>, Vec<Heading>, Vec<(String, usize)>) {
    let explicit: Vec<String> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut ids = Ids {
        reserved: explicit.iter().map(String::as_str).collect(),
        ..Ids::default()
    };
    let mut duplicates = Vec::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = (*level).max(HeadingLevel::H2);
            let start = i;
            let mut title = String::new();
            while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[i].0 {
                    title.push_str(t);
                }
                i += 1;
            }
            let id = match id {
                Some(id) => {
                    if !ids.used.insert(id.to_string()) {
                        duplicates.push((id.to_string(), events[start].1.start));
                    }
                    id.to_string()
                }
                None => ids.unique(heading_id(&title)),
            };
            if let (
                Event::Start(Tag::Heading {
                    level: l, id: slot, ..
                }),
                _,
            ) = &mut events[start]
            {
                *l = level;
                *slot = Some(CowStr::from(id.clone()));
            }
            if let Some((Event::End(TagEnd::Heading(l)), _)) = events.get_mut(i) {
                *l = level;
            }
            headings.push(Heading {
                level: level as u8,
                id,
                title: title.trim().to_string(),
                offset: events[start].1.start,
            });
        }
        i += 1;
    }
    (events, headings, duplicates)
}

/// Hands out unique ids in time linear in the number of headings: for each base it
/// remembers the last suffix tried, so 20,000 headings called 步骤 take 20,000 steps, not
/// 200 million.
#[derive(Default)]
struct Ids<'a> {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    reserved: HashSet<&'a str>,
    /// How many candidates were tried, for the test that keeps this linear.
    #[cfg(test)]
    tried: usize,
}

impl Ids<'_> {
    fn unique(&mut self, base: String) -> String {
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(0);
        let mut candidate = base.clone();
        if n > 0 {
            candidate = format!("{base}-{n}");
        }
        loop {
            #[cfg(test)]
            {
                self.tried += 1;
            }
            if !self.used.contains(&candidate) && !self.reserved.contains(candidate.as_str()) {
                break;
            }
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.next_suffix.insert(base, n + 1);
        self.used.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{html_of, parse};
    use super::*;

    #[test]
    fn ids_keep_chinese_and_drop_punctuation() {
        assert_eq!(heading_id("一、主要举措"), "一主要举措");
        assert_eq!(heading_id("（一）统筹依法治县"), "一统筹依法治县");
        assert_eq!(heading_id("Legal Aid: How?"), "legal-aid-how");
        assert_eq!(heading_id("？！"), "section");
    }

    #[test]
    fn ids_are_unique_and_explicit_ids_win() {
        let (events, headings, dups) =
            assign_ids(parse("## 步骤\n\n## 步骤\n\n## 其他 {#步骤-1}\n"));
        let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["步骤", "步骤-2", "步骤-1"]);
        assert!(dups.is_empty());
        assert!(html_of(events).contains("<h2 id=\"步骤-2\">步骤</h2>"));
    }

    #[test]
    fn de_duplication_is_linear() {
        let mut ids = Ids::default();
        for _ in 0..5_000 {
            ids.unique("步骤".into());
        }
        for n in 1..1_000 {
            ids.unique(format!("a-{n}"));
        }
        for _ in 0..2_000 {
            ids.unique("a".into());
        }
        assert_eq!(ids.used.len(), 5_000 + 999 + 2_000);
        assert!(ids.used.contains("步骤-4999") && ids.used.contains("a-2998"));
        assert!(ids.tried < 3 * 8_000, "{} candidates tried", ids.tried);
    }

    #[test]
    fn suffixes_skip_ids_written_as_text() {
        let (_, headings, _) = assign_ids(parse("## a\n\n## a-1\n\n## a\n\n## a\n"));
        let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3"]);
    }

    #[test]
    fn body_h1_becomes_h2() {
        let (events, headings, _) = assign_ids(parse("# 标题\n"));
        assert_eq!(headings[0].level, 2);
        assert_eq!(html_of(events), "<h2 id=\"标题\">标题</h2>\n");
    }

    #[test]
    fn duplicate_explicit_ids_are_reported() {
        let (_, _, dups) = assign_ids(parse("## a {#x}\n\n## b {#x}\n"));
        assert_eq!(dups.len(), 1);
    }
}
