//! URL slugs: ASCII only, since plain URLs survive every chat app and mail client. Chinese
//! becomes toneless pinyin, one syllable per character, with ü written v as on keyboards
//! (`法律` → `fa-lv`).

use pinyin::ToPinyin;

/// `宪法宣传周` → `xian-fa-xuan-chuan-zhou`; `2024年 Report` → `2024-nian-report`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    let push_word = |slug: &mut String, word: &str, dash_before: bool| {
        if dash_before && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        slug.push_str(word);
    };
    for (c, py) in text.chars().zip(text.to_pinyin()) {
        if let Some(py) = py {
            push_word(&mut slug, &py.plain().replace('ü', "v"), true);
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
    }
    slug.trim_matches('-').to_string()
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
        assert_eq!(slugify("snake_case"), "snake_case");
    }

    #[test]
    fn nothing_sluggable_gives_empty() {
        assert_eq!(slugify("——"), "");
    }
}
