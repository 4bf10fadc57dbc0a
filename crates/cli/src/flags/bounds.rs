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
}
