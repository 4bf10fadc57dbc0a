#![no_main]
//! Fuzzes the frr `show ip bgp` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("frr"), Some("show ip bgp"), data));
