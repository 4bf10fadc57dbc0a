//! The JSON writer `erdiag parse` streams through (`stream::write_json`): the JSON printed is
//! the records of `parse`, escaping included; an error prints nothing. The
//! typed output (written by hand for BGP tables) is byte for byte what
//! `serde_json` writes for the model `parse` builds.

mod common;

use erdiag_ce::stream::{write_json as run_parse_to, Options as ParseArgs, Schema};
use erdiag_ce::Platform;

fn args(platform: Option<Platform>, command: Option<&str>, schema: Schema) -> ParseArgs {
    ParseArgs { platform, command: command.map(String::from), schema, max_size: None }
}

const INTERFACES: &str = "\
GigabitEthernet0/0/1 is up, line protocol is up
  Hardware is ISR4331-3x1GE, address is 5c5e.ab0d.4f01 (bia 5c5e.ab0d.4f01)
  Description: to \"MSEE\" primary \\ ExpressRoute
  Internet address is 172.16.0.1/30
  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
";

#[test]
fn ntc_output_is_the_records_with_escapes() {
    let mut out = Vec::new();
    let warnings = run_parse_to(INTERFACES.as_bytes(), &args(Some(Platform::CiscoIos), Some("show interfaces"), Schema::Ntc), &mut out).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let printed: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(&out).unwrap();
    let parsed = erdiag_ce::parse(INTERFACES, Some(Platform::CiscoIos), Some("show interfaces")).unwrap();
    assert_eq!(printed, parsed.records_ntc);
    assert_eq!(printed[0]["description"], "to \"MSEE\" primary \\ ExpressRoute");
}

/// A tab (or CR) with no quote or backslash in the input: the fast copy of
/// plain values must not let it into a JSON string raw.
#[test]
fn ntc_output_escapes_a_tab_in_otherwise_plain_input() {
    let text = INTERFACES.replace("to \"MSEE\" primary \\ ExpressRoute", "to MSEE\tprimary");
    assert!(!text.contains('"') && !text.contains('\\'));
    let mut out = Vec::new();
    run_parse_to(text.as_bytes(), &args(Some(Platform::CiscoIos), Some("show interfaces"), Schema::Ntc), &mut out).unwrap();
    let printed: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(printed[0]["description"], "to MSEE\tprimary");
}

#[test]
fn erdiag_output_has_platform_command_records_and_warnings() {
    let text = "router#show ip arp\nProtocol  Address          Age (min)  Hardware Addr   Type   Interface\nInternet  172.16.0.1              -   5c5e.ab0d.4f01  ARPA   Gi0/0/1.100\ngarbage line\n";
    let mut out = Vec::new();
    let warnings = run_parse_to(text.as_bytes(), &args(None, None, Schema::Erdiag), &mut out).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, 4);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["platform"], "cisco_ios");
    assert_eq!(v["command"], "show ip arp");
    assert_eq!(v["kind"], "arp");
    assert_eq!(v["records"][0]["ip"], "172.16.0.1");
    assert_eq!(v["records"][0]["mac"], "5c5e.ab0d.4f01");
    assert_eq!(v["warnings"][0]["line"], 4);
}

#[test]
fn an_error_prints_nothing() {
    let mut out = Vec::new();
    let e = run_parse_to(&b"\x00\x01binary"[..], &args(None, None, Schema::Ntc), &mut out).unwrap_err().to_string();
    assert!(e.contains("binary"), "{e}");
    assert!(out.is_empty());
}

#[test]
fn no_records_is_an_empty_array() {
    let mut out = Vec::new();
    let w = run_parse_to(&b"Protocol  Address          Age (min)  Hardware Addr   Type   Interface\n"[..], &args(Some(Platform::CiscoIos), Some("show arp"), Schema::Ntc), &mut out).unwrap();
    assert_eq!(out, b"[]\n");
    assert_eq!(w.len(), 1, "a warning that nothing was found");
}

/// What `erdiag parse --schema erdiag` printed when every record went
/// through the typed model and `serde_json`: the reference the streamed
/// output is held to, byte for byte.
fn typed_reference(text: &str, platform: Option<Platform>, command: Option<&str>) -> Option<String> {
    use erdiag_ce::Model;
    let p = erdiag_ce::parse(text, platform, command).ok()?;
    let records = match &p.model {
        Model::BgpSummary(v) => serde_json::to_string(v),
        Model::BgpNeighbors(v) => serde_json::to_string(v),
        Model::BgpRoutes(v) => serde_json::to_string(v),
        Model::Arp(v) => serde_json::to_string(v),
        Model::Routes(v) => serde_json::to_string(v),
        Model::RouteSummary(v) => serde_json::to_string(v),
        Model::Interfaces(v) => serde_json::to_string(v),
    }
    .unwrap();
    let kind = serde_json::to_string(&p.kind).unwrap();
    let warnings = serde_json::to_string(&p.warnings).unwrap();
    Some(format!("{{\"platform\":\"{}\",\"command\":\"{}\",\"kind\":{kind},\"records\":{records},\"warnings\":{warnings}}}\n", p.platform, p.command))
}

fn typed_output(text: &str, platform: Option<Platform>, command: Option<&str>) -> Option<String> {
    let mut out = Vec::new();
    run_parse_to(text.as_bytes(), &args(platform, command, Schema::Erdiag), &mut out).ok()?;
    Some(String::from_utf8(out).unwrap())
}

/// The commands whose typed records are BGP paths, written by hand.
const BGP_TABLES: &[(Platform, &str)] = &[
    (Platform::CiscoIos, "show ip bgp"),
    (Platform::CiscoIos, "show ip bgp neighbors 10.0.0.2 advertised-routes"),
    (Platform::CiscoXr, "show bgp"),
    (Platform::Frr, "show ip bgp"),
];

fn assert_typed_output_is_the_reference(name: &str, text: &str, platform: Option<Platform>, command: Option<&str>) {
    let got = typed_output(text, platform, command);
    let want = typed_reference(text, platform, command);
    assert!(got == want, "{name} ({platform:?}, {command:?}):\n got {got:?}\nwant {want:?}");
}

#[test]
fn typed_output_of_the_fixtures_is_serde_json_of_the_model() {
    let mut files = Vec::new();
    common::walk(&std::path::PathBuf::from(format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"))), &mut files);
    assert!(!files.is_empty());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.display().to_string();
        assert_typed_output_is_the_reference(&name, &text, None, None);
        for (p, c) in BGP_TABLES {
            assert_typed_output_is_the_reference(&name, &text, Some(*p), Some(c));
        }
    }
}

/// The same on the ntc-templates and Batfish corpus (`ERDIAG_CORPUS`): every
/// output with its platform and command, with detection, and read as each
/// BGP table.
#[test]
fn typed_output_of_the_corpus_is_serde_json_of_the_model() {
    let Some(files) = common::corpus_outputs("the typed output check on the corpus") else { return };
    let mut n = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        let name = f.display().to_string();
        let mut parts = f.components().rev().map(|c| c.as_os_str().to_str().unwrap_or(""));
        let (command, platform) = (parts.nth(1).unwrap_or("").replace('_', " "), parts.next().and_then(Platform::from_ntc_name));
        if let Some(p) = platform {
            assert_typed_output_is_the_reference(&name, &text, Some(p), Some(&command));
        }
        assert_typed_output_is_the_reference(&name, &text, None, None);
        for (p, c) in BGP_TABLES {
            assert_typed_output_is_the_reference(&name, &text, Some(*p), Some(c));
        }
        n += 1;
    }
    assert!(n > 50, "{n} corpus files");
}

/// A BGP table line as IOS prints it: the codes, the network, then next
/// hop, metric, local preference, weight, path and origin (`cols`), any
/// field possibly odd.
fn bgp_line(codes: &str, net: &str, cols: [&str; 6]) -> String {
    let [nh, metric, lp, weight, path, origin] = cols;
    let tail = format!("{nh:<15} {metric:>10} {lp:>6} {weight:>6} {path} {origin}");
    if net.len() >= 17 {
        format!("{codes}{net}\n{:20}{tail}\n", "")
    } else {
        format!("{codes}{net:<16} {tail}\n")
    }
}

/// One generated table: the benchmark's layout (one-line, two-line and
/// continuation paths) with AS sets, asdot, leading zeros, signs, numbers
/// too large, quotes, backslashes, tabs, control bytes and non-ASCII text
/// in every column, read as each BGP table and detected.
/// A generated path: the codes (an index), network, next hop, metric, local
/// preference, weight, AS path and the origin (an index).
type GeneratedPath = (usize, String, String, String, String, String, String, usize);

fn bgp_table(lines: &[GeneratedPath]) -> String {
    const CODES: &[&str] = &[" *> ", " *  ", " *>i", " * i", " r>i", " s> ", " *a ", " *>f", "*>  ", " * ia"];
    const ORIGINS: &[&str] = &["i", "e", "?", "x", ""];
    let mut text = String::from("BGP table version is 9, local router ID is 10.0.0.1\nStatus codes: s suppressed, d damped, h history, * valid, > best, i - internal\n\n     Network          Next Hop            Metric LocPrf Weight Path\n");
    for (codes, net, nh, metric, lp, weight, path, origin) in lines {
        text.push_str(&bgp_line(CODES[codes % CODES.len()], net, [nh, metric, lp, weight, path, ORIGINS[origin % ORIGINS.len()]]));
    }
    text.push_str("\nTotal number of prefixes 3\n");
    text
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..proptest::prelude::ProptestConfig::default() })]

    #[test]
    fn typed_output_of_bgp_tables_is_serde_json_of_the_model(lines in proptest::collection::vec((
        0usize..10,
        "([0-9]{1,3}\\.){3}[0-9]{1,3}(/[0-9]{1,2})?|[0-9a-f:]{2,20}/[0-9]{2,3}|\\PC{0,18}|[\"\\\\\t\x01 é]{0,4}",
        "([0-9]{1,3}\\.){3}[0-9]{1,3}|::|\\PC{0,15}|[\"\\\\\t\x08\x0c]{1,3}",
        "|0|00|007|[0-9]{1,20}|\\+[0-9]{1,3}|-1|1e3|18446744073709551616",
        "|100|0100|[0-9]{1,6}|\\+1",
        "|0|32768|[0-9]{1,6}|x",
        "(([0-9]{1,10}|0[0-9]{1,3}|\\+[0-9]{1,5}|[0-9]{1,5}\\.[0-9]{1,5}|\\{[0-9, ]{1,12}\\}|[\t,]|é|\u{a0}|4294967296) ?){0,7}",
        0usize..5,
    ), 1..30)) {
        let text = bgp_table(&lines);
        assert_typed_output_is_the_reference("generated", &text, None, None);
        for (p, c) in BGP_TABLES {
            assert_typed_output_is_the_reference("generated", &text, Some(*p), Some(c));
        }
    }
}

/// The typed output of a large table goes out in chunks of 64 KiB and a
/// little more, each ending after a whole record: memory stays bounded and
/// a reader sees whole records.
#[test]
fn typed_output_of_a_large_table_is_written_in_chunks() {
    struct Chunks(Vec<Vec<u8>>);
    impl std::io::Write for Chunks {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.push(b.to_vec());
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut text = String::from("     Network          Next Hop            Metric LocPrf Weight Path\n");
    for i in 0..5000u32 {
        text.push_str(&bgp_line(" *> ", &format!("10.{}.{}.0/24", i / 256, i % 256), ["192.0.2.1", "0", "", "32768", "65001 174 3356", "i"]));
    }
    let mut out = Chunks(Vec::new());
    run_parse_to(text.as_bytes(), &args(Some(Platform::CiscoIos), Some("show ip bgp"), Schema::Erdiag), &mut out).unwrap();
    let chunks = out.0;
    assert!(chunks.len() > 5, "{} chunks", chunks.len());
    for (k, c) in chunks.iter().enumerate() {
        if k + 1 < chunks.len() {
            assert!((64 * 1024..64 * 1024 + 4096).contains(&c.len()), "chunk {k}: {} bytes", c.len());
            assert!(c.ends_with(b"}"), "chunk {k} ends inside a record");
        }
        if k > 0 {
            assert!(c.starts_with(b",{\"prefix\":"), "chunk {k} starts inside a record");
        }
    }
    let all: Vec<u8> = chunks.concat();
    assert_eq!(String::from_utf8(all).unwrap(), typed_reference(&text, Some(Platform::CiscoIos), Some("show ip bgp")).unwrap());
}

/// Text saved on Windows: a UTF-8 byte-order mark, or UTF-16 (what
/// PowerShell's `>` writes), with CRLF line ends. Detection reads the prompt
/// line through the mark; the records are those of the plain text.
#[test]
fn byte_order_marks_utf16_and_crlf_are_read() {
    let text = "router#show ip arp\r\nProtocol  Address          Age (min)  Hardware Addr   Type   Interface\r\nInternet  172.16.0.1              -   5c5e.ab0d.4f01  ARPA   Gi0/0/1.100\r\n";
    let parse = |bytes: Vec<u8>| {
        let mut out = Vec::new();
        let warnings = run_parse_to(&bytes[..], &args(None, None, Schema::Erdiag), &mut out).unwrap_or_else(|e| panic!("{e}"));
        assert!(warnings.is_empty(), "{warnings:?}");
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!((v["command"].as_str(), v["records"][0]["ip"].as_str(), v["records"][0]["interface"].as_str()), (Some("show ip arp"), Some("172.16.0.1"), Some("Gi0/0/1.100")));
    };
    parse([&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat());
    parse([0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect());
    parse([0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect());
    let parsed = erdiag_ce::parse(&format!("\u{feff}{text}"), None, None).unwrap();
    assert_eq!(parsed.command, "show ip arp");
}

/// UTF-16 that breaks off mid-character is an error naming the line.
#[test]
fn truncated_utf16_is_an_error() {
    let mut bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain("router#show ip arp\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    bytes.push(b'x');
    let err = run_parse_to(&bytes[..], &args(None, None, Schema::Erdiag), Vec::new()).unwrap_err().to_string();
    assert!(err.contains("UTF-16") && err.contains("line 2"), "{err}");
}
