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
    slug.trim_matches('-').to_string()
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
    fn nothing_sluggable_gives_empty() {
        assert_eq!(slugify("——"), "");
    }
}
