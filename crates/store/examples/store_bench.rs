//! The history store's benchmark (BENCHMARKS.md, "History store"): a fleet's
//! five-minute polls over days, generated from the healthy private-peering
//! scenario with realistic churn (tests/common/churn.rs), recorded in a fresh
//! store; then its size per circuit-day against keeping every snapshot
//! gzip-compressed, one fleet poll of 1,000 circuits in one `ingest`, and the
//! reads `history` makes over 30 days of one circuit.
//!
//! cargo run --release -p erdiag-store --example store_bench -- \
//!     [--circuits 100] [--days 30] [--fleet 1000] [--dir /tmp/erdiag-store-bench] [--store postgres://…]
//!
//! `--days 0` times the fleet poll alone; `--reuse yes` reruns the reads
//! (`states`, `arm_states`, `snapshot_at`) on the history of a previous run.
//!
//! Results go to stdout as `name: value` lines.

#[path = "../tests/common/churn.rs"]
mod churn;

use std::io::Write;
use std::time::Instant;

use churn::{Circuit, DAY, EPOCH, POLL};
use erdiag_store::{Observation, Store};

struct Args {
    circuits: i64,
    days: i64,
    fleet: i64,
    dir: std::path::PathBuf,
    store: Option<String>,
    gzip_every: usize,
    /// Read the history a previous run recorded in `--dir` instead of recording it again.
    reuse: bool,
}

fn args() -> Args {
    let mut a = Args { circuits: 100, days: 30, fleet: 1000, dir: std::env::temp_dir().join("erdiag-store-bench"), store: None, gzip_every: 997, reuse: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--circuits" => a.circuits = value.parse().expect("--circuits N"),
            "--days" => a.days = value.parse().expect("--days N"),
            "--fleet" => a.fleet = value.parse().expect("--fleet N"),
            "--dir" => a.dir = value.into(),
            "--store" => a.store = Some(value),
            "--gzip-every" => a.gzip_every = value.parse().expect("--gzip-every N"),
            "--reuse" => a.reuse = value == "yes",
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

fn gzip_size(bytes: &[u8]) -> u64 {
    let mut child = std::process::Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip on PATH");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("gzip");
    writer.join().expect("writer").expect("write to gzip");
    out.stdout.len() as u64
}

fn file_size(path: &std::path::Path) -> u64 {
    ["", "-wal", "-shm"].iter().map(|s| std::fs::metadata(format!("{}{s}", path.display())).map(|m| m.len()).unwrap_or(0)).sum()
}

fn fresh(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", path.display()));
    }
    path
}

/// CPU time the process (all its threads) has used, in ms: user + system
/// from /proc/self/stat, in clock ticks of 10 ms. What the figures compare on
/// a machine other builds load.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    // After the command's name: state is field 3, utime 14 and stime 15.
    let tick = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (tick(14) + tick(15)) * 10.0
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let a = args();
    std::fs::create_dir_all(&a.dir).expect("bench dir");
    let history_path = if a.reuse { a.dir.join("history.sqlite") } else { fresh(&a.dir, "history.sqlite") };
    let url = a.store.clone().unwrap_or_else(|| history_path.display().to_string());
    let mut store = Store::open(&url).expect("open");
    println!("store: {}", store.label());
    let circuits: Vec<Circuit> = (0..a.circuits).map(Circuit::new).collect();
    let polls_per_circuit = a.days * DAY / POLL;
    let (mut raw, mut sampled, mut gz, mut n) = (0u64, 0u64, 0u64, 0usize);
    let (mut generate, mut ingest) = (0f64, 0f64);
    let started = Instant::now();
    for p in (0..polls_per_circuit).filter(|_| !a.reuse) {
        let t = EPOCH + p * POLL;
        let g = cpu_ms();
        let snapshots: Vec<Vec<u8>> = circuits.iter().map(|c| serde_json::to_vec(&c.snapshot_at(t)).expect("JSON")).collect();
        generate += cpu_ms() - g;
        for s in &snapshots {
            raw += s.len() as u64;
            if n % a.gzip_every == 0 {
                sampled += 1;
                gz += gzip_size(s);
            }
            n += 1;
        }
        let obs: Vec<Observation> = circuits
            .iter()
            .zip(&snapshots)
            .map(|(c, s)| Observation {
                circuit_id: &c.id,
                at: t,
                snapshot: s,
                verdict: if c.flapping(t) { "failed" } else { "healthy" },
                root_cause: None,
                findings: Vec::new(),
            })
            .collect();
        let i = cpu_ms();
        store.ingest(&obs).expect("ingest");
        ingest += cpu_ms() - i;
        if p % (DAY / POLL) == 0 {
            eprintln!("day {} of {} ({:.0} s)", p * POLL / DAY, a.days, started.elapsed().as_secs_f64());
        }
    }
    let circuit_days = (a.circuits * a.days) as f64;
    let counts = store.counts().expect("counts");
    println!("history: {} circuits x {} days = {} polls ({} circuit-days)", a.circuits, a.days, n, circuit_days);
    println!(
        "CPU time: generating the snapshots {:.1} s; ingesting them {:.1} s ({:.2} ms a fleet poll of {})",
        generate / 1000.0,
        ingest / 1000.0,
        ingest / polls_per_circuit as f64,
        a.circuits
    );
    println!("rows: {counts:?}");
    let per_snapshot_gz = gz as f64 / sampled as f64;
    println!("snapshots: {:.1} KB each on average, raw {:.1} MB in all", raw as f64 / n as f64 / 1000.0, raw as f64 / 1e6);
    println!(
        "gzip -6 of every snapshot: {:.1} KB each (mean of {sampled} sampled, one in {}), {:.1} MB in all (estimated), {:.1} KB a circuit-day",
        per_snapshot_gz / 1000.0,
        a.gzip_every,
        per_snapshot_gz * n as f64 / 1e6,
        per_snapshot_gz * n as f64 / circuit_days / 1000.0
    );
    if let Some(pg) = a.store.as_deref().filter(|u| u.starts_with("postgres")) {
        let mut client = postgres::Client::connect(pg, postgres::NoTls).expect("connect");
        let row = client
            .query_one("SELECT sum(pg_total_relation_size(c.oid))::BIGINT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'", &[])
            .expect("size");
        let size: i64 = row.get(0);
        println!(
            "store in PostgreSQL (pg_total_relation_size of its tables): {:.1} MB, {:.1} KB a circuit-day; gzip/store = {:.1}",
            size as f64 / 1e6,
            size as f64 / circuit_days / 1000.0,
            per_snapshot_gz * n as f64 / size as f64
        );
    }
    if a.store.is_none() && !a.reuse {
        drop(store);
        let conn = rusqlite::Connection::open(&history_path).expect("reopen");
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").expect("checkpoint");
        drop(conn);
        let size = file_size(&history_path);
        println!(
            "store on disk: {:.1} MB, {:.1} KB a circuit-day; gzip/store = {:.1}",
            size as f64 / 1e6,
            size as f64 / circuit_days / 1000.0,
            per_snapshot_gz * n as f64 / size as f64
        );
        store = Store::open(&url).expect("reopen");
    }

    // The reads of `history --since 30d`, `history --at` and `diff` across a day, for one circuit
    // (`--days 0`: the fleet poll only).
    if polls_per_circuit > 0 {
        reads(&mut store, &circuits[0].id, polls_per_circuit);
    }
    drop(store);
    fleet_poll(&a);
}

fn reads(store: &mut Store, id: &str, polls_per_circuit: i64) {
    let id = id.to_owned();
    let end = EPOCH + (polls_per_circuit - 1) * POLL;
    let span = (30 * DAY).min(end - EPOCH);
    let timed = |label: &str, f: &mut dyn FnMut() -> usize| {
        let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
        let mut n = 0;
        for _ in 0..5 {
            let (s, cpu) = (Instant::now(), cpu_ms());
            n = f();
            best = best.min(ms(s));
            best_cpu = best_cpu.min(cpu_ms() - cpu);
        }
        println!("{label}: {best:.1} ms wall, {best_cpu:.1} ms CPU (best of 5), {n} results");
    };
    timed(&format!("polls over {} days", span / DAY), &mut || store.polls(&id, end - span, end).expect("polls").len());
    timed(&format!("states over {} days", span / DAY), &mut || store.states(&id, end - span, end).expect("states").len());
    timed(&format!("arm_states over {} days", span / DAY), &mut || store.arm_states(&id, end - span, end).expect("states").len());
    timed("snapshot_at (latest)", &mut || store.snapshot_at(&id, end).expect("at").map_or(0, |s| s.1.len()));
    timed("snapshot_at (one day before)", &mut || store.snapshot_at(&id, end - DAY).expect("at").map_or(0, |s| s.1.len()));
    timed(&format!("snapshot_at (oldest, {} days before)", (end - EPOCH) / DAY), &mut || store.snapshot_at(&id, EPOCH).expect("at").map_or(0, |s| s.1.len()));
}

fn fleet_poll(a: &Args) {
    // One fleet poll of N circuits in one `ingest`, into a store that has
    // already recorded two polls of each (the first creates every record).
    let fleet_path = fresh(&a.dir, "fleet.sqlite");
    let mut fleet = Store::open(fleet_path.to_str().expect("path")).expect("open");
    let many: Vec<Circuit> = (0..a.fleet).map(Circuit::new).collect();
    for k in 0..3 {
        let t = EPOCH + 12 * 3600 + k * POLL;
        let snapshots: Vec<Vec<u8>> = many.iter().map(|c| serde_json::to_vec(&c.snapshot_at(t)).expect("JSON")).collect();
        let obs: Vec<Observation> = many
            .iter()
            .zip(&snapshots)
            .map(|(c, s)| Observation { circuit_id: &c.id, at: t, snapshot: s, verdict: "healthy", root_cause: None, findings: Vec::new() })
            .collect();
        let (s, cpu) = (Instant::now(), cpu_ms());
        let stats = fleet.ingest(&obs).expect("ingest");
        println!(
            "fleet poll {} of {} circuits in one ingest: {:.0} ms wall, {:.0} ms CPU ({} records opened, {} closed, {} point rows)",
            k + 1,
            a.fleet,
            ms(s),
            cpu_ms() - cpu,
            stats.opened,
            stats.closed,
            stats.point_rows
        );
    }
}
