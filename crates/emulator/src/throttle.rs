//! ARM's read throttling, as Azure Resource Manager's token-bucket model
//! describes it: a bucket per subscription and region (250 reads, refilled
//! at 25 a second), each request taking one token; an empty bucket answers
//! `429 Too Many Requests` with `Retry-After` and takes nothing.
//!
//! The region of a request is the `location` of the resource it addresses,
//! or of its top-level resource for a child or an action (a peering's ARP
//! table is the circuit's, a gateway's learned routes the gateway's); an
//! operation URL names its region (`…/locations/{loc}/operations/{id}`); a
//! list in a resource group is the group's region (the location of its first
//! resource), a subscription-wide request the subscription's first group's.
//!
//! Every answer to a subscription's request carries
//! `x-ms-ratelimit-remaining-subscription-reads` (its regional bucket) and
//! `x-ms-ratelimit-remaining-subscription-global-reads` (a bucket per
//! subscription fifteen times larger and faster, which never binds before a
//! regional one in a subscription of at most fifteen regions; it is reported,
//! never enforced). Tenant-level requests (`/subscriptions`, `/tenants`) and
//! Resource Graph (its own per-caller quota, `graph.rs`) are not counted here.
//!
//! The arithmetic takes the time as an argument, so that tests drive it
//! without sleeping; [`Buckets::stats`] says what each bucket answered, from
//! which a client's best possible time follows (`(reads − capacity) / refill`).

use crate::backend::{Backend, Lookup};
use crate::path::{subscription_of, top_level, ArmPath, Route};
use erdiag_model::normalize_path;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

/// How much a subscription may read in one region: `capacity` tokens,
/// refilled at `refill_per_sec`. The default is ARM's: 250 and 25 a second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub capacity: u32,
    pub refill_per_sec: f64,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle { capacity: 250, refill_per_sec: 25.0 }
    }
}

/// The global bucket is this many times the regional one.
const GLOBAL_FACTOR: f64 = 15.0;

/// What one bucket answered so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BucketStats {
    pub subscription: String,
    /// The region, lower case without spaces (`westeurope`).
    pub region: String,
    /// Requests answered (each took a token).
    pub reads: u64,
    /// Requests refused with 429 (they took nothing).
    pub throttled: u64,
    /// Tokens left when the statistics were read.
    pub remaining: u64,
}

/// The verdict on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Answer it; the buckets' remaining tokens after this request.
    Admitted { remaining: u64, global: u64 },
    /// Refuse it with 429; retry after this many whole seconds (≥ 1).
    Throttled { retry_after: u64, global: u64 },
}

impl Admission {
    /// The rate-limit headers every answer to a subscription's request carries.
    pub(crate) fn headers(self) -> [(&'static str, String); 2] {
        let (remaining, global) = match self {
            Admission::Admitted { remaining, global } => (remaining, global),
            Admission::Throttled { global, .. } => (0, global),
        };
        [
            ("x-ms-ratelimit-remaining-subscription-reads", remaining.to_string()),
            ("x-ms-ratelimit-remaining-subscription-global-reads", global.to_string()),
        ]
    }
}

#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    at: Instant,
    reads: u64,
    throttled: u64,
}

impl Bucket {
    fn full(capacity: f64, now: Instant) -> Bucket {
        Bucket { tokens: capacity, at: now, reads: 0, throttled: 0 }
    }

    fn refill(&mut self, capacity: f64, per_sec: f64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * per_sec).min(capacity);
        self.at = self.at.max(now);
    }
}

/// The buckets of one emulator run.
pub(crate) struct Buckets {
    model: Throttle,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// (subscription lower case, region) → bucket.
    regional: BTreeMap<(String, String), Bucket>,
    /// subscription lower case → bucket.
    global: BTreeMap<String, Bucket>,
}

impl Buckets {
    pub(crate) fn new(model: Throttle) -> Buckets {
        Buckets { model, state: Mutex::new(State::default()) }
    }

    /// Takes a token from the bucket of `(subscription, region)` at `now`, or says how long to wait.
    pub(crate) fn admit(&self, subscription: &str, region: &str, now: Instant) -> Admission {
        let capacity = f64::from(self.model.capacity.max(1));
        let per_sec = if self.model.refill_per_sec > 0.0 { self.model.refill_per_sec } else { f64::MIN_POSITIVE };
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let sub = subscription.to_ascii_lowercase();
        let global = state.global.entry(sub.clone()).or_insert_with(|| Bucket::full(capacity * GLOBAL_FACTOR, now));
        global.refill(capacity * GLOBAL_FACTOR, per_sec * GLOBAL_FACTOR, now);
        let global_left = global.tokens;
        let bucket = state.regional.entry((sub.clone(), region.to_string())).or_insert_with(|| Bucket::full(capacity, now));
        bucket.refill(capacity, per_sec, now);
        if bucket.tokens < 1.0 {
            bucket.throttled += 1;
            let wait = ((1.0 - bucket.tokens) / per_sec).ceil().clamp(1.0, 3600.0) as u64;
            return Admission::Throttled { retry_after: wait, global: global_left.floor() as u64 };
        }
        bucket.tokens -= 1.0;
        bucket.reads += 1;
        let remaining = bucket.tokens.floor() as u64;
        let global = state.global.get_mut(&sub).expect("inserted above");
        global.tokens = (global.tokens - 1.0).max(0.0);
        Admission::Admitted { remaining, global: global.tokens.floor() as u64 }
    }

    /// Every bucket used so far, by subscription then region.
    pub(crate) fn stats(&self, now: Instant) -> Vec<BucketStats> {
        let capacity = f64::from(self.model.capacity.max(1));
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state
            .regional
            .iter()
            .map(|((subscription, region), b)| {
                let mut b = b.clone();
                b.refill(capacity, self.model.refill_per_sec.max(0.0), now);
                BucketStats { subscription: subscription.clone(), region: region.clone(), reads: b.reads, throttled: b.throttled, remaining: b.tokens.floor() as u64 }
            })
            .collect()
    }
}

/// The region whose bucket a subscription's request takes from (see the
/// module's documentation); `global` when nothing the emulator holds has one.
pub(crate) fn region_of(backend: &dyn Backend, path: &ArmPath, route: &Route) -> String {
    if route.is_poll() {
        if let Some(region) = path.segs.get(5).and_then(|l| region_key(l)) {
            return region;
        }
    }
    if let Some(top) = top_level(&path.original) {
        if let Lookup::Found(body) = backend.get(&normalize_path(&top)) {
            if let Some(region) = body.get("location").and_then(Value::as_str).and_then(region_key) {
                return region;
            }
        }
    }
    let scopes = backend.scopes();
    let sub = subscription_of(&path.original).unwrap_or_default();
    let group = match path.lower.get(2).map(String::as_str) {
        Some("resourcegroups") => path.segs.get(3).and_then(|rg| scopes.group(sub, rg)),
        _ => None,
    };
    group
        .and_then(|g| g.location.as_deref())
        .or_else(|| scopes.home(sub))
        .and_then(region_key)
        .unwrap_or_else(|| "global".to_string())
}

/// A location as a region key: lower case, spaces removed (`West Europe` → `westeurope`);
/// `None` when it is not a plain name.
pub(crate) fn region_key(location: &str) -> Option<String> {
    let key: String = location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric())).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_empties_then_refills_at_its_rate() {
        let b = Buckets::new(Throttle { capacity: 3, refill_per_sec: 2.0 });
        let t0 = Instant::now();
        assert_eq!(b.admit("S", "weu", t0), Admission::Admitted { remaining: 2, global: 44 });
        assert!(matches!(b.admit("s", "weu", t0), Admission::Admitted { remaining: 1, .. }));
        assert!(matches!(b.admit("S", "weu", t0), Admission::Admitted { remaining: 0, .. }));
        // Empty: refused, whole seconds, and the refusal takes nothing.
        assert!(matches!(b.admit("S", "weu", t0), Admission::Throttled { retry_after: 1, .. }));
        assert!(matches!(b.admit("S", "weu", t0 + Duration::from_millis(400)), Admission::Throttled { .. }));
        assert!(matches!(b.admit("S", "weu", t0 + Duration::from_millis(500)), Admission::Admitted { remaining: 0, .. }));
        // Another region, another subscription: their own buckets.
        assert!(matches!(b.admit("S", "neu", t0), Admission::Admitted { remaining: 2, .. }));
        assert!(matches!(b.admit("T", "weu", t0), Admission::Admitted { remaining: 2, .. }));
        let stats = b.stats(t0 + Duration::from_millis(500));
        let weu = stats.iter().find(|s| s.subscription == "s" && s.region == "weu").unwrap();
        assert_eq!((weu.reads, weu.throttled, weu.remaining), (4, 2, 0));
        assert_eq!(stats.len(), 3);
    }

    #[test]
    fn the_wait_is_rounded_up_to_whole_seconds() {
        let b = Buckets::new(Throttle { capacity: 1, refill_per_sec: 0.25 });
        let t0 = Instant::now();
        b.admit("s", "r", t0);
        assert_eq!(b.admit("s", "r", t0), Admission::Throttled { retry_after: 4, global: 14 });
        assert_eq!(region_key("West Europe").as_deref(), Some("westeurope"));
        assert_eq!(region_key("../x"), None);
    }
}
