//! Time in UTC: the one RFC 3339 formatter that snapshots (`collectedAt`),
//! the emulator's ARM bodies and probe reports use, and the parsers for
//! instants (RFC 3339, any offset, read as UTC) and spans (`PT1H` as Azure
//! Monitor writes them, `24h` or `30d` as a user types them), through jiff.
//! Instants are whole seconds since the Unix epoch ([`Unix`]).

use std::time::{SystemTime, UNIX_EPOCH};

/// `2026-01-15T09:00:00Z`: whole seconds, UTC (as ARM and `collectedAt` write it).
pub fn rfc3339(t: SystemTime) -> String {
    format(t, false)
}

/// `2026-11-22T10:04:05.123Z`: with milliseconds, UTC (probe attempts).
pub fn rfc3339_millis(t: SystemTime) -> String {
    format(t, true)
}

/// The current time as [`rfc3339`].
pub fn now_rfc3339() -> String {
    rfc3339(SystemTime::now())
}

/// The current time as [`rfc3339_millis`].
pub fn now_rfc3339_millis() -> String {
    rfc3339_millis(SystemTime::now())
}

fn format(t: SystemTime, millis: bool) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, day) = civil_from_days(days as i64);
    let fraction = if millis { format!(".{:03}", d.subsec_millis()) } else { String::new() };
    format!("{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}{fraction}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// Seconds since 1970-01-01T00:00:00Z.
pub type Unix = i64;

/// Why a timestamp or a span could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not {expected}")]
pub struct TimeError {
    pub text: String,
    pub expected: &'static str,
}

/// An RFC 3339 instant (`2026-01-15T09:00:00Z`, `2026-01-15T10:00:00+01:00`,
/// fractions allowed) as whole seconds since the epoch, rounded down.
pub fn parse_rfc3339(text: &str) -> Result<Unix, TimeError> {
    text.trim()
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_second() - i64::from(t.subsec_nanosecond() < 0))
        .map_err(|_| TimeError { text: text.to_owned(), expected: "an RFC 3339 time such as 2026-01-15T09:00:00Z" })
}

/// [`Unix`] seconds as [`rfc3339`] writes them.
pub fn unix_rfc3339(secs: Unix) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => format!("@{secs}"),
    }
}

/// [`Unix`] seconds as HTTP's `Date` header writes them
/// (`Thu, 03 Dec 2026 20:16:13 GMT`, RFC 9110's IMF-fixdate).
pub fn http_date(secs: Unix) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        Err(_) => format!("@{secs}"),
    }
}

/// An HTTP `Date` header (IMF-fixdate) as [`Unix`] seconds; `None` for any
/// other text.
pub fn parse_http_date(text: &str) -> Option<Unix> {
    let t = text.trim().strip_suffix(" GMT")?;
    let (_, rest) = t.split_once(", ")?;
    let dt = jiff::civil::DateTime::strptime("%d %b %Y %H:%M:%S", rest).ok()?;
    dt.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp().as_second())
}

/// A length of time in seconds: ISO 8601 (`PT1H`, `P1D`, as Azure Monitor
/// writes `interval` and `timespan`) or friendly (`90s`, `5m`, `24h`, `30d`,
/// `1h30m`). Days are 24 hours; months and years are refused (their length
/// varies). Negative spans are refused.
pub fn parse_span(text: &str) -> Result<i64, TimeError> {
    let err = || TimeError { text: text.to_owned(), expected: "a length of time such as 30s, 5m, 24h, 30d or PT1H" };
    let span: jiff::Span = text.trim().parse().map_err(|_| err())?;
    if span.get_years() != 0 || span.get_months() != 0 || span.is_negative() {
        return Err(err());
    }
    let secs = span.total((jiff::Unit::Second, jiff::SpanRelativeTo::days_are_24_hours())).map_err(|_| err())?;
    Ok(secs.floor() as i64)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn http_dates_round_trip() {
        let t = parse_rfc3339("2026-12-03T20:16:13Z").unwrap();
        assert_eq!(http_date(t), "Thu, 03 Dec 2026 20:16:13 GMT");
        assert_eq!(parse_http_date("Thu, 03 Dec 2026 20:16:13 GMT"), Some(t));
        assert_eq!(parse_http_date("2026-12-03T20:16:13Z"), None);
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(1_768_467_600)), "2026-01-15T09:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_millis(951_782_400_999)), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_millis(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_millis(UNIX_EPOCH + Duration::from_millis(951_782_400_123)), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339_millis(UNIX_EPOCH + Duration::from_secs(1_795_341_845)), "2026-11-22T10:04:05.000Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(4_107_542_400)), "2100-03-01T00:00:00Z");
    }

    #[test]
    fn parses_instants_and_spans() {
        assert_eq!(parse_rfc3339("2026-01-15T09:00:00Z"), Ok(1_768_467_600));
        assert_eq!(parse_rfc3339("2026-01-15T10:00:00+01:00"), Ok(1_768_467_600));
        assert_eq!(parse_rfc3339("2026-01-15T09:00:00.999Z"), Ok(1_768_467_600));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59.5Z"), Ok(-1));
        assert!(parse_rfc3339("2026-01-15").is_err());
        assert!(parse_rfc3339("yesterday").is_err());
        assert_eq!(unix_rfc3339(1_768_467_600), "2026-01-15T09:00:00Z");
        assert_eq!(unix_rfc3339(1_768_467_600), rfc3339(UNIX_EPOCH + Duration::from_secs(1_768_467_600)));
        assert_eq!(parse_span("PT1H"), Ok(3600));
        assert_eq!(parse_span("PT1M"), Ok(60));
        assert_eq!(parse_span("P1D"), Ok(86_400));
        assert_eq!(parse_span("24h"), Ok(86_400));
        assert_eq!(parse_span("30d"), Ok(30 * 86_400));
        assert_eq!(parse_span("1h30m"), Ok(5400));
        assert_eq!(parse_span("90s"), Ok(90));
        assert!(parse_span("1 month").is_err());
        assert!(parse_span("-5m").is_err());
        assert!(parse_span("soon").is_err());
    }

    #[test]
    fn now_has_the_shape() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
