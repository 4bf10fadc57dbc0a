//! The table and markdown renderings of several scenarios, pinned. Update
//! with `INSTA_UPDATE=always cargo test` (or `cargo insta review`) after an
//! intended change, and read the diff.

mod common;
use common::*;

const PINNED: &[&str] = &["healthy-private", "ipv6-session-down-secondary", "vlan-mismatch", "secondary-path-down", "md5-mismatch", "arp-call-failed", "gateway-maintenance", "acl-test-msee-silent"];

#[test]
fn table_renderings() {
    for n in PINNED {
        let out = erdiag(&["demo", n, "--offline", "-o", "table", "--color", "never"]);
        insta::assert_snapshot!(format!("table-{n}"), stdout(&out));
    }
}

#[test]
fn markdown_renderings() {
    for n in PINNED {
        let out = erdiag(&["demo", n, "--offline", "-o", "markdown"]);
        insta::assert_snapshot!(format!("markdown-{n}"), stdout(&out));
    }
}
