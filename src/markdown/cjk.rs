//! Chinese typography passes. CommonMark was designed for space-separated languages: a line
//! break inside a paragraph becomes a space (wrong between two Chinese characters), and `**`
//! next to full-width punctuation is not recognised as emphasis (`**注意：**正文`).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Spanned;
use crate::text::is_cjk;

/// Merges runs of adjacent text events so later passes see a paragraph's text whole.
pub fn merge_text(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let mut out: Vec<Spanned> = Vec::with_capacity(events.len());
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
        {
            let mut joined = prev.to_string();
            joined.push_str(next);
            *prev = CowStr::from(joined);
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    out
}

/// Drops a soft line break next to a CJK character instead of rendering it as a space.
pub fn join_soft_breaks(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let mut keep = vec![true; events.len()];
    for (i, (event, _)) in events.iter().enumerate() {
        if !matches!(event, Event::SoftBreak) {
            continue;
        }
        let before = events[..i]
            .iter()
            .rev()
            .find_map(|(e, _)| edge_char(e, true));
        let after = events[i + 1..]
            .iter()
            .find_map(|(e, _)| edge_char(e, false));
        // Between two Chinese characters, or Chinese and a digit or Latin word ("其中\n2人"),
        // the break is only where the editor's line ended: Chinese puts no space there.
        let joins = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
        if (before.is_some_and(is_cjk) || after.is_some_and(is_cjk))
            && joins(before)
            && joins(after)
        {
            keep[i] = false;
        }
    }
    let mut keep = keep.into_iter();
    events
        .into_iter()
        .filter(|_| keep.next().unwrap_or(true))
        .collect()
}

/// The last (or first) character of a text-bearing event; inline tags are looked through.
fn edge_char(event: &Event, last: bool) -> Option<char> {
    match event {
        Event::Text(t) | Event::Code(t) => {
            if last {
                t.chars().next_back()
            } else {
                t.chars().next()
            }
        }
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
        | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => {
            None
        }
        _ => Some(' '),
    }
}

/// Turns `**…**` left as literal text (CommonMark's flanking rules next to full-width
/// punctuation) into strong emphasis. Returns the offsets of markers it could not pair.
pub fn repair_strong(events: Vec<Spanned<'_>>) -> (Vec<Spanned<'_>>, Vec<usize>) {
    let mut out = Vec::with_capacity(events.len());
    let mut unpaired = Vec::new();
    let mut in_code = false;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code && text.contains("**") => {
                let pieces: Vec<&str> = text.split("**").collect();
                let pairs = (pieces.len() - 1) / 2;
                for (i, piece) in pieces.iter().enumerate() {
                    if i > 0 && i <= pairs * 2 {
                        let tag = if i % 2 == 1 {
                            Event::Start(Tag::Strong)
                        } else {
                            Event::End(TagEnd::Strong)
                        };
                        out.push((tag, range.clone()));
                    } else if i > 0 {
                        out.push((Event::Text("**".into()), range.clone()));
                        unpaired.push(range.start);
                    }
                    if !piece.is_empty() {
                        out.push((Event::Text(CowStr::from(piece.to_string())), range.clone()));
                    }
                }
                continue;
            }
            _ => {}
        }
        out.push((event, range));
    }
    (out, unpaired)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{html_of, parse};
    use super::*;

    #[test]
    fn soft_break_between_chinese_characters_disappears() {
        let events = join_soft_breaks(merge_text(parse("依法治县\n工作要点")));
        assert_eq!(html_of(events), "<p>依法治县工作要点</p>\n");
    }

    #[test]
    fn soft_break_between_chinese_and_a_digit_disappears() {
        let events = join_soft_breaks(merge_text(parse("其中\n2人获奖，共\n36件")));
        assert_eq!(html_of(events), "<p>其中2人获奖，共36件</p>\n");
    }

    #[test]
    fn soft_break_between_latin_words_stays() {
        let events = join_soft_breaks(merge_text(parse("legal\naid")));
        assert_eq!(html_of(events), "<p>legal\naid</p>\n");
    }

    #[test]
    fn soft_break_after_emphasised_chinese_disappears() {
        let events = join_soft_breaks(merge_text(parse("**注意**\n正文")));
        assert_eq!(html_of(events), "<p><strong>注意</strong>正文</p>\n");
    }

    #[test]
    fn strong_beside_fullwidth_punctuation_is_repaired() {
        let (events, unpaired) = repair_strong(merge_text(parse("**注意：**正文")));
        assert!(unpaired.is_empty());
        assert_eq!(html_of(events), "<p><strong>注意：</strong>正文</p>\n");
    }

    #[test]
    fn a_lone_marker_is_reported_not_guessed() {
        let (events, unpaired) = repair_strong(merge_text(parse("费用：**免费")));
        assert_eq!(unpaired.len(), 1);
        assert_eq!(html_of(events), "<p>费用：**免费</p>\n");
    }

    #[test]
    fn code_is_left_alone() {
        let (events, _) = repair_strong(merge_text(parse("```\n**a：**b\n```")));
        assert!(html_of(events).contains("**a：**b"));
    }
}
