//! Throughput of the redaction policy (`secrets::redact_text`) on a large
//! CE configuration: FILE, or a generated 6 MB one in which every third line
//! carries a password.
//!
//! cargo run --release -p erdiag-model --example redact_throughput [FILE]

fn generated() -> String {
    (0..60_000)
        .map(|i| format!("interface Loopback{i}\n description link {i}\n ip address 10.{}.{}.1 255.255.255.255\n neighbor 10.{}.{}.2 password 7 0822455D0A16{i}\n", (i >> 8) & 255, i & 255, (i >> 8) & 255, i & 255))
        .collect()
}

fn main() {
    let text = match std::env::args().nth(1) {
        Some(p) => std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}")),
        None => generated(),
    };
    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let masked = erdiag_model::secrets::redact_text(&text);
        best = best.min(started.elapsed().as_secs_f64());
        assert!(!masked.contains("0822455D0A16"));
    }
    println!("{} bytes: best of 5 {:.3} s, {:.0} MB/s", text.len(), best, text.len() as f64 / best / 1e6);
}
