//! `erdiag parse` as users run it: exit codes and where warnings go.

mod common;
use common::*;

const ARP_WITH_GARBAGE: &str = "router#show ip arp\nProtocol  Address          Age (min)  Hardware Addr   Type   Interface\nInternet  172.16.0.1              -   5c5e.ab0d.4f01  ARPA   Gi0/0/1.100\ngarbage line\n";

/// A line not understood is a warning (exit 1); `--strict` makes it an error (exit 2).
#[test]
fn strict_turns_warnings_into_an_error() {
    let file = write_tmp("parse-strict.txt", ARP_WITH_GARBAGE.as_bytes());
    let o = erdiag(&["parse", &file]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning:") && stderr(&o).contains("line 4"), "{}", stderr(&o));
    assert!(stdout(&o).contains("172.16.0.1"));
    let o = erdiag(&["parse", &file, "--strict"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("1 warnings") && err.contains("--strict"), "{err}");
    // The records are still printed.
    assert!(stdout(&o).contains("172.16.0.1"));
}
