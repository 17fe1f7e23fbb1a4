//! The table of contents handed to templates: headings nested by level.

use serde::Serialize;

use super::anchors::Heading;

#[derive(Debug, Clone, Serialize, PartialEq)]
/// One heading of a page's table of contents, as templates see it in `page.toc`: render `children`
/// recursively for a nested 目录.
pub struct TocEntry {
    /// The heading level, 2 to 6.
    pub level: u8,
    /// The heading's `id`, for `href="#{{ entry.id }}"`.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// The headings under this one, each of a greater level, in order.
    pub children: Vec<TocEntry>,
}

/// Nests headings: each one goes under the nearest earlier heading of a smaller level.
pub fn build(headings: &[Heading]) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for heading in headings {
        let entry = TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.title.clone(),
            children: Vec::new(),
        };
        insert(&mut roots, entry);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.into(),
            offset: 0,
        }
    }

    #[test]
    fn headings_nest_by_level() {
        let toc = build(&[
            h(2, "一"),
            h(3, "一-1"),
            h(4, "1"),
            h(3, "一-2"),
            h(2, "二"),
        ]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[0].children[0].children[0].id, "1");
        assert!(toc[1].children.is_empty());
    }
}
