//! The one place that decides about terminals: colour, the default output
//! format, and how errors look. Data goes to stdout, everything else to stderr.

use std::io::{IsTerminal, Write};

/// Colour on stdout: only on a terminal, never with NO_COLOR set to a
/// non-empty value (no-color.org) or `--color never`.
pub fn stdout_color(choice: crate::cli::ColorChoice) -> bool {
    match choice {
        crate::cli::ColorChoice::Always => true,
        crate::cli::ColorChoice::Never => false,
        crate::cli::ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    }
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Writes data to stdout. A closed pipe (`erdiag … | head`) is not an error.
pub fn emit(s: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// An error the user can act on: what went wrong, and a hint.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> UserError {
        UserError { message: message.into(), hint: None }
    }
    pub fn hint(mut self, h: impl Into<String>) -> UserError {
        self.hint = Some(h.into());
        self
    }
}

pub fn print_error(e: &UserError) {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal();
    let style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).bold();
    let label = if color { format!("{style}error{style:#}") } else { "error".to_string() };
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{label}: {}", shown(&e.message));
    if let Some(h) = &e.hint {
        let _ = writeln!(err, "\nhint: {}", erdiag_render::escape::terminal(h));
    }
}

/// An error message as it may be shown: a line it quotes from the input
/// has its secrets masked (`erdiag_model::secrets`) and its control
/// characters escaped.
pub fn shown(message: &str) -> String {
    let masked = erdiag_model::secrets::redact_text(message);
    erdiag_render::escape::terminal(&masked).into_owned()
}
