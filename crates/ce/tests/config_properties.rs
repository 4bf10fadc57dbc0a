//! Properties: parsing never panics (arbitrary text, configuration-like
//! noise, any truncation or corruption of the fixtures, every vendor), every
//! span lies inside its line, and a generated configuration rendered as
//! IOS and as Junos `set` parses back to what was generated, each value's
//! span covering exactly its text.

mod common;

use common::{check_spans, fixture, text_at, FIXTURES};
use erdiag_ce::config::{parse_config, render_diagnostic, CeConfig, Span};
use erdiag_ce::Platform;
use proptest::prelude::*;
use std::fmt::Write;
use std::net::Ipv4Addr;

fn vendor() -> impl Strategy<Value = Option<Platform>> {
    prop::option::of(prop::sample::select(Platform::ALL.to_vec()))
}

/// Parses, checks the spans of a success and renders a diagnostic at each.
fn exercise(text: &str, v: Option<Platform>) {
    if let Ok(c) = parse_config(text, v) {
        check_spans(text, &c);
        for s in common::spans(&c).into_iter().take(50) {
            render_diagnostic("f", text, s, "m");
        }
    }
}

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "interface", "router", "bgp", "neighbor", "remote-as", "password", "7", "set", "deactivate", "{", "}", ";", "[", "]",
    "\"", "inactive:", "address-family", "ipv4", "ipv6", "unicast", "vrf", "encapsulation", "dot1Q", "dot1q", "vlan",
    "second-dot1q", "inner", "outer", "200", "4095", "65536", "1.10", "172.16.0.1", "255.255.255.252", "10.0.0.0/8",
    "2001:db8::1/64", "peer-group", "peer", "group", "template", "inherit", "use", "neighbor-group", "af-group",
    "exit", "exit-address-family", "end-set", "end-policy", "banner", "motd", "^C", "#", "/*", "*/", "!", "route-map",
    "permit", "deny", "seq", "prefix-list", "prefix-set", "route-policy", "protocols", "unit", "vlan-id", "vlan-tags",
    "family", "inet", "address", "peer-as", "authentication-key", "$9$x", "bfd", "fall-over", "shutdown", "ip", "ipv4",
    "hostname", "system", "host-name", "interfaces", "routing-options", "autonomous-system", "routing-instances",
    "policy-statement", "term", "from", "then", "accept", "route-filter", "orlonger", "upto", "/24", "ü", "\t", "end",
    "no", "activate", "maximum-prefix", "local-as", "ge", "le", "eq", "10.0.0.0/8,", "destination", "in", "pass",
];

/// Lines of configuration words at random indentation.
fn noise() -> impl Strategy<Value = String> {
    let line = (0usize..7, prop::collection::vec(prop::sample::select(WORDS), 0..8));
    prop::collection::vec(line, 0..60).prop_map(|lines| {
        let mut s = String::new();
        for (indent, words) in lines {
            let _ = writeln!(s, "{}{}", " ".repeat(indent), words.join(" "));
        }
        s
    })
}

// 256 cases each (proptest's default); `PROPTEST_CASES` raises it.
proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), v in vendor()) {
        exercise(&text, v);
    }

    #[test]
    fn configuration_noise_never_panics(text in noise(), v in vendor()) {
        exercise(&text, v);
    }

    #[test]
    fn corrupted_fixtures_never_panic(
        f in prop::sample::select(FIXTURES.to_vec()),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        insert in "[ -~\t\n{};\"\\[\\]]{0,12}",
        v in vendor(),
    ) {
        let text = fixture(f);
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let end = bounds[cut.index(bounds.len())];
        let pos = bounds[at.index(bounds.len())].min(end);
        let mut t = text[..end].to_string();
        t.insert_str(pos, &insert);
        exercise(&t, v);
    }
}

// ---- round trip ----

#[derive(Debug, Clone)]
struct GenIf {
    vlan: u16,
    inner: Option<u16>,
    addr: Ipv4Addr,
    len: u8,
    desc: Option<String>,
    shutdown: bool,
}

#[derive(Debug, Clone)]
struct GenNbr {
    addr: Ipv4Addr,
    remote_as: u32,
    md5: bool,
    bfd: bool,
    shutdown: bool,
    desc: Option<String>,
    route_map_out: Option<String>,
    max_prefix: Option<u32>,
}

#[derive(Debug, Clone)]
struct GenCfg {
    host: String,
    asn: u32,
    ifs: Vec<GenIf>,
    nbrs: Vec<GenNbr>,
}

fn desc() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[A-Za-z][A-Za-z0-9 _.-]{0,20}[A-Za-z0-9]")
}

fn gen_cfg() -> impl Strategy<Value = GenCfg> {
    let iface = (1u16..=4094, prop::option::of(1u16..=4094), any::<[u8; 4]>(), 8u8..=31, desc(), any::<bool>())
        .prop_map(|(vlan, inner, a, len, desc, shutdown)| GenIf { vlan, inner, addr: Ipv4Addr::from(a), len, desc, shutdown });
    let nbr = (
        1u32..,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        desc(),
        prop::option::of("[A-Z][A-Z0-9_-]{0,12}"),
        prop::option::of(1u32..1_000_000),
        any::<u16>(),
    )
        .prop_map(|(remote_as, md5, bfd, shutdown, desc, route_map_out, max_prefix, host)| GenNbr {
            addr: Ipv4Addr::new(10, 0, (host >> 8) as u8, host as u8),
            remote_as,
            md5,
            bfd,
            shutdown,
            desc,
            route_map_out,
            max_prefix,
        });
    ("[a-z][a-z0-9-]{0,15}", 1u32.., prop::collection::vec(iface, 1..8), prop::collection::vec(nbr, 0..8)).prop_map(
        |(host, asn, ifs, mut nbrs)| {
            // One neighbor per address.
            let mut seen = std::collections::HashSet::new();
            nbrs.retain(|n| seen.insert(n.addr));
            GenCfg { host, asn, ifs, nbrs }
        },
    )
}

fn mask(len: u8) -> Ipv4Addr {
    Ipv4Addr::from(u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0))
}

fn render_ios(g: &GenCfg) -> String {
    let mut s = format!("Building configuration...\n\nCurrent configuration : 1 bytes\n!\nhostname {}\n!\n", g.host);
    for (i, f) in g.ifs.iter().enumerate() {
        let _ = writeln!(s, "interface GigabitEthernet0/0/{i}.{}", f.vlan);
        if let Some(d) = &f.desc {
            let _ = writeln!(s, " description {d}");
        }
        match f.inner {
            Some(inner) => {
                let _ = writeln!(s, " encapsulation dot1Q {} second-dot1q {inner}", f.vlan);
            }
            None => {
                let _ = writeln!(s, " encapsulation dot1Q {}", f.vlan);
            }
        }
        let _ = writeln!(s, " ip address {} {}", f.addr, mask(f.len));
        if f.shutdown {
            s += " shutdown\n";
        }
        s += "!\n";
    }
    let _ = writeln!(s, "router bgp {}", g.asn);
    for n in &g.nbrs {
        let _ = writeln!(s, " neighbor {} remote-as {}", n.addr, n.remote_as);
        if let Some(d) = &n.desc {
            let _ = writeln!(s, " neighbor {} description {d}", n.addr);
        }
        if n.md5 {
            let _ = writeln!(s, " neighbor {} password 7 0822455D0A16", n.addr);
        }
        if n.bfd {
            let _ = writeln!(s, " neighbor {} fall-over bfd", n.addr);
        }
        if n.shutdown {
            let _ = writeln!(s, " neighbor {} shutdown", n.addr);
        }
    }
    s += " !\n address-family ipv4\n";
    for n in &g.nbrs {
        let _ = writeln!(s, "  neighbor {} activate", n.addr);
        if let Some(m) = &n.route_map_out {
            let _ = writeln!(s, "  neighbor {} route-map {m} out", n.addr);
        }
        if let Some(m) = n.max_prefix {
            let _ = writeln!(s, "  neighbor {} maximum-prefix {m}", n.addr);
        }
    }
    s += " exit-address-family\n!\nend\n";
    s
}

fn render_junos_set(g: &GenCfg) -> String {
    let mut s = format!("set system host-name {}\n", g.host);
    for (i, f) in g.ifs.iter().enumerate() {
        let u = format!("set interfaces xe-0/0/{i} unit {}", f.vlan);
        if let Some(d) = &f.desc {
            let _ = writeln!(s, "{u} description \"{d}\"");
        }
        match f.inner {
            Some(inner) => {
                let _ = writeln!(s, "{u} vlan-tags outer {} inner {inner}", f.vlan);
            }
            None => {
                let _ = writeln!(s, "{u} vlan-id {}", f.vlan);
            }
        }
        let _ = writeln!(s, "{u} family inet address {}/{}", f.addr, f.len);
        if f.shutdown {
            let _ = writeln!(s, "{u} disable");
        }
    }
    let _ = writeln!(s, "set routing-options autonomous-system {}", g.asn);
    s += "set protocols bgp log-updown\n";
    for (k, n) in g.nbrs.iter().enumerate() {
        let p = format!("set protocols bgp group G{k} neighbor {}", n.addr);
        let _ = writeln!(s, "{p} peer-as {}", n.remote_as);
        if let Some(d) = &n.desc {
            let _ = writeln!(s, "{p} description \"{d}\"");
        }
        if n.md5 {
            let _ = writeln!(s, "{p} authentication-key \"$9$abcDEF\"");
        }
        if n.bfd {
            let _ = writeln!(s, "{p} bfd-liveness-detection minimum-interval 300");
        }
        if let Some(m) = &n.route_map_out {
            let _ = writeln!(s, "{p} export {m}");
        }
        if let Some(m) = n.max_prefix {
            let _ = writeln!(s, "{p} family inet unicast prefix-limit maximum {m}");
        }
    }
    for n in g.nbrs.iter().enumerate().filter(|(_, n)| n.shutdown) {
        let _ = writeln!(s, "deactivate protocols bgp group G{} neighbor {}", n.0, n.1.addr);
    }
    s
}

#[track_caller]
fn spanned_text(text: &str, s: Span, want: &str) {
    assert_eq!(text_at(text, s).as_deref(), Some(want), "span {s:?}");
}

fn compare(g: &GenCfg, text: &str, c: &CeConfig, names: impl Fn(usize, &GenIf) -> String) {
    assert!(c.warnings.is_empty(), "{:?}\n{text}", c.warnings);
    check_spans(text, c);
    let h = c.hostname.as_ref().unwrap();
    assert_eq!(h.value, g.host);
    spanned_text(text, h.span, &g.host);
    for (i, f) in g.ifs.iter().enumerate() {
        let name = names(i, f);
        let got = c.interface(&name).unwrap_or_else(|| panic!("no {name}\n{text}"));
        let v = got.vlan.as_ref().unwrap();
        assert_eq!(v.value, f.vlan);
        spanned_text(text, v.span, &f.vlan.to_string());
        match f.inner {
            Some(inner) => {
                let iv = got.inner_vlan.as_ref().unwrap();
                assert_eq!(iv.value, inner);
                spanned_text(text, iv.span, &inner.to_string());
            }
            None => assert!(got.inner_vlan.is_none()),
        }
        assert_eq!(got.addresses.len(), 1);
        assert_eq!(got.addresses[0].value, ipnet::IpNet::new(f.addr.into(), f.len).unwrap());
        assert_eq!(got.description, f.desc);
        assert_eq!(got.shutdown.is_some(), f.shutdown);
    }
    let b = c.bgp.as_ref().unwrap();
    assert_eq!(b.local_as.value, g.asn);
    spanned_text(text, b.local_as.span, &g.asn.to_string());
    assert_eq!(b.neighbors.len(), g.nbrs.len());
    for n in &g.nbrs {
        let got: Vec<_> = c.neighbors(n.addr.into()).collect();
        assert_eq!(got.len(), 1);
        let got = got[0];
        spanned_text(text, got.address.span, &n.addr.to_string());
        let r = got.remote_as.as_ref().unwrap();
        assert_eq!(r.value, n.remote_as);
        spanned_text(text, r.span, &n.remote_as.to_string());
        assert_eq!(got.password.is_some(), n.md5);
        assert_eq!(got.bfd.is_some(), n.bfd);
        assert_eq!(got.shutdown.is_some(), n.shutdown);
        assert_eq!(got.description, n.desc);
        assert_eq!(got.route_map_out.as_ref().map(|m| m.value.clone()), n.route_map_out);
        if let Some(m) = &got.route_map_out {
            spanned_text(text, m.span, &m.value);
        }
        assert_eq!(got.max_prefix.as_ref().map(|m| m.value), n.max_prefix);
        if let Some(m) = &got.max_prefix {
            spanned_text(text, m.span, &m.value.to_string());
        }
        assert_eq!(got.ipv4_unicast_active, Some(true));
        assert!(got.local_as.is_none());
    }
}

proptest! {
    #[test]
    fn generated_configs_round_trip(g in gen_cfg()) {
        let ios = render_ios(&g);
        let c = parse_config(&ios, None).unwrap_or_else(|e| panic!("{e}\n{ios}"));
        prop_assert_eq!(c.platform, Platform::CiscoIos);
        compare(&g, &ios, &c, |i, f| format!("GigabitEthernet0/0/{i}.{}", f.vlan));

        let junos = render_junos_set(&g);
        let c = parse_config(&junos, None).unwrap_or_else(|e| panic!("{e}\n{junos}"));
        prop_assert_eq!(c.platform, Platform::JuniperJunos);
        compare(&g, &junos, &c, |i, f| format!("xe-0/0/{i}.{}", f.vlan));
    }
}
