//! The one place that decides about terminals: colour, the default output
//! format, the progress display, and how errors look. Data goes to stdout,
//! everything else to stderr.

use crate::flags::report::ColorChoice;
use erdiag_pipeline::{Error, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Colour on stdout: only on a terminal, never with NO_COLOR set to a
/// non-empty value (no-color.org) or `--color never`.
pub fn stdout_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    }
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// A document as pretty JSON text ending in a newline, with the characters
/// that would act on a reader's screen escaped (`erdiag_render::escape::json_text`):
/// every JSON that erdiag writes, to standard output or a file, goes through it.
pub fn json(value: &impl serde::Serialize) -> String {
    let mut s = erdiag_render::escape::json_text(serde_json::to_string_pretty(value).expect("erdiag's documents serialize"));
    s.push('\n');
    s
}

/// Writes data to stdout. A closed pipe (`erdiag … | head`) is not an error.
pub fn emit(s: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::system(format!("cannot write to standard output: {e}")).caused_by(e)),
        Ok(()) => Ok(()),
    }
}

/// The one error renderer: `error: MESSAGE`, then `caused by: …` for each
/// cause of the chain the message does not already quote, then, after a
/// blank line, `hint: …`. Quoted input has its secrets masked and its
/// control characters escaped ([`shown`]).
pub fn print_error(e: &Error) {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal();
    let _ = std::io::stderr().lock().write_all(render_error(e, color).as_bytes());
}

fn render_error(e: &Error, color: bool) -> String {
    let style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).bold();
    let label = if color { format!("{style}error{style:#}") } else { "error".to_string() };
    let mut out = format!("{label}: {}\n", shown(e.message()));
    let mut said = e.message().to_string();
    for cause in e.causes() {
        let text = cause.to_string();
        if !said.contains(&text) {
            out.push_str(&format!("caused by: {}\n", shown(&text)));
            said.push_str(&text);
        }
    }
    if let Some(h) = e.hint() {
        out.push_str(&format!("\nhint: {}\n", erdiag_render::escape::terminal(h)));
    }
    out
}

/// An error message as it may be shown: a line it quotes from the input
/// has its secrets masked (`erdiag_model::secrets`) and its control
/// characters escaped.
pub fn shown(message: &str) -> String {
    let masked = erdiag_model::secrets::redact_text(message);
    erdiag_render::escape::terminal(&masked).into_owned()
}

/// The progress display: one line on stderr with what is running, and a line
/// for each call that failed. Drawn only on a terminal and without -q.
pub struct Display {
    bar: Option<ProgressBar>,
    running: Mutex<BTreeMap<usize, (String, String)>>,
    /// Said before the calls running (`12/40 circuits`).
    prefix: Mutex<String>,
}

impl Display {
    pub fn new(quiet: bool) -> Arc<Display> {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(ProgressStyle::with_template("{spinner} {elapsed:>3} {pos} calls done · {msg}").unwrap());
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        Arc::new(Display { bar, running: Mutex::new(BTreeMap::new()), prefix: Mutex::new(String::new()) })
    }

    fn redraw(&self) {
        if let Some(b) = &self.bar {
            let r = self.running.lock().unwrap();
            let mut labels: Vec<String> = r.values().take(3).map(|(l, w)| if w.is_empty() { l.clone() } else { format!("{l} ({w})") }).collect();
            if r.len() > 3 {
                labels.push(format!("+{} more", r.len() - 3));
            }
            let prefix = self.prefix.lock().unwrap();
            let sep = if prefix.is_empty() { "" } else { " · " };
            b.set_message(format!("{prefix}{sep}{} running: {}", r.len(), labels.join(", ")));
        }
    }

    /// What the display says first, before the calls running.
    pub fn set_prefix(&self, text: String) {
        *self.prefix.lock().unwrap() = text;
        self.redraw();
    }

    pub fn done(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Display {
    fn start(&self, id: usize, label: &str) {
        self.running.lock().unwrap().insert(id, (label.to_string(), String::new()));
        self.redraw();
    }
    fn waiting(&self, id: usize, what: &str) {
        if let Some(e) = self.running.lock().unwrap().get_mut(&id) {
            e.1 = what.to_string();
        }
        self.redraw();
    }
    fn finish(&self, id: usize, ok: bool, detail: &str) {
        let label = self.running.lock().unwrap().remove(&id).map(|e| e.0).unwrap_or_default();
        if let Some(b) = &self.bar {
            b.inc(1);
            if !ok {
                b.println(format!("  failed: {label}: {detail}"));
            }
        }
        self.redraw();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_shown_once_and_the_hint_last() {
        let io = std::io::Error::other("disk full");
        let e = Error::system("out.json: cannot write").caused_by(io).with_hint("free some space");
        assert_eq!(render_error(&e, false), "error: out.json: cannot write\ncaused by: disk full\n\nhint: free some space\n");
        // A message that quotes its cause does not repeat it.
        let io = std::io::Error::other("disk full");
        let e = Error::system("out.json: cannot write: disk full").caused_by(io);
        assert_eq!(render_error(&e, false), "error: out.json: cannot write: disk full\n");
    }
}
