#!/usr/bin/env python3
"""Benchmark: grow a history store recorded by `store_bench` to a year of many circuits.

A year of 100 circuits polled every five minutes is 10.5 million
observations: recording each through `ingest` takes hours. This builds a
store of that shape from a shorter one recorded through the real ingest
path (BENCHMARKS.md, "History store"):

1. the store must hold ONE circuit recorded over whole weeks (the churn of
   `crates/store/tests/common/churn.rs` repeats daily and weekly), e.g.
   `store_bench --circuits 1 --days 28 --fleet 0 --dir DIR`;
2. time: that block of weeks is copied end to end until --days are covered
   (records, polls, counters, metric points shifted by a multiple of the
   block; the stamps of the metrics envelopes and `collectedAt` shifted
   too). A record still open at the end of the block is closed at the start
   of the next copy, which opens its own: at every poll the valid records are
   those of the block at the same offset. A copy's first poll is not marked
   as a change (the churn has no event at midnight);
3. circuits: the year of that circuit is copied to --circuits circuits
   (`er-ckt-0001`, …, each with its own gateway `ergw-hub-0001`, …: the
   points table is keyed by series, not circuit), its ARM paths and texts renamed, every table row
   copied with `INSERT … SELECT` (new record ids, new key ids), until the
   file would pass --max-gb.

Row hashes (`sub` of table rows and metric headers) are copied as they are,
so a renamed row's hash is that of the original's text: rebuilding is
unaffected (it groups by the stored hash), but the first real poll ingested
into a copied circuit would replace those rows once.

usage: bench/replicate-store.py --store DIR/history.sqlite [--days 364] [--circuits 100] [--max-gb 12]
"""
import argparse, calendar, os, re, sqlite3, sys, time

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--store", required=True)
ap.add_argument("--days", type=int, default=364)
ap.add_argument("--circuits", type=int, default=100)
ap.add_argument("--max-gb", type=float, default=12.0)
ap.add_argument("--gateway", default="ergw-hub-weu", help="the gateway's name, renamed per circuit too (the generated circuits share one)")
a = ap.parse_args()

DAY, WEEK, POLL = 86400, 7 * 86400, 300
METRICS = 5
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
GRID = re.compile(r'"grid":\[(-?\d+),')


def size(path):
    return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))


def stamp(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def shift_stamp(text, delta):
    return stamp(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")) + delta)


def shift_text(text, delta):
    if text is None:
        return None
    text = STAMP.sub(lambda m: shift_stamp(m.group(0), delta), text)
    return GRID.sub(lambda m: f'"grid":[{int(m.group(1)) + delta},', text)


db = sqlite3.connect(a.store, isolation_level=None)
db.create_function("shift_text", 2, shift_text, deterministic=True)
db.execute("PRAGMA synchronous=OFF")
db.execute("PRAGMA cache_size=-262144")
circuits = db.execute("SELECT id, key, arm_id, name FROM circuits").fetchall()
if len(circuits) != 1:
    sys.exit(f"{a.store}: {len(circuits)} circuits; this grows a store of one")
c0, key0, arm0, name0 = circuits[0]
t0, t1, n = db.execute("SELECT min(at), max(at), count(*) FROM polls WHERE circuit = ?", (c0,)).fetchone()
block = t1 - t0 + POLL
if block % WEEK or n != block // POLL:
    sys.exit(f"{a.store}: {n} polls from {stamp(t0)} to {stamp(t1)}: not whole weeks of five-minute polls")
blocks = max(1, a.days * DAY // block)
end = t0 + block
print(f"{name0}: {n} polls over {block // DAY} days, {size(a.store) / 1e6:.1f} MB; copying to {blocks} blocks ({blocks * block // DAY} days)", flush=True)

started = time.time()
db.execute("BEGIN")
for k in range(1, blocks):
    d = k * block
    last = k == blocks - 1
    db.execute(
        "INSERT INTO records (circuit, kind, key_id, sub, value, mult, valid_from, valid_to) "
        "SELECT circuit, kind, key_id, sub, CASE WHEN kind = ? THEN shift_text(value, ?) ELSE value END, mult, valid_from + ?, "
        "CASE WHEN valid_to IS NOT NULL THEN valid_to + ? WHEN ? THEN NULL ELSE ? END "
        "FROM records WHERE circuit = ? AND valid_from < ?",
        (METRICS, d, d, d, last, end + d, c0, end),
    )
    db.execute(
        "INSERT INTO polls (circuit, at, collected_at, verdict, root_cause, changed) "
        "SELECT circuit, at + ?, shift_text(collected_at, ?), verdict, root_cause, CASE WHEN at = ? THEN 0 ELSE changed END "
        "FROM polls WHERE circuit = ? AND at < ?",
        (d, d, t0, c0, end),
    )
    db.execute("INSERT INTO counters (circuit, key_id, at, vals) SELECT circuit, key_id, at + ?, vals FROM counters WHERE circuit = ? AND at < ?", (d, c0, end))
    db.execute("INSERT INTO points (key_id, ts, observed_at, value) SELECT key_id, ts + ?, observed_at + ?, value FROM points WHERE observed_at < ?", (d, d, end))
    print(f"  block {k + 1} of {blocks} ({time.time() - started:.0f} s)", flush=True)
if blocks > 1:
    db.execute("UPDATE records SET valid_to = ? WHERE circuit = ? AND valid_to IS NULL AND valid_from < ?", (end, c0, end))
db.execute("COMMIT")
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
per_circuit = size(a.store)
print(f"{name0}: a year: {per_circuit / 1e6:.1f} MB ({time.time() - started:.0f} s)", flush=True)

base_keys = db.execute("SELECT max(id) FROM keys").fetchone()[0]
old = name0
made = 1
for c in range(1, a.circuits):
    if size(a.store) + per_circuit > a.max_gb * 1e9:
        print(f"stopping at {made} circuits: another would pass {a.max_gb} GB", flush=True)
        break
    new, gw_new = f"er-ckt-{c:04d}", f"ergw-hub-{c:04d}"
    if old not in arm0:
        sys.exit(f"the circuit is named {name0}, not er-ckt-NNNN: nothing to rename")
    renamed = "replace(replace({}, ?, ?), ?, ?)"
    names = (old, new, a.gateway, gw_new)
    mentions = "(instr({0}, ?) > 0 OR instr({0}, ?) > 0)"
    db.execute("BEGIN")
    cur = db.execute("INSERT INTO circuits (key, arm_id, name) VALUES (?, ?, ?)", (key0.replace(old, new), arm0.replace(old, new), name0.replace(old, new)))
    cid = cur.lastrowid
    db.execute(f"INSERT INTO keys (text) SELECT {renamed.format('text')} FROM keys WHERE id <= ? AND {mentions.format('text')}", names + (base_keys, old, a.gateway))
    db.execute("DROP TABLE IF EXISTS temp.km")
    db.execute("CREATE TEMP TABLE km (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    db.execute(
        f"INSERT INTO km SELECT o.id, CASE WHEN {mentions.format('o.text')} THEN (SELECT n.id FROM keys n WHERE n.text = {renamed.format('o.text')}) ELSE o.id END "
        "FROM keys o WHERE o.id <= ?",
        (old, a.gateway) + names + (base_keys,),
    )
    db.execute(
        "INSERT INTO records (circuit, kind, key_id, sub, value, mult, valid_from, valid_to) "
        f"SELECT ?, r.kind, km.new, r.sub, {renamed.format('r.value')}, r.mult, r.valid_from, r.valid_to FROM records r JOIN km ON km.old = r.key_id WHERE r.circuit = ? ORDER BY r.id",
        (cid,) + names + (c0,),
    )
    db.execute("INSERT INTO polls (circuit, at, collected_at, verdict, root_cause, changed) SELECT ?, at, collected_at, verdict, root_cause, changed FROM polls WHERE circuit = ?", (cid, c0))
    db.execute("INSERT INTO counters (circuit, key_id, at, vals) SELECT ?, km.new, c.at, c.vals FROM counters c JOIN km ON km.old = c.key_id WHERE c.circuit = ?", (cid, c0))
    shared = db.execute("SELECT count(*) FROM points p JOIN km ON km.old = p.key_id WHERE km.old = km.new").fetchone()[0]
    if shared:
        sys.exit(f"{shared} metric points belong to a key without the circuit's name: they cannot be copied")
    db.execute("INSERT INTO points (key_id, ts, observed_at, value) SELECT km.new, p.ts, p.observed_at, p.value FROM km JOIN points p ON p.key_id = km.old ORDER BY km.new, p.ts, p.observed_at")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    made += 1
    print(f"  circuit {made}: {size(a.store) / 1e9:.2f} GB ({time.time() - started:.0f} s)", flush=True)
polls = db.execute("SELECT count(*) FROM polls").fetchone()[0]
print(f"store: {made} circuits x {blocks * block // DAY} days, {polls} polls, {size(a.store) / 1e9:.2f} GB, "
      f"{size(a.store) / (made * blocks * block / DAY) / 1e3:.0f} KB a circuit-day ({time.time() - started:.0f} s)")
