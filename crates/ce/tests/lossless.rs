//! Outputs whose lines parsers used to drop or misread without a word: each
//! fixture of `fixtures/lossless/` is one such class, and every line of its
//! table must become a record or a warning.

use erdiag_ce::Platform;
use serde_json::Value;

/// The typed records (as JSON) and the warnings' line numbers.
fn parse(name: &str, platform: Platform, command: Option<&str>) -> (Vec<Value>, Vec<usize>) {
    let path = format!("{}/tests/fixtures/lossless/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let p = erdiag_ce::parse(&text, Some(platform), command).unwrap_or_else(|e| panic!("{name}: {e}"));
    let model = serde_json::to_value(&p.model).unwrap();
    (model["records"].as_array().cloned().unwrap_or_default(), p.warnings.iter().map(|w| w.line).collect())
}

/// `field` of every record, as strings (`-` for null).
fn col(recs: &[Value], field: &str) -> Vec<String> {
    recs.iter()
        .map(|r| match &r[field] {
            Value::String(s) => s.clone(),
            Value::Null => "-".into(),
            v => v.to_string(),
        })
        .collect()
}

#[test]
fn ios_summary_ipv6_neighbours_wrapped_or_not_and_asdot() {
    let (r, w) = parse("ios_bgp_summary_ipv6.txt", Platform::CiscoIos, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "neighbor"), ["2001:db8::1", "2001:db8:400::4:1"]);
    assert_eq!(col(&r, "remote_as"), ["200", "4259905636"]);
    assert_eq!(col(&r, "remote_as_asdot"), ["-", "65001.100"]);
    assert_eq!(col(&r, "state"), ["established", "idle"]);
    assert_eq!(col(&r, "address_family"), ["IPv6 Unicast", "IPv6 Unicast"]);
}

#[test]
fn nxos_summary_asdot_and_ipv6_on_three_lines_with_the_address_family() {
    let (r, w) = parse("nxos_bgp_summary_asdot_ipv6.txt", Platform::CiscoNxos, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "neighbor"), ["10.0.0.2", "2001:db8:54:2000::1"]);
    assert_eq!(col(&r, "remote_as"), ["4259905636", "4130103024"]);
    assert_eq!(col(&r, "remote_as_asdot"), ["65001.100", "-"]);
    assert_eq!(col(&r, "state"), ["established", "active"]);
    assert_eq!(col(&r, "prefixes_received"), ["3", "-"]);
    assert_eq!(col(&r, "address_family"), ["IPv4 Unicast", "IPv6 Unicast"]);
}

#[test]
fn xr_summary_asdot_and_ipv6_rows() {
    let (r, w) = parse("xr_bgp_summary_asdot_ipv6.txt", Platform::CiscoXr, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "neighbor"), ["10.0.0.2", "2001:db8::5"]);
    assert_eq!(col(&r, "remote_as"), ["4259905636", "65003"]);
    assert_eq!(col(&r, "prefixes_received"), ["3", "5"]);
}

#[test]
fn junos_counts_on_the_peer_line_belong_to_that_peer() {
    let (r, w) = parse("junos_bgp_summary_counts_on_peer_line.txt", Platform::JuniperJunos, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "neighbor"), ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    assert_eq!(col(&r, "state"), ["established", "established", "active"]);
    assert_eq!(col(&r, "prefixes_received"), ["10", "10", "-"]);
    assert_eq!(col(&r, "prefixes_accepted"), ["10", "10", "-"]);
    assert_eq!(col(&r, "up_down"), ["43:11", "1d 2:03:04", "5:01"]);
}

/// Shifted columns, a blank status, four status codes, a deeper indent and
/// a VPLS network: each line a path with its own network and numbers.
#[test]
fn ios_bgp_table_rows_off_the_fixed_columns() {
    let (r, w) = parse("ios_bgp_table_irregular.txt", Platform::CiscoIos, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "prefix"), ["10.36.3.0/24", "10.36.3.0/24", "10.1.1.0/24", "0.0.0.0", "10.2.0.0/16", "10.3.0.0/16", "100:1051:VEID-2:Blk-1/136"]);
    assert_eq!(col(&r, "next_hop"), ["10.36.3.254", "0.0.0.0", "0.0.0.0", "192.0.2.1", "192.0.2.5", "192.0.2.9", "0.0.0.0"]);
    assert_eq!(col(&r, "metric"), ["0", "0", "0", "0", "0", "0", "-"]);
    assert_eq!(col(&r, "weight"), ["0", "32768", "32768", "0", "0", "0", "32768"]);
    assert_eq!(col(&r, "as_path"), ["[65530]", "[]", "[]", "[12076]", "[12076]", "[12076]", "[]"]);
}

/// A path whose network line was not understood is a warning, not a path
/// of no network.
#[test]
fn ios_bgp_table_path_without_a_network_is_a_warning() {
    let text = "     Network          Next Hop            Metric LocPrf Weight Path\n *>  ??garbage??\n                      0.0.0.0                  0         32768 ?\n";
    let p = erdiag_ce::parse(text, Some(Platform::CiscoIos), Some("show ip bgp")).unwrap();
    assert!(p.model.is_empty(), "{:?}", p.model);
    assert_eq!(p.warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [2, 3, 0]);
}

#[test]
fn frr_ipv6_paths_on_two_and_three_lines() {
    let (r, w) = parse("frr_bgp_ipv6_multiline.txt", Platform::Frr, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "prefix"), ["2001:db8:1::/48", "2001:db8:3::/48", "2001:db8:2::/48"]);
    assert_eq!(col(&r, "next_hop"), ["fe80::a8c1:abff:fe12:3456", "2001:db8:ffff:ffff:ffff:ffff:ffff:1", "::"]);
    assert_eq!(col(&r, "as_path"), ["[65001]", "[65003]", "[]"]);
}

/// `Route not found` in one VRF is no route there (the ntc view keeps
/// ntc-templates' record).
#[test]
fn nxos_route_not_found_invents_no_route() {
    let (r, w) = parse("nxos_route_not_found.txt", Platform::CiscoNxos, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "vrf"), ["default"]);
    assert_eq!(col(&r, "prefix"), ["10.9.9.0/24"]);
}

#[test]
fn eos_summary_ipv6_neighbours_and_asdot() {
    let (r, w) = parse("eos_bgp_summary_ipv6_asdot.txt", Platform::AristaEos, None);
    assert_eq!(w, Vec::<usize>::new());
    let fields = ["neighbor", "remote_as", "remote_as_asdot", "state", "prefixes_received", "description", "local_as"];
    let by_record: Vec<Vec<String>> = (0..r.len()).map(|i| fields.iter().map(|f| col(&r, f)[i].clone()).collect()).collect();
    // `local AS number 65000.100` is 4259840100, not 65000.
    assert_eq!(
        by_record,
        [
            ["10.0.0.2", "12076", "-", "established", "5", "to-msee-primary", "4259840100"],
            ["2001:db8:c0::2", "12076", "-", "established", "3", "to-msee-v6", "4259840100"],
            ["2001:db8:ffff::1", "4259905636", "65001.100", "active", "-", "-", "4259840100"],
        ]
    );
}

#[test]
fn junos_show_arp_with_names() {
    // Detected as what it is, without the prompt's command: the Name
    // column is `show arp`'s.
    let text = std::fs::read_to_string(format!("{}/tests/fixtures/lossless/junos_show_arp.txt", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let pasted = text.split_once('\n').unwrap().1;
    assert_eq!(erdiag_ce::parse(pasted, None, None).unwrap().command, "show arp");
    let no_resolve = "MAC Address       Address         Interface     Flags\n00:05:86:71:66:01 10.1.0.1        fxp0.0        none\n";
    assert_eq!(erdiag_ce::parse(no_resolve, None, None).unwrap().command, "show arp no-resolve");
    let (r, w) = parse("junos_show_arp.txt", Platform::JuniperJunos, None);
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "ip"), ["10.1.0.1", "10.19.198.26"]);
    assert_eq!(col(&r, "interface"), ["fxp0.0", "ge-0/0/2.0"]);
    let (r, _) = parse("junos_show_arp.txt", Platform::JuniperJunos, Some("show arp"));
    assert_eq!(col(&r, "interface"), ["fxp0.0", "ge-0/0/2.0"]);
}

#[test]
fn ios_interfaces_indented_or_not() {
    let (r, w) = parse("ios_interfaces_indented.txt", Platform::CiscoIos, Some("show interfaces"));
    assert_eq!(w, Vec::<usize>::new());
    assert_eq!(col(&r, "name"), ["BDI105", "ucse1/0/0"]);
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.contains("10.95.2.253") && text.contains("10.19.14.1"), "{text}");
}

#[test]
fn unsupported_variants_are_refused_naming_what_is_supported() {
    for (p, c) in [
        (Platform::CiscoXr, "show arp detail"),
        (Platform::CiscoXr, "show bgp neighbors 10.0.0.1 advertised-routes"),
        (Platform::CiscoNxos, "show bgp vrf all all neighbors 10.0.0.1 advertised-routes"),
        (Platform::CiscoNxos, "show ip bgp neighbors 10.0.0.1 received-routes"),
        (Platform::CiscoIos, "show ip bgp neighbors 10.0.0.1 routes"),
    ] {
        match erdiag_ce::parse("x\n", Some(p), Some(c)) {
            Err(e @ erdiag_ce::ParseError::UnknownCommand { .. }) => assert!(e.to_string().contains("supported commands are"), "{e}"),
            other => panic!("{p} `{c}`: {:?}", other.map(|p| p.command)),
        }
    }
}

/// An output pasted with every line indented (from a mail or a document)
/// reads as the output itself.
#[test]
fn a_uniform_indentation_is_taken_off() {
    for (name, platform) in [("ios_bgp_table_irregular.txt", Platform::CiscoIos), ("nxos_bgp_summary_asdot_ipv6.txt", Platform::CiscoNxos), ("junos_show_arp.txt", Platform::JuniperJunos)] {
        let path = format!("{}/tests/fixtures/lossless/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let indented: String = text.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("    {l}\n") }).collect();
        let a = erdiag_ce::parse(&text, None, None).unwrap();
        let b = erdiag_ce::parse(&indented, None, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((b.platform, b.command), (platform, a.command), "{name}");
        assert_eq!(b.model, a.model, "{name}");
        assert_eq!(b.warnings, a.warnings, "{name}");
    }
}
