#![no_main]
//! Fuzzes the juniper_junos `show route summary` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("juniper_junos"), Some("show route summary"), data));
