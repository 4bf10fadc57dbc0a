#![no_main]
//! Fuzzes the juniper_junos `show interfaces` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("juniper_junos"), Some("show interfaces"), data));
