#![no_main]
//! Fuzzes the frr `show bgp summary` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("frr"), Some("show bgp summary"), data));
