//! URL slugs: ASCII only, since plain URLs survive every chat app and mail client. Chinese
//! becomes toneless pinyin, one syllable per character, with ü written v as on keyboards
//! (`法律` → `fa-lv`).

use pinyin::ToPinyin;

/// Words of this field whose characters the pinyin table reads wrongly out of context (it
/// knows each character's first reading only): 调解 is tiao-jie, not diao-jie.
const PHRASES: &[(&str, &str)] = &[
    ("调解", "tiao-jie"),
    ("调处", "tiao-chu"),
    ("调委会", "tiao-wei-hui"),
    ("协调", "xie-tiao"),
    ("重庆", "chong-qing"),
    ("重新", "chong-xin"),
    ("银行", "yin-hang"),
    ("行业", "hang-ye"),
    ("长期", "chang-qi"),
    ("家长", "jia-zhang"),
    ("校长", "xiao-zhang"),
    ("会计", "kuai-ji"),
    ("单于", "chan-yu"),
];

/// `宪法宣传周` → `xian-fa-xuan-chuan-zhou`; `2024年 Report` → `2024-nian-report`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some((phrase, reading)) = PHRASES.iter().find(|(p, _)| rest.starts_with(p)) {
            push_word(&mut slug, reading);
            pending_dash = true;
            rest = &rest[phrase.len()..];
            continue;
        }
        if let Some(py) = c.to_pinyin() {
            push_word(&mut slug, &py.plain().replace('ü', "v"));
            pending_dash = true;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            if pending_dash && !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
        rest = &rest[c.len_utf8()..];
    }
    bounded(slug.trim_matches('-'))
}

/// The longest slug, in bytes: well under the 255 bytes a file name may have, so that a
/// long title, tag or region still becomes a folder (80 Chinese characters are ~320 bytes
/// of pinyin).
pub const MAX_SLUG: usize = 80;

/// A slug cut to [`MAX_SLUG`] bytes, at a `-` where there is one, ending with 8 hex digits
/// of the whole slug's hash so that two long names sharing a start stay two URLs.
fn bounded(slug: &str) -> String {
    if slug.len() <= MAX_SLUG {
        return slug.to_string();
    }
    let hash = blake3::hash(slug.as_bytes()).to_hex();
    let keep = MAX_SLUG - 9;
    let cut = match slug[..keep].rfind('-') {
        Some(dash) if dash >= keep / 2 => dash,
        _ => keep,
    };
    format!(
        "{}-{}",
        slug[..cut].trim_end_matches('-'),
        &hash.as_str()[..8]
    )
}

fn push_word(slug: &mut String, word: &str) {
    if !slug.is_empty() && !slug.ends_with('-') {
        slug.push('-');
    }
    slug.push_str(word);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_becomes_toneless_pinyin() {
        assert_eq!(slugify("宪法宣传周"), "xian-fa-xuan-chuan-zhou");
    }

    #[test]
    fn ascii_is_kept_and_punctuation_collapses() {
        assert_eq!(slugify("01-minors-center"), "01-minors-center");
        assert_eq!(slugify("Legal Aid (2024)"), "legal-aid-2024");
        assert_eq!(slugify("2024年度报告"), "2024-nian-du-bao-gao");
        assert_eq!(slugify("《民法典》宣传"), "min-fa-dian-xuan-chuan");
        assert_eq!(slugify("法律援助"), "fa-lv-yuan-zhu");
        assert_eq!(slugify("人民调解"), "ren-min-tiao-jie");
        assert_eq!(slugify("重庆银行"), "chong-qing-yin-hang");
        assert_eq!(slugify("snake_case"), "snake_case");
    }

    #[test]
    fn long_slugs_are_cut_with_a_hash() {
        let long = slugify(&"宪".repeat(80));
        assert!(long.len() <= MAX_SLUG, "{long}");
        assert!(long.starts_with("xian-xian-"), "{long}");
        assert!(!long.contains("--"), "{long}");
        let a = slugify(&"a".repeat(300));
        let b = slugify(&format!("{}b", "a".repeat(300)));
        assert_ne!(a, b);
        assert_eq!(a.len(), MAX_SLUG);
        assert_eq!(slugify(&"b".repeat(MAX_SLUG)), "b".repeat(MAX_SLUG));
    }

    #[test]
    fn nothing_sluggable_gives_empty() {
        assert_eq!(slugify("——"), "");
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(256))]

        #[test]
        fn any_text_gives_a_short_ascii_slug(text in crate::hostile::text(200)) {
            let slug = slugify(&text);
            proptest::prop_assert!(slug.len() <= MAX_SLUG, "{slug}");
            proptest::prop_assert!(
                slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'),
                "{slug:?}"
            );
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug}");
            proptest::prop_assert_eq!(slugify(&text), slug);
        }
    }
}
