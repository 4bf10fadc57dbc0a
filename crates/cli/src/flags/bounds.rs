//! Bounded parsers for the numeric flags. Every number a user types becomes a
//! `Duration`, an `Instant` or a semaphore size somewhere; unbounded, a large
//! value overflows there and panics. Each flag has a documented range and a
//! value outside it is a usage error (exit 2) that names the range.

use clap::builder::RangedU64ValueParser;

/// `--deadline`: one day at most.
pub const MAX_DEADLINE_SECS: u64 = 86_400;
/// `--timeout` (per HTTP call) and the lab's `--timeout`: one hour at most.
pub const MAX_TIMEOUT_SECS: u64 = 3_600;
/// `--concurrency`: HTTP calls in flight at once.
pub const MAX_CONCURRENCY: u64 = 256;
/// `fleet --concurrency`: circuits collected at once.
pub const MAX_FLEET_CONCURRENCY: u64 = 1_024;
/// `--retries` of one call.
pub const MAX_RETRIES: u64 = 20;
/// `--latency` of the emulator's long-running operations, in seconds.
pub const MAX_LATENCY_SECS: f64 = 3_600.0;
/// `--retry-after` the emulator advertises, in seconds.
pub const MAX_RETRY_AFTER_SECS: u64 = 3_600;

/// `--metrics-window`: 30 days at most (Azure Monitor keeps 93 days of
/// minute data; a month of minutes is already 43,200 points per series).
pub const MAX_METRICS_WINDOW_SECS: i64 = 30 * 86_400;

/// A span (`30m`, `1h`, `PT6H`, `2d`) in seconds, in one minute..=`MAX_METRICS_WINDOW_SECS`.
pub fn metrics_window(s: &str) -> Result<i64, String> {
    let secs = erdiag_model::time::parse_span(s).map_err(|e| e.to_string())?;
    if !(60..=MAX_METRICS_WINDOW_SECS).contains(&secs) {
        return Err(format!("{s} is not between 1 minute and 30 days"));
    }
    Ok(secs)
}

/// Whole seconds in `1..=max`.
pub fn seconds(max: u64) -> RangedU64ValueParser<u64> {
    RangedU64ValueParser::new().range(1..=max)
}

/// A count in `min..=max`.
pub fn count<T>(min: u64, max: u64) -> RangedU64ValueParser<T>
where
    T: TryFrom<u64> + Clone + Send + Sync + 'static,
    <T as TryFrom<u64>>::Error: std::error::Error + Send + Sync + 'static,
{
    RangedU64ValueParser::new().range(min..=max)
}

/// Seconds with a fraction, finite, in `0..=MAX_LATENCY_SECS`.
pub fn latency(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !v.is_finite() || !(0.0..=MAX_LATENCY_SECS).contains(&v) {
        return Err(format!("{s} is not in 0..={MAX_LATENCY_SECS} seconds"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_finite_and_bounded() {
        assert_eq!(latency("1.5"), Ok(1.5));
        assert_eq!(latency("0"), Ok(0.0));
        for bad in ["1e30", "inf", "NaN", "-1", "3600.5", "x"] {
            assert!(latency(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn metrics_window_is_a_span_of_a_minute_to_a_month() {
        assert_eq!(metrics_window("1h"), Ok(3600));
        assert_eq!(metrics_window("PT6H"), Ok(21_600));
        for bad in ["30s", "31d", "-1h", "soon", "1mo"] {
            assert!(metrics_window(bad).is_err(), "{bad}");
        }
    }
}
