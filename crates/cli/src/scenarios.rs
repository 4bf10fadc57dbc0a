//! The built-in scenario catalogue: realistic healthy and faulty circuits as
//! `erdiag-snapshot/1` files, embedded from `scenarios/` at build time.

/// One scenario of the catalogue.
pub struct Scenario {
    pub name: &'static str,
    pub title: &'static str,
    pub readme: &'static str,
    pub snapshot: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// The scenario `erdiag demo` shows when none is named.
pub const DEFAULT: &str = "secondary-path-down";

pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}
