//! The ExpressRoute CE fixtures of every dialect (tests/fixtures/): Azure's
//! standard private peering — VLAN 200, primary 172.16.0.0/30 (CE .1,
//! MSEE .2), secondary 172.16.0.4/30 (CE .5, MSEE .6), MSEE AS 12076,
//! local AS 65020, MD5 and BFD — plus QinQ variants. Every field is checked
//! with its exact line and column, and the text found there.

use erdiag_ce::config::{parse_config, Action, CeConfig, Interface, Neighbor, Span, Spanned};
use erdiag_ce::Platform;
use std::net::IpAddr;

pub fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/config/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Parses a fixture both with detection and with its vendor named: the two
/// must agree, and a fixture has no warnings.
fn parse(name: &str, vendor: Platform) -> (String, CeConfig) {
    let text = fixture(name);
    let detected = parse_config(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(detected.platform, vendor, "{name}: detected vendor");
    let named = parse_config(&text, Some(vendor)).unwrap();
    assert_eq!(format!("{detected:?}"), format!("{named:?}"));
    assert!(detected.warnings.is_empty(), "{name}: {:?}", detected.warnings);
    (text, detected)
}

/// The span is at `line`:`col` and covers exactly `want`.
#[track_caller]
fn at(text: &str, span: Span, line: usize, col: usize, want: &str) {
    assert_eq!((span.line, span.column), (line, col), "span of `{want}`");
    let got: String = text.split('\n').nth(line - 1).unwrap().chars().skip(col - 1).take(span.len).collect();
    assert_eq!(got, want, "text at {line}:{col}");
}

#[track_caller]
fn val<T: PartialEq + std::fmt::Debug>(text: &str, s: &Option<Spanned<T>>, v: T, line: usize, col: usize, want: &str) {
    let s = s.as_ref().unwrap_or_else(|| panic!("missing `{want}`"));
    assert_eq!(s.value, v);
    at(text, s.span, line, col, want);
}

#[track_caller]
fn iface<'c>(c: &'c CeConfig, name: &str) -> &'c Interface {
    c.interface(name).unwrap_or_else(|| panic!("no interface {name}"))
}

#[track_caller]
fn nbr<'c>(c: &'c CeConfig, ip: &str) -> &'c Neighbor {
    let ip: IpAddr = ip.parse().unwrap();
    let v: Vec<_> = c.neighbors(ip).collect();
    assert_eq!(v.len(), 1, "neighbors at {ip}");
    v[0]
}

fn net(s: &str) -> ipnet::IpNet {
    s.parse().unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn cisco_ios() {
    let (t, c) = parse("cisco_ios.cfg", Platform::CiscoIos);
    val(&t, &c.hostname, "ce-ams-01".into(), 13, 10, "ce-ams-01");
    assert_eq!(c.interfaces.len(), 6);

    let p = iface(&c, "GigabitEthernet0/0/0.200");
    at(&t, p.name.span, 30, 11, "GigabitEthernet0/0/0.200");
    assert_eq!(p.description.as_deref(), Some("Azure private peering - primary"));
    val(&t, &p.vlan, 200, 32, 22, "200");
    assert!(p.inner_vlan.is_none());
    assert_eq!(p.addresses.len(), 1);
    assert_eq!(p.addresses[0].value, net("172.16.0.1/30"));
    at(&t, p.addresses[0].span, 33, 13, "172.16.0.1 255.255.255.252");
    at(&t, p.bfd.unwrap(), 34, 2, "bfd interval 300 min_rx 300 multiplier 3");
    assert!(p.shutdown.is_none());
    assert!(p.vrf.is_none());
    assert_eq!(p.parent_name(), Some("GigabitEthernet0/0/0"));

    let s = iface(&c, "GigabitEthernet0/0/1.200");
    at(&t, s.name.span, 41, 11, "GigabitEthernet0/0/1.200");
    assert_eq!(s.description.as_deref(), Some("Azure private peering - secondary"));
    val(&t, &s.vlan, 200, 43, 22, "200");
    assert_eq!(s.addresses[0].value, net("172.16.0.5/30"));
    at(&t, s.addresses[0].span, 44, 13, "172.16.0.5 255.255.255.252");
    at(&t, s.bfd.unwrap(), 45, 2, "bfd interval 300 min_rx 300 multiplier 3");

    let phys = iface(&c, "GigabitEthernet0/0/0");
    assert_eq!(phys.description.as_deref(), Some("ER primary - to PE ams-pe-01 port 1/1/4"));
    assert!(phys.addresses.is_empty() && phys.vlan.is_none());
    assert_eq!(iface(&c, "Loopback0").addresses[0].value, net("10.255.0.1/32"));
    assert_eq!(c.interfaces_on_subnet(ip("172.16.0.2")).map(|i| i.name.value.as_str()).collect::<Vec<_>>(), ["GigabitEthernet0/0/0.200"]);
    assert_eq!(c.interfaces_with_address(ip("172.16.0.5")).count(), 1);

    let b = c.bgp.as_ref().unwrap();
    assert_eq!(b.local_as.value, 65020);
    at(&t, b.local_as.span, 51, 12, "65020");
    at(&t, b.span, 51, 1, "router bgp 65020");
    val(&t, &b.router_id, ip("10.255.0.1"), 52, 16, "10.255.0.1");
    assert_eq!(b.networks.len(), 1);
    assert_eq!(b.networks[0].value, net("10.2.20.0/25"));
    at(&t, b.networks[0].span, 65, 11, "10.2.20.0 mask 255.255.255.128");
    assert_eq!(b.redistribute.len(), 1);
    assert_eq!(b.redistribute[0].value, "connected");
    at(&t, b.redistribute[0].span, 66, 16, "connected");
    assert_eq!(b.neighbors.len(), 2);

    for (addr, l0, desc, af0) in [("172.16.0.2", 55, "Azure MSEE primary", 67), ("172.16.0.6", 59, "Azure MSEE secondary", 72)] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 11, addr);
        val(&t, &n.remote_as, 12076, l0, 32, "12076");
        assert_eq!(n.description.as_deref(), Some(desc));
        at(&t, n.password.unwrap(), l0 + 2, 22, "password");
        at(&t, n.bfd.unwrap(), l0 + 3, 22, "fall-over bfd");
        assert!(n.local_as.is_none() && n.shutdown.is_none());
        val(&t, &n.prefix_list_in, "AZURE-IN".into(), af0 + 2, 35, "AZURE-IN");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), af0 + 3, 33, "AZURE-OUT");
        val(&t, &n.max_prefix, 4000, af0 + 4, 38, "4000");
        assert!(n.route_map_in.is_none() && n.prefix_list_out.is_none());
        // `no bgp default ipv4-unicast`, then an explicit `activate`.
        assert_eq!(n.ipv4_unicast_active, Some(true));
        assert_eq!(n.peer_group, None);
        assert_eq!(n.vrf, None);
    }

    assert_eq!(c.prefix_lists.len(), 2);
    let pl = c.prefix_list("AZURE-IN").unwrap();
    at(&t, pl.span, 79, 16, "AZURE-IN");
    assert!(!pl.ipv6);
    assert_eq!(pl.entries.len(), 2);
    let e = &pl.entries[0];
    assert_eq!((e.seq, e.action, e.ge, e.le), (Some(5), Action::Permit, None, Some(24)));
    assert_eq!(e.prefix.value, net("10.1.0.0/16"));
    at(&t, e.prefix.span, 79, 38, "10.1.0.0/16");
    at(&t, e.span, 79, 25, "seq 5 permit 10.1.0.0/16 le 24");
    let e = &pl.entries[1];
    assert_eq!((e.seq, e.action, e.ge, e.le), (Some(100), Action::Deny, None, Some(32)));
    assert_eq!(c.prefix_list("ONPREM").unwrap().entries[0].prefix.value, net("10.2.20.0/25"));

    assert_eq!(c.route_maps.len(), 1);
    let rm = c.route_map("AZURE-OUT").unwrap();
    at(&t, rm.span, 84, 11, "AZURE-OUT");
    assert_eq!(rm.entries.len(), 2);
    let e = &rm.entries[0];
    assert_eq!((e.seq, e.action, e.term.as_deref()), (Some(10), Action::Permit, None));
    at(&t, e.span, 84, 1, "route-map AZURE-OUT permit 10");
    assert_eq!(e.match_prefix_lists.len(), 1);
    assert_eq!(e.match_prefix_lists[0].value, "ONPREM");
    at(&t, e.match_prefix_lists[0].span, 85, 31, "ONPREM");
    assert_eq!(e.sets.len(), 1);
    assert_eq!(e.sets[0].value, "community 65020:200");
    at(&t, e.sets[0].span, 86, 6, "community 65020:200");
    assert_eq!((rm.entries[1].seq, rm.entries[1].action), (Some(100), Action::Deny));
}

#[test]
fn cisco_ios_qinq_vrf_peer_group() {
    let (t, c) = parse("cisco_ios_qinq_vrf.cfg", Platform::CiscoIos);
    val(&t, &c.hostname, "ce-fra-02".into(), 7, 10, "ce-fra-02");
    assert_eq!(c.interfaces.len(), 2);
    for (name, l0, addr) in
        [("TenGigabitEthernet0/1/0.100200", 15, "172.16.0.1/30"), ("TenGigabitEthernet0/1/1.100200", 21, "172.16.0.5/30")]
    {
        let i = iface(&c, name);
        at(&t, i.name.span, l0, 11, name);
        val(&t, &i.vlan, 100, l0 + 2, 22, "100");
        val(&t, &i.inner_vlan, 200, l0 + 2, 39, "200");
        assert_eq!(i.vrf.as_deref(), Some("AZURE"));
        assert_eq!(i.addresses[0].value, net(addr));
        at(&t, i.addresses[0].span, l0 + 4, 13, &format!("{} 255.255.255.252", &addr[..addr.len() - 3]));
    }
    let b = c.bgp.as_ref().unwrap();
    // asdot: 1.10 = 65546.
    assert_eq!(b.local_as.value, 65546);
    at(&t, b.local_as.span, 27, 12, "1.10");
    assert!(b.router_id.is_none());
    at(&t, b.networks[0].span, 42, 11, "10.2.20.0 mask 255.255.255.128");
    for (addr, l0) in [("172.16.0.2", 37), ("172.16.0.6", 39)] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 12, addr);
        assert_eq!(n.vrf.as_deref(), Some("AZURE"));
        assert_eq!(n.peer_group.as_deref(), Some("AZURE"));
        // From the peer group, with the span where the group sets them.
        val(&t, &n.remote_as, 12076, 32, 28, "12076");
        val(&t, &n.local_as, 65020, 33, 27, "65020");
        at(&t, n.password.unwrap(), 34, 18, "password");
        at(&t, n.bfd.unwrap(), 35, 18, "fall-over bfd");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), 36, 28, "AZURE-OUT");
        assert_eq!(n.ipv4_unicast_active, Some(true));
        assert!(n.max_prefix.is_none() && n.description.is_none());
    }
    assert!(nbr(&c, "172.16.0.2").shutdown.is_none());
    at(&t, nbr(&c, "172.16.0.6").shutdown.unwrap(), 41, 23, "shutdown");
}

#[test]
fn cisco_nxos_template() {
    let (t, c) = parse("cisco_nxos.cfg", Platform::CiscoNxos);
    val(&t, &c.hostname, "ce-ams-nx01".into(), 7, 10, "ce-ams-nx01");
    for (name, l0, addr) in [("Ethernet1/1.200", 25, "172.16.0.1/30"), ("Ethernet1/2.200", 32, "172.16.0.5/30")] {
        let i = iface(&c, name);
        at(&t, i.name.span, l0, 11, name);
        val(&t, &i.vlan, 200, l0 + 2, 23, "200");
        assert!(i.inner_vlan.is_none());
        assert_eq!(i.addresses[0].value, net(addr));
        at(&t, i.addresses[0].span, l0 + 3, 14, addr);
        at(&t, i.bfd.unwrap(), l0 + 4, 3, "bfd interval 300 min_rx 300 multiplier 3");
        // `no shutdown` is not a shutdown.
        assert!(i.shutdown.is_none());
    }
    assert_eq!(iface(&c, "mgmt0").vrf.as_deref(), Some("management"));
    let b = c.bgp.as_ref().unwrap();
    at(&t, b.span, 42, 1, "router bgp 65020");
    val(&t, &b.router_id, ip("10.255.0.1"), 43, 13, "10.255.0.1");
    at(&t, b.networks[0].span, 45, 13, "10.2.20.0/25");
    for (addr, l0) in [("172.16.0.2", 53), ("172.16.0.6", 56)] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 12, addr);
        assert_eq!(n.peer_group.as_deref(), Some("AZURE"));
        val(&t, &n.remote_as, 12076, 47, 15, "12076");
        at(&t, n.password.unwrap(), 48, 5, "password");
        at(&t, n.bfd.unwrap(), 49, 5, "bfd");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), 51, 17, "AZURE-OUT");
        val(&t, &n.max_prefix, 4000, 52, 22, "4000");
        // The template's `address-family ipv4 unicast` activates it.
        assert_eq!(n.ipv4_unicast_active, Some(true));
    }
    assert_eq!(nbr(&c, "172.16.0.2").description.as_deref(), Some("Azure MSEE primary"));
    assert!(nbr(&c, "172.16.0.2").shutdown.is_none());
    at(&t, nbr(&c, "172.16.0.6").shutdown.unwrap(), 59, 5, "shutdown");
    let rm = c.route_map("AZURE-OUT").unwrap();
    at(&t, rm.entries[0].match_prefix_lists[0].span, 16, 32, "ONPREM");
    at(&t, c.prefix_list("ONPREM").unwrap().entries[0].prefix.span, 14, 37, "10.2.20.0/25");
}

#[test]
fn cisco_xr_qinq_neighbor_group() {
    let (t, c) = parse("cisco_xr_qinq.cfg", Platform::CiscoXr);
    val(&t, &c.hostname, "ce-ams-xr01".into(), 7, 10, "ce-ams-xr01");
    for (name, l0, addr) in [("TenGigE0/0/0/0.200", 15, "172.16.0.1"), ("TenGigE0/0/0/1.200", 20, "172.16.0.5")] {
        let i = iface(&c, name);
        at(&t, i.name.span, l0, 11, name);
        assert_eq!(i.addresses[0].value, net(&format!("{addr}/30")));
        at(&t, i.addresses[0].span, l0 + 2, 15, &format!("{addr} 255.255.255.252"));
        val(&t, &i.vlan, 100, l0 + 3, 22, "100");
        val(&t, &i.inner_vlan, 200, l0 + 3, 39, "200");
    }
    let b = c.bgp.as_ref().unwrap();
    at(&t, b.span, 41, 1, "router bgp 65020");
    val(&t, &b.router_id, ip("10.255.0.1"), 42, 16, "10.255.0.1");
    at(&t, b.networks[0].span, 44, 11, "10.2.20.0/25");
    for (addr, l0, desc) in [("172.16.0.2", 58, "Azure MSEE primary"), ("172.16.0.6", 62, "Azure MSEE secondary")] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 11, addr);
        assert_eq!(n.description.as_deref(), Some(desc));
        assert_eq!(n.peer_group.as_deref(), Some("AZURE"));
        val(&t, &n.remote_as, 12076, 47, 13, "12076");
        at(&t, n.password.unwrap(), 48, 3, "password");
        at(&t, n.bfd.unwrap(), 49, 3, "bfd fast-detect");
        val(&t, &n.route_map_in, "AZURE-IN".into(), 53, 17, "AZURE-IN");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), 54, 17, "AZURE-OUT");
        val(&t, &n.max_prefix, 4000, 55, 19, "4000");
        assert_eq!(n.ipv4_unicast_active, Some(true));
    }
    let ps = c.prefix_list("ONPREM").unwrap();
    at(&t, ps.span, 25, 12, "ONPREM");
    assert_eq!((ps.entries[0].seq, ps.entries[0].action), (None, Action::Permit));
    at(&t, ps.entries[0].prefix.span, 26, 3, "10.2.20.0/25");
    let rp = c.route_map("AZURE-OUT").unwrap();
    assert_eq!(rp.entries.len(), 1);
    assert_eq!(rp.entries[0].action, Action::Permit);
    at(&t, rp.entries[0].match_prefix_lists[0].span, 34, 21, "ONPREM");
    assert_eq!(c.route_map("AZURE-IN").unwrap().entries[0].action, Action::Permit);
}

#[test]
fn arista_eos_peer_group() {
    let (t, c) = parse("arista_eos.cfg", Platform::AristaEos);
    val(&t, &c.hostname, "ce-ams-eos01".into(), 15, 10, "ce-ams-eos01");
    for (name, l0, addr) in [("Ethernet1.200", 23, "172.16.0.1/30"), ("Ethernet2.200", 29, "172.16.0.5/30")] {
        let i = iface(&c, name);
        at(&t, i.name.span, l0, 11, name);
        val(&t, &i.vlan, 200, l0 + 2, 29, "200");
        assert_eq!(i.addresses[0].value, net(addr));
        at(&t, i.addresses[0].span, l0 + 3, 15, addr);
        at(&t, i.bfd.unwrap(), l0 + 4, 4, "bfd interval 300 min-rx 300 multiplier 3");
    }
    let b = c.bgp.as_ref().unwrap();
    at(&t, b.local_as.span, 46, 12, "65020");
    val(&t, &b.router_id, ip("10.255.0.1"), 47, 14, "10.255.0.1");
    at(&t, b.networks[0].span, 58, 12, "10.2.20.0/25");
    for (addr, l0) in [("172.16.0.2", 54), ("172.16.0.6", 56)] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 13, addr);
        assert_eq!(n.peer_group.as_deref(), Some("AZURE"));
        val(&t, &n.remote_as, 12076, 49, 29, "12076");
        at(&t, n.bfd.unwrap(), 50, 19, "bfd");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), 51, 29, "AZURE-OUT");
        at(&t, n.password.unwrap(), 52, 19, "password");
        val(&t, &n.max_prefix, 4000, 53, 34, "4000");
        assert_eq!(n.ipv4_unicast_active, Some(true));
    }
    let pl = c.prefix_list("ONPREM").unwrap();
    at(&t, pl.entries[0].span, 41, 4, "seq 10 permit 10.2.20.0/25");
}

#[test]
fn frr_vlan_from_the_name() {
    let (t, c) = parse("frr.cfg", Platform::Frr);
    val(&t, &c.hostname, "ce-ams-frr01".into(), 8, 10, "ce-ams-frr01");
    for (name, l0, addr) in [("eth1.200", 14, "172.16.0.1/30"), ("eth2.200", 19, "172.16.0.5/30")] {
        let i = iface(&c, name);
        at(&t, i.name.span, l0, 11, name);
        // No `encapsulation` on Linux: the VLAN is the subinterface's number.
        val(&t, &i.vlan, 200, l0, 16, "200");
        assert_eq!(i.addresses[0].value, net(addr));
        at(&t, i.addresses[0].span, l0 + 2, 13, addr);
        assert!(i.bfd.is_none());
    }
    let b = c.bgp.as_ref().unwrap();
    val(&t, &b.router_id, ip("10.255.0.1"), 25, 16, "10.255.0.1");
    at(&t, b.networks[0].span, 37, 11, "10.2.20.0/25");
    for (addr, l0, af0) in [("172.16.0.2", 27, 38), ("172.16.0.6", 31, 40)] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 11, addr);
        val(&t, &n.remote_as, 12076, l0, 32, "12076");
        at(&t, n.password.unwrap(), l0 + 2, 22, "password");
        at(&t, n.bfd.unwrap(), l0 + 3, 22, "bfd");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), af0, 33, "AZURE-OUT");
        val(&t, &n.max_prefix, 4000, af0 + 1, 38, "4000");
        // FRR's traditional defaults activate IPv4 unicast.
        assert_eq!(n.ipv4_unicast_active, Some(true));
    }
}

#[test]
fn junos_set() {
    let (t, c) = parse("juniper_junos_set.cfg", Platform::JuniperJunos);
    val(&t, &c.hostname, "ce-ams-mx01".into(), 3, 22, "ce-ams-mx01");
    let p = iface(&c, "xe-0/0/0.200");
    at(&t, p.name.span, 7, 16, "xe-0/0/0 unit 200");
    assert_eq!(p.description.as_deref(), Some("Azure private peering - primary"));
    val(&t, &p.vlan, 200, 8, 42, "200");
    assert_eq!(p.addresses[0].value, net("172.16.0.1/30"));
    at(&t, p.addresses[0].span, 9, 54, "172.16.0.1/30");
    let s = iface(&c, "xe-0/0/1.200");
    val(&t, &s.vlan, 100, 12, 50, "100");
    val(&t, &s.inner_vlan, 200, 12, 60, "200");
    at(&t, s.addresses[0].span, 13, 54, "172.16.0.5/30");
    assert_eq!(iface(&c, "xe-0/0/0").description.as_deref(), Some("ER primary - to PE ams-pe-01"));

    let b = c.bgp.as_ref().unwrap();
    val(&t, &Some(b.local_as.clone()), 65020, 15, 39, "65020");
    val(&t, &b.router_id, ip("10.255.0.1"), 14, 31, "10.255.0.1");
    at(&t, b.span, 16, 5, "protocols bgp");
    for (addr, l0, desc) in [("172.16.0.2", 23, "Azure MSEE primary"), ("172.16.0.6", 25, "Azure MSEE secondary")] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 40, addr);
        assert_eq!(n.description.as_deref(), Some(desc));
        assert_eq!(n.peer_group.as_deref(), Some("AZURE"));
        val(&t, &n.remote_as, 12076, 20, 39, "12076");
        at(&t, n.password.unwrap(), l0 + 1, 51, "authentication-key");
        at(&t, n.bfd.unwrap(), 21, 31, "bfd-liveness-detection minimum-interval 300");
        val(&t, &n.route_map_in, "AZURE-IN".into(), 17, 38, "AZURE-IN");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), 19, 38, "AZURE-OUT");
        val(&t, &n.max_prefix, 4000, 18, 72, "4000");
        assert_eq!(n.ipv4_unicast_active, Some(true));
        assert!(n.shutdown.is_none() && n.local_as.is_none());
    }
    let pl = c.prefix_list("ONPREM").unwrap();
    at(&t, pl.span, 27, 32, "ONPREM");
    at(&t, pl.entries[0].prefix.span, 27, 39, "10.2.20.0/25");
    let out = c.route_map("AZURE-OUT").unwrap();
    assert_eq!(out.entries.len(), 2);
    assert_eq!((out.entries[0].term.as_deref(), out.entries[0].action), (Some("ONPREM"), Action::Permit));
    at(&t, out.entries[0].span, 30, 47, "term ONPREM");
    at(&t, out.entries[0].match_prefix_lists[0].span, 30, 76, "ONPREM");
    assert_eq!((out.entries[1].term.as_deref(), out.entries[1].action), (Some("REJECT"), Action::Deny));
    let rf = &c.route_map("AZURE-IN").unwrap().entries[0].match_prefixes[0];
    assert_eq!((rf.prefix.value, rf.ge, rf.le), (net("10.1.0.0/16"), None, Some(32)));
    at(&t, rf.prefix.span, 28, 75, "10.1.0.0/16");
}

#[test]
fn junos_curly() {
    let (t, c) = parse("juniper_junos.conf", Platform::JuniperJunos);
    val(&t, &c.hostname, "ce-ams-mx01".into(), 5, 15, "ce-ams-mx01");
    let p = iface(&c, "xe-0/0/0.200");
    at(&t, p.name.span, 14, 9, "unit 200");
    val(&t, &p.vlan, 200, 16, 21, "200");
    at(&t, p.addresses[0].span, 18, 25, "172.16.0.1/30");
    let s = iface(&c, "xe-0/0/1.200");
    val(&t, &s.vlan, 100, 26, 29, "100");
    val(&t, &s.inner_vlan, 200, 26, 39, "200");
    at(&t, s.addresses[0].span, 28, 25, "172.16.0.5/30");
    let b = c.bgp.as_ref().unwrap();
    at(&t, b.local_as.span, 35, 23, "65020");
    val(&t, &b.router_id, ip("10.255.0.1"), 34, 15, "10.255.0.1");
    at(&t, b.span, 38, 5, "bgp");
    for (addr, l0) in [("172.16.0.2", 55), ("172.16.0.6", 59)] {
        let n = nbr(&c, addr);
        at(&t, n.address.span, l0, 22, addr);
        val(&t, &n.remote_as, 12076, 50, 21, "12076");
        at(&t, n.password.unwrap(), l0 + 2, 17, "authentication-key");
        at(&t, n.bfd.unwrap(), 51, 13, "bfd-liveness-detection");
        val(&t, &n.route_map_in, "AZURE-IN".into(), 41, 20, "AZURE-IN");
        val(&t, &n.route_map_out, "AZURE-OUT".into(), 49, 20, "AZURE-OUT");
        val(&t, &n.max_prefix, 4000, 45, 33, "4000");
        assert_eq!(n.ipv4_unicast_active, Some(true));
    }
    at(&t, c.prefix_list("ONPREM").unwrap().entries[0].prefix.span, 68, 9, "10.2.20.0/25");
    at(&t, c.route_map("AZURE-OUT").unwrap().entries[0].match_prefix_lists[0].span, 80, 30, "ONPREM");
}

/// What a configuration means, without where it is written.
fn meaning(c: &CeConfig) -> String {
    let mut s = format!("host {:?}\n", c.hostname.as_ref().map(|h| &h.value));
    for i in &c.interfaces {
        s += &format!(
            "if {} {:?} vlan {:?}/{:?} {:?} shut {} bfd {} vrf {:?}\n",
            i.name.value,
            i.description,
            i.vlan.as_ref().map(|v| v.value),
            i.inner_vlan.as_ref().map(|v| v.value),
            i.addresses.iter().map(|a| a.value).collect::<Vec<_>>(),
            i.shutdown.is_some(),
            i.bfd.is_some(),
            i.vrf
        );
    }
    if let Some(b) = &c.bgp {
        s += &format!("bgp {} {:?}\n", b.local_as.value, b.router_id.as_ref().map(|r| r.value));
        for n in &b.neighbors {
            s += &format!(
                "nbr {} {:?} {:?} md5 {} bfd {} shut {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}\n",
                n.address.value,
                n.remote_as.as_ref().map(|v| v.value),
                n.local_as.as_ref().map(|v| v.value),
                n.password.is_some(),
                n.bfd.is_some(),
                n.shutdown.is_some(),
                n.description,
                n.route_map_in.as_ref().map(|v| &v.value),
                n.route_map_out.as_ref().map(|v| &v.value),
                n.prefix_list_in.as_ref().map(|v| &v.value),
                n.prefix_list_out.as_ref().map(|v| &v.value),
                n.max_prefix.as_ref().map(|v| v.value),
                n.ipv4_unicast_active,
                n.peer_group,
                n.vrf
            );
        }
    }
    for p in &c.prefix_lists {
        s += &format!("pl {} {:?}\n", p.name, p.entries.iter().map(|e| (e.seq, e.action, e.prefix.value, e.ge, e.le)).collect::<Vec<_>>());
    }
    for r in &c.route_maps {
        for e in &r.entries {
            s += &format!(
                "rm {} {:?} {:?} {:?} {:?} {:?} {:?}\n",
                r.name,
                e.seq,
                e.term,
                e.action,
                e.match_prefix_lists.iter().map(|m| &m.value).collect::<Vec<_>>(),
                e.match_prefixes.iter().map(|m| (m.prefix.value, m.ge, m.le)).collect::<Vec<_>>(),
                e.sets.iter().map(|m| &m.value).collect::<Vec<_>>()
            );
        }
    }
    s
}

#[test]
fn junos_set_and_curly_mean_the_same() {
    let (_, set) = parse("juniper_junos_set.cfg", Platform::JuniperJunos);
    let (_, curly) = parse("juniper_junos.conf", Platform::JuniperJunos);
    assert_eq!(meaning(&set), meaning(&curly));
}

/// What the ExpressRoute cross-check reads is the same in every dialect.
#[test]
fn every_dialect_gives_the_azure_view() {
    for (file, vendor) in [
        ("cisco_ios.cfg", Platform::CiscoIos),
        ("cisco_ios_qinq_vrf.cfg", Platform::CiscoIos),
        ("cisco_nxos.cfg", Platform::CiscoNxos),
        ("cisco_xr_qinq.cfg", Platform::CiscoXr),
        ("arista_eos.cfg", Platform::AristaEos),
        ("frr.cfg", Platform::Frr),
        ("juniper_junos_set.cfg", Platform::JuniperJunos),
        ("juniper_junos.conf", Platform::JuniperJunos),
    ] {
        let (_, c) = parse(file, vendor);
        let b = c.bgp.as_ref().unwrap();
        for (ce, msee) in [("172.16.0.1", "172.16.0.2"), ("172.16.0.5", "172.16.0.6")] {
            let ifs: Vec<_> = c.interfaces_with_address(ip(ce)).collect();
            assert_eq!(ifs.len(), 1, "{file} {ce}");
            let i = ifs[0];
            assert!(i.addresses.iter().any(|a| a.value == net(&format!("{ce}/30"))), "{file}");
            let tag = i.inner_vlan.as_ref().or(i.vlan.as_ref()).map(|v| v.value);
            assert_eq!(tag, Some(200), "{file} {ce}: the peering VLAN");
            let n = nbr(&c, msee);
            assert_eq!(n.remote_as.as_ref().map(|r| r.value), Some(12076), "{file}");
            assert_eq!(n.local_as.as_ref().unwrap_or(&b.local_as).value, 65020, "{file}");
            assert!(n.password.is_some(), "{file}: MD5");
            assert!(n.bfd.is_some(), "{file}: BFD");
            assert_eq!(n.ipv4_unicast_active, Some(true), "{file}");
            assert!(n.route_map_out.is_some(), "{file}");
        }
    }
}
