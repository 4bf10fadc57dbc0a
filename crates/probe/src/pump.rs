//! The data connections of a throughput test: one task per stream that
//! sends blocks or drains them, counting bytes, until told to stop.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The streams of one test and their byte counters.
pub struct Pumps {
    counters: Vec<Arc<AtomicU64>>,
    tasks: Vec<JoinHandle<TcpStream>>,
    stop: watch::Sender<bool>,
}

/// A block of iperf3-like filler: bytes that do not compress.
pub fn payload(size: usize) -> Arc<[u8]> {
    let mut x: u32 = 0x9E37_79B9;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

impl Pumps {
    /// Starts one task per stream: senders write `block` again and again,
    /// receivers read and discard. `send` false with `idle` true leaves the
    /// streams open but unused (the no-load stage).
    pub fn start(streams: Vec<TcpStream>, send: bool, block: Arc<[u8]>, idle: bool) -> Pumps {
        let (stop, rx) = watch::channel(false);
        let mut counters = Vec::new();
        let mut tasks = Vec::new();
        for stream in streams {
            let counter = Arc::new(AtomicU64::new(0));
            counters.push(counter.clone());
            let mut rx = rx.clone();
            let block = block.clone();
            tasks.push(tokio::spawn(async move {
                let mut stream = stream;
                if idle {
                    let _ = rx.wait_for(|v| *v).await;
                } else if send {
                    loop {
                        tokio::select! {
                            biased;
                            _ = rx.wait_for(|v| *v) => break,
                            r = stream.write(&block) => match r {
                                Ok(0) | Err(_) => break,
                                Ok(n) => { counter.fetch_add(n as u64, Ordering::Relaxed); }
                            },
                        }
                    }
                } else {
                    let mut buf = vec![0u8; block.len().max(64 * 1024)];
                    loop {
                        tokio::select! {
                            biased;
                            _ = rx.wait_for(|v| *v) => break,
                            r = stream.read(&mut buf) => match r {
                                Ok(0) | Err(_) => break,
                                Ok(n) => { counter.fetch_add(n as u64, Ordering::Relaxed); }
                            },
                        }
                    }
                }
                stream
            }));
        }
        Pumps { counters, tasks, stop }
    }

    /// Bytes counted so far on each stream.
    pub fn bytes(&self) -> Vec<u64> {
        self.counters.iter().map(|c| c.load(Ordering::Relaxed)).collect()
    }

    /// Stops sending or reading on every stream and returns the final counts
    /// and the connections, still open: iperf3 closes them only once the
    /// results are exchanged.
    pub async fn finish(self) -> (Vec<u64>, Vec<TcpStream>) {
        let _ = self.stop.send(true);
        let mut streams = Vec::with_capacity(self.tasks.len());
        for t in self.tasks {
            if let Ok(s) = t.await {
                streams.push(s);
            }
        }
        (self.counters.iter().map(|c| c.load(Ordering::Relaxed)).collect(), streams)
    }
}
