#![no_main]
//! Fuzzes the cisco_nxos `show interface` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_nxos"), Some("show interface"), data));
