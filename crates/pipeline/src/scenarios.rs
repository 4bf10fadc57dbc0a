//! The built-in scenario catalogue: realistic healthy and faulty circuits as
//! `erdiag-snapshot/1` files, embedded from `scenarios/` at build time.

use crate::Error;

/// One scenario of the catalogue.
pub struct Scenario {
    pub name: &'static str,
    pub title: &'static str,
    pub readme: &'static str,
    pub snapshot: &'static [u8],
    /// Its `timeline.json`: what happened over the hour before (flaps,
    /// maintenance, withdrawals, traffic), served by the emulator as time.
    pub timeline: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// The scenario `erdiag demo` shows when none is named.
pub const DEFAULT: &str = "secondary-path-down";

/// The scenario of this name (case does not matter).
pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The scenario of this name, or a usage error that says where the catalogue is.
pub fn get(name: &str) -> Result<&'static Scenario, Error> {
    find(name).ok_or_else(|| Error::usage(format!("no scenario named `{name}`")).with_hint("`erdiag demo --list` shows the catalogue"))
}

impl Scenario {
    /// The scenario's snapshot as a JSON document.
    pub fn document(&self) -> serde_json::Value {
        serde_json::from_slice(self.snapshot).expect("built-in scenarios are valid JSON")
    }

    /// Its timeline, anchored at `start` (the emulator's start).
    pub fn timeline(&self, start: i64) -> Option<erdiag_emulator::Timeline> {
        self.timeline.map(|t| erdiag_emulator::Timeline::parse(t, start).expect("built-in timelines are valid (tests/timelines.rs)"))
    }
}
