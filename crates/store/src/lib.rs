//! erdiag's history store: every observation of a circuit (its snapshot and
//! the report's verdict) recorded as change records — what appeared and what
//! disappeared since the previous poll, not a copy of what stayed the same —
//! in one SQLite file or a PostgreSQL database shared by several collectors.
//! Any past poll is rebuilt from the records valid at its time.
//!
//! The store never talks to Azure and adds nothing to what it is given
//! (snapshots arrive already redacted). See docs/store.md.

mod db;
mod records;
mod schema;

use std::collections::{BTreeMap, HashMap};

use db::{Conn, P, V};
use erdiag_model::time::{unix_rfc3339, Unix};
pub use records::canonical;
use records::{Rec, Valid};
pub use schema::SCHEMA_VERSION;

/// One observation of one circuit: what a `diagnose`, `collect` or `fleet`
/// poll saw and concluded.
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    /// The circuit's ARM id (matched case-insensitively).
    pub circuit_id: &'a str,
    /// When the poll happened.
    pub at: Unix,
    /// The erdiag-snapshot/1 document as written.
    pub snapshot: &'a [u8],
    pub verdict: &'a str,
    /// The check id of the root cause, if any.
    pub root_cause: Option<&'a str>,
    /// (check id, status) of every finding.
    pub findings: Vec<(String, String)>,
}

/// What one `ingest` call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Polls recorded.
    pub polls: u64,
    /// Observations not recorded: not newer than the circuit's last poll
    /// (another collector got there first, or the same poll was sent twice).
    pub skipped: u64,
    /// Records that appeared (opened) and disappeared (closed).
    pub opened: u64,
    pub closed: u64,
    /// Rows added to the counters table.
    pub counter_rows: u64,
    /// Rows added to the metric points table.
    pub point_rows: u64,
}

/// A circuit with history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircuitEntry {
    /// The ARM id as first recorded.
    pub id: String,
    pub name: String,
    pub first_poll: Unix,
    pub last_poll: Unix,
    pub polls: u64,
}

/// One recorded poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    pub at: Unix,
    pub verdict: String,
    pub root_cause: Option<String>,
    /// Whether anything but counters, metric points and the report changed
    /// since the previous poll (the first poll counts as a change).
    pub changed: bool,
}

/// What `prune` deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneStats {
    pub polls: u64,
    pub records: u64,
    pub counter_rows: u64,
    pub point_rows: u64,
}

/// Rows per table (for tests and the benchmark).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub polls: u64,
    pub records: u64,
    pub open_records: u64,
    pub counter_rows: u64,
    pub point_rows: u64,
    pub keys: u64,
}

/// Why the store could not do what was asked. Every message names the store
/// by its label (never with a password).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {label}: {message}")]
    Open { label: String, message: String },
    #[error("store {label}: the database is at schema version {found}, newer than this erdiag knows (version {supported}); use the erdiag that wrote it, or a newer one")]
    NewerSchema { label: String, found: i64, supported: i64 },
    #[error("store {label}: {what}: {message}")]
    Database { label: String, what: String, message: String },
    #[error("store {label}: the snapshot of {circuit} at {at} cannot be recorded: {message}")]
    Snapshot { label: String, circuit: String, at: String, message: String },
    #[error("store {label}: no history of circuit {circuit}")]
    UnknownCircuit { label: String, circuit: String },
    #[error("store {label}: the records of {circuit} at {at} cannot be reassembled: {message}")]
    Corrupt { label: String, circuit: String, at: String, message: String },
}

/// The history store, on SQLite or PostgreSQL as the URL says.
pub struct Store {
    conn: Conn,
    label: String,
    keys: HashMap<String, i64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("label", &self.label).finish()
    }
}

/// What `states` rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rebuild {
    Whole,
    /// Without metrics bodies and `…/stats` bodies.
    ArmOnly,
}

/// The longest metrics window whose points `prune` keeps before the horizon
/// (a kept poll's window reaches that far back).
const MAX_METRICS_WINDOW: i64 = 7 * 86_400;

/// How long SQLite waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn is_postgres(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A PostgreSQL URL without its password (in the authority or as a
/// `password=` parameter); an unparseable URL is shown only by its scheme.
fn postgres_label(url: &str) -> String {
    let Ok(mut u) = url::Url::parse(url.trim()) else {
        return "postgres://(unreadable URL)".into();
    };
    let _ = u.set_password(None);
    let kept: Vec<(String, String)> =
        u.query_pairs().filter(|(k, _)| !k.eq_ignore_ascii_case("password")).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    u.to_string()
}

/// How a store at `url` is named in messages, before or without opening it:
/// never its password.
pub fn label_of(url: &str) -> String {
    if is_postgres(url) {
        postgres_label(url)
    } else {
        format!("sqlite:{}", url.strip_prefix("sqlite:").unwrap_or(url))
    }
}

impl Store {
    /// Opens (creating and migrating when needed) the store at `url`: a file
    /// path or `sqlite:PATH` for SQLite, `postgres://…` or `postgresql://…`
    /// for PostgreSQL.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let (conn, label) = if is_postgres(url) {
            let label = postgres_label(url);
            let open_err = |message: String| StoreError::Open { label: label.clone(), message };
            let config: postgres::Config = url.trim().parse().map_err(|e: postgres::Error| open_err(format!("not a PostgreSQL URL: {}", db::pg_error(e))))?;
            if config.get_ssl_mode() == postgres::config::SslMode::Require {
                return Err(open_err(
                    "sslmode=require is not supported: this erdiag connects to PostgreSQL without TLS (use a server on loopback or a trusted network, with sslmode=disable or prefer)".into(),
                ));
            }
            let client = config.connect(postgres::NoTls).map_err(|e| open_err(format!("cannot connect: {}", db::pg_error(e))))?;
            (Conn::Pg { client, statements: HashMap::new() }, label)
        } else {
            let path = url.strip_prefix("sqlite:").unwrap_or(url);
            let label = format!("sqlite:{path}");
            let open_err = |message: String| StoreError::Open { label: label.clone(), message };
            let conn = rusqlite::Connection::open(path).map_err(|e| open_err(format!("cannot open the database file: {e}")))?;
            conn.busy_timeout(SQLITE_BUSY_TIMEOUT).map_err(|e| open_err(e.to_string()))?;
            // WAL: readers (`history`) do not block the collector's writes.
            conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| open_err(format!("not an SQLite database, or not writable: {e}")))?;
            conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| open_err(e.to_string()))?;
            // A fleet poll reads and writes pages all over the points and
            // records tables: 32 MiB of page cache instead of SQLite's 2 MiB.
            conn.pragma_update(None, "cache_size", -32_768).map_err(|e| open_err(e.to_string()))?;
            // Every statement the store runs stays prepared (rusqlite keeps 16 by default).
            conn.set_prepared_statement_cache_capacity(64);
            (Conn::Sqlite { conn, texts: HashMap::new() }, label)
        };
        let mut store = Store { conn, label, keys: HashMap::new() };
        match schema::migrate(&mut store.conn) {
            Ok(()) => Ok(store),
            Err(schema::MigrateError::Newer(found)) => Err(StoreError::NewerSchema { label: store.label, found, supported: SCHEMA_VERSION }),
            Err(schema::MigrateError::Db(message)) => Err(StoreError::Database { label: store.label, what: "migrating the schema".into(), message }),
        }
    }

    /// The URL without password or credentials: safe to print.
    pub fn label(&self) -> String {
        self.label.clone()
    }

    /// The schema version of the database.
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        schema::version(&mut self.conn).map_err(|m| self.db_err("reading the schema version", m))
    }

    fn db_err(&self, what: &str, message: String) -> StoreError {
        StoreError::Database { label: self.label.clone(), what: what.to_owned(), message }
    }

    /// Records observations, all in one transaction: all or none.
    pub fn ingest(&mut self, obs: &[Observation<'_>]) -> Result<IngestStats, StoreError> {
        let mut ordered: Vec<&Observation<'_>> = obs.iter().collect();
        ordered.sort_by_key(|o| o.at);
        // Taking snapshots apart is pure: it runs on every core while this
        // thread writes, in order, those already taken apart.
        std::thread::scope(|scope| {
            let parts = decompose_all(scope, &ordered);
            self.conn.begin().map_err(|m| self.db_err("starting a transaction", m))?;
            let mut stats = IngestStats::default();
            for (o, p) in ordered.iter().zip(parts) {
                let recorded = match p {
                    Ok(p) => self.record(o, p, &mut stats).map_err(|m| self.db_err(&format!("recording {} at {}", o.circuit_id, unix_rfc3339(o.at)), m)),
                    Err(message) => Err(StoreError::Snapshot { label: self.label.clone(), circuit: o.circuit_id.to_owned(), at: unix_rfc3339(o.at), message }),
                };
                if let Err(e) = recorded {
                    self.conn.rollback();
                    self.keys.clear();
                    return Err(e);
                }
            }
            if let Err(m) = self.conn.commit() {
                self.conn.rollback();
                self.keys.clear();
                return Err(self.db_err("committing the observations", m));
            }
            Ok(stats)
        })
    }

    fn key_id(&mut self, text: &str) -> Result<i64, String> {
        if let Some(id) = self.keys.get(text) {
            return Ok(*id);
        }
        let mut found = self.conn.query("SELECT id FROM keys WHERE text = $1", &[P::T(text)])?;
        if found.is_empty() {
            self.conn.exec("INSERT INTO keys (text) VALUES ($1) ON CONFLICT (text) DO NOTHING", &[P::T(text)])?;
            found = self.conn.query("SELECT id FROM keys WHERE text = $1", &[P::T(text)])?;
        }
        let id = found.first().map(|r| r[0].int()).ok_or("a key could not be recorded")?;
        self.keys.insert(text.to_owned(), id);
        Ok(id)
    }

    /// The circuit's row id; with `create`, added when new (and, on
    /// PostgreSQL, locked until the transaction ends so that two collectors
    /// recording the same circuit take turns).
    fn circuit_row(&mut self, circuit: &str, create: bool) -> Result<Option<i64>, String> {
        let key = circuit.trim().to_ascii_lowercase();
        let select: &'static str =
            if create && self.conn.is_pg() { "SELECT id FROM circuits WHERE key = $1 FOR UPDATE" } else { "SELECT id FROM circuits WHERE key = $1" };
        let mut found = self.conn.query(select, &[P::T(&key)])?;
        if found.is_empty() && create {
            let name = circuit.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            self.conn.exec(
                "INSERT INTO circuits (key, arm_id, name) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
                &[P::T(&key), P::T(circuit.trim()), P::T(name)],
            )?;
            found = self.conn.query(select, &[P::T(&key)])?;
        }
        Ok(found.first().map(|r| r[0].int()))
    }

    fn known_circuit(&mut self, circuit: &str) -> Result<i64, StoreError> {
        match self.circuit_row(circuit, false) {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(StoreError::UnknownCircuit { label: self.label.clone(), circuit: circuit.to_owned() }),
            Err(m) => Err(self.db_err("reading the circuits", m)),
        }
    }

    fn record(&mut self, o: &Observation<'_>, parts: records::Parts, stats: &mut IngestStats) -> Result<(), String> {
        let circuit = self.circuit_row(o.circuit_id, true)?.ok_or("the circuit could not be recorded")?;
        let last = self.conn.query("SELECT max(at) FROM polls WHERE circuit = $1", &[P::I(circuit)])?.first().and_then(|r| r[0].opt_int());
        if last.is_some_and(|last| o.at <= last) {
            stats.skipped += 1;
            return Ok(());
        }
        let at = o.at;
        let open = self.conn.query(
            "SELECT r.id, r.kind, k.text, r.sub, r.value, r.mult FROM records r JOIN keys k ON k.id = r.key_id WHERE r.circuit = $1 AND r.valid_to IS NULL",
            &[P::I(circuit)],
        )?;
        let mut desired = parts.records;
        let mut changed = last.is_none();
        let mut close = Vec::new();
        // Table rows that closed, for telling a moving counter from a change.
        let mut closed_rows: Vec<(String, String, i64)> = Vec::new();
        for row in open {
            let mut it = row.into_iter();
            let (id, kind) = (it.next().unwrap_or(V::Null).int(), it.next().unwrap_or(V::Null).int());
            let (key, sub, value) = (it.next().unwrap_or(V::Null).text(), it.next().unwrap_or(V::Null).text(), it.next().unwrap_or(V::Null).text());
            let mult = it.next().unwrap_or(V::Null).int();
            let rec = Rec { kind, key, sub, value };
            if desired.get(&rec) == Some(&mult) {
                desired.remove(&rec);
                continue;
            }
            close.push(id);
            if rec.kind == records::ROW {
                closed_rows.push((rec.key, rec.value, mult));
            } else {
                changed |= records::is_state(kind);
            }
        }
        let mut insert: Vec<(Rec, i64)> = Vec::new();
        for (rec, mult) in desired {
            changed |= rec.kind != records::ROW && records::is_state(rec.kind);
            insert.push((rec, mult));
        }
        if !changed {
            let opened: Vec<(&str, &str, i64)> =
                insert.iter().filter(|(r, _)| r.kind == records::ROW).map(|(r, m)| (r.key.as_str(), r.value.as_str(), *m)).collect();
            let closed: Vec<(&str, &str, i64)> = closed_rows.iter().map(|(k, v, m)| (k.as_str(), v.as_str(), *m)).collect();
            changed = records::rows_changed(&closed, &opened);
        }
        let mut point_rows = 0;
        for (key, points) in &parts.series {
            point_rows += self.record_points(key, points, at)?;
        }
        for id in &close {
            self.conn.exec("UPDATE records SET valid_to = $1 WHERE id = $2", &[P::I(at), P::I(*id)])?;
        }
        for (rec, mult) in &insert {
            let key_id = self.key_id(&rec.key)?;
            self.conn.exec(
                "INSERT INTO records (circuit, kind, key_id, sub, value, mult, valid_from) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[P::I(circuit), P::I(rec.kind), P::I(key_id), P::T(&rec.sub), P::T(&rec.value), P::I(*mult), P::I(at)],
            )?;
        }
        stats.closed += close.len() as u64;
        stats.opened += insert.len() as u64;
        stats.point_rows += point_rows;
        if !parts.counters.is_empty() {
            for (path, vals) in &parts.counters {
                let key_id = self.key_id(path)?;
                if self.latest_counters(circuit, key_id, at)?.as_ref() != Some(vals) {
                    self.conn.exec(
                        "INSERT INTO counters (circuit, key_id, at, vals) VALUES ($1, $2, $3, $4)",
                        &[P::I(circuit), P::I(key_id), P::I(at), P::T(vals)],
                    )?;
                    stats.counter_rows += 1;
                }
            }
        }
        self.conn.exec(
            "INSERT INTO polls (circuit, at, collected_at, verdict, root_cause, changed) VALUES ($1, $2, $3, $4, $5, $6)",
            &[P::I(circuit), P::I(at), P::OT(parts.collected_at.as_deref()), P::T(o.verdict), P::OT(o.root_cause), P::I(i64::from(changed))],
        )?;
        stats.polls += 1;
        Ok(())
    }

    /// The rows of one series on `[start, end]` as the store knows them at
    /// `at` (the newest observation of each time, and the last row before
    /// `start`, whose run the window may begin in): time → point.
    fn series_rows(&mut self, key_id: i64, start: Unix, end: Unix, at: Unix) -> Result<BTreeMap<i64, String>, String> {
        // One indexed range: from the last row before the window (the run
        // the window may begin in; a reverse scan that stops at the first)
        // to the window's end.
        let rows = self.conn.query(
            "SELECT ts, value FROM points WHERE key_id = $1 AND ts <= $3 AND observed_at <= $4 AND ts >= coalesce( \
             (SELECT p.ts FROM points p WHERE p.key_id = $1 AND p.ts < $2 AND p.observed_at <= $4 ORDER BY p.ts DESC LIMIT 1), $2) \
             ORDER BY ts, observed_at",
            &[P::I(key_id), P::I(start), P::I(end), P::I(at)],
        )?;
        // Ordered by time then observation: the newest observation of a time wins.
        Ok(rows.into_iter().map(two).map(|(a, b)| (a.int(), b.text())).collect())
    }

    /// Appends the points of one series where they differ from what the
    /// stored rows already say: a run that began before the window keeps
    /// holding while its value does; a revised point gets a newer row.
    fn record_points(&mut self, key: &str, points: &records::Points, at: Unix) -> Result<u64, String> {
        let Some((start, end)) = points.first_and_last() else {
            return Ok(0);
        };
        let key_id = self.key_id(key)?;
        let known = self.series_rows(key_id, start, end, at)?;
        let mut current: Option<&str> = known.range(..start).next_back().map(|(_, v)| v.as_str());
        let mut added = 0;
        for (t, v) in points.iter() {
            if let Some(stored) = known.get(&t) {
                current = Some(stored);
            }
            if current != Some(v) {
                self.conn.exec("INSERT INTO points (key_id, ts, observed_at, value) VALUES ($1, $2, $3, $4)", &[P::I(key_id), P::I(t), P::I(at), P::T(v)])?;
                added += 1;
                current = Some(v);
            }
        }
        Ok(added)
    }

    /// Every circuit with at least one poll, by ARM id.
    pub fn circuits(&mut self) -> Result<Vec<CircuitEntry>, StoreError> {
        let rows = self
            .conn
            .query(
                "SELECT c.arm_id, c.name, min(p.at), max(p.at), count(*) FROM circuits c JOIN polls p ON p.circuit = c.id \
                 GROUP BY c.id, c.arm_id, c.name ORDER BY c.arm_id",
                &[],
            )
            .map_err(|m| self.db_err("listing the circuits", m))?;
        Ok(rows.into_iter().map(circuit_from_row).collect())
    }

    /// Every circuit with at least one poll, as (ARM id, name), without
    /// counting their polls: what resolving a circuit by name needs.
    pub fn circuit_names(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = self
            .conn
            .query("SELECT c.arm_id, c.name FROM circuits c WHERE EXISTS (SELECT 1 FROM polls p WHERE p.circuit = c.id) ORDER BY c.arm_id", &[])
            .map_err(|m| self.db_err("listing the circuits", m))?;
        Ok(rows.into_iter().map(two).map(|(a, b)| (a.text(), b.text())).collect())
    }

    /// One circuit's entry (matched case-insensitively by ARM id), from its
    /// own polls only.
    pub fn circuit(&mut self, circuit: &str) -> Result<CircuitEntry, StoreError> {
        let id = self.known_circuit(circuit)?;
        let rows = self
            .conn
            .query(
                "SELECT c.arm_id, c.name, (SELECT min(at) FROM polls WHERE circuit = c.id), (SELECT max(at) FROM polls WHERE circuit = c.id), \
                 (SELECT count(*) FROM polls WHERE circuit = c.id) FROM circuits c WHERE c.id = $1",
                &[P::I(id)],
            )
            .map_err(|m| self.db_err("reading the circuit", m))?;
        match rows.into_iter().next().map(circuit_from_row) {
            Some(entry) if entry.polls > 0 => Ok(entry),
            _ => Err(StoreError::UnknownCircuit { label: self.label.clone(), circuit: circuit.to_owned() }),
        }
    }

    /// The polls of a circuit with `from ≤ at ≤ to`, oldest first.
    pub fn polls(&mut self, circuit: &str, from: Unix, to: Unix) -> Result<Vec<Poll>, StoreError> {
        let id = self.known_circuit(circuit)?;
        let rows = self
            .conn
            .query(
                "SELECT at, verdict, root_cause, changed FROM polls WHERE circuit = $1 AND at >= $2 AND at <= $3 ORDER BY at",
                &[P::I(id), P::I(from), P::I(to)],
            )
            .map_err(|m| self.db_err("reading the polls", m))?;
        Ok(rows.into_iter().map(poll_from_row).collect())
    }

    /// The snapshot of the last poll at or before `at`, rebuilt (in the
    /// canonical form of [`canonical`]), with that poll's time.
    pub fn snapshot_at(&mut self, circuit: &str, at: Unix) -> Result<Option<(Unix, Vec<u8>)>, StoreError> {
        let id = self.known_circuit(circuit)?;
        let Some((poll, collected_at)) = self.poll_at_or_before(id, at)? else {
            return Ok(None);
        };
        let (live, _) = self.live_at(id, poll, false)?;
        let bytes = self.reassemble(circuit, id, poll, &live, &mut HashMap::new(), collected_at)?;
        Ok(Some((poll, bytes)))
    }

    fn poll_at_or_before(&mut self, id: i64, at: Unix) -> Result<Option<(Unix, Option<String>)>, StoreError> {
        let rows = self
            .conn
            .query("SELECT at, collected_at FROM polls WHERE circuit = $1 AND at <= $2 ORDER BY at DESC LIMIT 1", &[P::I(id), P::I(at)])
            .map_err(|m| self.db_err("reading the polls", m))?;
        Ok(rows.into_iter().next().map(two).map(|(a, b)| (a.int(), b.opt_text())))
    }

    /// The records valid at poll time `t`, by record id (without those of
    /// metrics and counters with `arm_only`), and when those that closed
    /// later end, soonest first. (`+valid_from` keeps SQLite on the
    /// `valid_to` end of `records_close`, whose `valid_from` it checks in the
    /// index: by `valid_from` it would scan every record older than `t`, the
    /// whole history for a recent `t`.)
    fn live_at(&mut self, id: i64, t: Unix, arm_only: bool) -> Result<(Live, Ends), StoreError> {
        let rows = self
            .conn
            .query(
                "SELECT r.id, r.kind, k.text, r.sub, r.value, r.mult, r.valid_to FROM records r JOIN keys k ON k.id = r.key_id \
                 WHERE r.circuit = $1 AND r.valid_to IS NULL AND +r.valid_from <= $2 AND NOT (CAST($3 AS BIGINT) <> 0 AND r.kind IN (4, 5, 6, 7)) \
                 UNION ALL \
                 SELECT r.id, r.kind, k.text, r.sub, r.value, r.mult, r.valid_to FROM records r JOIN keys k ON k.id = r.key_id \
                 WHERE r.circuit = $1 AND r.valid_to > $2 AND +r.valid_from <= $2 AND NOT (CAST($3 AS BIGINT) <> 0 AND r.kind IN (4, 5, 6, 7))",
                &[P::I(id), P::I(t), P::I(i64::from(arm_only))],
            )
            .map_err(|m| self.db_err("reading the records", m))?;
        let (mut live, mut ends) = (HashMap::with_capacity(rows.len()), Ends::new());
        take_live(rows, &mut live, &mut ends);
        Ok((live, ends))
    }

    /// The numbers of one stats body at or before `t`.
    fn latest_counters(&mut self, circuit: i64, key_id: i64, t: Unix) -> Result<Option<String>, String> {
        let rows = self.conn.query(
            "SELECT vals FROM counters WHERE circuit = $1 AND key_id = $2 AND at <= $3 ORDER BY at DESC LIMIT 1",
            &[P::I(circuit), P::I(key_id), P::I(t)],
        )?;
        Ok(rows.into_iter().next().and_then(|r| r.into_iter().next()).map(V::text))
    }

    fn reassemble(
        &mut self,
        circuit: &str,
        id: i64,
        at: Unix,
        live: &Live,
        counters: &mut HashMap<String, String>,
        collected_at: Option<String>,
    ) -> Result<Vec<u8>, StoreError> {
        let corrupt =
            |label: &str, message: String| StoreError::Corrupt { label: label.to_owned(), circuit: circuit.to_owned(), at: unix_rfc3339(at), message };
        for (rec, _) in live.values().filter(|(r, _)| r.kind == records::COUNTER_BODY) {
            if !counters.contains_key(&rec.key) {
                let read = |s: &mut Store| -> Result<Option<String>, String> {
                    let key_id = s.key_id(&rec.key)?;
                    s.latest_counters(id, key_id, at)
                };
                if let Some(vals) = read(self).map_err(|m| self.db_err("reading the counters", m))? {
                    counters.insert(rec.key.clone(), vals);
                }
            }
        }
        let mut valid = Valid { counters: counters.clone(), collected_at, ..Valid::default() };
        valid.records = live.values().map(|(rec, mult)| (rec, *mult)).collect();
        // The grid of each metrics body, then the points of its series on it.
        let mut grids: HashMap<&str, (i64, i64)> = HashMap::new();
        for (rec, _) in live.values().filter(|(r, _)| r.kind == records::METRICS) {
            let grid = records::grid_of(&rec.value).map_err(|m| corrupt(&self.label, m))?;
            grids.insert(rec.key.as_str(), grid);
        }
        for (rec, _) in live.values().filter(|(r, _)| r.kind == records::SERIES) {
            let path = rec.key.split('\n').next().unwrap_or_default();
            let Some((start, end)) = grids.get(path).copied() else {
                continue;
            };
            if end < start {
                continue;
            }
            let key_id = self.key_id(&rec.key).map_err(|m| self.db_err("reading the metric points", m))?;
            let rows = self.series_rows(key_id, start, end, at).map_err(|m| self.db_err("reading the metric points", m))?;
            valid.points.insert(rec.key.clone(), rows);
        }
        records::rebuild(&valid).map_err(|message| corrupt(&self.label, message))
    }

    /// The snapshot at `from` (the last poll at or before it, or else the
    /// first poll after it), then at every poll up to `to` where anything but
    /// counters, metric points and the report changed; rebuilt incrementally
    /// from the records that opened and closed in between.
    pub fn states(&mut self, circuit: &str, from: Unix, to: Unix) -> Result<Vec<(Unix, Vec<u8>)>, StoreError> {
        self.states_of(circuit, from, to, Rebuild::Whole)
    }

    /// The states of [`Store::states`] without their Azure Monitor metrics
    /// bodies and `…/stats` bodies: the ARM state `history` reads (sessions,
    /// routes, ARP), without reading a metric point or a counter.
    pub fn arm_states(&mut self, circuit: &str, from: Unix, to: Unix) -> Result<Vec<(Unix, Vec<u8>)>, StoreError> {
        self.states_of(circuit, from, to, Rebuild::ArmOnly)
    }

    fn states_of(&mut self, circuit: &str, from: Unix, to: Unix, what: Rebuild) -> Result<Vec<(Unix, Vec<u8>)>, StoreError> {
        let id = self.known_circuit(circuit)?;
        let base = match self.poll_at_or_before(id, from)? {
            Some(p) => Some(p),
            None => {
                let rows = self
                    .conn
                    .query("SELECT at, collected_at FROM polls WHERE circuit = $1 AND at <= $2 ORDER BY at LIMIT 1", &[P::I(id), P::I(to)])
                    .map_err(|m| self.db_err("reading the polls", m))?;
                rows.into_iter().next().map(two).map(|(a, b)| (a.int(), b.opt_text()))
            }
        };
        let Some((t0, collected0)) = base else {
            return Ok(Vec::new());
        };
        let arm_only = what == Rebuild::ArmOnly;
        let (mut live, mut ends) = self.live_at(id, t0, arm_only)?;
        // Numbers of the stats bodies: read when first needed, then kept up
        // to date from the counter rows in between.
        let mut counters = HashMap::new();
        let mut out = vec![(t0, self.reassemble(circuit, id, t0, &live, &mut counters, collected0)?)];
        let read = |s: &mut Store, sql: &'static str, params: &[P<'_>]| s.conn.query(sql, params).map_err(|m| s.db_err("reading the history", m));
        let window = [P::I(id), P::I(t0), P::I(to)];
        // Only the polls where something changed are rebuilt.
        let states = read(self, "SELECT at, collected_at FROM polls WHERE circuit = $1 AND at > $2 AND at <= $3 AND changed <> 0 ORDER BY at", &window)?;
        let counter_rows = if arm_only {
            Vec::new()
        } else {
            read(self, "SELECT k.text, c.vals, c.at FROM counters c JOIN keys k ON k.id = c.key_id WHERE c.circuit = $1 AND c.at > $2 AND c.at <= $3 ORDER BY c.at", &window)?
        };
        let mut counter_rows = counter_rows.into_iter().peekable();
        let mut previous = t0;
        for row in states {
            let (at, collected_at) = two(row);
            let at = at.int();
            // What closed since the previous state: the records read carry their end.
            while ends.peek().is_some_and(|std::cmp::Reverse((end, _))| *end <= at) {
                if let Some(std::cmp::Reverse((_, rid))) = ends.pop() {
                    live.remove(&rid);
                }
            }
            // What opened since and is still valid now: a table row that
            // moves at every poll (an ARP age) opens and closes thousands of
            // times a month between two changes, and none of those is read
            // (the index `records_life` answers which).
            let opened = read(
                self,
                "SELECT r.id, r.kind, k.text, r.sub, r.value, r.mult, r.valid_to FROM records r JOIN keys k ON k.id = r.key_id \
                 WHERE r.circuit = $1 AND r.valid_from > $2 AND r.valid_from <= $3 AND (r.valid_to IS NULL OR r.valid_to > $3) \
                 AND NOT (CAST($4 AS BIGINT) <> 0 AND r.kind IN (4, 5, 6, 7))",
                &[P::I(id), P::I(previous), P::I(at), P::I(i64::from(arm_only))],
            )?;
            take_live(opened, &mut live, &mut ends);
            while let Some(row) = counter_rows.next_if(|r| r[2].int() <= at) {
                let mut it = row.into_iter();
                counters.insert(it.next().unwrap_or(V::Null).text(), it.next().unwrap_or(V::Null).text());
            }
            out.push((at, self.reassemble(circuit, id, at, &live, &mut counters, collected_at.opt_text())?));
            previous = at;
        }
        Ok(out)
    }

    /// Retention: forgets polls and closed records older than `keep_secs`
    /// before now; what is still valid at a kept poll stays.
    pub fn prune(&mut self, keep_secs: i64) -> Result<PruneStats, StoreError> {
        self.prune_before(schema::now() - keep_secs)
    }

    /// Forgets polls before `horizon` and records that closed at or before
    /// it; of each counter series, the last row at or before the horizon stays
    /// (it holds the numbers of the polls that follow until the next change).
    pub fn prune_before(&mut self, horizon: Unix) -> Result<PruneStats, StoreError> {
        self.conn.begin().map_err(|m| self.db_err("starting a transaction", m))?;
        let result = (|| -> Result<PruneStats, String> {
            let polls = self.conn.exec("DELETE FROM polls WHERE at < $1", &[P::I(horizon)])?;
            let records = self.conn.exec("DELETE FROM records WHERE valid_to IS NOT NULL AND valid_to <= $1", &[P::I(horizon)])?;
            let counter_rows = self.conn.exec(
                "DELETE FROM counters WHERE at < $1 AND at < (SELECT max(c2.at) FROM counters c2 \
                 WHERE c2.circuit = counters.circuit AND c2.key_id = counters.key_id AND c2.at <= $1)",
                &[P::I(horizon)],
            )?;
            // A point before the horizon still gives the value of the run a
            // kept poll's window begins in: of each series, the last time
            // before the longest window is kept.
            let points = self.conn.exec(
                "DELETE FROM points WHERE ts < $1 AND ts < (SELECT max(p2.ts) FROM points p2 WHERE p2.key_id = points.key_id AND p2.ts < $1)",
                &[P::I(horizon - MAX_METRICS_WINDOW)],
            )?;
            Ok(PruneStats { polls, records, counter_rows, point_rows: points })
        })();
        match result {
            Ok(stats) => {
                self.conn.commit().map_err(|m| self.db_err("committing the pruning", m))?;
                Ok(stats)
            }
            Err(m) => {
                self.conn.rollback();
                Err(self.db_err("pruning", m))
            }
        }
    }

    /// Rows per table.
    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        let mut n = |sql: &'static str| -> Result<u64, StoreError> {
            let rows = self.conn.query(sql, &[]).map_err(|m| StoreError::Database { label: self.label.clone(), what: "counting rows".into(), message: m })?;
            Ok(rows.first().map(|r| r[0].int()).unwrap_or(0) as u64)
        };
        Ok(Counts {
            polls: n("SELECT count(*) FROM polls")?,
            records: n("SELECT count(*) FROM records")?,
            open_records: n("SELECT count(*) FROM records WHERE valid_to IS NULL")?,
            counter_rows: n("SELECT count(*) FROM counters")?,
            point_rows: n("SELECT count(*) FROM points")?,
            keys: n("SELECT count(*) FROM keys")?,
        })
    }
}

/// Each observation's snapshot taken apart, in order, as an iterator: by
/// up to as many threads as there are cores, each taking the next
/// observation not yet taken. At most `AHEAD` results wait for the writer;
/// when it stops reading (an error), the threads stop.
fn decompose_all<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    obs: &'env [&'env Observation<'env>],
) -> Box<dyn Iterator<Item = Result<records::Parts, String>> + 'scope> {
    const AHEAD: usize = 64;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || obs.len() < 8 {
        return Box::new(obs.iter().map(|o| records::decompose(o.snapshot, &o.findings)));
    }
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Result<records::Parts, String>)>(AHEAD);
    for _ in 0..threads {
        let (tx, next) = (tx.clone(), next.clone());
        scope.spawn(move || loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(o) = obs.get(i) else { break };
            if tx.send((i, records::decompose(o.snapshot, &o.findings))).is_err() {
                break;
            }
        });
    }
    drop(tx);
    // Results arrive in about the order taken; the few early ones wait here.
    let mut waiting: BTreeMap<usize, Result<records::Parts, String>> = BTreeMap::new();
    let mut want = 0;
    Box::new(std::iter::from_fn(move || {
        while !waiting.contains_key(&want) {
            // Every thread gone with this one not sent: one of them panicked
            // (the scope says so when it ends); nothing may be committed.
            let Ok((i, p)) = rx.recv() else {
                return (want < obs.len()).then(|| Err("a thread taking snapshots apart stopped".to_owned()));
            };
            waiting.insert(i, p);
        }
        want += 1;
        waiting.remove(&(want - 1))
    }))
}

/// The first two values of a row.
fn two(r: Vec<V>) -> (V, V) {
    let mut it = r.into_iter();
    (it.next().unwrap_or(V::Null), it.next().unwrap_or(V::Null))
}

fn circuit_from_row(r: Vec<V>) -> CircuitEntry {
    let mut it = r.into_iter();
    let (id, name) = (it.next().unwrap_or(V::Null).text(), it.next().unwrap_or(V::Null).text());
    let (first_poll, last_poll, polls) = (it.next().unwrap_or(V::Null).int(), it.next().unwrap_or(V::Null).int(), it.next().unwrap_or(V::Null).int());
    CircuitEntry { id, name, first_poll, last_poll, polls: polls as u64 }
}

fn poll_from_row(r: Vec<V>) -> Poll {
    let mut it = r.into_iter();
    Poll {
        at: it.next().unwrap_or(V::Null).int(),
        verdict: it.next().unwrap_or(V::Null).text(),
        root_cause: it.next().unwrap_or(V::Null).opt_text(),
        changed: it.next().unwrap_or(V::Null).int() != 0,
    }
}

/// Records valid at a time, by record id, with their multiplicity.
type Live = HashMap<i64, (Rec, i64)>;

/// When the records read end (those still open never do): (end, record id), soonest on top.
type Ends = std::collections::BinaryHeap<std::cmp::Reverse<(Unix, i64)>>;

/// Records read with their end (`valid_to`) as the last column: each into
/// `live`, and its end, where it has one, onto `ends`.
fn take_live(rows: Vec<Vec<V>>, live: &mut Live, ends: &mut Ends) {
    for mut r in rows {
        let end = r.pop().unwrap_or(V::Null).opt_int();
        let (rid, rec) = record_from_row(r);
        if let Some(end) = end {
            ends.push(std::cmp::Reverse((end, rid)));
        }
        live.insert(rid, rec);
    }
}

fn record_from_row(r: Vec<V>) -> (i64, (Rec, i64)) {
    let mut it = r.into_iter();
    let id = it.next().unwrap_or(V::Null).int();
    let kind = it.next().unwrap_or(V::Null).int();
    let (key, sub, value) = (it.next().unwrap_or(V::Null).text(), it.next().unwrap_or(V::Null).text(), it.next().unwrap_or(V::Null).text());
    let mult = it.next().unwrap_or(V::Null).int();
    (id, (Rec { kind, key, sub, value }, mult))
}
