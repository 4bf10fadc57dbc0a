//! The corners of each dialect, one small configuration each: templates,
//! neighbor and session groups, VRFs, activation defaults, deactivation,
//! banners, and the lines that must produce a warning.

use erdiag_ce::config::{parse_config, CeConfig, Neighbor};
use erdiag_ce::Platform;
use std::net::IpAddr;

fn parse(text: &str, v: Platform) -> CeConfig {
    parse_config(text, Some(v)).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn nbr<'c>(c: &'c CeConfig, ip: &str, vrf: Option<&str>) -> &'c Neighbor {
    let ip: IpAddr = ip.parse().unwrap();
    c.neighbors(ip).find(|n| n.vrf.as_deref() == vrf).unwrap_or_else(|| panic!("no {ip} in {vrf:?}: {:#?}", c.bgp))
}

fn rasn(n: &Neighbor) -> Option<u32> {
    n.remote_as.as_ref().map(|r| r.value)
}

#[test]
fn ios_templates_ipv6_and_activation() {
    let c = parse(
        "hostname r1
!
router bgp 65020
 template peer-session AZ-SESSION
  remote-as 12076
  password 7 0822455D0A16
  fall-over bfd
 exit-peer-session
 !
 template peer-policy AZ-POLICY
  route-map AZURE-OUT out
  maximum-prefix 4000
 exit-peer-policy
 !
 neighbor 172.16.0.2 inherit peer-session AZ-SESSION
 neighbor 172.16.0.6 remote-as 12076
 neighbor 2001:db8:1::2 remote-as 12076
 !
 address-family ipv4
  neighbor 172.16.0.2 activate
  neighbor 172.16.0.2 inherit peer-policy AZ-POLICY 10
  no neighbor 2001:db8:1::2 activate
 exit-address-family
 !
 address-family ipv6
  network 2001:db8:20::/48
  neighbor 2001:db8:1::2 activate
  neighbor 2001:db8:1::2 route-map AZURE-OUT-V6 out
 exit-address-family
end
",
        Platform::CiscoIos,
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let n = nbr(&c, "172.16.0.2", None);
    assert_eq!(rasn(n), Some(12076));
    assert!(n.password.is_some() && n.bfd.is_some());
    assert_eq!(n.route_map_out.as_ref().unwrap().value, "AZURE-OUT");
    assert_eq!(n.max_prefix.as_ref().unwrap().value, 4000);
    assert_eq!(n.ipv4_unicast_active, Some(true));
    // Default `bgp default ipv4-unicast`: active without `activate`.
    assert_eq!(nbr(&c, "172.16.0.6", None).ipv4_unicast_active, Some(true));
    let v6 = nbr(&c, "2001:db8:1::2", None);
    assert_eq!(v6.ipv4_unicast_active, Some(false));
    assert_eq!(v6.route_map_out.as_ref().unwrap().value, "AZURE-OUT-V6");
    assert_eq!(c.bgp.as_ref().unwrap().networks[0].value.to_string(), "2001:db8:20::/48");
}

#[test]
fn ios_legacy_banner_classful_and_warnings() {
    let text = "hostname r1
banner motd ^C
interface FakeEthernet0
 encapsulation dot1Q 999
^C
interface GigabitEthernet0/0/0.200
 encapsulation dot1Q 200-300
 ip address 172.16.0.1 255.0.255.0
!
router bgp 65020
 no synchronization
 network 10.0.0.0
 neighbor 172.16.0.2 remote-as 12076
 neighbor 172.16.0.2 passwrd 7 SECRETVALUE
 neighbor 172.16.0.2 remote-as twelve
 neighbor 10.9.0.0/16 remote-as 12076
 neighbor 172.16.0.2 route-map ONLYNAME
 frobnicate everything
end
";
    let c = parse(text, Platform::CiscoIos);
    assert!(c.interface("FakeEthernet0").is_none(), "the banner's text is not configuration");
    let i = c.interface("GigabitEthernet0/0/0.200").unwrap();
    assert!(i.vlan.is_none() && i.addresses.is_empty());
    let b = c.bgp.as_ref().unwrap();
    assert_eq!(b.networks[0].value.to_string(), "10.0.0.0/8");
    assert_eq!(b.neighbors.len(), 1);
    let lines: Vec<usize> = c.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [7, 8, 14, 15, 16, 17, 18], "{:#?}", c.warnings);
    assert!(c.warnings[0].message.contains("200-300"));
    for w in &c.warnings {
        assert!(!w.message.contains("SECRETVALUE"), "{w}");
    }
}

#[test]
fn xr_groups_and_vrf() {
    let c = parse(
        "!! IOS XR Configuration 7.5.2
hostname xr1
router bgp 65020
 af-group AZ-AF address-family ipv4 unicast
  route-policy AZURE-OUT out
  maximum-prefix 500 75
 !
 session-group AZ-SESSION
  remote-as 12076
  password encrypted 0822455D0A16
 !
 neighbor-group AZURE
  use session-group AZ-SESSION
  bfd fast-detect
  address-family ipv4 unicast
   use af-group AZ-AF
  !
 !
 neighbor 192.0.2.1
  remote-as 64999
  bfd minimum-interval 300
 !
 vrf PROD
  rd 65020:1
  neighbor 172.16.0.2
   use neighbor-group AZURE
   local-as 65030 no-prepend replace-as
   shutdown
  !
 !
!
end
",
        Platform::CiscoXr,
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let n = nbr(&c, "172.16.0.2", Some("PROD"));
    assert_eq!(rasn(n), Some(12076));
    assert_eq!(n.local_as.as_ref().unwrap().value, 65030);
    assert!(n.password.is_some() && n.bfd.is_some() && n.shutdown.is_some());
    assert_eq!(n.route_map_out.as_ref().unwrap().value, "AZURE-OUT");
    assert_eq!(n.max_prefix.as_ref().unwrap().value, 500);
    assert_eq!(n.ipv4_unicast_active, Some(true));
    assert_eq!(n.peer_group.as_deref(), Some("AZURE"));
    // No address family under it, and `bfd minimum-interval` alone is not BFD.
    let other = nbr(&c, "192.0.2.1", None);
    assert_eq!(other.ipv4_unicast_active, Some(false));
    assert!(other.bfd.is_none());
}

#[test]
fn nxos_vrf_and_one_line_neighbor() {
    let c = parse(
        "!Command: show running-config
feature bgp
interface Ethernet1/1.200
  encapsulation dot1q 200
  vrf member AZURE
  ip address 172.16.0.1/30
  shutdown
router bgp 65020
  vrf AZURE
    address-family ipv4 unicast
      network 10.2.20.0/25
    neighbor 172.16.0.2 remote-as 12076
      password 3 9125d59c18a9b015
      address-family ipv4 unicast
        prefix-list AZURE-IN in
        prefix-list ONPREM out
    neighbor 172.16.0.6
      remote-as 12076
",
        Platform::CiscoNxos,
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let i = c.interface("Ethernet1/1.200").unwrap();
    assert_eq!(i.vrf.as_deref(), Some("AZURE"));
    assert!(i.shutdown.is_some());
    let n = nbr(&c, "172.16.0.2", Some("AZURE"));
    assert_eq!(rasn(n), Some(12076));
    assert!(n.password.is_some());
    assert_eq!(n.prefix_list_in.as_ref().unwrap().value, "AZURE-IN");
    assert_eq!(n.prefix_list_out.as_ref().unwrap().value, "ONPREM");
    assert_eq!(n.ipv4_unicast_active, Some(true));
    // NX-OS needs the address family under the neighbor.
    assert_eq!(nbr(&c, "172.16.0.6", Some("AZURE")).ipv4_unicast_active, Some(false));
}

#[test]
fn eos_vrf_qinq_and_flexible_encapsulation() {
    let c = parse(
        "! Command: show running-config
hostname eos1
interface Ethernet3.100200
   encapsulation dot1q vlan 100 inner 200
   vrf AZURE
   ip address 172.16.0.1/30
interface Ethernet4.200
   encapsulation vlan
      client dot1q outer 100 inner 200
   ip address 172.16.0.5/30
router bgp 65020
   no bgp default ipv4-unicast
   neighbor 192.0.2.9 remote-as 64999
   vrf AZURE
      neighbor 172.16.0.2 remote-as 12076
      neighbor 172.16.0.2 maximum-routes 100 warning-limit 80
      neighbor 172.16.0.2 local-as 65030 no-prepend replace-as
      address-family ipv4
         neighbor 172.16.0.2 activate
end
",
        Platform::AristaEos,
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    for name in ["Ethernet3.100200", "Ethernet4.200"] {
        let i = c.interface(name).unwrap();
        assert_eq!((i.vlan.as_ref().unwrap().value, i.inner_vlan.as_ref().unwrap().value), (100, 200), "{name}");
    }
    assert_eq!(c.interface("Ethernet3.100200").unwrap().vrf.as_deref(), Some("AZURE"));
    let n = nbr(&c, "172.16.0.2", Some("AZURE"));
    assert_eq!(n.max_prefix.as_ref().unwrap().value, 100);
    assert_eq!(n.local_as.as_ref().unwrap().value, 65030);
    assert_eq!(n.ipv4_unicast_active, Some(true));
    assert_eq!(nbr(&c, "192.0.2.9", None).ipv4_unicast_active, Some(false));
}

#[test]
fn frr_vrf_instances_and_qinq_names() {
    let c = parse(
        "frr version 9.1
interface ens1f0.100.200 vrf azure
 ip address 172.16.0.1/30
exit
router bgp 65020
 neighbor 10.0.0.1 remote-as internal
exit
router bgp 65030 vrf azure
 no bgp default ipv4-unicast
 neighbor 172.16.0.2 remote-as 12076
 neighbor 172.16.0.6 remote-as external
 address-family ipv4 unicast
  neighbor 172.16.0.2 activate
 exit-address-family
exit-vrf
end
",
        Platform::Frr,
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let i = c.interface("ens1f0.100.200").unwrap();
    assert_eq!((i.vlan.as_ref().unwrap().value, i.inner_vlan.as_ref().unwrap().value), (100, 200));
    assert_eq!(i.vrf.as_deref(), Some("azure"));
    let b = c.bgp.as_ref().unwrap();
    assert_eq!(b.local_as.value, 65020);
    assert_eq!(rasn(nbr(&c, "10.0.0.1", None)), Some(65020));
    let n = nbr(&c, "172.16.0.2", Some("azure"));
    // The VRF's own `router bgp 65030`.
    assert_eq!(n.local_as.as_ref().unwrap().value, 65030);
    assert_eq!(n.ipv4_unicast_active, Some(true));
    let ext = nbr(&c, "172.16.0.6", Some("azure"));
    assert_eq!(rasn(ext), None);
    assert_eq!(ext.ipv4_unicast_active, Some(false));
}

#[test]
fn junos_set_deactivation_instances_and_families() {
    let c = parse(
        r#"set system host-name mx1
set interfaces xe-0/0/0 unit 200 vlan-id 200
set interfaces xe-0/0/0 unit 200 family inet address 172.16.0.1/30
set interfaces xe-0/0/0 unit 300 vlan-tags outer 0x8100.100 inner 300
set interfaces xe-0/0/0 unit 300 family inet address 172.16.1.1/30
set interfaces xe-0/0/0 unit 300 family inet address 172.16.9.1/30
set interfaces xe-0/0/1 disable
set routing-options autonomous-system 1.10
set protocols bgp group AZ peer-as 12076
set protocols bgp group AZ local-as 65020
set protocols bgp group AZ export [ A B ]
set protocols bgp group AZ neighbor 172.16.0.2 authentication-key "$9$abc"
set protocols bgp group AZ neighbor 172.16.0.6
set protocols bgp group V6 family inet6 unicast prefix-limit maximum 50
set protocols bgp group V6 peer-as 12076
set protocols bgp group V6 neighbor 2001:db8::2
set protocols bgp group IBGP type internal
set protocols bgp group IBGP neighbor 10.0.0.1
set routing-instances AZURE routing-options autonomous-system 65040
set routing-instances AZURE protocols bgp group AZ peer-as 12076
set routing-instances AZURE protocols bgp group AZ neighbor 172.16.1.2 bfd-liveness-detection minimum-interval 300
deactivate interfaces xe-0/0/0 unit 300 family inet address 172.16.9.1/30
deactivate protocols bgp group AZ neighbor 172.16.0.6
deactivate protocols bgp group AZ neighbor 172.16.0.2 authentication-key
"#,
        Platform::JuniperJunos,
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let u = c.interface("xe-0/0/0.300").unwrap();
    assert_eq!((u.vlan.as_ref().unwrap().value, u.inner_vlan.as_ref().unwrap().value), (100, 300));
    assert_eq!(u.addresses.len(), 1, "the deactivated address is not configured");
    assert!(c.interface("xe-0/0/1").unwrap().shutdown.is_some());
    let b = c.bgp.as_ref().unwrap();
    assert_eq!(b.local_as.value, 65546);
    let p = nbr(&c, "172.16.0.2", None);
    assert_eq!(p.local_as.as_ref().unwrap().value, 65020);
    assert!(p.password.is_none(), "its authentication-key is deactivated");
    assert!(p.shutdown.is_none());
    assert_eq!(p.route_map_out.as_ref().unwrap().value, "A");
    let s = nbr(&c, "172.16.0.6", None);
    assert_eq!(s.shutdown.unwrap().line, 23);
    assert_eq!(rasn(s), Some(12076));
    let v6 = nbr(&c, "2001:db8::2", None);
    assert_eq!(v6.ipv4_unicast_active, Some(false));
    assert_eq!(v6.max_prefix.as_ref().unwrap().value, 50);
    assert_eq!(rasn(nbr(&c, "10.0.0.1", None)), Some(65546));
    let r = nbr(&c, "172.16.1.2", Some("AZURE"));
    assert_eq!(r.local_as.as_ref().unwrap().value, 65040);
    assert!(r.bfd.is_some());
}

#[test]
fn junos_curly_inactive_and_truncation() {
    let text = r#"/* annotated */
protocols {
    bgp {
        inactive: group AZ {
            peer-as 12076;
            neighbor 172.16.0.2;
        }
        group B {
            peer-as 12076;
            neighbor 172.16.0.6 {
                inactive: authentication-key "$9$abc"; ## SECRET-DATA
            }
        }
    }
}
routing-options {
    autonomous-system 65020;
}
interfaces {
    xe-0/0/0 {
        unit 200 {
            vlan-id 2"#;
    let c = parse(text, Platform::JuniperJunos);
    let a = nbr(&c, "172.16.0.2", None);
    let s = a.shutdown.unwrap();
    assert_eq!((s.line, s.column, s.len), (4, 9, 9));
    let b = nbr(&c, "172.16.0.6", None);
    assert!(b.shutdown.is_none() && b.password.is_none());
    assert!(c.interface("xe-0/0/0.200").unwrap().vlan.is_none());
    let w: Vec<_> = c.warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w.contains(&(21, "the block `unit 200 {` is never closed: the configuration looks truncated")), "{w:?}");
    assert!(w.contains(&(22, "the last statement has no `;`: the configuration looks truncated")), "{w:?}");
}

#[test]
fn default_originate_in_every_cisco_like_dialect() {
    // (vendor, configuration, the line `default-originate` is on)
    let cases: &[(Platform, &str, usize)] = &[
        (Platform::CiscoIos, "hostname r1\nrouter bgp 65020\n neighbor 172.16.0.2 remote-as 12076\n address-family ipv4\n  neighbor 172.16.0.2 activate\n  neighbor 172.16.0.2 default-originate\n exit-address-family\nend\n", 6),
        (Platform::CiscoNxos, "hostname r1\nfeature bgp\nrouter bgp 65020\n  neighbor 172.16.0.2\n    remote-as 12076\n    address-family ipv4 unicast\n      default-originate\n", 7),
        (Platform::CiscoXr, "hostname r1\nrouter bgp 65020\n neighbor 172.16.0.2\n  remote-as 12076\n  address-family ipv4 unicast\n   default-originate\n   route-policy PASS in\n   route-policy PASS out\n  !\n !\n!\nend\n", 6),
        (Platform::AristaEos, "hostname r1\nrouter bgp 65020\n   neighbor 172.16.0.2 remote-as 12076\n   neighbor 172.16.0.2 default-originate\n!\nend\n", 4),
        (Platform::Frr, "frr version 8.4\nhostname r1\nrouter bgp 65020\n neighbor 172.16.0.2 remote-as 12076\n address-family ipv4 unicast\n  neighbor 172.16.0.2 default-originate\n exit-address-family\nexit\n", 6),
    ];
    for (v, text, line) in cases {
        let c = parse(text, *v);
        let n = nbr(&c, "172.16.0.2", None);
        let s = n.default_originate.unwrap_or_else(|| panic!("{v}: no default-originate"));
        assert_eq!(s.line, *line, "{v}");
        let l = text.lines().nth(s.line - 1).unwrap();
        assert_eq!(l.chars().skip(s.column - 1).take(s.len).collect::<String>(), "default-originate", "{v}");
    }
    // Not configured, or negated: none.
    let c = parse("hostname r1\nrouter bgp 65020\n neighbor 172.16.0.2 remote-as 12076\n address-family ipv4\n  no neighbor 172.16.0.2 default-originate\n exit-address-family\nend\n", Platform::CiscoIos);
    assert!(nbr(&c, "172.16.0.2", None).default_originate.is_none());
}
