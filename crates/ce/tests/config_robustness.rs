//! Bad input: binary data, another vendor than named, truncation, prose,
//! oversized and pathological input. Each gives a clear error or a partial
//! parse whose warnings name lines — never a panic, never a secret.

mod common;

use common::{check_spans, fixture, FIXTURES};
use erdiag_ce::config::{parse_config, render_diagnostic, ConfigError, MAX_INPUT_BYTES};
use erdiag_ce::Platform;
use std::fmt::Write;
use std::time::Instant;

#[track_caller]
fn err(text: &str, v: Option<Platform>) -> ConfigError {
    match parse_config(text, v) {
        Ok(c) => panic!("parsed: {c:?}"),
        Err(e) => e,
    }
}

#[test]
fn binary_is_refused() {
    let e = err("hostname r1\ninterface Gi0/0\n\0\0\x01\x02ELF", None);
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("binary data"), "{e}");
    assert!(e.hint.is_some());
    assert_eq!(e.to_string(), format!("line 3: {}", e.message));

    // What a lossy UTF-8 decoding of a binary file leaves.
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 | 0x80).collect();
    let text = String::from_utf8_lossy(&bytes);
    let e = err(&text, Some(Platform::CiscoIos));
    assert!(e.message.contains("binary data"), "{e}");
}

#[test]
fn another_vendor_is_refused() {
    for (file, asked, found) in [
        ("cisco_ios.cfg", Platform::JuniperJunos, "Cisco IOS/IOS-XE"),
        ("juniper_junos_set.cfg", Platform::CiscoIos, "Juniper Junos"),
        ("juniper_junos.conf", Platform::AristaEos, "Juniper Junos"),
        ("cisco_xr_qinq.cfg", Platform::CiscoIos, "Cisco IOS-XR"),
        ("frr.cfg", Platform::CiscoIos, "FRRouting"),
        ("cisco_nxos.cfg", Platform::AristaEos, "Cisco NX-OS"),
        ("arista_eos.cfg", Platform::CiscoNxos, "Arista EOS"),
    ] {
        let e = err(&fixture(file), Some(asked));
        assert!(e.message.starts_with(&format!("this looks like a {found} configuration")), "{file}: {e}");
        assert!(e.message.ends_with(&format!("not {}", asked.display_name())), "{file}: {e}");
        assert!(e.line.is_some(), "{file}");
        assert!(e.hint.as_deref().unwrap().contains("leave the vendor out"), "{file}");
    }
}

#[test]
fn prose_empty_and_nothing_useful() {
    let e = err("", None);
    assert_eq!(e.message, "the configuration is empty");
    let e = err("  \n\n\t\n", Some(Platform::Frr));
    assert_eq!(e.message, "the configuration is empty");
    let e = err("Dear support,\nour circuit is down since Monday.\nRegards\n", None);
    assert!(e.message.starts_with("cannot tell which router's configuration this is"), "{e}");
    assert!(e.hint.as_deref().unwrap().contains("cisco_ios, cisco_nxos, cisco_xr, juniper_junos, arista_eos, frr"));
    let e = err("Dear support,\nour circuit is down.\n", Some(Platform::CiscoIos));
    assert!(e.message.starts_with("found no hostname, interface, BGP"), "{e}");
    let e = err("system {\n    ntp;\n}\n", Some(Platform::JuniperJunos));
    assert!(e.message.contains("Juniper Junos"), "{e}");
}

#[test]
fn truncated_configs_warn() {
    // IOS cut inside `router bgp`: what came before is read.
    let text = fixture("cisco_ios.cfg");
    let cut: String = text.lines().take(60).collect::<Vec<_>>().join("\n");
    let c = parse_config(&cut, None).unwrap();
    assert_eq!(c.interfaces.len(), 6);
    assert_eq!(c.bgp.as_ref().unwrap().neighbors.len(), 2);
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].line, 60);
    assert!(c.warnings[0].message.contains("ends without `end`"));

    // Junos curly cut inside `protocols`.
    let text = fixture("juniper_junos.conf");
    let cut: String = text.lines().take(56).collect::<Vec<_>>().join("\n");
    let c = parse_config(&cut, None).unwrap();
    assert_eq!(c.bgp.as_ref().unwrap().neighbors.len(), 1);
    assert!(c.warnings.iter().any(|w| w.line == 55 && w.message.contains("`neighbor 172.16.0.2 {` is never closed")), "{:?}", c.warnings);
}

#[test]
fn over_16_mib_is_refused_at_once() {
    let line = "interface GigabitEthernet0/0/0.200\n encapsulation dot1Q 200\n";
    let big = line.repeat(20 * 1000 * 1000 / line.len());
    assert!(big.len() > MAX_INPUT_BYTES);
    let t = Instant::now();
    let e = err(&big, None);
    assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
    assert!(e.message.contains("over the limit of 16 MiB"), "{e}");
    assert_eq!(e.line, None);
}

#[test]
fn large_configs_parse() {
    // 20,000 subinterfaces with BGP neighbors: several megabytes.
    let mut text = String::from("hostname big\n");
    for i in 0..20_000u32 {
        text += &format!(
            "interface GigabitEthernet0/0/{}.{}\n description sub {i}\n encapsulation dot1Q {}\n ip address 10.{}.{}.1 255.255.255.252\n!\n",
            i / 4000,
            i % 4000 + 1,
            i % 4000 + 1,
            i / 256,
            i % 256
        );
    }
    text += "router bgp 65020\n";
    for i in 0..20_000u32 {
        text += &format!(
            " neighbor 10.{}.{}.2 remote-as 12076\n neighbor 10.{}.{}.2 password 7 0822455D\n",
            i / 256,
            i % 256,
            i / 256,
            i % 256
        );
    }
    text += "end\n";
    let t = Instant::now();
    let c = parse_config(&text, None).unwrap();
    eprintln!("{} bytes in {:?}", text.len(), t.elapsed());
    assert_eq!(c.interfaces.len(), 20_000);
    assert_eq!(c.bgp.as_ref().unwrap().neighbors.len(), 20_000);
    assert!(c.warnings.is_empty());
}

#[test]
fn caps_bound_what_hostile_input_costs() {
    let mut text = String::from("router bgp 65020\n");
    for i in 0..25_000u32 {
        let _ = writeln!(text, " neighbor 10.{}.{}.2 remote-as 12076", i / 256, i % 256);
    }
    let c = parse_config(&text, Some(Platform::CiscoIos)).unwrap();
    assert_eq!(c.bgp.as_ref().unwrap().neighbors.len(), 20_000);
    assert!(c.warnings.iter().any(|w| w.line == 20_002 && w.message == "more than 20000 BGP neighbors: the rest is ignored"), "{:?}", c.warnings);

    // One section of 150,000 lines, and a prefix-set of 640,000 entries on 10,000 lines (one token each).
    let text = format!("route-map M permit 10\n{}", " set community 1:1\n".repeat(150_000));
    let c = parse_config(&text, Some(Platform::CiscoIos)).unwrap();
    assert_eq!(c.route_maps[0].entries[0].sets.len(), 99_999);
    assert!(c.warnings.iter().any(|w| w.line == 100_001 && w.message.contains("more than 100000 lines")), "{:?}", c.warnings);
    let text = format!("prefix-set P\n{}end-set\n", format!(" {}\n", "10.0.0.0/8,".repeat(64)).repeat(10_000));
    let c = parse_config(&text, Some(Platform::CiscoXr)).unwrap();
    assert_eq!(c.prefix_lists[0].entries.len(), 200_000 - 1);
    assert!(c.warnings.iter().any(|w| w.message == "more than 200000 list entries: the rest is ignored"), "{:?}", c.warnings);
}

#[test]
fn pathological_nesting() {
    // Junos braces 100 deep: refused.
    let text = format!("system {{\n{}", "a {\n".repeat(100));
    let e = err(&text, Some(Platform::JuniperJunos));
    assert_eq!(e.line, Some(65));
    assert!(e.message.contains("nested more than 64 deep"), "{e}");
    // An IOS staircase 100 deep: the deeper lines are ignored, with a warning.
    let mut text = String::from("router bgp 65020\n");
    for d in 1..100 {
        text += &format!("{}neighbor 10.0.0.{d} remote-as 1\n", " ".repeat(d));
    }
    let c = parse_config(&text, Some(Platform::CiscoIos)).unwrap();
    assert!(c.warnings.iter().any(|w| w.message.contains("more than 32 levels")));
    // A line of a million tokens, and one of ten million characters.
    let text = format!("hostname r1\ninterface Gi0\n description {}\n", "x ".repeat(1_000_000));
    let c = parse_config(&text, Some(Platform::CiscoIos)).unwrap();
    assert!(c.interfaces[0].description.as_ref().unwrap().chars().count() <= 1025);
    let text = format!("set system host-name {}\n", "y".repeat(10_000_000));
    parse_config(&text, None).unwrap();
}

/// No value of a password, key or secret is kept anywhere: not in the
/// parse result, not in a warning, not in a rendered diagnostic.
#[test]
fn secrets_never_leave() {
    let secrets = [
        "0822455D0A165445415F59",
        "045802150C2E",
        "Sh4r3dK3y!",
        "9125d59c18a9b015",
        "Yc6cM3zY8vPzPA9bg0y2dg==",
        "0822455D0A16",
        "$9$Hk5FCA0IhSyK8X7VwgoJGDif5z3",
        "$6$Zq8w$Qe9Kx1",
        "$9$4W0AUhW2yCjqHk",
        "zebra",
    ];
    for f in FIXTURES {
        let text = fixture(f);
        let c = parse_config(&text, None).unwrap();
        let dump = format!("{c:?}");
        for s in secrets {
            assert!(!dump.contains(s), "{f}: {s} in the parse result");
        }
        // A diagnostic at every line of the file shows no secret.
        for (i, _) in text.lines().enumerate() {
            let d = render_diagnostic(f, &text, erdiag_ce::config::Span::new(i + 1, 1, 3), "here");
            for s in secrets {
                assert!(!d.contains(s), "{f}:{}: {s} shown:\n{d}", i + 1);
            }
        }
    }
    // Malformed lines around a secret: the warnings do not quote it.
    let text =
        "router bgp 65020\n neighbor 172.16.0.2 pasword 7 TOPSECRET1\n neighbor 172.16.0.2 password\n neighbor TOPSECRET2 password 7 x y\n";
    let c = parse_config(text, Some(Platform::CiscoIos)).unwrap();
    assert!(!format!("{c:?}").contains("TOPSECRET"), "{c:?}");
}

#[test]
fn every_truncation_of_every_fixture() {
    for f in FIXTURES {
        let text = fixture(f);
        for (cut, _) in text.char_indices() {
            let t = &text[..cut];
            if let Ok(c) = parse_config(t, None) {
                check_spans(t, &c);
            }
        }
    }
}

#[test]
fn crlf_and_tabs() {
    let text = fixture("cisco_ios.cfg").replace('\n', "\r\n");
    let c = parse_config(&text, None).unwrap();
    assert!(c.warnings.is_empty());
    let p = c.interface("GigabitEthernet0/0/0.200").unwrap();
    assert_eq!((p.vlan.as_ref().unwrap().span.line, p.vlan.as_ref().unwrap().span.column), (32, 22));
    check_spans(&text, &c);
    let d = render_diagnostic("ce.cfg", &text, p.vlan.as_ref().unwrap().span, "Azure expects 201");
    assert!(d.contains("32 |  encapsulation dot1Q 200\n"), "{d}");

    let c = parse_config("hostname r\ninterface Gi0.7\n\tencapsulation dot1Q 7\n", Some(Platform::CiscoIos)).unwrap();
    let v = c.interfaces[0].vlan.as_ref().unwrap();
    assert_eq!((v.value, v.span.column), (7, 22));
}
