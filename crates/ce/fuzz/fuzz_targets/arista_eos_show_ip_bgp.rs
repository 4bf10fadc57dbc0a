#![no_main]
//! Fuzzes the arista_eos `show ip bgp` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("arista_eos"), Some("show ip bgp"), data));
