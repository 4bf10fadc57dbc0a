#![no_main]
//! Fuzzes the cisco_nxos `show ip arp detail vrf all` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_nxos"), Some("show ip arp detail vrf all"), data));
