#![no_main]
//! Fuzzes the cisco_ios `show ip interface brief` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_ios"), Some("show ip interface brief"), data));
