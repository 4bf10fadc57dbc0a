//! The one detector of customer-edge texts: whether a text is a running
//! configuration or show outputs ([`classify`]), which platform printed it
//! (configurations: [`config`]; show outputs: [`detect`]), and where a
//! pasted session splits into commands ([`split_session`], at the prompts
//! that [`prompt`] recognises).

pub mod config;
mod session;
mod show;

pub use session::{is_junos_prompt_line, prompt, split_session, Command, Prompt};
pub use show::{detect, DetectError, Detected};
pub(crate) use show::{candidates, detect_in};

use crate::input::Head;
use crate::show::{entry, lookup, Entry};
use crate::{ParseError, Platform};

/// What a customer-edge text is.
#[derive(Debug, Clone)]
pub enum TextKind {
    /// A running configuration (`show running-config`, Junos `show
    /// configuration`), read by [`crate::config::parse_config`].
    Config(config::Detected),
    /// Anything else: show outputs, one or several after their prompts,
    /// read by [`crate::parse`] one command at a time.
    Show,
}

/// Whether `text` is a running configuration (a line typical of one
/// platform's configuration) or show outputs.
pub fn classify(text: &str) -> TextKind {
    match config::detect(text) {
        Some(d) => TextKind::Config(d),
        None => TextKind::Show,
    }
}

/// The platform whose running configuration `text` is, or `None`.
pub fn config_platform(text: &str) -> Option<Platform> {
    config::detect(text).map(|d| d.platform)
}

/// Which parser reads this show output: `--platform` and `--command` when
/// given, detection for what is missing.
pub(crate) fn choose(head: &Head, platform: Option<Platform>, command: Option<&str>) -> Result<&'static Entry, ParseError> {
    match (platform, command) {
        (Some(p), Some(c)) => lookup(p, c),
        (Some(p), None) => {
            // The command from the content, among this platform's.
            let d = candidates(head);
            if let Some(c) = d.prompt_command.as_deref() {
                return lookup(p, c);
            }
            match d.for_platform(p) {
                Some(e) => Ok(e),
                None => Err(ParseError::Detect(DetectError::NoCommand { platform: p, seen: d.describe() })),
            }
        }
        (None, Some(c)) => {
            let d = candidates(head);
            let kinds: Vec<&'static Entry> = Platform::ALL.iter().filter_map(|p| lookup(*p, c).ok()).collect();
            if kinds.is_empty() {
                return Err(ParseError::Detect(DetectError::UnknownCommand { command: c.trim().to_string() }));
            }
            if let Some(p) = d.platform() {
                if let Some(e) = kinds.iter().find(|e| e.platform == p) {
                    return Ok(e);
                }
            }
            Err(ParseError::Detect(DetectError::NoPlatform { command: c.trim().to_string(), candidates: kinds.iter().map(|e| e.platform).collect() }))
        }
        (None, None) => {
            let d = detect_in(head)?;
            Ok(entry(d.platform, d.command))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_is_told_from_show_outputs() {
        let config = "Building configuration...\n\nCurrent configuration : 440 bytes\n!\ninterface GigabitEthernet0/0/0.200\n encapsulation dot1Q 200\n";
        assert!(matches!(classify(config), TextKind::Config(d) if d.platform == Platform::CiscoIos));
        assert!(matches!(classify("ce1#show ip bgp summary\nNeighbor V AS MsgRcvd\n"), TextKind::Show));
        // A prompt before a command that shows the configuration is a configuration.
        assert_eq!(config_platform("netops@mx1> show configuration | display set\nset system host-name mx1\n"), Some(Platform::JuniperJunos));
        assert_eq!(config_platform("netops@mx1> show bgp summary\nGroups: 1 Peers: 2\n"), None);
    }
}
