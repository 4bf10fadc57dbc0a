//! RFC 3339 timestamps in UTC, without a date crate: the one formatter that
//! snapshots (`collectedAt`), the emulator's ARM bodies and probe reports use.

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
    fn now_has_the_shape() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
