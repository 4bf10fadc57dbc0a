#![no_main]
//! Fuzzes the cisco_ios `show ip bgp summary` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_ios"), Some("show ip bgp summary"), data));
