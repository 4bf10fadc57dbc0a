//! Shared by the fuzz targets: feeds the bytes to a parser through the
//! streaming reader (so binary data, bad UTF-8 and long lines are part of
//! the input space) and checks what must hold whatever the input.

use erdiag_ce::{Limits, Platform, Rec, Sink, Warning};

#[derive(Default)]
pub struct Check {
    records: usize,
}

impl Sink for Check {
    fn record(&mut self, rec: &Rec<'_>) {
        self.records += 1;
        // Every record converts to JSON and to the typed model.
        let _ = rec.to_map();
    }
    fn warning(&mut self, w: Warning) {
        assert!(!w.message.is_empty());
    }
}

pub fn run(platform: Option<&str>, command: Option<&str>, data: &[u8]) {
    let limits = Limits { max_line: 4096, ..Limits::default() };
    let platform = platform.map(|p| Platform::from_ntc_name(p).expect("a platform"));
    let mut sink = Check::default();
    let _ = erdiag_ce::parse_reader(data, platform, command, &mut sink, &limits);
    // The in-memory API and the typed model, on text.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = erdiag_ce::parse(text, platform, command) {
            assert!(p.records_ntc.len() <= p.model.len() + p.records_ntc.len());
        }
    }
}
