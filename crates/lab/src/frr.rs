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
        let _ = writeln!(s, "interface {}\n ip address {ce}/{}\nexit\n!", ce_interface(p, spec.vlan), net.prefix_len());
    }
    let _ = writeln!(s, "interface lo");
    for p in &spec.onprem {
        let _ = writeln!(s, " ip address {}", host_on(*p, 1));
    }
    let _ = writeln!(s, "exit\n!");
    s
}

pub fn ce_bgpd(spec: &LabSpec, key: &str, log: &str) -> String {
    let mut s = format!("frr defaults traditional\nhostname ce1\nlog file {log}\n!\nrouter bgp {}\n bgp router-id {}\n no bgp ebgp-requires-policy\n no bgp network import-check\n", spec.peer_asn, usable(spec.primary).0);
    for net in [spec.primary, spec.secondary] {
        neighbor_common(&mut s, &usable(net).1.to_string(), MSEE_ASN, Some(key));
    }
    s.push_str(" !\n address-family ipv4 unicast\n");
    for p in &spec.onprem {
        let _ = writeln!(s, "  network {p}");
    }
    s.push_str(" exit-address-family\nexit\n!\n");
    s
}

pub fn msee_zebra(spec: &LabSpec, p: DevicePath) -> String {
    let net = spec.subnet(p);
    let (_, msee) = usable(net);
    let vnet_ip = spec.msee_vnet_ips[p.index()];
    format!(
        "frr defaults traditional\nhostname {}\n!\ninterface cust\n ip address {msee}/{}\nexit\n!\ninterface vnet\n ip address {vnet_ip}/{}\nexit\n!\n",
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
    let _ = writeln!(s, " !\n address-family ipv4 unicast\n  neighbor {ce} maximum-prefix {}\n exit-address-family\nexit\n!", spec.prefix_limit);
    s
}

pub fn gateway_zebra(spec: &LabSpec) -> String {
    let mut s = format!("frr defaults traditional\nhostname gateway\n!\ninterface gwsub\n ip address {}/{}\nexit\n!\ninterface lo\n", spec.gateway_ip, spec.gateway_link_len);
    for p in &spec.vnet {
        let _ = writeln!(s, " ip address {}", host_on(*p, 4));
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
    s.push_str(" exit-address-family\nexit\n!\n");
    s
}
