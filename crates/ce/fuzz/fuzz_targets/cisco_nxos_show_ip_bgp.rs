#![no_main]
//! Fuzzes the cisco_nxos `show ip bgp` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_nxos"), Some("show ip bgp"), data));
