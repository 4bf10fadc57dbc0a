//! How the collector reports progress. The CLI draws it on stderr; tests and
//! quiet runs use [`NoProgress`]. Nothing here knows about terminals.

/// One operation's progress events. `id` is unique per operation in a run.
pub trait Progress: Send + Sync {
    /// An operation starts (`label` names it: `ARP AzurePrivatePeering/primary`).
    fn start(&self, id: usize, label: &str);
    /// The operation is waiting: a long-running operation in progress, a retry.
    fn waiting(&self, id: usize, what: &str);
    /// The operation ended; `ok` false when it landed in `failures`.
    fn finish(&self, id: usize, ok: bool, detail: &str);
}

pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize, _: &str) {}
    fn waiting(&self, _: usize, _: &str) {}
    fn finish(&self, _: usize, _: bool, _: &str) {}
}
