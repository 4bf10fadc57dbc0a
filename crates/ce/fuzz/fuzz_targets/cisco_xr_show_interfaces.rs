#![no_main]
//! Fuzzes the cisco_xr `show interfaces` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_xr"), Some("show interfaces"), data));
