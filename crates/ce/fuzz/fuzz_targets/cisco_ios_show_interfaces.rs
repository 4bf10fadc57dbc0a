#![no_main]
//! Fuzzes the cisco_ios `show interfaces` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("cisco_ios"), Some("show interfaces"), data));
