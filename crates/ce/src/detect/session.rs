//! A pasted terminal session: the prompt lines (`router#show …`,
//! `RP/0/RSP0/CPU0:router#show …`, `user@router> show …`, `… vtysh -c
//! 'show …'`, `admin@sonic:~$ show arp`) and the commands they split it into.
//! The one prompt recogniser: detection of show outputs and of running
//! configurations and the split of a session all read prompts here.

use crate::Platform;

/// A prompt line and the command typed after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt<'a> {
    /// The platform the prompt implies (`RP/0/…:` IOS-XR, `user@host>`
    /// Junos, `vtysh -c` FRR), if any.
    pub platform: Option<Platform>,
    /// What stands before `#` or `>` (empty for `vtysh -c` and shell prompts).
    pub host: &'a str,
    /// The command as typed, output filters (`| include …`) included.
    pub command: &'a str,
}

impl Prompt<'_> {
    /// `user@host>` or `user@host#` (Junos operational or configuration mode).
    pub fn is_junos_style(&self) -> bool {
        match self.host.split_once('@') {
            Some((user, host)) => !user.is_empty() && !host.is_empty() && !user.contains(['/', ':']),
            None => false,
        }
    }
}

/// The prompt on `line`, when it is a prompt followed by a `show` command
/// (or, after a shell prompt, `ip …`).
pub fn prompt(line: &str) -> Option<Prompt<'_>> {
    let l = line.trim();
    if let Some(i) = l.find("vtysh -c") {
        let command = l[i + 8..].trim().trim_matches(|c| c == '\'' || c == '"');
        return Some(Prompt { platform: Some(Platform::Frr), host: "", command });
    }
    // A shell prompt: `admin@sonic:~$ show arp`, `$ ip neigh`.
    if let Some(i) = l.find("$ ") {
        let command = l[i + 2..].trim();
        let first = command.split_whitespace().next()?;
        if first == "show" || first == "ip" || first == "sudo" {
            let command = command.strip_prefix("sudo ").unwrap_or(command);
            return Some(Prompt { platform: None, host: "", command });
        }
        return None;
    }
    let i = l.find(['#', '>'])?;
    let (host, command) = (&l[..i], l[i + 1..].trim());
    if host.is_empty() || host.contains(char::is_whitespace) || command.is_empty() {
        return None;
    }
    let first = command.split_whitespace().next()?.to_ascii_lowercase();
    if !(first.len() >= 2 && "show".starts_with(&first)) {
        return None;
    }
    let platform = if host.starts_with("RP/") || host.starts_with("LC/") {
        Some(Platform::CiscoXr)
    } else if host.contains('@') && l[i..].starts_with('>') {
        Some(Platform::JuniperJunos)
    } else {
        None
    };
    Some(Prompt { platform, host, command })
}

/// A Junos prompt line whatever follows it (nothing, any command, a
/// `run …`): `user@host>`, `user@host# show | display set`. A statement
/// ends with `;` or `{`, a prompt never does.
pub fn is_junos_prompt_line(line: &str) -> bool {
    let t = line.trim();
    let w0 = t.split_whitespace().next().unwrap_or("");
    w0.contains('@') && (w0.ends_with('>') || w0.ends_with('#')) && !t.ends_with(';') && !t.ends_with('{')
}

/// One command of a session: its output with the prompt line it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The 1-based line of the session where it starts (its prompt line).
    pub line: usize,
    /// The command typed after the prompt, when the piece starts with one.
    pub typed: Option<String>,
    /// The prompt line and the output, each line ended by `\n`.
    pub text: String,
}

/// Splits a session holding several show commands, each after its prompt
/// line, into one piece per command. Text before the first prompt, or a
/// text without prompts, is one piece; blank pieces are dropped.
pub fn split_session(text: &str) -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let p = prompt(line);
        if p.is_some() || out.is_empty() {
            out.push(Command { line: n + 1, typed: p.map(|p| p.command.to_string()), text: String::new() });
        }
        if let Some(last) = out.last_mut() {
            last.text.push_str(line);
            last.text.push('\n');
        }
    }
    out.retain(|c| !c.text.trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_and_their_commands() {
        let p = prompt("ce1#show ip bgp neighbors 172.16.0.2 advertised-routes").unwrap();
        assert_eq!((p.platform, p.host, p.command), (None, "ce1", "show ip bgp neighbors 172.16.0.2 advertised-routes"));
        let p = prompt("user@ce1> show bgp summary").unwrap();
        assert_eq!((p.platform, p.command), (Some(Platform::JuniperJunos), "show bgp summary"));
        assert!(p.is_junos_style());
        assert_eq!(prompt("RP/0/RSP0/CPU0:xr1#sh run").unwrap().platform, Some(Platform::CiscoXr));
        assert_eq!(prompt("root@ce:~# vtysh -c 'show bgp summary'").unwrap().command, "show bgp summary");
        assert_eq!(prompt("Neighbor V AS"), None);
        assert_eq!(prompt("ce1#configure terminal"), None);
        assert!(is_junos_prompt_line("netops@mx1>"));
        assert!(is_junos_prompt_line("netops@mx1# show | display set"));
        assert!(!is_junos_prompt_line("authentication-key \"user@host#x\";"));
    }

    #[test]
    fn a_session_splits_at_its_prompts() {
        let s = "ce1#show ip bgp summary\nNeighbor V AS\n\nce1#sh ip arp\nProtocol Address\n";
        let c = split_session(s);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].line, c[0].typed.as_deref()), (1, Some("show ip bgp summary")));
        assert_eq!((c[1].line, c[1].typed.as_deref(), c[1].text.as_str()), (4, Some("sh ip arp"), "ce1#sh ip arp\nProtocol Address\n"));
        let c = split_session("Neighbor V AS\n10.0.0.1 4 65000\n");
        assert_eq!((c.len(), c[0].typed.as_deref()), (1, None));
        assert!(split_session("\n\n").is_empty());
    }
}
