//! `erdiag watch --once --notify URL` (cron): the message of a circuit
//! found failing reaches the webhook before the process exits, and the
//! webhook's secret path never reaches the logs.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

/// A webhook answering 200 to each POST; the bodies, as they arrive.
fn webhook() -> (u16, std::sync::mpsc::Receiver<String>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for s in l.incoming().map_while(Result::ok) {
            let mut r = BufReader::new(s);
            let mut len = 0;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = r.read_exact(&mut body);
            let _ = r.get_mut().write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = tx.send(String::from_utf8_lossy(&body).into_owned());
        }
    });
    (port, rx)
}

#[test]
fn once_delivers_the_change_before_it_exits() {
    let (port, bodies) = webhook();
    let url = format!("http://127.0.0.1:{port}/workflows/SECRET-PATH?sig=SECRET-SIG");
    let out = erdiag(&["watch", "--scenario", "secondary-path-down", "--once", "--no-listen", "--notify", &url]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let body = bodies.try_recv().expect("the message arrived before erdiag exited");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: body {body:?}; stderr {err}"));
    assert_eq!(v["format"], "erdiag-notification/1");
    assert!(v["from"].is_null(), "first seen");
    assert_ne!(v["to"]["verdict"], "healthy");
    assert!(bodies.try_recv().is_err(), "one message");
    assert!(!err.contains("SECRET"), "{err}");
    assert!(err.contains(&format!("http://127.0.0.1:{port}/…")), "{err}");
}
