#![no_main]
//! Fuzzes the frr `show arp` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("frr"), Some("show arp"), data));
