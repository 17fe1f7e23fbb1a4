//! Telephone numbers as Chinese offices publish them. Checking them at build time catches the
//! digit an editor dropped before a citizen dials a wrong number; knowing which are mobiles is
//! what lets a site mask volunteers' private numbers.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// What kind of number it is: decides how it is shown, dialled and masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    /// `0359-8561234`: area code and local number.
    Landline,
    /// `13800000001`: eleven digits starting with 1.
    Mobile,
    /// `12348`, `110`, `95598`, `400-123-4567`: nationwide service numbers.
    Service,
}

/// A checked number, in the form shown to readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub kind: PhoneKind,
    /// `0359-8561234`, `13800000001`, `12348`.
    pub display: String,
}

/// How a number appears in one output: the text and, when it can be dialled, its `tel:` URI.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ShownPhone {
    /// The number as shown: in full, or masked as `138****0001`.
    pub text: String,
    /// `tel:0359-8561234` for links on pages; `None` when masked (it cannot be dialled).
    pub href: Option<String>,
    /// The international form for vCards (`tel:+86-359-8561234`); `None` when masked.
    pub uri: Option<String>,
    /// Whether it is a mobile number: the numbers site.yaml's `directory.mask_mobile` masks.
    pub mobile: bool,
}

impl Phone {
    /// Checks what an editor wrote; `Err` says what was expected.
    pub fn parse(text: &str) -> Result<Phone, String> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let digits: String = compact.chars().filter(|c| *c != '-').collect();
        let only_digits_and_dashes = compact.chars().all(|c| c.is_ascii_digit() || c == '-');
        if !only_digits_and_dashes || digits.is_empty() || compact.contains("--") {
            return Err(format!("`{text}` is not a telephone number"));
        }
        if let Some(phone) = landline(&compact, &digits) {
            return Ok(phone);
        }
        if digits.len() == 11 && digits.starts_with('1') {
            let second = digits.as_bytes()[1];
            if (b'3'..=b'9').contains(&second) {
                return Ok(Phone {
                    kind: PhoneKind::Mobile,
                    display: digits,
                });
            }
        }
        if is_service(&digits) {
            return Ok(Phone {
                kind: PhoneKind::Service,
                display: compact,
            });
        }
        Err(format!(
            "`{text}` does not look like a Chinese telephone number"
        ))
    }

    /// The number as one output shows it: masked if it is a mobile and the site masks them.
    pub fn shown(&self, mask_mobile: bool) -> ShownPhone {
        if mask_mobile && self.kind == PhoneKind::Mobile {
            let d = &self.display;
            return ShownPhone {
                text: format!("{}****{}", &d[..3], &d[7..]),
                href: None,
                uri: None,
                mobile: true,
            };
        }
        let digits: String = self.display.chars().filter(char::is_ascii_digit).collect();
        let uri = match self.kind {
            PhoneKind::Landline => {
                let (area, local) = self.display.split_once('-').unwrap_or(("", ""));
                format!("tel:+86-{}-{local}", area.trim_start_matches('0'))
            }
            PhoneKind::Mobile => format!(
                "tel:+86-{}-{}-{}",
                &digits[..3],
                &digits[3..7],
                &digits[7..]
            ),
            PhoneKind::Service => format!("tel:{digits}"),
        };
        ShownPhone {
            text: self.display.clone(),
            href: Some(format!("tel:{}", self.display)),
            uri: Some(uri),
            mobile: self.kind == PhoneKind::Mobile,
        }
    }
}

/// `0359-8561234` or `03598561234`: `0`, an area code (010 and 02x have three digits, the rest
/// four), then a 7- or 8-digit local number. Shown with a dash after the area code.
fn landline(compact: &str, digits: &str) -> Option<Phone> {
    if !digits.starts_with('0') {
        return None;
    }
    let area_len = if digits.starts_with("010") || digits.starts_with("02") {
        3
    } else {
        4
    };
    let (area, local) = match compact.split_once('-') {
        Some((area, local)) if !local.contains('-') => (area, local),
        Some(_) => return None,
        None => digits.split_at(area_len.min(digits.len())),
    };
    let ok = area.len() == area_len
        && (7..=8).contains(&local.len())
        && local.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| Phone {
        kind: PhoneKind::Landline,
        display: format!("{area}-{local}"),
    })
}

/// Short nationwide numbers (`110`, `12348`, `95598`) and 400/800 hotlines.
fn is_service(digits: &str) -> bool {
    let short = (3..=5).contains(&digits.len()) && digits.starts_with('1');
    let ninety_five = (5..=6).contains(&digits.len()) && digits.starts_with("95");
    let hotline = digits.len() == 10 && (digits.starts_with("400") || digits.starts_with("800"));
    short || ninety_five || hotline
}

/// What an editor wrote after `phone:`: text, or a bare number YAML read as an integer
/// (`phone: 12348`; unquoted `03598561234` loses its leading 0 that way).
#[derive(Debug, Clone)]
pub struct PhoneText {
    pub text: String,
    pub unquoted_number: bool,
}

impl<'de> Deserialize<'de> for PhoneText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PhoneVisitor;
        impl Visitor<'_> for PhoneVisitor {
            type Value = PhoneText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a telephone number such as \"0359-8561234\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PhoneText, E> {
                Ok(PhoneText {
                    text: v.to_string(),
                    unquoted_number: false,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PhoneText, E> {
                Ok(PhoneText {
                    text: v.to_string(),
                    unquoted_number: true,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PhoneText, E> {
                Ok(PhoneText {
                    text: v.to_string(),
                    unquoted_number: true,
                })
            }
        }
        deserializer.deserialize_any(PhoneVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landlines_get_a_dash_after_the_area_code() {
        let phone = Phone::parse("0359-8561234").unwrap();
        assert_eq!(phone.kind, PhoneKind::Landline);
        assert_eq!(phone.display, "0359-8561234");
        assert_eq!(Phone::parse("03598561234").unwrap().display, "0359-8561234");
        assert_eq!(
            Phone::parse("010 12345678").unwrap().display,
            "010-12345678"
        );
        assert_eq!(Phone::parse("02112345678").unwrap().display, "021-12345678");
    }

    #[test]
    fn mobiles_and_service_numbers() {
        assert_eq!(
            Phone::parse("138 0000 0001").unwrap(),
            Phone {
                kind: PhoneKind::Mobile,
                display: "13800000001".into()
            }
        );
        for service in ["12348", "110", "95598", "400-123-4567"] {
            assert_eq!(Phone::parse(service).unwrap().kind, PhoneKind::Service);
        }
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in [
            "0359-856123", // a digit short
            "0359-85612345678",
            "359-8561234", // no leading 0
            "8561234",     // no area code
            "1380000000",  // ten-digit mobile
            "12800000001", // no such mobile prefix
            "0359-856-1234",
            "电话 12348",
            "",
            "3598561234", // an unquoted 0359… that YAML read as a number
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn mobiles_are_masked_and_undiallable_when_the_site_asks() {
        let mobile = Phone::parse("13800000001").unwrap();
        let masked = mobile.shown(true);
        assert_eq!(masked.text, "138****0001");
        assert_eq!((masked.href, masked.uri), (None, None));
        let open = mobile.shown(false);
        assert_eq!(open.href.as_deref(), Some("tel:13800000001"));
        assert_eq!(open.uri.as_deref(), Some("tel:+86-138-0000-0001"));
    }

    #[test]
    fn landlines_are_never_masked() {
        let landline = Phone::parse("0359-8561234").unwrap().shown(true);
        assert_eq!(landline.text, "0359-8561234");
        assert_eq!(landline.href.as_deref(), Some("tel:0359-8561234"));
        assert_eq!(landline.uri.as_deref(), Some("tel:+86-359-8561234"));
        let service = Phone::parse("12348").unwrap().shown(true);
        assert_eq!(service.uri.as_deref(), Some("tel:12348"));
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(256))]

        #[test]
        fn any_text_parses_or_is_refused_and_shows_only_digits(text in crate::hostile::text(40)) {
            if let Ok(phone) = Phone::parse(&text) {
                for masked in [false, true] {
                    let shown = phone.shown(masked);
                    proptest::prop_assert!(
                        shown.text.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '*'),
                        "{:?}", shown.text
                    );
                    for uri in [shown.href, shown.uri].into_iter().flatten() {
                        proptest::prop_assert!(
                            uri.starts_with("tel:") && uri[4..].chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+'),
                            "{uri}"
                        );
                    }
                }
            }
        }

        #[test]
        fn digit_strings_never_panic(text in "[0-9+ ()-]{0,30}") {
            let _ = Phone::parse(&text);
        }
    }
}
