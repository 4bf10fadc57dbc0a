//! The throttle scheduler every ARM exchange of an [`ArmClient`] goes
//! through (operation polls included), so that a fleet of circuits read
//! through one client keeps below ARM's read buckets instead of bouncing
//! off them.
//!
//! ARM throttles reads with a token bucket per subscription and region
//! (250 reads, refilled at 25 a second) and says what is left on every
//! answer (`x-ms-ratelimit-remaining-subscription-reads`, and
//! `-global-reads` for the subscription as a whole). The scheduler keeps an
//! estimate of each bucket it addresses, keyed by [`Key`]: it starts full,
//! refills at the bucket's rate, drops by one per answer, and is corrected
//! by every header it sees. Answers count it down only once the server has
//! shown it keeps that bucket (a header or a 429; ARM always sends the
//! header): a server that never does, such as the emulator without its
//! throttling model, is not paced on a guess — a lone circuit's operation
//! polls would otherwise slow it down — and only the requests in flight are
//! held to the bucket's size. A request is admitted only while the estimate,
//! less the requests of that key in flight, stays above [`RESERVE`]: once a
//! bucket runs low its key is paced at the refill rate, just under the
//! bucket. A `429` empties the key's estimate and holds that key alone until
//! its `Retry-After`; other keys go on.
//!
//! [`Buckets`] is the pure logic (time is an argument, so tests drive it
//! with a fake clock); [`Throttle`] is its async face with the counters of
//! [`ClientStats`]: per key, requests queue in order and only the first
//! waits for the bucket. Waiting for a key never holds anything else: the
//! client takes its concurrency permit only once the key admitted the request.
//!
//! [`ArmClient`]: crate::ArmClient

use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// ARM's read bucket per subscription and region: its size…
pub const CAPACITY: f64 = 250.0;
/// …and how many reads it regains each second.
pub const REFILL_PER_SEC: f64 = 25.0;
/// Tokens the scheduler leaves in a bucket it paces: room for the answers
/// of other clients of the same subscription, and for the estimate's error.
pub const RESERVE: f64 = 3.0;

/// The bucket a request draws from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// `/subscriptions/{id}/…`, in a region (`None`: no hint, and no
    /// `locations/{region}` in the path).
    Subscription { id: String, region: Option<String> },
    /// Resource Graph's queries (their own quota per user; the client
    /// gives this key to its Resource Graph calls).
    ResourceGraph,
    /// Any other tenant-level path.
    Tenant,
}

impl Key {
    /// The key of an ARM path, with the call's region hint; without a hint,
    /// the region an operation URL carries (`…/locations/{region}/…`).
    pub fn for_path(path: &str, region: Option<&str>) -> Key {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let low = |s: &str| s.to_ascii_lowercase();
        match segs.as_slice() {
            [first, id, rest @ ..] if first.eq_ignore_ascii_case("subscriptions") => {
                let from_path = rest.windows(2).find(|w| w[0].eq_ignore_ascii_case("locations")).map(|w| w[1]);
                let region = region.or(from_path).map(|r| low(r).replace(' ', ""));
                Key::Subscription { id: low(id), region }
            }
            _ => Key::Tenant,
        }
    }

    fn subscription(&self) -> Option<&str> {
        match self {
            Key::Subscription { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// What an answer said about its bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Observation {
    /// `x-ms-ratelimit-remaining-subscription-reads`.
    pub remaining: Option<f64>,
    /// `x-ms-ratelimit-remaining-subscription-global-reads`.
    pub global_remaining: Option<f64>,
    /// `Some(wait)` when the answer was a 429: the key is held this long.
    pub throttled: Option<Duration>,
    /// An answer that asks for no request of its key for this long
    /// (Resource Graph's spent quota), without emptying the estimate.
    pub hold: Option<Duration>,
}

impl Observation {
    /// Reads the headers of an answer (`status` 429 with `retry_after`).
    pub fn from_headers(headers: &reqwest::header::HeaderMap, status: u16, retry_after: Duration) -> Observation {
        let num = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok()).filter(|n| n.is_finite() && *n >= 0.0);
        Observation {
            remaining: num("x-ms-ratelimit-remaining-subscription-reads"),
            global_remaining: num("x-ms-ratelimit-remaining-subscription-global-reads"),
            throttled: (status == 429).then_some(retry_after),
            hold: None,
        }
    }
}

/// One bucket's estimate.
#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    capacity: f64,
    refill: f64,
    at: Instant,
    in_flight: u32,
    held_until: Option<Instant>,
    /// The server has shown it keeps this bucket (a remaining-reads header,
    /// or a 429): until then answers do not count the estimate down, and
    /// only the requests in flight are held to it.
    shown: bool,
}

impl Bucket {
    fn new(capacity: f64, refill: f64, now: Instant) -> Bucket {
        Bucket { tokens: capacity, capacity, refill, at: now, in_flight: 0, held_until: None, shown: false }
    }
    fn advance(&mut self, now: Instant) {
        let dt = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + dt * self.refill).min(self.capacity);
        self.at = now;
    }
    /// How long until one more request fits above the reserve (zero: now).
    fn wait(&mut self, now: Instant) -> Duration {
        if let Some(until) = self.held_until {
            if until > now {
                return until - now;
            }
            self.held_until = None;
        }
        self.advance(now);
        let missing = RESERVE + 1.0 + f64::from(self.in_flight) - self.tokens;
        if missing <= 0.0 {
            Duration::ZERO
        } else if self.refill <= 0.0 {
            Duration::from_secs(1)
        } else {
            // At least a millisecond, so that a waiter does not spin.
            Duration::from_secs_f64(missing / self.refill).max(Duration::from_millis(1))
        }
    }
    fn observe(&mut self, now: Instant, remaining: Option<f64>) {
        self.advance(now);
        self.in_flight = self.in_flight.saturating_sub(1);
        match remaining {
            // ARM's own count, after this request took its token.
            Some(r) => {
                self.shown = true;
                self.capacity = self.capacity.max(r);
                self.tokens = r.min(self.capacity);
            }
            None if self.shown => self.tokens = (self.tokens - 1.0).max(0.0),
            None => {}
        }
    }
}

/// Every bucket's estimate: the scheduler's pure logic, with time as an argument.
#[derive(Debug, Default)]
pub struct Buckets {
    keys: HashMap<Key, Bucket>,
    /// Per subscription, from `-global-reads` only (unknown until seen).
    global: HashMap<String, Bucket>,
}

/// The buckets an admitted request was counted in, beyond its own key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ticket {
    /// An unhinted request of a subscription: its regional keys, any of
    /// which ARM may count it in.
    regions: Vec<Key>,
    /// The subscription's global bucket.
    global: bool,
}

impl Buckets {
    /// Admits a request of `key` (counted in flight) or says how long to
    /// wait before asking again. A subscription's request without a region
    /// (a listing) may draw from any of its regions' buckets: it waits until
    /// each known one has room, and counts in flight in each.
    pub fn try_admit(&mut self, key: &Key, now: Instant) -> Result<Ticket, Duration> {
        let regions: Vec<Key> = match key {
            Key::Subscription { id, region: None } => {
                self.keys.keys().filter(|k| matches!(k, Key::Subscription { id: i, region: Some(_) } if i == id)).cloned().collect()
            }
            _ => Vec::new(),
        };
        let bucket = self.keys.entry(key.clone()).or_insert_with(|| Bucket::new(CAPACITY, REFILL_PER_SEC, now));
        let mut wait = bucket.wait(now);
        for r in &regions {
            wait = wait.max(self.keys.get_mut(r).expect("listed above").wait(now));
        }
        let global = key.subscription().and_then(|s| self.global.get_mut(s));
        let has_global = global.is_some();
        if let Some(g) = global {
            wait = wait.max(g.wait(now));
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        for k in std::iter::once(key).chain(&regions) {
            self.keys.get_mut(k).expect("present").in_flight += 1;
        }
        if let Some(g) = key.subscription().and_then(|s| self.global.get_mut(s)) {
            g.in_flight += 1;
        }
        Ok(Ticket { regions, global: has_global })
    }

    /// An admitted request of `key` was answered (or failed without an answer:
    /// `Observation::default()`).
    pub fn complete(&mut self, key: &Key, ticket: &Ticket, now: Instant, seen: Observation) {
        if let Some(b) = self.keys.get_mut(key) {
            if let Some(wait) = seen.throttled {
                // A 429 takes no token, but says the bucket is empty.
                b.advance(now);
                b.in_flight = b.in_flight.saturating_sub(1);
                b.tokens = 0.0;
                b.held_until = Some(now + wait);
                b.shown = true;
            } else {
                b.observe(now, seen.remaining);
            }
            if let Some(wait) = seen.hold {
                b.held_until = b.held_until.max(Some(now + wait));
            }
        }
        // Which region counted the unhinted request is unknown: each took
        // it out of flight, and (if it was answered) a token, not the header.
        for r in &ticket.regions {
            match self.keys.get_mut(r) {
                Some(b) if seen.throttled.is_some() => b.in_flight = b.in_flight.saturating_sub(1),
                Some(b) => b.observe(now, None),
                None => {}
            }
        }
        if let Some(sub) = key.subscription() {
            match (self.global.get_mut(sub), seen.global_remaining) {
                (Some(g), r) if ticket.global && seen.throttled.is_none() => g.observe(now, r),
                (Some(g), _) if ticket.global => g.in_flight = g.in_flight.saturating_sub(1),
                (Some(g), Some(r)) => {
                    g.advance(now);
                    g.tokens = r;
                }
                (Some(_), None) => {}
                // First sight of the subscription's global bucket: its size is
                // what is left plus this read; it refills in ten seconds, as
                // the regional bucket does.
                (None, Some(r)) => {
                    let cap = (r + 1.0).max(CAPACITY);
                    let mut g = Bucket::new(cap, cap / 10.0, now);
                    g.tokens = r;
                    g.shown = true;
                    self.global.insert(sub.to_string(), g);
                }
                (None, None) => {}
            }
        }
    }

    /// The estimate of a key's bucket now (tests and diagnostics).
    pub fn estimate(&mut self, key: &Key, now: Instant) -> Option<f64> {
        self.keys.get_mut(key).map(|b| {
            b.advance(now);
            b.tokens
        })
    }
}

/// What the client did, for a fleet's summary and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClientStats {
    /// HTTP exchanges sent (retries and operation polls included).
    pub requests: u64,
    /// `429` answers received.
    pub throttled: u64,
    /// Exchanges sent again after a 429, a 5xx, a transport error or a malformed body.
    pub retries: u64,
    /// Requests the scheduler made wait for their bucket.
    pub paced: u64,
    /// The sum of those waits, in milliseconds.
    pub paced_ms: u64,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    throttled: AtomicU64,
    retries: AtomicU64,
    paced: AtomicU64,
    paced_ms: AtomicU64,
}

/// The scheduler as the client uses it.
#[derive(Default)]
pub struct Throttle {
    buckets: Mutex<Buckets>,
    gates: Mutex<HashMap<Key, Arc<Gate>>>,
    counters: Counters,
}

/// The queue of one key: requests take their turn in order (a fair lock);
/// only the one whose turn it is waits for the bucket, woken by its timer or
/// by an answer of the key. The others sleep in the queue, so a paced key
/// costs a wake-up per admission, however many wait.
#[derive(Default)]
struct Gate {
    turn: tokio::sync::Mutex<()>,
    changed: Notify,
}

/// An admitted request: complete it with what its answer said.
pub struct Admission {
    key: Key,
    ticket: Ticket,
    gate: Arc<Gate>,
    throttle: Arc<Throttle>,
    done: bool,
}

impl Admission {
    pub fn complete(mut self, seen: Observation) {
        self.finish(seen);
    }
    fn finish(&mut self, seen: Observation) {
        if !self.done {
            self.done = true;
            if seen.throttled.is_some() {
                self.throttle.counters.throttled.fetch_add(1, Ordering::Relaxed);
            }
            self.throttle.buckets.lock().unwrap().complete(&self.key, &self.ticket, Instant::now(), seen);
            self.gate.changed.notify_waiters();
        }
    }
}

impl Drop for Admission {
    /// A request abandoned (deadline, cancelled task) no longer counts in flight.
    fn drop(&mut self) {
        self.finish(Observation::default());
    }
}

impl Throttle {
    /// Waits until `key` admits one more request, in the order requests
    /// asked. Only this key's state decides: other keys are never waited for.
    pub async fn admit(self: &Arc<Self>, key: &Key) -> Admission {
        let gate = self.gates.lock().unwrap().entry(key.clone()).or_default().clone();
        let started = Instant::now();
        let (turn, mut waited) = match gate.turn.try_lock() {
            Ok(t) => (t, false),
            Err(_) => (gate.turn.lock().await, true),
        };
        let ticket = loop {
            let notified = gate.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let decision = self.buckets.lock().unwrap().try_admit(key, Instant::now());
            match decision {
                Ok(ticket) => break ticket,
                Err(wait) => {
                    waited = true;
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = notified => {}
                    }
                }
            }
        };
        drop(turn);
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        if waited {
            self.counters.paced.fetch_add(1, Ordering::Relaxed);
            self.counters.paced_ms.fetch_add(started.elapsed().as_millis() as u64, Ordering::Relaxed);
        }
        Admission { key: key.clone(), ticket, gate, throttle: self.clone(), done: false }
    }

    pub(crate) fn count_retry(&self) {
        self.counters.retries.fetch_add(1, Ordering::Relaxed);
    }

    pub fn stats(&self) -> ClientStats {
        let c = &self.counters;
        ClientStats {
            requests: c.requests.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            paced: c.paced.load(Ordering::Relaxed),
            paced_ms: c.paced_ms.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(id: &str, region: &str) -> Key {
        Key::Subscription { id: id.into(), region: Some(region.into()) }
    }

    #[test]
    fn keys_come_from_the_path_and_the_hint() {
        let c = "/subscriptions/ABC/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c";
        assert_eq!(Key::for_path(c, Some("West Europe")), sub("abc", "westeurope"));
        assert_eq!(Key::for_path(c, None), Key::Subscription { id: "abc".into(), region: None });
        let op = "/subscriptions/abc/providers/Microsoft.Network/locations/northeurope/operations/42";
        assert_eq!(Key::for_path(op, None), sub("abc", "northeurope"));
        assert_eq!(Key::for_path(op, Some("westeurope")), sub("abc", "westeurope"), "the call's hint wins");
        assert_eq!(Key::for_path("/subscriptions", None), Key::Tenant);
    }

    #[test]
    fn a_full_bucket_admits_at_once() {
        let mut b = Buckets::default();
        let t0 = Instant::now();
        let k = sub("a", "r");
        b.try_admit(&k, t0).unwrap();
        b.complete(&k, &Ticket::default(), t0, Observation { remaining: Some(CAPACITY), ..Default::default() });
        for _ in 0..(CAPACITY - RESERVE) as usize {
            assert!(b.try_admit(&k, t0).is_ok());
        }
        // The rest of the bucket is the reserve: the next one waits a refill.
        let wait = b.try_admit(&k, t0).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(41), "{wait:?}");
    }

    #[test]
    fn a_bucket_never_shown_is_not_enforced() {
        let mut b = Buckets::default();
        let t0 = Instant::now();
        let k = sub("a", "r");
        for _ in 0..1_000 {
            b.try_admit(&k, t0).unwrap();
            b.complete(&k, &Ticket::default(), t0, Observation::default());
        }
        assert_eq!(b.estimate(&k, t0), Some(CAPACITY), "answers without a header do not count down");
        for _ in 0..(CAPACITY - RESERVE) as usize {
            b.try_admit(&k, t0).unwrap();
        }
        assert!(b.try_admit(&k, t0).is_err(), "requests in flight are held to the bucket's size");
        b.complete(&k, &Ticket::default(), t0, Observation { remaining: Some(0.0), ..Default::default() });
        assert!(b.try_admit(&k, t0).is_err(), "enforced once a header shows the bucket");
    }

    #[test]
    fn headers_correct_the_estimate_and_a_429_holds_only_its_key() {
        let mut b = Buckets::default();
        let t0 = Instant::now();
        let (a, c) = (sub("a", "r"), sub("c", "r"));
        b.try_admit(&a, t0).unwrap();
        b.complete(&a, &Ticket::default(), t0, Observation { remaining: Some(2.0), ..Default::default() });
        assert_eq!(b.estimate(&a, t0), Some(2.0));
        assert!(b.try_admit(&a, t0).is_err(), "2 left is under the reserve");
        b.try_admit(&c, t0).unwrap();
        b.complete(&c, &Ticket::default(), t0, Observation { throttled: Some(Duration::from_secs(5)), ..Default::default() });
        assert_eq!(b.try_admit(&c, t0 + Duration::from_secs(4)).unwrap_err(), Duration::from_secs(1));
        assert!(b.try_admit(&a, t0 + Duration::from_secs(4)).is_ok(), "another key is not held");
        assert!(b.try_admit(&c, t0 + Duration::from_secs(5)).is_ok(), "after Retry-After the refill counts again");
    }

    /// A listing of a subscription names no region: it waits for the
    /// subscription's low regional bucket, and counts in it while in flight.
    #[test]
    fn an_unhinted_request_waits_for_every_region_of_its_subscription() {
        let mut b = Buckets::default();
        let t0 = Instant::now();
        let (region, listing) = (sub("a", "r"), Key::Subscription { id: "a".into(), region: None });
        let t = b.try_admit(&region, t0).unwrap();
        b.complete(&region, &t, t0, Observation { remaining: Some(RESERVE + 1.0), ..Default::default() });
        let t = b.try_admit(&listing, t0).unwrap();
        assert_eq!(t.regions, [region.clone()]);
        assert!(b.try_admit(&region, t0).is_err(), "the listing in flight holds the region's last token");
        b.complete(&listing, &t, t0, Observation { remaining: Some(200.0), ..Default::default() });
        assert_eq!(b.estimate(&region, t0), Some(RESERVE), "a token taken, the listing's header not believed for the region");
        assert!(b.try_admit(&listing, t0).is_err(), "the listing waits for the region");
        assert!(b.try_admit(&Key::Subscription { id: "other".into(), region: None }, t0).is_ok());
    }

    #[test]
    fn the_global_bucket_binds_once_seen() {
        let mut b = Buckets::default();
        let t0 = Instant::now();
        let (r1, r2) = (sub("a", "r1"), sub("a", "r2"));
        b.try_admit(&r1, t0).unwrap();
        b.complete(&r1, &Ticket::default(), t0, Observation { remaining: Some(240.0), global_remaining: Some(1.0), ..Default::default() });
        assert!(b.try_admit(&r2, t0).is_err(), "another region of the same subscription shares the global bucket");
        assert!(b.try_admit(&sub("z", "r2"), t0).is_ok());
    }

    /// ARM's bucket as a server keeps it.
    struct Server {
        tokens: f64,
        at: Instant,
    }

    impl Server {
        fn answer(&mut self, now: Instant) -> Observation {
            self.tokens = (self.tokens + now.saturating_duration_since(self.at).as_secs_f64() * REFILL_PER_SEC).min(CAPACITY);
            self.at = now;
            if self.tokens < 1.0 {
                Observation { throttled: Some(Duration::from_secs(1)), ..Default::default() }
            } else {
                self.tokens -= 1.0;
                Observation { remaining: Some(self.tokens.floor()), ..Default::default() }
            }
        }
    }

    /// 32 workers read 2,000 times from one bucket, each answer taking
    /// 50 ms: the scheduler paces at the refill rate with no 429.
    #[test]
    fn pacing_approaches_the_refill_rate_without_429() {
        let t0 = Instant::now();
        let mut server = Server { tokens: CAPACITY, at: t0 };
        let mut b = Buckets::default();
        let k = sub("a", "r");
        let (mut done, mut throttled, mut issued) = (0usize, 0usize, 0usize);
        let mut in_flight: Vec<Instant> = Vec::new();
        let mut now = t0;
        let total = 2_000;
        while done < total {
            // Answers due now.
            in_flight.sort();
            while in_flight.first().is_some_and(|t| *t <= now) {
                in_flight.remove(0);
                let seen = server.answer(now);
                if seen.throttled.is_some() {
                    throttled += 1;
                    issued -= 1;
                } else {
                    done += 1;
                }
                b.complete(&k, &Ticket::default(), now, seen);
            }
            while in_flight.len() < 32 && issued < total && b.try_admit(&k, now).is_ok() {
                issued += 1;
                in_flight.push(now + Duration::from_millis(50));
            }
            now += Duration::from_millis(1);
        }
        let took = (now - t0).as_secs_f64();
        let bound = (total as f64 - CAPACITY) / REFILL_PER_SEC;
        assert_eq!(throttled, 0);
        assert!(took >= bound && took <= bound * 1.05, "took {took:.1} s for a bound of {bound:.1} s");
    }

    async fn demand(t: Arc<Throttle>, server: Arc<Mutex<Server>>, key: Key, n: usize) -> Duration {
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..n {
            let (t, server, key) = (t.clone(), server.clone(), key.clone());
            tasks.spawn(async move {
                loop {
                    let a = t.admit(&key).await;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let seen = server.lock().unwrap().answer(Instant::now());
                    a.complete(seen);
                    if seen.throttled.is_none() {
                        break;
                    }
                }
            });
        }
        while tasks.join_next().await.is_some() {}
        started.elapsed()
    }

    /// The benchmark's shape: 20 subscriptions in 2 regions, 700 reads each
    /// all asked at once: every key ends within 5% of the bound its bucket
    /// allows, without a 429.
    #[tokio::test(start_paused = true)]
    async fn a_fleet_of_buckets_ends_near_the_throttle_bound() {
        let t = Arc::new(Throttle::default());
        let now = Instant::now();
        let mut keys = tokio::task::JoinSet::new();
        for s in 0..20 {
            for r in ["westeurope", "northeurope"] {
                let server = Arc::new(Mutex::new(Server { tokens: CAPACITY, at: now }));
                keys.spawn(demand(t.clone(), server, sub(&format!("s{s}"), r), 700));
            }
        }
        let bound = (700.0 - CAPACITY) / REFILL_PER_SEC;
        while let Some(took) = keys.join_next().await {
            let took = took.unwrap().as_secs_f64();
            assert!(took <= bound * 1.05, "took {took:.2} s, bound {bound} s");
        }
        let s = t.stats();
        assert_eq!((s.throttled, s.requests), (0, 40 * 700), "{s:?}");
    }

    /// Two subscriptions with the same demand share nothing and finish
    /// together; a third, held by a long 429, delays neither.
    #[tokio::test(start_paused = true)]
    async fn keys_are_fair_and_a_held_key_stalls_no_other() {
        let t = Arc::new(Throttle::default());
        let now = Instant::now();
        let server = |tokens| Arc::new(Mutex::new(Server { tokens, at: now }));
        let held = sub("held", "r");
        t.admit(&held).await.complete(Observation { throttled: Some(Duration::from_secs(300)), ..Default::default() });
        let stuck = tokio::spawn(demand(t.clone(), server(CAPACITY), held, 10));
        let (a, b) = tokio::join!(demand(t.clone(), server(CAPACITY), sub("a", "r"), 600), demand(t.clone(), server(CAPACITY), sub("b", "r"), 600));
        let bound = (600.0 - CAPACITY) / REFILL_PER_SEC;
        for took in [a, b] {
            assert!(took.as_secs_f64() <= bound * 1.1, "took {took:?}, bound {bound} s");
        }
        let ratio = a.as_secs_f64().max(b.as_secs_f64()) / a.as_secs_f64().min(b.as_secs_f64());
        assert!(ratio < 1.1, "{a:?} vs {b:?}");
        assert!(!stuck.is_finished());
        assert!(stuck.await.unwrap() >= Duration::from_secs(299));
        let s = t.stats();
        assert_eq!(s.throttled, 1, "only the injected 429: {s:?}");
        assert!(s.paced > 0 && s.paced_ms > 0, "{s:?}");
    }
}
