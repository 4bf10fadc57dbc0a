//! Notifications on a change of verdict or root cause (webhooks). For now,
//! the loop calls [`Notifier::observe`] for every circuit of every poll and
//! nothing is sent.

use crate::state::{CircuitStatus, Shared};
use std::path::PathBuf;

/// `--notify-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotifyFormat {
    #[default]
    Generic,
    Teams,
    Slack,
}

/// `--notify`, `--notify-format`, `--dead-letter`.
#[derive(Debug, Clone, Default)]
pub struct NotifyOptions {
    pub urls: Vec<String>,
    pub format: NotifyFormat,
    pub dead_letter: Option<PathBuf>,
}

/// Sends what changed; `observe` sees each circuit's previous and new status.
#[derive(Debug, Default, Clone)]
pub struct Notifier;

impl Notifier {
    /// The notifier of these options; its counters go into `shared` (`WatchState::notifications`).
    pub fn new(_options: NotifyOptions, _shared: Shared) -> Notifier {
        Notifier
    }

    pub fn observe(&self, _old: Option<&CircuitStatus>, _new: &CircuitStatus) {}
}
