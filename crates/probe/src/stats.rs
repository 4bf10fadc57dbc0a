//! Latency statistics shared by `probe tcp` and the latency column of `perf
//! client`: counts by result, loss, percentiles and a small histogram. Pure
//! functions of the samples; no I/O.

use crate::sample::{Outcome, Sample};
use serde::{Deserialize, Serialize};

/// The summary of a run of connect attempts (`summary` in `erdiag-probe/1`).
///
/// Latency figures are over the successful attempts only and are `None`
/// (JSON `null`) when none succeeded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub sent: u64,
    pub received: u64,
    pub lost: u64,
    pub loss_percent: f64,
    pub min_ms: Option<f64>,
    pub median_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub histogram: Vec<Bucket>,
    pub by_result: ByResult,
}

/// One histogram bucket: the successful attempts with a latency above the
/// previous bucket's `upToMs` and at most this one's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    pub up_to_ms: f64,
    pub count: u64,
}

/// How many attempts ended in each result; every key is always present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByResult {
    pub ok: u64,
    pub refused: u64,
    pub timeout: u64,
    pub unreachable: u64,
    pub dns: u64,
    pub error: u64,
}

impl ByResult {
    pub fn add(&mut self, o: Outcome) {
        *match o {
            Outcome::Ok => &mut self.ok,
            Outcome::Refused => &mut self.refused,
            Outcome::Timeout => &mut self.timeout,
            Outcome::Unreachable => &mut self.unreachable,
            Outcome::Dns => &mut self.dns,
            Outcome::Error => &mut self.error,
        } += 1;
    }
    pub fn get(&self, o: Outcome) -> u64 {
        match o {
            Outcome::Ok => self.ok,
            Outcome::Refused => self.refused,
            Outcome::Timeout => self.timeout,
            Outcome::Unreachable => self.unreachable,
            Outcome::Dns => self.dns,
            Outcome::Error => self.error,
        }
    }
}

impl Summary {
    pub fn of(samples: &[Sample]) -> Summary {
        let mut by_result = ByResult::default();
        let mut ok: Vec<f64> = Vec::with_capacity(samples.len());
        for s in samples {
            by_result.add(s.result);
            if let (Outcome::Ok, Some(ms)) = (s.result, s.latency_ms) {
                ok.push(ms);
            }
        }
        Summary::from_parts(samples.len() as u64, ok, by_result)
    }

    /// From the latencies of the successful attempts (any order) and the
    /// counts by result.
    pub fn from_parts(sent: u64, mut ok: Vec<f64>, by_result: ByResult) -> Summary {
        ok.retain(|v| v.is_finite());
        ok.sort_by(f64::total_cmp);
        let received = ok.len() as u64;
        let lost = sent.saturating_sub(received);
        let loss_percent = if sent == 0 { 0.0 } else { round(lost as f64 * 100.0 / sent as f64, 2) };
        let q = |p: f64| percentile(&ok, p).map(|v| round(v, 3));
        Summary {
            sent,
            received,
            lost,
            loss_percent,
            min_ms: ok.first().map(|v| round(*v, 3)),
            median_ms: q(50.0),
            p90_ms: q(90.0),
            p95_ms: q(95.0),
            p99_ms: q(99.0),
            max_ms: ok.last().map(|v| round(*v, 3)),
            histogram: histogram(&ok),
            by_result,
        }
    }
}

/// The `p`-th percentile (0–100) of sorted values, interpolating linearly
/// between the two nearest ranks (numpy's default, and the usual median).
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (p.clamp(0.0, 100.0) / 100.0) * (n - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64))
}

/// Bucket bounds in ms: 1-2-5 steps from 0.01 ms up, as far as needed.
fn bound(i: usize) -> f64 {
    const STEPS: [f64; 3] = [1.0, 2.0, 5.0];
    let decade = (i / 3) as i32 - 2; // i = 0 → 0.01
    round(STEPS[i % 3] * 10f64.powi(decade), 3)
}

/// A small histogram: 1-2-5 buckets from the one holding the fastest sample
/// to the one holding the slowest, empty ones between included.
pub fn histogram(sorted: &[f64]) -> Vec<Bucket> {
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let index = |v: f64| (0..60).find(|&i| v <= bound(i)).unwrap_or(59);
    let (lo, hi) = (index(*first), index(*last));
    let mut buckets: Vec<Bucket> = (lo..=hi).map(|i| Bucket { up_to_ms: bound(i), count: 0 }).collect();
    for v in sorted {
        buckets[index(*v) - lo].count += 1;
    }
    buckets
}

pub(crate) fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(5.5));
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&v, 100.0), Some(10.0));
        assert!((percentile(&v, 90.0).unwrap() - 9.1).abs() < 1e-9);
        assert_eq!(percentile(&[3.0], 99.0), Some(3.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn histogram_spans_the_samples() {
        let h = histogram(&[0.03, 0.04, 0.3, 1.5]);
        let bounds: Vec<f64> = h.iter().map(|b| b.up_to_ms).collect();
        assert_eq!(bounds, vec![0.05, 0.1, 0.2, 0.5, 1.0, 2.0]);
        assert_eq!(h.iter().map(|b| b.count).collect::<Vec<_>>(), vec![2, 0, 0, 1, 0, 1]);
        assert_eq!(h.iter().map(|b| b.count).sum::<u64>(), 4);
        assert!(histogram(&[]).is_empty());
        // Beyond the table: everything lands in the last bucket, nothing is lost.
        assert_eq!(histogram(&[1e12])[0].count, 1);
    }

    #[test]
    fn summary_without_success_has_no_latency() {
        let s = Summary::from_parts(4, vec![], ByResult { refused: 4, ..Default::default() });
        assert_eq!((s.sent, s.received, s.lost, s.loss_percent), (4, 0, 4, 100.0));
        assert_eq!(s.median_ms, None);
        assert!(s.histogram.is_empty());
        let s = Summary::from_parts(0, vec![], ByResult::default());
        assert_eq!(s.loss_percent, 0.0);
    }
}
