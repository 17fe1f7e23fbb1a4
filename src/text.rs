//! Text utilities that need nothing of the site: decoding the files editors write (UTF-8
//! only; a BOM and CRLF line endings accepted) and the character classes of Chinese text.

use crate::diagnostics::Diagnostic;

/// Han characters, CJK and full-width punctuation: text written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// Decodes a file editors wrote. A UTF-8 BOM is dropped and CRLF (or a lone CR, as old Mac
/// editors write) becomes LF, so offsets and line numbers are the same on every platform and
/// for every parser (YAML and CommonMark count a lone CR as a line break, `str::lines` does not). Invalid UTF-8 names the first bad byte's place.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains('\r') => Ok(text.replace("\r\n", "\n").replace('\r', "\n")),
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(bytes);
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            Err(Diagnostic::error(
                "invalid-utf8",
                file,
                format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[e.valid_up_to()]),
            )
            .at(&text, line, column)
            .with_help("save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8; GBK/GB2312 is not accepted)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = decode_text("a.md", b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n").unwrap();
        assert_eq!(text, "---\ntitle: x\n---\n");
        assert_eq!(decode_text("a.md", b"a\rb\r\nc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode_text("a.md", b"ok\n\xe6\xb3\x95\xff").unwrap_err();
        assert_eq!(err.code, "invalid-utf8");
        assert_eq!((err.line, err.column), (Some(2), Some(2)));
        assert!(err.message.contains("0xFF"));
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(256))]

        /// Arbitrary bytes (lone surrogates, GBK, truncated characters) decode or give an
        /// error naming the file and a position that exists.
        #[test]
        fn any_bytes_decode_or_name_their_place(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            match decode_text("a.md", &bytes) {
                Ok(text) => proptest::prop_assert!(!text.contains('\r')),
                Err(d) => {
                    proptest::prop_assert_eq!(d.file.as_str(), "a.md");
                    proptest::prop_assert!(d.line.is_some() && d.column.is_some());
                    let _ = d.render();
                }
            }
        }
    }
}
