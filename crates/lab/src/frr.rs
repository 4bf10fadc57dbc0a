//! FRR configurations of the lab's routers, written from the [`LabSpec`]:
//! the CE (AS = the peering's peerASN), the two MSEEs (AS 12076, with the
//! peering's prefix limit) and the VNet gateway (AS 65515). Timers are short
//! (keepalive 1 s, hold 3 s) so that a break shows within seconds; BFD runs
//! on the CE–MSEE sessions.

use crate::spec::{usable, LabSpec, GATEWAY_ASN, MSEE_ASN};
use erdiag_model::DevicePath;
use ipnet::Ipv4Net;
use std::fmt::Write;

/// The CE's interface names: the VLAN is in the name (`pri.200`), as on a
/// Linux router whose subinterface carries the tag.
pub fn ce_interface(p: DevicePath, vlan: u16) -> String {
    format!("{}.{vlan}", if p == DevicePath::Secondary { "sec" } else { "pri" })
}

/// The router (and namespace role) of a path's MSEE.
pub fn msee_role(p: DevicePath) -> &'static str {
    match p {
        DevicePath::Primary => "msee1",
        DevicePath::Secondary => "msee2",
    }
}

/// A BGP neighbor as the lab configures it, one command per line: with a
/// key (the CE–MSEE sessions) MD5 and BFD too. The routers' configuration
/// files and the breaks that re-create a neighbor both use it.
pub fn neighbor_lines(addr: &str, asn: u32, key: Option<&str>) -> Vec<String> {
    let mut v = vec![format!("neighbor {addr} remote-as {asn}")];
    if let Some(k) = key {
        v.push(format!("neighbor {addr} password {k}"));
        v.push(format!("neighbor {addr} bfd"));
    }
    v.push(format!("neighbor {addr} timers 1 3"));
    v.push(format!("neighbor {addr} timers connect 1"));
    v.push(format!("neighbor {addr} advertisement-interval 0"));
    v
}

fn neighbor_common(out: &mut String, addr: &str, asn: u32, key: Option<&str>) {
    for l in neighbor_lines(addr, asn, key) {
        let _ = writeln!(out, " {l}");
    }
}

/// A router's IPv6 neighbors are IPv6 sessions only: FRR's traditional
/// defaults activate every neighbor for IPv4 unicast, so the IPv4
/// address-family deactivates them and the IPv6 one activates them.
fn v6_only(out: &mut String, neighbors: &[String]) {
    for n in neighbors {
        let _ = writeln!(out, "  no neighbor {n} activate");
    }
}

/// The `address-family ipv6 unicast` block: networks and activated
/// neighbors, with an inbound route-map when one is named.
fn ipv6_af(out: &mut String, networks: &[ipnet::Ipv6Net], neighbors: &[String], inbound: Option<&str>) {
    out.push_str(" !\n address-family ipv6 unicast\n");
    for p in networks {
        let _ = writeln!(out, "  network {p}");
    }
    for n in neighbors {
        let _ = writeln!(out, "  neighbor {n} activate");
        if let Some(rm) = inbound {
            let _ = writeln!(out, "  neighbor {n} route-map {rm} in");
        }
    }
    out.push_str(" exit-address-family\n");
}

/// The host address of an IPv6 prefix the lab puts on a loopback (`2001:db8:2c0:100::1/56`).
pub fn host_on6(net: ipnet::Ipv6Net, offset: u128) -> String {
    format!("{}/{}", std::net::Ipv6Addr::from(u128::from(net.network()) + offset), net.prefix_len())
}

/// The host address of a prefix the lab puts on a loopback (`10.2.20.1/25`).
pub fn host_on(net: Ipv4Net, offset: u32) -> String {
    let n = u32::from(net.network());
    format!("{}/{}", std::net::Ipv4Addr::from(n + offset.min(net.hosts().count() as u32)), net.prefix_len())
}

pub fn ce_zebra(spec: &LabSpec) -> String {
    let mut s = String::from("frr defaults traditional\nhostname ce1\n!\n");
    for p in DevicePath::BOTH {
        let net = spec.subnet(p);
        let (ce, _) = usable(net);
        let _ = writeln!(s, "interface {}\n ip address {ce}/{}", ce_interface(p, spec.vlan), net.prefix_len());
        if let Some(v6) = &spec.v6 {
            let _ = writeln!(s, " ipv6 address {}/126", v6.usable(p).0);
        }
        let _ = writeln!(s, "exit\n!");
    }
    let _ = writeln!(s, "interface lo");
    for p in &spec.onprem {
        let _ = writeln!(s, " ip address {}", host_on(*p, 1));
    }
    for p in spec.v6.iter().flat_map(|v6| &v6.onprem) {
        let _ = writeln!(s, " ipv6 address {}", host_on6(*p, 1));
    }
    let _ = writeln!(s, "exit\n!");
    s
}

pub fn ce_bgpd(spec: &LabSpec, key: &str, log: &str) -> String {
    let mut s = format!("frr defaults traditional\nhostname ce1\nlog file {log}\n!\nrouter bgp {}\n bgp router-id {}\n no bgp ebgp-requires-policy\n no bgp network import-check\n", spec.peer_asn, usable(spec.primary).0);
    for net in [spec.primary, spec.secondary] {
        neighbor_common(&mut s, &usable(net).1.to_string(), MSEE_ASN, Some(key));
    }
    let msee6: Vec<String> = spec.v6.iter().flat_map(|v6| DevicePath::BOTH.map(|p| v6.usable(p).1.to_string())).collect();
    for n in &msee6 {
        neighbor_common(&mut s, n, MSEE_ASN, Some(key));
    }
    s.push_str(" !\n address-family ipv4 unicast\n");
    for p in &spec.onprem {
        let _ = writeln!(s, "  network {p}");
    }
    v6_only(&mut s, &msee6);
    s.push_str(" exit-address-family\n");
    if let Some(v6) = &spec.v6 {
        ipv6_af(&mut s, &v6.onprem, &msee6, Some(CE_V6_IN));
    }
    s.push_str("exit\n!\n");
    if spec.v6.is_some() {
        // The MSEE sends a global and a link-local next hop (they share the
        // link); FRR uses and shows the link-local one unless told to
        // prefer the global, which is the MSEE's address of the /126, as
        // other platforms show it.
        let _ = writeln!(s, "route-map {CE_V6_IN} permit 10\n set ipv6 next-hop prefer-global\nexit\n!");
    }
    s
}

/// The CE's inbound route-map for the MSEEs' IPv6 sessions.
const CE_V6_IN: &str = "MSEE-V6-IN";

pub fn msee_zebra(spec: &LabSpec, p: DevicePath) -> String {
    let net = spec.subnet(p);
    let (_, msee) = usable(net);
    let vnet_ip = spec.msee_vnet_ips[p.index()];
    let (cust6, vnet6) = match &spec.v6 {
        Some(v6) => (format!(" ipv6 address {}/126\n", v6.usable(p).1), format!(" ipv6 address {}/64\n", v6.msee_vnet_ips[p.index()])),
        None => (String::new(), String::new()),
    };
    format!(
        "frr defaults traditional\nhostname {}\n!\ninterface cust\n ip address {msee}/{}\n{cust6}exit\n!\ninterface vnet\n ip address {vnet_ip}/{}\n{vnet6}exit\n!\n",
        msee_role(p),
        net.prefix_len(),
        spec.gateway_link_len
    )
}

pub fn msee_bgpd(spec: &LabSpec, p: DevicePath, key: &str, log: &str) -> String {
    let (ce, msee) = usable(spec.subnet(p));
    let mut s = format!("frr defaults traditional\nhostname {}\nlog file {log}\n!\nrouter bgp {MSEE_ASN}\n bgp router-id {msee}\n no bgp ebgp-requires-policy\n", msee_role(p));
    neighbor_common(&mut s, &ce.to_string(), spec.peer_asn, Some(key));
    neighbor_common(&mut s, &spec.gateway_ip.to_string(), GATEWAY_ASN, None);
    let ce6: Vec<String> = spec.v6.iter().map(|v6| v6.usable(p).0.to_string()).collect();
    for n in &ce6 {
        neighbor_common(&mut s, n, spec.peer_asn, Some(key));
    }
    let _ = writeln!(s, " !\n address-family ipv4 unicast\n  neighbor {ce} maximum-prefix {}", spec.prefix_limit);
    v6_only(&mut s, &ce6);
    s.push_str(" exit-address-family\n");
    if spec.v6.is_some() {
        // The gateway's IPv4 session carries the IPv6 prefixes too.
        ipv6_af(&mut s, &[], &[ce6.clone(), vec![spec.gateway_ip.to_string()]].concat(), None);
    }
    s.push_str("exit\n!\n");
    s
}

pub fn gateway_zebra(spec: &LabSpec) -> String {
    let gwsub6 = spec.v6.as_ref().map(|v6| format!(" ipv6 address {}/64\n", v6.gateway_ip)).unwrap_or_default();
    let mut s = format!("frr defaults traditional\nhostname gateway\n!\ninterface gwsub\n ip address {}/{}\n{gwsub6}exit\n!\ninterface lo\n", spec.gateway_ip, spec.gateway_link_len);
    for p in &spec.vnet {
        let _ = writeln!(s, " ip address {}", host_on(*p, 4));
    }
    for p in spec.v6.iter().flat_map(|v6| &v6.vnet) {
        let _ = writeln!(s, " ipv6 address {}", host_on6(*p, 4));
    }
    s.push_str("exit\n!\n");
    s
}

pub fn gateway_bgpd(spec: &LabSpec, log: &str) -> String {
    let mut s = format!("frr defaults traditional\nhostname gateway\nlog file {log}\n!\nrouter bgp {GATEWAY_ASN}\n bgp router-id {}\n no bgp ebgp-requires-policy\n bgp bestpath as-path multipath-relax\n", spec.gateway_ip);
    for ip in spec.msee_vnet_ips {
        neighbor_common(&mut s, &ip.to_string(), MSEE_ASN, None);
    }
    s.push_str(" !\n address-family ipv4 unicast\n");
    for p in &spec.vnet {
        let _ = writeln!(s, "  network {p}");
    }
    s.push_str(" exit-address-family\n");
    if let Some(v6) = &spec.v6 {
        let msee: Vec<String> = spec.msee_vnet_ips.iter().map(ToString::to_string).collect();
        ipv6_af(&mut s, &v6.vnet, &msee, None);
    }
    s.push_str("exit\n!\n");
    s
}

#[cfg(test)]
mod tests {
    use crate::spec::LabSpec;

    #[test]
    fn an_ipv4_scenario_gets_ipv6_neighbors_only_in_the_ipv6_address_family() {
        let snapshot = serde_json::from_str(include_str!("../../../scenarios/healthy-private/snapshot.json")).unwrap();
        let s = LabSpec::from_snapshot("healthy-private", &snapshot).unwrap();
        let ce = super::ce_bgpd(&s, "k", "/dev/null");
        let v4_af = &ce[ce.find("address-family ipv4").unwrap()..ce.find("address-family ipv6").unwrap()];
        assert!(v4_af.contains("no neighbor 2001:db8:2c0:10::2 activate"), "{ce}");
        assert!(ce.contains("neighbor 2001:db8:2c0:10::6 password k"), "{ce}");
        assert!(ce[ce.find("address-family ipv6").unwrap()..].contains("network 2001:db8:2c0:100::/56"), "{ce}");
        // The CE shows the MSEE's global IPv6 next hop, not its link-local one.
        assert!(ce.contains("neighbor 2001:db8:2c0:10::2 route-map MSEE-V6-IN in") && ce.contains("route-map MSEE-V6-IN permit 10\n set ipv6 next-hop prefer-global"), "{ce}");
    }
}
