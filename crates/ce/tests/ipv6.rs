//! IPv6 BGP neighbours are records, not warnings and not dropped: a CE's
//! summary of both address families (genieparser's IOS-XE `show bgp all
//! summary` golden output, and a wrapped IPv6 neighbour as IOS prints one
//! too long for its column) gives one row per neighbour with its address
//! family, so that the CE cross-check can hold the IPv6 session against the
//! peering's /126 and never read it as the IPv4 one.

mod common;

use erdiag_ce::{parse, Model, Platform};
use erdiag_ce::model::BgpState;

fn rows(text: &str) -> Vec<erdiag_ce::model::BgpNeighborSummary> {
    let p = parse(text, Some(Platform::CiscoIos), None).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    match p.model {
        Model::BgpSummary(r) => r,
        other => panic!("not a BGP summary: {other:?}"),
    }
}

#[test]
fn both_families_of_show_bgp_all_summary_are_rows_with_their_family() {
    let Some(root) = common::conformance_corpus("genieparser", "the IPv6 neighbour conformance test") else { return };
    let text = std::fs::read_to_string(root.join("genieparser/iosxe/ShowBgpAllSummary/golden_output4_output.txt")).unwrap();
    // The capture ends with the router's bare prompt, which the summary
    // parser reports as a row it cannot read: not what is tested here.
    let text: String = text.lines().filter(|l| !l.trim_end().ends_with('#')).map(|l| format!("{l}\n")).collect();
    let r = rows(&text);
    let family = |f: &str| r.iter().filter(|x| x.address_family.as_deref() == Some(f)).collect::<Vec<_>>();
    let (v4, v6) = (family("IPv4 Unicast"), family("IPv6 Unicast"));
    assert!(!v4.is_empty() && !v6.is_empty(), "{r:#?}");
    for x in &v6 {
        assert!(x.neighbor.parse::<std::net::Ipv6Addr>().is_ok(), "{x:?}");
        assert_eq!(x.state, BgpState::Established, "{x:?}");
    }
    assert!(v4.iter().all(|x| x.neighbor.parse::<std::net::Ipv4Addr>().is_ok()), "{v4:#?}");
}

#[test]
fn a_wrapped_ipv6_neighbour_is_one_row() {
    let r = rows(
        "ce2#show bgp ipv6 unicast summary
BGP router identifier 10.2.20.2, local AS number 65020
BGP table version is 5, main routing table version 5

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
2001:DB8:2C0:10::6
                4        12076       0       0        1    0    0 never    Active
",
    );
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].neighbor.as_str(), r[0].remote_as, &r[0].state), ("2001:DB8:2C0:10::6", Some(12076), &BgpState::Active));
}
