//! XML text escaping, shared by every XML pufa writes: the Atom feeds, the sitemap, SVG charts
//! and maps, and the served error page. A leaf: it needs nothing of the site.

/// Escapes text for XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 allows the character at all (§2.2): C0 controls but tab and line ends,
/// and the non-characters U+FFFE and U+FFFF, make a feed or an SVG unreadable.
pub fn is_xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(256))]

        #[test]
        fn escaped_text_is_well_formed_xml_and_reads_back(text in crate::hostile::text(120)) {
            let escaped = escape(&text);
            let doc = format!("<a t=\"{escaped}\" u='{escaped}'>{escaped}</a>");
            let parsed = roxmltree::Document::parse(&doc);
            proptest::prop_assert!(parsed.is_ok(), "{doc:?}: {parsed:?}");
            let parsed = parsed.unwrap();
            let kept: String = text.chars().filter(|c| is_xml_char(*c)).collect();
            let normalise = |t: &str| t.replace("\r\n", "\n").replace('\r', "\n");
            proptest::prop_assert_eq!(normalise(parsed.root_element().text().unwrap_or("")), normalise(&kept));
            proptest::prop_assert!(!escaped.contains(['<', '"']));
        }
    }
}
