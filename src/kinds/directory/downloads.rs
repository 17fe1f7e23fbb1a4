//! The downloads beside each directory: CSV for Excel, JSON for programs, vCard for phones.
//! Each goes through [`DirectoryEntry::phone`], so private and masked numbers are handled the
//! same way as on the pages.

use serde::Serialize;

use super::model::{Directory, DirectoryEntry, GeoPoint};
use crate::config::Config;
use crate::render::views::permalink;

/// The list separator inside one CSV cell or vCard note, as Chinese text writes lists.
const LIST_SEPARATOR: &str = "、";

/// RFC 4180 CSV with a UTF-8 BOM (without it, Excel on Chinese Windows reads GBK and shows
/// mojibake) and CRLF line ends.
pub fn csv(directory: &Directory, config: &Config) -> Vec<u8> {
    let mut out = String::with_capacity(64 + directory.entries.len() * 200);
    out.push('\u{feff}');
    let header = [
        "编号",
        "名称",
        "类别",
        "乡镇",
        "所在地",
        "服务对象",
        "地址",
        "电话",
        "办公时间",
        "服务事项",
        "纬度",
        "经度",
    ];
    push_csv_row(&mut out, header.iter().map(|h| h.to_string()));
    for entry in &directory.entries {
        let (lat, lon) = entry.location.map_or((String::new(), String::new()), |g| {
            (g.lat.to_string(), g.lon.to_string())
        });
        push_csv_row(
            &mut out,
            [
                entry.id.clone(),
                entry.name.clone(),
                entry.role.clone(),
                entry.region.clone(),
                entry.place.clone(),
                entry.serves.join(LIST_SEPARATOR),
                entry.address.clone(),
                entry.phone(config).map(|p| p.text).unwrap_or_default(),
                entry.hours.clone(),
                entry.services.join(LIST_SEPARATOR),
                lat,
                lon,
            ]
            .into_iter(),
        );
    }
    out.into_bytes()
}

/// One CSV row of `cells`, each quoted and guarded by [`csv_cell`], ended by CRLF.
pub(crate) fn push_csv_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}

/// Quotes a cell when RFC 4180 requires it. A cell Excel would run as a formula (`=`, `+`,
/// `-`, `@` first) gets a leading `'`, the usual guard against CSV injection.
pub(crate) fn csv_cell(cell: &str) -> String {
    let guarded = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[derive(Serialize)]
struct JsonDirectory<'a> {
    title: &'a str,
    summary: &'a str,
    url: String,
    entries: Vec<JsonEntry<'a>>,
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    role: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    region: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    place: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    serves: &'a [String],
    #[serde(skip_serializing_if = "str::is_empty")]
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    hours: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<GeoPoint>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    services: &'a [String],
}

/// The directory as JSON, with each entry's full URL for programs that link back.
pub fn json(directory: &Directory, page_path: &str, config: &Config) -> Vec<u8> {
    let document = JsonDirectory {
        title: &directory.title,
        summary: &directory.summary,
        url: permalink(config, page_path),
        entries: directory
            .entries
            .iter()
            .map(|entry| JsonEntry {
                id: &entry.id,
                name: &entry.name,
                url: permalink(config, &format!("{page_path}#{}", entry.id)),
                role: &entry.role,
                region: &entry.region,
                place: &entry.place,
                serves: &entry.serves,
                address: &entry.address,
                phone: entry.phone(config).map(|p| p.text),
                hours: &entry.hours,
                location: entry.location,
                services: &entry.services,
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// vCard 4.0 (RFC 6350), one card per entry, so a phone can import the whole directory.
/// A masked mobile is left out of the card: a TEL that cannot be dialled is no use in a
/// phone's address book.
pub fn vcard(directory: &Directory, page_path: &str, config: &Config) -> Vec<u8> {
    let mut out = String::with_capacity(directory.entries.len() * 300);
    for entry in &directory.entries {
        push_card(&mut out, directory, entry, page_path, config);
    }
    out.into_bytes()
}

fn push_card(
    out: &mut String,
    directory: &Directory,
    entry: &DirectoryEntry,
    page_path: &str,
    config: &Config,
) {
    let url = permalink(config, &format!("{page_path}#{}", entry.id));
    let mut line = |text: String| push_folded(out, &text);
    line("BEGIN:VCARD".into());
    line("VERSION:4.0".into());
    line(format!("UID:{url}"));
    line(format!("FN:{}", escape(&entry.name)));
    line(format!("N:{};;;;", escape(&entry.name)));
    if !entry.place.is_empty() {
        line(format!("ORG:{}", escape(&entry.place)));
    }
    if !entry.role.is_empty() {
        line(format!("TITLE:{}", escape(&entry.role)));
    }
    if let Some(phone) = entry.phone(config)
        && let Some(uri) = phone.uri
    {
        let kind = if phone.mobile { "cell" } else { "voice" };
        line(format!("TEL;VALUE=uri;TYPE=work,{kind}:{uri}"));
    }
    if !entry.address.is_empty() {
        line(format!("ADR;TYPE=work:;;{};;;;", escape(&entry.address)));
    }
    if let Some(GeoPoint { lat, lon }) = entry.location {
        line(format!("GEO:geo:{lat},{lon}"));
    }
    if let Some(note) = note(entry) {
        line(format!("NOTE:{}", escape(&note)));
    }
    line(format!("CATEGORIES:{}", escape(&directory.title)));
    line(format!("URL:{url}"));
    line("END:VCARD".into());
}

/// What a phone's contact card has no field for: region, hours, services, whom it serves.
fn note(entry: &DirectoryEntry) -> Option<String> {
    let parts: Vec<String> = [
        ("乡镇", entry.region.clone()),
        ("服务对象", entry.serves.join(LIST_SEPARATOR)),
        ("服务事项", entry.services.join(LIST_SEPARATOR)),
        ("办公时间", entry.hours.clone()),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(label, value)| format!("{label}：{value}"))
    .collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// RFC 6350 §3.4 text escaping: backslash, comma, semicolon and newline; other control
/// characters are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            // RFC 6350 values hold no control characters (ESC, BEL, CR…): phones reject the card.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded (RFC 6350 §3.2) so no line exceeds 75 octets: CRLF and a
/// space before each continuation, never inside a UTF-8 character.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("水头司法所"), "水头司法所");
        assert_eq!(csv_cell("周一, 周二"), "\"周一, 周二\"");
        assert_eq!(csv_cell("说\"法\""), "\"说\"\"法\"\"\"");
        assert_eq!(csv_cell("a\nb"), "\"a\nb\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
    }

    #[test]
    fn vcard_text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape("人民调解、法律咨询"), "人民调解、法律咨询");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let line = format!("NOTE:{}", "法".repeat(60));
        let mut out = String::new();
        push_folded(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        assert!(out.ends_with("\r\n"));
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn short_lines_are_not_folded() {
        let mut out = String::new();
        push_folded(&mut out, "FN:水头司法所");
        assert_eq!(out, "FN:水头司法所\r\n");
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(256))]

        /// A row of hostile cells reads back, through a real CSV parser, as the same cells,
        /// with no cell starting like an Excel formula.
        #[test]
        fn csv_rows_read_back_without_formulas(cells in proptest::collection::vec(crate::hostile::text(30), 1..6)) {
            // A first cell of our own: a lone empty cell is a blank line, and the reader drops
            // a BOM at the start of the file.
            let mut out = String::new();
            push_csv_row(&mut out, std::iter::once("编号".to_string()).chain(cells.iter().cloned()));
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_bytes());
            let record = reader.records().next().expect("one row").expect("valid CSV");
            proptest::prop_assert_eq!(record.len(), cells.len() + 1);
            for (read, written) in record.iter().skip(1).zip(&cells) {
                proptest::prop_assert!(!read.starts_with(['=', '+', '-', '@', '\t', '\r']), "{read:?}");
                proptest::prop_assert!(read == written || read.strip_prefix('\'') == Some(written.as_str()), "{read:?} vs {written:?}");
            }
        }

        /// vCard text values have every separator escaped and no raw line break, and folded
        /// lines are at most 75 octets and unfold to the original.
        #[test]
        fn vcard_values_are_escaped_and_folded(text in crate::hostile::text(120)) {
            let value = escape(&text);
            proptest::prop_assert!(!value.chars().any(|c| c.is_control() && c != '\t'), "{value:?}");
            let mut backslashes = 0;
            for c in value.chars() {
                if matches!(c, ',' | ';') {
                    proptest::prop_assert!(backslashes % 2 == 1, "unescaped {c:?} in {value:?}");
                }
                backslashes = if c == '\\' { backslashes + 1 } else { 0 };
            }
            let line = format!("NOTE:{value}");
            let mut out = String::new();
            push_folded(&mut out, &line);
            for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
                proptest::prop_assert!(physical.len() <= 75, "{physical:?}");
            }
            proptest::prop_assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }
}
