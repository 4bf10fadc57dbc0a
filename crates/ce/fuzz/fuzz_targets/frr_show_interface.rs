#![no_main]
//! Fuzzes the frr `show interface` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("frr"), Some("show interface"), data));
