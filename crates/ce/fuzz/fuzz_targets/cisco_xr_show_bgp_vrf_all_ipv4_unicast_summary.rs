#![no_main]
//! Fuzzes the cisco_xr `show bgp vrf all ipv4 unicast summary` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_xr"), Some("show bgp vrf all ipv4 unicast summary"), data));
