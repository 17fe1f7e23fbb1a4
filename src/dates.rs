//! Dates in front matter: `2025-02-19` (midnight in Asia/Shanghai) or RFC 3339.
//! China has used UTC+8 all year since 1991, so a fixed offset is exact and needs no tz database.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

fn china() -> TimeZone {
    TimeZone::fixed(Offset::constant(8))
}

/// Parses a front-matter date, or says what form is expected.
pub fn parse_date(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    match text.parse::<Date>() {
        Ok(date) => date
            .to_zoned_datetime(china())
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string()),
        Err(e) if text.len() == 10 && text.as_bytes()[4] == b'-' => {
            Err(format!("`{text}` is not a real date ({e})"))
        }
        Err(_) => Err(format!("`{text}` is not a date")),
    }
}

/// `2025-02-19`, in China's time.
pub fn ymd(ts: Timestamp) -> String {
    ts.to_zoned_datetime(china())
        .strftime("%Y-%m-%d")
        .to_string()
}

/// `2025年2月19日`, as Chinese government pages write dates.
pub fn ymd_zh(ts: Timestamp) -> String {
    ts.to_zoned_datetime(china())
        .strftime("%Y年%-m月%-d日")
        .to_string()
}

/// `2025-02-19T00:00:00+08:00`, for feeds and sitemaps.
pub fn rfc3339(ts: Timestamp) -> String {
    ts.to_zoned_datetime(china())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The publication year, for archives.
pub fn year(ts: Timestamp) -> i16 {
    ts.to_zoned_datetime(china()).year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_date_is_midnight_in_china() {
        let ts = parse_date("2025-02-19").unwrap();
        assert_eq!(rfc3339(ts), "2025-02-19T00:00:00+08:00");
        assert_eq!(ts.to_string(), "2025-02-18T16:00:00Z");
        assert_eq!(ymd_zh(ts), "2025年2月19日");
    }

    #[test]
    fn rfc3339_is_accepted() {
        let ts = parse_date("2025-02-19T10:00:00+08:00").unwrap();
        assert_eq!(ymd(ts), "2025-02-19");
    }

    #[test]
    fn impossible_dates_are_rejected_clearly() {
        assert!(
            parse_date("2024-02-30")
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(parse_date("19 Feb").unwrap_err().contains("not a date"));
    }
}
