//! The one error type of the pipeline: what went wrong (the message), what
//! kind of failure it is (for a caller deciding what to retry or report),
//! the error it came from (`source`, the cause chain) and what the user can
//! do about it (`hint`). Messages name the input (a file, `<stdin>`, a
//! scenario) and, for bad JSON, the line or the JSON path.

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request itself is wrong: an unknown scenario or check, a missing circuit name.
    Usage,
    /// An input (a snapshot, a CE text, an imported output) could not be read or understood.
    Input,
    /// Collecting from Azure Resource Manager (or the emulator standing in for it) failed.
    Collection,
    /// The live lab could not be read or changed.
    Lab,
    /// The history store could not be opened, read or written.
    Store,
    /// The environment: the async runtime, a socket, a file to write.
    System,
}

/// An error with its kind, cause chain and an optional hint.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), hint: None, source: None }
    }

    /// A wrong request ([`ErrorKind::Usage`]).
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }

    /// An input that could not be read or understood ([`ErrorKind::Input`]).
    pub fn input(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Input, message)
    }

    /// A failure of the environment ([`ErrorKind::System`]).
    pub fn system(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::System, message)
    }

    /// What the user can do about it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// The error this one came from.
    pub fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.source = Some(Box::new(source));
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The causes, outermost first (not this error itself).
    pub fn causes(&self) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
        let first: Option<&(dyn std::error::Error + 'static)> = self.source.as_deref().map(|e| e as _);
        std::iter::successors(first, |e| e.source())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_and_the_hint_are_kept() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = Error::input("state.json: cannot read").caused_by(io).with_hint("check the path");
        assert_eq!(e.to_string(), "state.json: cannot read");
        assert_eq!(e.kind(), ErrorKind::Input);
        assert_eq!(e.hint(), Some("check the path"));
        assert_eq!(e.causes().map(|c| c.to_string()).collect::<Vec<_>>(), ["no such file"]);
    }
}
