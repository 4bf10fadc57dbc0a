//! Property tests: no input makes a parser panic (arbitrary text, any
//! truncation of a real output, with and without `--platform`/`--command`),
//! and generated tables come back field for field.
//!
//! The fuzz targets in `crates/ce/fuzz/` explore the same properties with
//! coverage guidance; these run in every `cargo test`.

mod common;

use erdiag_ce::{parse, supported, Platform};
use proptest::prelude::*;

/// `tests/fixtures/NAME`.
fn show_fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The first `cut` bytes of `text`, or fewer to end on a character boundary.
fn prefix(text: &str, cut: usize) -> &str {
    let mut cut = cut.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Text that looks like router output: words, numbers, addresses, the
/// punctuation of the formats, odd whitespace.
fn routerish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("BGP".to_string()),
        Just("neighbor".to_string()),
        Just("is".to_string()),
        Just("Neighbor".to_string()),
        Just("Network".to_string()),
        Just("Next Hop".to_string()),
        Just("via".to_string()),
        Just("*>".to_string()),
        Just("*>i".to_string()),
        Just(" * ia".to_string()),
        Just("[110/20]".to_string()),
        Just("Estab".to_string()),
        Just("Idle (Admin)".to_string()),
        Just("VRF:".to_string()),
        Just("Routing Table:".to_string()),
        Just("Gateway of last resort".to_string()),
        Just("For address family:".to_string()),
        Just("remote AS".to_string()),
        Just(",".to_string()),
        Just("/".to_string()),
        Just("\t".to_string()),
        Just("\u{a0}".to_string()),
        Just("é".to_string()),
        "[0-9]{1,4}".prop_map(|s| s),
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(/[0-9]{1,2})?",
        "[a-zA-Z]{1,12}",
        "[ ]{1,20}",
    ];
    prop::collection::vec(prop::collection::vec(token, 0..14).prop_map(|t| t.join(" ")), 0..30).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_parser_panics_on_arbitrary_text(text in "(?s).{0,400}") {
        let _ = parse(&text, None, None);
        for (p, c, _) in supported() {
            let _ = parse(&text, Some(p), Some(c));
        }
    }

    #[test]
    fn no_parser_panics_on_router_like_text(text in routerish()) {
        let _ = parse(&text, None, None);
        for (p, c, _) in supported() {
            let _ = parse(&text, Some(p), Some(c));
        }
    }

    #[test]
    fn truncated_fixtures_never_panic(cut in 0usize..5000, which in 0usize..6) {
        let names = ["show_bgp_summary.txt", "show_bgp_neighbors.txt", "show_ip_bgp.txt", "show_ip_route.txt", "show_arp_sonic.txt", "ip_neigh.txt"];
        let text = show_fixture(&format!("frr/{}", names[which]));
        let t = prefix(&text, cut);
        let _ = parse(t, None, None);
        let _ = parse(t, Some(Platform::Frr), None);
        let _ = parse(t, Some(Platform::CiscoIos), None);
    }

    /// IOS `show ip bgp summary` rows, asplain and asdot, counts and states.
    #[test]
    fn ios_bgp_summary_round_trips(rows in prop::collection::vec((
        (1u8..=223, any::<u8>(), any::<u8>(), 1u8..=254),
        prop_oneof![(1u32..=4_294_967_295).prop_map(|a| a.to_string()), (1u32..=65535, 0u32..=65535).prop_map(|(a, b)| format!("{a}.{b}"))],
        (0u32..100_000_000, 0u32..100_000_000),
        prop_oneof![Just("3w0d".to_string()), Just("01:02:03".to_string()), Just("never".to_string()), Just("1y10w".to_string())],
        prop_oneof![(0u32..2_000_000).prop_map(|n| n.to_string()), Just("Idle".to_string()), Just("Active".to_string()), Just("Idle (Admin)".to_string()), Just("Idle (PfxCt)".to_string())],
    ), 1..40)) {
        let mut text = String::from("BGP router identifier 10.0.0.1, local AS number 65000\nBGP table version is 5, main routing table version 5\n\nNeighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd\n");
        for ((a, b, c, d), asn, (rcvd, sent), up, state) in &rows {
            let ip = format!("{a}.{b}.{c}.{d}");
            text.push_str(&format!("{ip:<15} 4 {asn:>12} {rcvd:>7} {sent:>7} {:>8}    0    0 {up:<8} {state:>12}\n", 5));
        }
        let p = parse(&text, Some(Platform::CiscoIos), Some("show ip bgp summary")).unwrap();
        prop_assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        prop_assert_eq!(p.records_ntc.len(), rows.len());
        let erdiag_ce::Model::BgpSummary(typed) = &p.model else { panic!() };
        for (((a, b, c, d), asn, (rcvd, _), up, state), (r, t)) in rows.iter().zip(p.records_ntc.iter().zip(typed)) {
            let ip = format!("{a}.{b}.{c}.{d}");
            prop_assert_eq!(r["bgp_neighbor"].as_str(), Some(ip.as_str()));
            prop_assert_eq!(r["neighbor_as"].as_str(), Some(asn.as_str()));
            let rcvd = rcvd.to_string();
            prop_assert_eq!(r["messages_received"].as_str(), Some(rcvd.as_str()));
            prop_assert_eq!(r["up_down"].as_str(), Some(up.as_str()));
            prop_assert_eq!(r["state_or_prefixes_received"].as_str(), Some(state.as_str()));
            prop_assert_eq!(t.remote_as, erdiag_ce::model::parse_asn(asn));
            prop_assert_eq!(t.prefixes_received, state.parse::<u64>().ok());
        }
    }

    /// IOS `show ip bgp` paths: one-line, continuation and two-line networks.
    #[test]
    fn ios_bgp_table_round_trips(paths in prop::collection::vec((
        (1u8..=223, any::<u8>(), any::<u8>(), prop_oneof![Just((0u8, 24u8)), Just((128, 25)), Just((192, 26)), Just((0, 16))]),
        prop::bool::ANY,
        (1u8..=223, 0u8..=255, 0u8..=255, 1u8..=254),
        prop::option::of(0u32..4_000_000_000),
        prop::option::of(0u32..1000),
        prop_oneof![Just(0u32), Just(32768)],
        prop::collection::vec(1u32..400_000, 0..6),
        prop_oneof![Just('i'), Just('e'), Just('?')],
    ), 1..60)) {
        let mut text = String::from("BGP table version is 9, local router ID is 10.0.0.1\n\n     Network          Next Hop            Metric LocPrf Weight Path\n");
        let mut expected = Vec::new();
        let mut last_net = String::new();
        for (i, ((a, b, c, (last, len)), same, (w, x, y, z), metric, lp, weight, aspath, origin)) in paths.iter().enumerate() {
            let net = if *same && i > 0 { last_net.clone() } else { format!("{a}.{b}.{c}.{last}/{len}") };
            let nh = format!("{w}.{x}.{y}.{z}");
            let m = metric.map(|m| m.to_string()).unwrap_or_default();
            let l = lp.map(|l| l.to_string()).unwrap_or_default();
            let path = aspath.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
            let sep = if path.is_empty() { "" } else { " " };
            let tail = format!("{nh:<15} {m:>10} {l:>6} {weight:>6} {path}{sep}{origin}");
            if *same && i > 0 {
                text.push_str(&format!(" *   {:16} {tail}\n", ""));
            } else if net.len() >= 17 {
                text.push_str(&format!(" *>  {net}\n{:20}{tail}\n", ""));
            } else {
                text.push_str(&format!(" *>  {net:<16} {tail}\n"));
            }
            expected.push((net.clone(), nh, m, l, weight.to_string(), path, origin.to_string()));
            last_net = net;
        }
        let p = parse(&text, Some(Platform::CiscoIos), Some("show ip bgp")).unwrap();
        prop_assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        prop_assert_eq!(p.records_ntc.len(), expected.len());
        for (r, (net, nh, m, l, w, path, o)) in p.records_ntc.iter().zip(&expected) {
            prop_assert_eq!(r["network"].as_str(), Some(net.as_str()));
            prop_assert_eq!(r["next_hop"].as_str(), Some(nh.as_str()));
            prop_assert_eq!(r["metric"].as_str(), Some(m.as_str()));
            prop_assert_eq!(r["local_pref"].as_str(), Some(l.as_str()));
            prop_assert_eq!(r["weight"].as_str(), Some(w.as_str()));
            prop_assert_eq!(r["as_path"].as_str(), Some(path.as_str()));
            prop_assert_eq!(r["origin"].as_str(), Some(o.as_str()));
        }
    }

    /// ARP tables of four platforms.
    #[test]
    fn arp_tables_round_trip(entries in prop::collection::vec(((1u8..=223, any::<u8>(), any::<u8>(), 1u8..=254), any::<[u8; 6]>(), 0u32..240, prop::bool::ANY), 1..40)) {
        let mut ios = String::from("Protocol  Address          Age (min)  Hardware Addr   Type   Interface\n");
        let mut nxos = String::from("IP ARP Table for context default\nTotal number of entries: 1\nAddress         Age       MAC Address     Interface\n");
        let mut eos = String::from("Address         Age (sec)  Hardware Addr   Interface\n");
        let mut junos = String::from("MAC Address       Address         Interface     Flags\n");
        for ((a, b, c, d), mac, age, incomplete) in &entries {
            let ip = format!("{a}.{b}.{c}.{d}");
            let dotted = format!("{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
            let colons = mac.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":");
            if *incomplete {
                ios.push_str(&format!("Internet  {ip:<15} {age:>8}   Incomplete      ARPA\n"));
            } else {
                ios.push_str(&format!("Internet  {ip:<15} {age:>8}   {dotted}  ARPA   Vlan10\n"));
            }
            nxos.push_str(&format!("{ip:<15} 00:{:02}:{:02}  {dotted}  Vlan10\n", age % 60, age % 60));
            eos.push_str(&format!("{ip:<15} {age:>9}  {dotted}  Vlan10, Ethernet1\n"));
            junos.push_str(&format!("{colons} {ip:<15} ge-0/0/0.10   none\n"));
        }
        for (text, p, c) in [(&ios, Platform::CiscoIos, "show arp"), (&nxos, Platform::CiscoNxos, "show ip arp"), (&eos, Platform::AristaEos, "show ip arp"), (&junos, Platform::JuniperJunos, "show arp no-resolve")] {
            let parsed = parse(text, Some(p), Some(c)).unwrap();
            prop_assert!(parsed.warnings.is_empty(), "{p} {:?}", parsed.warnings);
            let erdiag_ce::Model::Arp(typed) = &parsed.model else { panic!() };
            prop_assert_eq!(typed.len(), entries.len());
            for (t, ((a, b, c, d), mac, _, incomplete)) in typed.iter().zip(&entries) {
                prop_assert_eq!(&t.ip, &format!("{a}.{b}.{c}.{d}"));
                if p == Platform::CiscoIos && *incomplete {
                    prop_assert!(t.incomplete && t.mac.is_none() && t.interface.is_none());
                } else {
                    let m = t.mac.clone().unwrap().replace(['.', ':'], "");
                    prop_assert_eq!(m, mac.iter().map(|x| format!("{x:02x}")).collect::<String>());
                }
            }
        }
    }
}

/// Every prefix (by lines) of every corpus file parses without a panic,
/// with its platform and command and with detection.
#[test]
fn every_truncation_of_the_corpus_parses() {
    let Some(files) = common::corpus_outputs("the corpus truncation property") else { return };
    let mut cases = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let platform = f.components().rev().nth(2).and_then(|c| Platform::from_ntc_name(c.as_os_str().to_str()?));
        let mut cut = 0;
        // Keep the work bounded on the large files: at most 200 cuts each.
        let step = (text.len() / 200).max(1);
        while cut <= text.len() {
            let t = prefix(&text, cut);
            let _ = parse(t, None, None);
            if let Some(p) = platform {
                let _ = parse(t, Some(p), None);
            }
            cases += 1;
            cut += step;
        }
    }
    assert!(cases > 1000, "{cases}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any cut of the interface (and newer BGP table) fixtures of the other platforms parses
    /// without a panic, detected and with its platform and command.
    #[test]
    fn truncated_interface_fixtures_never_panic(cut in 0usize..16_000, which in 0usize..7) {
        let (name, p, c) = [
            ("cisco_nxos/show_interface.txt", Platform::CiscoNxos, "show interface"),
            ("cisco_xr/show_interfaces.txt", Platform::CiscoXr, "show interfaces"),
            ("frr/show_interface.txt", Platform::Frr, "show interface"),
            ("arista_eos/show_interfaces.txt", Platform::AristaEos, "show interfaces"),
            ("cisco_nxos/show_ip_bgp.txt", Platform::CiscoNxos, "show ip bgp"),
            ("arista_eos/show_ip_bgp.txt", Platform::AristaEos, "show ip bgp"),
            ("juniper_junos/show_interfaces.txt", Platform::JuniperJunos, "show interfaces"),
        ][which];
        let text = show_fixture(name);
        let t = prefix(&text, cut);
        let _ = parse(t, None, None);
        let _ = parse(t, Some(p), None);
        if let Ok(parsed) = parse(t, Some(p), Some(c)) {
            prop_assert!(parsed.records_ntc.len() <= parsed.model.len());
        }
    }
}
