//! Any bytes, read as the CLI reads a file (lossy UTF-8), parsed with
//! detection and as every vendor; spans of a result are rendered as
//! diagnostics. From crates/ce, seeded with the configuration fixtures (new
//! inputs go to the first folder):
//!
//! ```sh
//! mkdir -p fuzz/corpus/parse_config
//! cargo +nightly fuzz run parse_config fuzz/corpus/parse_config tests/fixtures/config -- -max_total_time=120
//! ```
#![no_main]

use erdiag_ce::config::{parse_config, render_diagnostic, Span};
use erdiag_ce::Platform;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for v in std::iter::once(None).chain(Platform::ALL.into_iter().map(Some)) {
        if let Ok(c) = parse_config(&text, v) {
            let mut spans: Vec<Span> = c.interfaces.iter().map(|i| i.name.span).collect();
            spans.extend(c.bgp.iter().flat_map(|b| b.neighbors.iter().map(|n| n.address.span)));
            spans.extend(c.warnings.iter().map(|w| Span::new(w.line, 1, 1)));
            for s in spans {
                let _ = render_diagnostic("fuzz", &text, s, "m");
            }
        }
    }
    if data.len() >= 3 {
        let s = Span::new(data[0] as usize, data[1] as usize, data[2] as usize);
        let _ = render_diagnostic("fuzz", &text, s, "m");
    }
});
