#![no_main]
//! Fuzzes detection and whichever parser it picks.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(None, None, data));
