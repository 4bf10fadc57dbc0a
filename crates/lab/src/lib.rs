//! `erdiag lab`: a live ExpressRoute circuit on one Linux machine.
//!
//! The customer edge and both MSEEs are FRRouting routers in network
//! namespaces, joined through a provider namespace whose bridges are the
//! layer-2 segments of each path; a fifth namespace stands for the VNet
//! gateway. ARP and BGP (with MD5) really run between them. [`LabBackend`]
//! answers the ARM emulator from their live state, so `erdiag diagnose`
//! sees what it would see on a real circuit.
//!
//! Code map: [`spec`] reads a scenario into what to build; [`frr`] writes
//! the routers' configurations; [`lab`] builds, breaks, fixes and removes
//! the lab; [`live`] reads the routers and shapes ARM resources;
//! [`backend`] serves them; [`sys`] runs `ip` and `vtysh` and holds
//! processes by pidfd; [`owned`] records what a lab created and checks it
//! before anything is removed, killed or handed to the `frr` user.

pub mod backend;
pub mod frr;
pub mod lab;
pub mod live;
pub mod owned;
pub mod spec;
pub mod sys;

pub use backend::LabBackend;
pub use lab::{preflight, Applied, BreakKind, Lab, State, DEFAULT_NAME};
pub use live::Live;
pub use spec::LabSpec;

#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("scenario {0}")]
    Scenario(String),
    #[error("no lab named `{0}` is up (`erdiag lab up` builds one)")]
    NotUp(String),
    #[error("a lab named `{0}` already exists (`erdiag lab status` shows it, `erdiag lab down` removes it)")]
    AlreadyUp(String),
    #[error("lab state: {0}")]
    State(String),
    #[error("`{command}` failed: {message}")]
    Tool { command: String, message: String },
    /// Something the lab would touch is not provably its own.
    #[error("refused: {0}")]
    Refused(String),
    #[error("timed out waiting for {0}")]
    Timeout(String),
}
