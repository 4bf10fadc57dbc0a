//! Parsers held to fixtures: FRR outputs written from FRR's documented
//! format (ntc-templates has no FRR templates), the typed model derived
//! from the ntc records, detection, and the bad inputs the issue names.

use erdiag_ce::model::{BgpState, Model};
use erdiag_ce::{parse, Kind, ParseError, Platform};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn ntc_str<'a>(r: &'a serde_json::Map<String, serde_json::Value>, k: &str) -> &'a str {
    r.get(k).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("no field {k} in {r:?}"))
}

#[test]
fn frr_bgp_summary() {
    let p = parse(&fixture("frr/show_bgp_summary.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::Frr, "show bgp summary"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let r = &p.records_ntc;
    assert_eq!(r.len(), 6);
    assert_eq!(ntc_str(&r[0], "bgp_neighbor"), "spine01(swp51)");
    assert_eq!(ntc_str(&r[0], "prefixes_sent"), "12");
    assert_eq!(ntc_str(&r[2], "description"), "ExpressRoute primary");
    assert_eq!(ntc_str(&r[3], "state_or_prefixes_received"), "Active");
    assert_eq!(ntc_str(&r[4], "state_or_prefixes_received"), "Idle (Admin)");
    assert_eq!(ntc_str(&r[5], "bgp_neighbor"), "2001:db8:ffff:ffff::a");
    assert_eq!(ntc_str(&r[5], "neighbor_as"), "65009");
    let Model::BgpSummary(m) = &p.model else { panic!() };
    assert_eq!(m[2].remote_as, Some(65000 * 65536 + 100), "asdot to asplain");
    assert_eq!((m[2].state.clone(), m[2].prefixes_received), (BgpState::Established, Some(3)));
    assert_eq!(m[3].state, BgpState::Active);
    assert_eq!((m[4].state.clone(), m[4].state_detail.as_deref()), (BgpState::Idle, Some("Admin")));
    assert_eq!(m[0].local_as, Some(65101));
    assert_eq!(m[0].vrf.as_deref(), Some("default"));
}

#[test]
fn frr_bgp_neighbors() {
    let p = parse(&fixture("frr/show_bgp_neighbors.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::Frr, "show bgp neighbors"));
    let Model::BgpNeighbors(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 2);
    let a = &m[0];
    assert_eq!((a.neighbor.as_str(), a.remote_as, a.local_as), ("172.16.0.1", Some(12076), Some(65001)));
    assert_eq!((a.state.clone(), a.up_for.as_deref()), (BgpState::Established, Some("3d04h12m")));
    assert_eq!((a.password_configured, a.bfd, a.prefixes_received), (Some(true), Some(true), Some(3)));
    assert_eq!((a.route_map_in.as_deref(), a.route_map_out.as_deref()), (Some("FROM-AZURE"), Some("TO-AZURE")));
    assert_eq!(a.description.as_deref(), Some("ExpressRoute primary"));
    let b = &m[1];
    assert_eq!((b.state.clone(), b.password_configured, b.prefixes_received), (BgpState::Active, None, Some(0)));
}

#[test]
fn frr_bgp_table() {
    let p = parse(&fixture("frr/show_ip_bgp.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::Frr, "show ip bgp"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let Model::BgpRoutes(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 5);
    assert_eq!((m[1].prefix.as_str(), m[1].best, m[1].as_path.as_slice()), ("10.1.0.0/16", true, &[12076][..]));
    assert_eq!((m[2].prefix.as_str(), m[2].next_hop.as_str(), m[2].best), ("10.1.0.0/16", "172.16.0.5", false));
    assert!(m[3].internal && m[3].local_pref == Some(100) && m[3].origin == Some("incomplete"));
    assert_eq!((m[4].prefix.as_str(), m[4].next_hop.as_str()), ("2001:db8:1234:5678::/64", "::"));
}

#[test]
fn frr_ip_route() {
    let p = parse(&fixture("frr/show_ip_route.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::Frr, "show ip route"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let Model::Routes(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 5);
    let ecmp = m.iter().find(|r| r.prefix == "10.1.0.0/16").unwrap();
    assert_eq!(ecmp.next_hops.len(), 2);
    assert_eq!(ecmp.next_hops[1].ip.as_deref(), Some("172.16.0.5"));
    assert_eq!(ecmp.next_hops[1].interface.as_deref(), Some("eth3"));
    assert_eq!((ecmp.distance, ecmp.protocol.as_str()), (Some(20), "B"));
    let connected = m.iter().find(|r| r.prefix == "10.0.0.0/24").unwrap();
    assert_eq!(connected.next_hops[0].interface.as_deref(), Some("eth1"));
}

#[test]
fn frr_arp_forms() {
    let p = parse(&fixture("frr/show_arp_sonic.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.kind), (Platform::Frr, Kind::Arp));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let Model::Arp(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].ip.as_str(), m[0].mac.as_deref(), m[0].interface.as_deref()), ("172.16.0.1", Some("00:22:bd:f8:2b:ff"), Some("Ethernet0")));
    let p = parse(&fixture("frr/ip_neigh.txt"), None, None).unwrap();
    let Model::Arp(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 3);
    assert!(m[1].incomplete && m[1].mac.is_none());
}

#[test]
fn typed_model_of_cisco_outputs() {
    let text = "\
router#show ip bgp summary
BGP router identifier 10.0.0.1, local AS number 65000.10
BGP table version is 5, main routing table version 5

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
172.16.0.2      4        12076    4512    4517        5    0    0 3d04h           3
172.16.0.6      4        12076       0       0        1    0    0 never    Idle (Admin)
172.16.0.10     4        12076       0       0        1    0    0 00:01:10 Active
";
    let p = parse(text, None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::CiscoIos, "show ip bgp summary"));
    let Model::BgpSummary(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 3);
    assert_eq!((m[0].remote_as, m[0].local_as, m[0].prefixes_received), (Some(12076), Some(65000 * 65536 + 10), Some(3)));
    assert_eq!((m[1].state.clone(), m[1].state_detail.as_deref()), (BgpState::Idle, Some("Admin")));
    assert_eq!(m[2].state, BgpState::Active);

    let arp = "\
Protocol  Address          Age (min)  Hardware Addr   Type   Interface
Internet  172.16.0.1              -   5c5e.ab0d.4f01  ARPA   GigabitEthernet0/0/1.100
Internet  172.16.0.2              0   Incomplete      ARPA
";
    let p = parse(arp, Some(Platform::CiscoIos), Some("show arp")).unwrap();
    let Model::Arp(m) = &p.model else { panic!() };
    assert_eq!((m[0].mac.as_deref(), m[0].incomplete), (Some("5c5e.ab0d.4f01"), false));
    assert!(m[1].incomplete && m[1].interface.is_none());
}

#[test]
fn junos_peers_that_are_down_reach_the_typed_model() {
    let text = "\
user@mx> show bgp summary
Groups: 1 Peers: 3 Down peers: 2
Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...
172.16.0.2            12076       4512       4517       0       0 3d 4:12:01 Establ
  inet.0: 3/3/3/0
172.16.0.6            12076          0          0       0       0     2:41:36 Active
172.16.0.10           12076          0          0       0       0     2:41:36 Connect
";
    let p = parse(text, None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::JuniperJunos, "show bgp summary"));
    // ntc-templates records the established peer, and the last peer at the end.
    assert_eq!(p.records_ntc.len(), 1);
    let Model::BgpSummary(m) = &p.model else { panic!() };
    let states: Vec<(&str, BgpState)> = m.iter().map(|s| (s.neighbor.as_str(), s.state.clone())).collect();
    assert_eq!(states, vec![("172.16.0.2", BgpState::Established), ("172.16.0.6", BgpState::Active), ("172.16.0.10", BgpState::Connect)]);
    assert_eq!(m[0].prefixes_received, Some(3));
}

#[test]
fn detection_reads_prompts_and_headers() {
    use erdiag_ce::detect;
    let cases: &[(&str, Platform, &str)] = &[
        ("RP/0/RSP0/CPU0:pe1#show bgp summary\nBGP router identifier 10.0.0.1, local AS number 65000\n\nNeighbor        Spk    AS MsgRcvd MsgSent   TblVer  InQ OutQ  Up/Down  St/PfxRcd\n10.0.0.2          0 65001     133     131       23    0    0 01:59:06          4\n", Platform::CiscoXr, "show ip bgp summary"),
        ("user@mx> show arp no-resolve\nMAC Address       Address         Interface     Flags\n00:00:5e:00:01:01 172.16.0.1      ge-0/0/0.100  none\n", Platform::JuniperJunos, "show arp no-resolve"),
        ("BGP summary information for VRF default, address family IPv4 Unicast\nBGP router identifier 1.1.1.1, local AS number 65001\nNeighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd\n10.0.0.2        4 65002    10      10       5    0    0    1d02h 3\n", Platform::CiscoNxos, "show ip bgp summary"),
        ("BGP summary information for VRF default\nRouter identifier 10.0.0.1, local AS number 65001\nNeighbor Status Codes: m - Under maintenance\n  Neighbor  V AS MsgRcvd MsgSent InQ OutQ Up/Down State PfxRcd PfxAcc\n  10.0.0.2  4 65002 10 10 0 0 1d02h Estab 3 3\n", Platform::AristaEos, "show ip bgp summary"),
        ("IP Route Table for VRF \"default\"\n'*' denotes best ucast next-hop\n\n10.0.0.0/24, ubest/mbest: 1/0\n    *via 10.1.1.1, [1/0], 1w0d, static\n", Platform::CiscoNxos, "show ip route"),
    ];
    for (text, p, c) in cases {
        assert_eq!(detect(text), Ok((*p, *c)), "{text}");
        let parsed = parse(text, None, None).unwrap();
        assert!(!parsed.records_ntc.is_empty() && parsed.warnings.is_empty(), "{text}: {:?}", parsed.warnings);
    }
}

#[test]
fn an_empty_advertised_routes_output_is_an_empty_bgp_table() {
    // IOS prints nothing (or only the total) when nothing is advertised: the
    // command typed is all there is to go by, and only one platform's
    // pattern names every word of it.
    for text in [
        "ce1#show ip bgp neighbors 172.16.0.2 advertised-routes\n",
        "ce1#sh ip bgp nei 172.16.0.2 adv\n\nTotal number of prefixes 0 \n",
    ] {
        let p = parse(text, None, None).unwrap();
        assert_eq!((p.platform, p.command), (Platform::CiscoIos, "show ip bgp neighbors advertised-routes"), "{text}");
        assert_eq!(p.model, erdiag_ce::Model::BgpRoutes(Vec::new()), "{text}");
    }
    // A neighbor detail typed the same way is still ambiguous without a body.
    assert!(parse("ce1#show ip bgp neighbors 172.16.0.2\n", None, None).is_err());
}

#[test]
fn unrecognised_and_ambiguous_inputs_are_errors() {
    let e = parse("hello world\nthis is not a router\n", None, None).unwrap_err();
    assert!(matches!(e, ParseError::Detect(erdiag_ce::DetectError::Unrecognised { line: 1, .. })), "{e}");
    assert!(e.to_string().contains("--platform"), "{e}");
    // The IOS/NX-OS/FRR summary header alone, nothing else: which platform?
    let e = parse("Neighbor V AS MsgRcvd MsgSent TblVer InQ OutQ Up/Down State/PfxRcd\n10.0.0.2 4 65002 10 10 5 0 0 1d02h 3\n", None, None).unwrap_err();
    assert!(matches!(e, ParseError::Detect(erdiag_ce::DetectError::Ambiguous { .. })), "{e}");
    assert!(e.to_string().contains("cisco_ios") && e.to_string().contains("--platform"), "{e}");
    // …which --platform settles.
    let p = parse("Neighbor V AS MsgRcvd MsgSent TblVer InQ OutQ Up/Down State/PfxRcd\n10.0.0.2 4 65002 10 10 5 0 0 1d02h 3\n", Some(Platform::CiscoNxos), None).unwrap();
    assert_eq!(p.records_ntc.len(), 1);
    assert_eq!(parse("", None, None).unwrap_err(), ParseError::Detect(erdiag_ce::DetectError::Empty));
    let e = parse("x", Some(Platform::CiscoIos), Some("show version")).unwrap_err();
    assert!(matches!(e, ParseError::UnknownCommand { .. }), "{e}");
}

#[test]
fn another_vendors_output_under_platform_is_an_error() {
    let junos = "Groups: 1 Peers: 1 Down peers: 0\nPeer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...\n172.16.0.2            12076       4512       4517       0       0 3d 4:12:01 Establ\n  inet.0: 3/3/3/0\n";
    let e = parse(junos, Some(Platform::CiscoIos), Some("show ip bgp summary")).unwrap_err();
    assert!(matches!(e, ParseError::WrongPlatform { detected: Platform::JuniperJunos, .. }), "{e}");
    assert!(e.to_string().contains("juniper_junos"), "{e}");
}

#[test]
fn binary_input_is_an_error_naming_the_line() {
    let mut data = b"BGP router identifier 10.0.0.1, local AS number 65000\n".to_vec();
    data.extend_from_slice(b"\x7fELF\x02\x01\x01\x00\x00\x00\n");
    let text = String::from_utf8_lossy(&data).into_owned();
    let e = parse(&text, Some(Platform::CiscoIos), Some("show ip bgp summary")).unwrap_err();
    assert_eq!(e, ParseError::Binary { line: 2 });
    // Through the streaming reader, raw bytes.
    let mut sink = Collect::default();
    let e = erdiag_ce::parse_reader(&data[..], None, None, &mut sink, &erdiag_ce::Limits::default()).unwrap_err();
    assert_eq!(e, ParseError::Binary { line: 2 });
}

#[test]
fn a_truncated_output_parses_partially_with_a_warning_naming_the_line() {
    let text = "\
BGP router identifier 10.0.0.1, local AS number 65000
Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
172.16.0.2      4        12076    4512    4517        5    0    0 3d04h           3
172.16.0.6      4        12076       0";
    let p = parse(text, Some(Platform::CiscoIos), Some("show ip bgp summary")).unwrap();
    assert_eq!(p.records_ntc.len(), 1);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert_eq!(p.warnings[0].line, 4);
}

#[test]
fn long_lines_and_large_inputs_stay_bounded() {
    // A 100 MB input without a newline: refused at the line limit, not read whole.
    struct Endless(u64);
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.0 as usize);
            buf[..n].fill(b'a');
            self.0 -= n as u64;
            Ok(n)
        }
    }
    let mut sink = Collect::default();
    let r = std::io::BufReader::new(Endless(100 << 20));
    let e = erdiag_ce::parse_reader(r, Some(Platform::CiscoIos), Some("show ip arp"), &mut sink, &erdiag_ce::Limits::default()).unwrap_err();
    assert!(matches!(e, ParseError::LineTooLong { line: 1, .. }), "{e}");
    // A size limit.
    let limits = erdiag_ce::Limits { max_bytes: Some(1000), ..Default::default() };
    let text = "Internet  10.0.0.1  -  0000.0c07.ac00  ARPA  Vlan1\n".repeat(100);
    let e = erdiag_ce::parse_reader(text.as_bytes(), Some(Platform::CiscoIos), Some("show ip arp"), &mut sink, &limits).unwrap_err();
    assert_eq!(e, ParseError::TooLarge { limit: 1000 });
    // 100 MB of ARP entries stream through with warnings capped.
    struct Lines(u64, &'static [u8], usize);
    impl std::io::Read for Lines {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let mut n = 0;
            while n < buf.len() && self.0 > 0 {
                buf[n] = self.1[self.2];
                self.2 = (self.2 + 1) % self.1.len();
                n += 1;
                self.0 -= 1;
            }
            Ok(n)
        }
    }
    let mut count = Collect::default();
    let src = Lines(100 << 20, b"Internet  10.0.0.1  -  0000.0c07.ac00  ARPA  Vlan1\nnot an arp line\n", 0);
    let out = erdiag_ce::parse_reader(std::io::BufReader::new(src), Some(Platform::CiscoIos), Some("show ip arp"), &mut count, &erdiag_ce::Limits::default()).unwrap();
    assert!(out.records > 1_500_000, "{}", out.records);
    assert!(count.warnings <= 1001, "{}", count.warnings);
}

#[derive(Default)]
struct Collect {
    records: usize,
    warnings: usize,
}

impl erdiag_ce::Sink for Collect {
    fn record(&mut self, _: &erdiag_ce::Rec<'_>) {
        self.records += 1;
    }
    fn warning(&mut self, _: erdiag_ce::Warning) {
        self.warnings += 1;
    }
}

/// Real FRR 8.4 outputs, captured from `erdiag lab` (crates/cli/tests/lab.rs
/// writes every run's captures to target/tmp/lab-captures).
#[test]
fn frr_lab_captures() {
    // The MSEE on the secondary path has another MD5 key: FRR shows Idle.
    let p = parse(&fixture("frr/lab/show_bgp_summary_md5.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::Frr, "show bgp summary"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let Model::BgpSummary(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].neighbor.as_str(), m[0].remote_as, m[0].local_as), ("172.16.0.2", Some(12076), Some(65020)));
    assert_eq!((m[0].state.clone(), m[0].prefixes_received), (BgpState::Established, Some(1)));
    assert_eq!((m[1].neighbor.as_str(), m[1].state.clone(), m[1].prefixes_received), ("172.16.0.6", BgpState::Idle, None));

    // The provider's link to the CE is down: the MSEE's entry is INCOMPLETE.
    let p = parse(&fixture("frr/lab/ip_neigh_link_down.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.kind), (Platform::Frr, Kind::Arp));
    assert!(p.warnings.is_empty(), "the prompt line is not an entry: {:?}", p.warnings);
    let Model::Arp(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].ip.as_str(), m[0].incomplete, m[0].mac.as_deref(), m[0].interface.as_deref()), ("172.16.0.2", true, None, Some("pri.200")));
    assert_eq!((m[1].ip.as_str(), m[1].incomplete, m[1].mac.as_deref()), ("172.16.0.6", false, Some("32:b3:fc:26:88:8c")));

    // The CE advertises the VNet's prefix itself: its own path is best.
    let p = parse(&fixture("frr/lab/show_ip_bgp_vnet_prefix.txt"), None, None).unwrap();
    assert_eq!((p.platform, p.command), (Platform::Frr, "show ip bgp"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let Model::BgpRoutes(m) = &p.model else { panic!() };
    assert_eq!(m.len(), 6);
    let vnet: Vec<_> = m.iter().filter(|r| r.prefix == "10.1.0.0/16").collect();
    assert_eq!(vnet.len(), 3);
    assert!(vnet[0].best && vnet[0].next_hop == "0.0.0.0");
    assert_eq!((vnet[1].best, vnet[1].next_hop.as_str(), vnet[1].as_path.clone()), (false, "172.16.0.2", vec![12076, 65515]));
}
