//! Which injected faults a request gets, and counting them down. The rules
//! are documented on [`crate::Fault`]; what each fault does to the answer is
//! in `server.rs`.

use crate::config::{Fault, FaultKind};
use std::sync::Mutex;
use std::time::Duration;

struct Slot {
    path_lower: String,
    method: Option<String>,
    kind: FaultKind,
    remaining: Option<u32>,
}

/// The configured faults with their remaining counts.
pub(crate) struct Faults(Mutex<Vec<Slot>>);

/// The faults one request got.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Applied {
    /// The sum of the matching `Latency` faults.
    pub latency: Duration,
    /// The first matching fault that decides the answer.
    pub terminal: Option<FaultKind>,
    /// `NeverFinishes` or `OperationFails`, for operation starts and polls.
    pub operation: Option<FaultKind>,
}

impl Faults {
    pub(crate) fn new(faults: &[Fault]) -> Faults {
        Faults(Mutex::new(
            faults
                .iter()
                .map(|f| Slot {
                    path_lower: f.path_contains.to_ascii_lowercase(),
                    method: f.method.as_ref().map(|m| m.trim().to_ascii_uppercase()),
                    kind: f.kind.clone(),
                    remaining: f.times,
                })
                .collect(),
        ))
    }

    /// Takes the faults for a request (`path` percent-decoded); `operation`
    /// is true when the request starts or polls a long-running operation.
    pub(crate) fn take(&self, path: &str, method: &str, operation: bool) -> Applied {
        let path = path.to_ascii_lowercase();
        let method = method.to_ascii_uppercase();
        let mut slots = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut applied = Applied::default();
        let matching = |s: &Slot| {
            s.remaining != Some(0) && path.contains(&s.path_lower) && s.method.as_ref().is_none_or(|m| *m == method)
        };
        let consume = |s: &mut Slot| {
            if let Some(n) = s.remaining.as_mut() {
                *n -= 1;
            }
        };
        for slot in slots.iter_mut() {
            if !matching(slot) || slot.kind.is_lro() {
                continue;
            }
            match slot.kind {
                FaultKind::Latency { millis } => {
                    applied.latency += Duration::from_millis(millis);
                    consume(slot);
                }
                _ if applied.terminal.is_none() => {
                    applied.terminal = Some(slot.kind.clone());
                    consume(slot);
                }
                _ => {}
            }
        }
        if applied.terminal.is_none() && operation {
            if let Some(slot) = slots.iter_mut().find(|s| s.kind.is_lro() && matching(s)) {
                applied.operation = Some(slot.kind.clone());
                consume(slot);
            }
        }
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_match_count_down_and_stack_latency() {
        let faults = Faults::new(&[
            Fault::new("ARPTABLES", FaultKind::Latency { millis: 5 }),
            Fault::new("arpTables", FaultKind::TooManyRequests { retry_after_secs: 1 }).method("post").times(1),
            Fault::new("arptables", FaultKind::NeverFinishes).times(1),
            Fault::new("", FaultKind::Latency { millis: 1 }).times(1),
        ]);
        let a = faults.take("/x/arpTables/primary", "POST", true);
        assert_eq!(a.latency, Duration::from_millis(6));
        assert_eq!(a.terminal, Some(FaultKind::TooManyRequests { retry_after_secs: 1 }));
        assert_eq!(a.operation, None, "an answered request starts no operation");
        let a = faults.take("/x/arpTables/primary", "GET", false);
        assert_eq!((a.terminal, a.operation), (None, None), "operation faults wait for an operation");
        let a = faults.take("/x/arptables/primary", "POST", true);
        assert_eq!((a.latency, a.terminal, a.operation), (Duration::from_millis(5), None, Some(FaultKind::NeverFinishes)));
        let a = faults.take("/x/arptables/primary", "POST", true);
        assert_eq!(a, Applied { latency: Duration::from_millis(5), ..Applied::default() });
    }
}
