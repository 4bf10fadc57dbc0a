//! The baseline of bench/probe.py: a bare loop of blocking `connect()` calls
//! timed with `Instant`, nothing else — what the prober's figures are compared
//! with to measure its own overhead.
//!
//! usage: raw-connect IP:PORT COUNT INTERVAL_MS   (prints the summary as JSON)

use erdiag_probe::{ByResult, Summary};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(count), Some(interval)) = (
        args.get(1).and_then(|a| a.parse::<SocketAddr>().ok()),
        args.get(2).and_then(|a| a.parse::<u64>().ok()),
        args.get(3).and_then(|a| a.parse::<f64>().ok()),
    ) else {
        eprintln!("usage: raw-connect IP:PORT COUNT INTERVAL_MS");
        std::process::exit(2);
    };
    let interval = Duration::from_secs_f64(interval / 1000.0);
    let mut ok = Vec::new();
    let mut by = ByResult::default();
    for _ in 0..count {
        let start = Instant::now();
        match TcpStream::connect(addr) {
            Ok(s) => {
                ok.push(start.elapsed().as_secs_f64() * 1000.0);
                drop(s);
                by.ok += 1;
            }
            Err(_) => by.error += 1,
        }
        if let Some(rest) = (start + interval).checked_duration_since(Instant::now()) {
            std::thread::sleep(rest);
        }
    }
    println!("{}", serde_json::to_string(&Summary::from_parts(count, ok, by)).unwrap());
}
