//! The VRF and address family of the command as typed — given with
//! `--command` or pasted with the prompt — are the typed records' where the
//! output itself names none; the ntc-templates view stays TextFSM's.

use erdiag_ce::{parse, Model, Platform};

const IOS_V6_SUMMARY: &str = "\
R1#show bgp ipv6 unicast summary
BGP router identifier 10.0.0.1, local AS number 65001
BGP table version is 5, main routing table version 5
3 network entries using 816 bytes of memory

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
2001:DB8::2     4        65002      10      12        5    0    0 00:05:12        3
";

#[test]
fn the_address_family_of_the_pasted_command() {
    let p = parse(IOS_V6_SUMMARY, None, None).unwrap();
    let Model::BgpSummary(s) = &p.model else { panic!("{:?}", p.model) };
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].address_family.as_deref(), Some("IPv6 Unicast"));
    assert_eq!(s[0].vrf, None);
    // ntc-templates' view has no such field.
    assert!(!p.records_ntc[0].contains_key("address_family") || p.records_ntc[0]["address_family"] == "");
}

const IOS_ROUTES: &str = "\
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
Gateway of last resort is not set

      10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks
B        10.1.0.0/16 [20/0] via 192.168.1.1, 00:01:02
C        10.2.0.0/24 is directly connected, GigabitEthernet0/1
";

#[test]
fn the_vrf_of_the_command_given() {
    let p = parse(IOS_ROUTES, Some(Platform::CiscoIos), Some("show ip route vrf BLUE")).unwrap();
    let Model::Routes(r) = &p.model else { panic!("{:?}", p.model) };
    assert_eq!(r.iter().map(|r| r.vrf.as_deref()).collect::<Vec<_>>(), [Some("BLUE"), Some("BLUE")]);
    assert_eq!(p.records_ntc[0]["vrf"], "", "the ntc view is TextFSM's");
    // `vrf all` names no VRF; the output's own header wins over the command.
    let p = parse(IOS_ROUTES, Some(Platform::CiscoIos), Some("show ip route vrf all")).unwrap();
    let Model::Routes(r) = &p.model else { panic!() };
    assert_eq!(r[0].vrf, None);
    let with_header = format!("Routing Table: RED\n{IOS_ROUTES}");
    let p = parse(&with_header, Some(Platform::CiscoIos), Some("show ip route vrf BLUE")).unwrap();
    let Model::Routes(r) = &p.model else { panic!() };
    assert_eq!(r[0].vrf.as_deref(), Some("RED"));
}

#[test]
fn vrf_and_address_family_together() {
    let text = IOS_V6_SUMMARY.replace("R1#show bgp ipv6 unicast summary", "R1#show bgp vpnv4 unicast vrf Cust-A summary");
    let p = parse(&text, None, None).unwrap();
    let Model::BgpSummary(s) = &p.model else { panic!() };
    assert_eq!((s[0].vrf.as_deref(), s[0].address_family.as_deref()), (Some("Cust-A"), Some("VPNv4 Unicast")));
}
