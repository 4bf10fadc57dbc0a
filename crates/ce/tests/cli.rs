//! `erdiag parse` as the CLI runs it (`run_parse_to`): the JSON printed is
//! the records of `parse`, escaping included; an error prints nothing.

use erdiag_ce::cli::{run_parse_to, ParseArgs, Schema};
use erdiag_ce::Platform;

fn args(platform: Option<Platform>, command: Option<&str>, schema: Schema) -> ParseArgs {
    ParseArgs { file: "-".into(), platform, command: command.map(String::from), schema, output: erdiag_ce::cli::Format::Json, max_size: None }
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
    let e = run_parse_to(&b"\x00\x01binary"[..], &args(None, None, Schema::Ntc), &mut out).unwrap_err();
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
