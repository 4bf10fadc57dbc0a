#![no_main]
//! Fuzzes the arista_eos `show interfaces` parser.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(Some("arista_eos"), Some("show interfaces"), data));
