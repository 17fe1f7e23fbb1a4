//! The front-matter keys pufa's core gives a meaning to. A leaf: the content model checks pages
//! against these lists, and the configuration refuses a taxonomy named like one of them.

/// Keys every page and section index takes.
pub const PAGE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "draft",
    "publish",
    "slug",
    "summary",
    "weight",
    "aliases",
    "image",
    "image_alt",
];

/// Keys only a section's `_index.md` takes.
pub const SECTION_KEYS: &[&str] = &["kind", "sort_by", "paginate"];

/// Whether `key` already means something, so it cannot name a taxonomy.
pub fn is_reserved_key(key: &str) -> bool {
    PAGE_KEYS.contains(&key) || SECTION_KEYS.contains(&key)
}
