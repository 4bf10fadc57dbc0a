//! The one redaction policy for router secrets: which syntaxes of a
//! customer-edge configuration carry a password, key, community or hash, and
//! the masking of it on any text erdiag stores or shows — the CE texts of a
//! snapshot, configuration snippets, error messages and warnings alike.
//!
//! [`SYNTAXES`] is the table of secret-bearing syntaxes per platform (it is
//! also docs/security-secrets.md's table and the property tests' input): each
//! example writes `SECRET` where the secret goes. Detection is by keyword, on
//! one line at a time, so that it also works on a line quoted inside an error
//! message: a keyword ([`KEYWORDS`]), optional encryption-type words
//! ([`TYPES`]), then the secret, masked to the end of the line less Junos
//! syntax (`;`, `}`, `## SECRET-DATA`). In doubt, more is masked, never less.

use std::borrow::Cow;

/// What a secret is replaced by.
pub const REDACTED: &str = "<redacted>";

/// The platforms of [`SYNTAXES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Ios,
    Nxos,
    IosXr,
    Eos,
    JunosSet,
    Junos,
    Frr,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Ios => "IOS / IOS-XE",
            Platform::Nxos => "NX-OS",
            Platform::IosXr => "IOS-XR",
            Platform::Eos => "EOS",
            Platform::JunosSet => "Junos (set)",
            Platform::Junos => "Junos (hierarchical)",
            Platform::Frr => "FRRouting",
        }
    }
}

/// One secret-bearing syntax: `SECRET` in `example` is the secret.
#[derive(Debug, Clone, Copy)]
pub struct Syntax {
    pub platform: Platform,
    pub what: &'static str,
    pub example: &'static str,
}

const fn s(platform: Platform, what: &'static str, example: &'static str) -> Syntax {
    Syntax { platform, what, example }
}

use Platform::*;

/// Every syntax erdiag knows to carry a secret.
pub const SYNTAXES: &[Syntax] = &[
    s(Ios, "BGP neighbor password", " neighbor 172.16.0.2 password 7 SECRET"),
    s(Ios, "BGP neighbor password (clear)", " neighbor 172.16.0.2 password SECRET"),
    s(Ios, "enable secret", "enable secret 9 SECRET"),
    s(Ios, "enable password", "enable password 7 SECRET"),
    s(Ios, "user hash", "username admin privilege 15 secret 9 SECRET"),
    s(Ios, "user password", "username admin password 7 SECRET"),
    s(Ios, "key chain key", " key-string 7 SECRET"),
    s(Ios, "MACsec key chain CKN", " key SECRET"),
    s(Ios, "SNMP v1/v2c community", "snmp-server community SECRET RO"),
    s(Ios, "SNMP trap host community", "snmp-server host 10.0.0.9 version 2c SECRET"),
    s(Ios, "SNMP v1 trap host community", "snmp-server host 10.0.0.9 traps SECRET"),
    s(Ios, "SNMPv3 user", "snmp-server user ops ADMINS v3 auth sha SECRET priv aes 128 SECRET"),
    s(Ios, "TACACS+ key", "tacacs-server host 10.0.0.5 key 7 SECRET"),
    s(Ios, "TACACS+ server key", " key 7 SECRET"),
    s(Ios, "RADIUS key", "radius-server key SECRET"),
    s(Ios, "IKEv1 pre-shared key", "crypto isakmp key SECRET address 198.51.100.1"),
    s(Ios, "IKEv2 keyring key", "  pre-shared-key local SECRET"),
    s(Ios, "OSPF MD5 key", " ip ospf message-digest-key 1 md5 7 SECRET"),
    s(Ios, "OSPF authentication key", " ip ospf authentication-key SECRET"),
    s(Nxos, "BGP neighbor password", "    password 3 SECRET"),
    s(Nxos, "user hash", "username admin password 5 SECRET role network-admin"),
    s(Nxos, "SNMPv3 user", "snmp-server user admin network-admin auth md5 SECRET priv SECRET localizedkey"),
    s(Nxos, "SNMP community", "snmp-server community SECRET group network-operator"),
    s(Nxos, "TACACS+ key", "tacacs-server host 10.0.0.5 key 7 \"SECRET\""),
    s(Nxos, "RADIUS key", "radius-server host 10.0.0.6 key 7 \"SECRET\" authentication accounting"),
    s(Nxos, "key chain key", "    key-string 7 SECRET"),
    s(IosXr, "BGP neighbor password", "  password encrypted SECRET"),
    s(IosXr, "user hash", "username admin secret 10 SECRET"),
    s(IosXr, "key chain key", "  key-string password 7 SECRET"),
    s(IosXr, "SNMP community", "snmp-server community SECRET RO"),
    s(IosXr, "SNMPv3 user", "snmp-server user ops ADMINS v3 auth sha encrypted SECRET priv aes 128 encrypted SECRET"),
    s(IosXr, "TACACS+ key", "tacacs-server host 10.0.0.5 port 49 key 7 SECRET"),
    s(Eos, "BGP neighbor password", "   neighbor 172.16.0.2 password 7 SECRET"),
    s(Eos, "user hash", "username admin privilege 15 role network-admin secret sha512 SECRET"),
    s(Eos, "enable password", "enable password sha512 SECRET"),
    s(Eos, "SNMP community", "snmp-server community SECRET ro"),
    s(Eos, "SNMPv3 user", "snmp-server user ops ADMINS v3 auth sha SECRET priv aes SECRET"),
    s(Eos, "TACACS+ key", "tacacs-server key 7 SECRET"),
    s(Eos, "RADIUS key", "radius-server host 10.0.0.6 key 7 SECRET"),
    s(Eos, "MACsec profile CKN and CAK", "      key SECRET 7 SECRET"),
    s(JunosSet, "BGP authentication key", "set protocols bgp group AZ neighbor 172.16.0.2 authentication-key \"SECRET\""),
    s(JunosSet, "root hash", "set system root-authentication encrypted-password \"SECRET\""),
    s(JunosSet, "user hash", "set system login user ops authentication encrypted-password \"SECRET\""),
    s(JunosSet, "SNMP community", "set snmp community SECRET authorization read-only"),
    s(JunosSet, "SNMPv3 user", "set snmp v3 usm local-engine user ops authentication-sha authentication-password SECRET"),
    s(JunosSet, "SNMPv3 privacy", "set snmp v3 usm local-engine user ops privacy-aes128 privacy-password SECRET"),
    s(JunosSet, "TACACS+ secret", "set system tacplus-server 10.0.0.5 secret \"SECRET\""),
    s(JunosSet, "RADIUS secret", "set system radius-server 10.0.0.6 secret \"SECRET\""),
    s(JunosSet, "IKE pre-shared key", "set security ike policy IKE pre-shared-key ascii-text \"SECRET\""),
    s(JunosSet, "key chain key", "set security authentication-key-chains key-chain KC key 0 secret \"SECRET\""),
    s(JunosSet, "MACsec CKN", "set security macsec connectivity-association CA pre-shared-key ckn SECRET"),
    s(JunosSet, "MACsec CAK", "set security macsec connectivity-association CA pre-shared-key cak \"SECRET\""),
    s(Junos, "BGP authentication key", "                authentication-key \"SECRET\"; ## SECRET-DATA"),
    s(Junos, "root hash", "        encrypted-password \"SECRET\"; ## SECRET-DATA"),
    s(Junos, "SNMP community", "    community SECRET {"),
    s(Junos, "SNMPv3 user", "                authentication-password SECRET;"),
    s(Junos, "SNMPv3 privacy", "                privacy-password SECRET;"),
    s(Junos, "key chain key", "            key 0 { secret SECRET; }"),
    s(Junos, "TACACS+ / RADIUS secret", "        secret \"SECRET\"; ## SECRET-DATA"),
    s(Junos, "IKE pre-shared key", "            pre-shared-key ascii-text \"SECRET\"; ## SECRET-DATA"),
    s(Junos, "MACsec CKN", "                ckn SECRET;"),
    s(Junos, "MACsec CAK", "                cak \"SECRET\"; ## SECRET-DATA"),
    s(Frr, "BGP neighbor password", " neighbor 172.16.0.2 password SECRET"),
    s(Frr, "vty password", "password SECRET"),
    s(Frr, "enable password", "enable password SECRET"),
    s(Frr, "key chain key", "  key-string SECRET"),
    s(Frr, "OSPF MD5 key", " ip ospf message-digest-key 1 md5 SECRET"),
    s(Frr, "IS-IS area password", " area-password md5 SECRET"),
];

/// Words followed (after optional [`TYPES`]) by a secret.
pub const KEYWORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "key",
    "key-string",
    "authentication-key",
    "encrypted-password",
    "authentication-password",
    "privacy-password",
    "simple-password",
    "area-password",
    "domain-password",
    "pre-shared-key",
    "ascii-text",
    "hexadecimal",
    "auth-password",
    "priv-password",
    "shared-secret",
    "message-digest-key",
    "md5",
    "ckn",
    "cak",
];

/// Encryption types and algorithms written between a keyword and its secret.
pub const TYPES: &[&str] = &[
    "0", "3", "4", "5", "6", "7", "8", "9", "10", "clear", "encrypted", "unencrypted", "hidden", "md5", "sha", "sha1", "sha256", "sha512", "ascii-text", "hexadecimal",
];

/// Prefixes of crypt(3) and Junos `$9$` hashes, masked wherever they stand.
const HASHES: &[&str] = &["$1$", "$2a$", "$2b$", "$2y$", "$5$", "$6$", "$7$", "$8$", "$9$", "$y$"];

/// Words of `snmp-server host H … COMMUNITY` between the host and the community.
const SNMP_HOST_WORDS: &[&str] = &["traps", "informs", "version", "1", "2c", "3", "auth", "noauth", "priv", "vrf"];

struct Tok<'a> {
    start: usize,
    /// Lower case, without quotes, backticks and `;`.
    word: Cow<'a, str>,
    raw: &'a str,
}

fn tokens(line: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let raw = &line[s..i];
                let bare = raw.trim_matches(|c| matches!(c, '`' | '"' | '\'' | ';'));
                let word = if bare.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(bare.to_ascii_lowercase()) } else { Cow::Borrowed(bare) };
                out.push(Tok { start: s, word, raw });
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The length of a secret that starts `rest`: to the end of the line, less
/// Junos syntax after it (`;`, closing braces, `## SECRET-DATA`).
fn value_len(rest: &str) -> usize {
    let mut v = rest.trim_end();
    loop {
        let before = v.len();
        if let Some(s) = v.strip_suffix("## SECRET-DATA") {
            v = s.trim_end();
        }
        if let Some(s) = v.strip_suffix('}') {
            v = s.trim_end();
        }
        if v.len() == before {
            break;
        }
    }
    v.strip_suffix(';').map_or(v.len(), |s| s.trim_end().len())
}

/// Every keyword of [`KEYWORDS`], `community`, `snmp` and a hash contain one
/// of these (ASCII case-insensitive): a line without any holds no secret.
const TRIGGERS: &[&[u8]] = &[b"pass", b"secret", b"key", b"md5", b"ascii-text", b"hexadecimal", b"community", b"snmp", b"ckn", b"cak", b"$"];

fn may_hold_secret(line: &str) -> bool {
    let b = line.as_bytes();
    (0..b.len()).any(|i| {
        let first = b[i].to_ascii_lowercase();
        matches!(first, b'p' | b's' | b'k' | b'm' | b'a' | b'h' | b'c' | b'$')
            && TRIGGERS.iter().any(|t| t[0] == first && b[i..].len() >= t.len() && b[i..i + t.len()].eq_ignore_ascii_case(t))
    })
}

/// Where the secrets of `line` are: sorted, disjoint byte ranges.
pub fn secret_ranges(line: &str) -> Vec<(usize, usize)> {
    if !may_hold_secret(line) {
        return Vec::new();
    }
    let toks = tokens(line);
    let mut out: Vec<(usize, usize)> = Vec::new();
    let to_end = |t: &Tok| (t.start, t.start + value_len(&line[t.start..]));
    let snmp = toks.iter().any(|t| t.word == "snmp-server" || t.word == "snmp");
    // `snmp-server host H [traps|informs] [version V [auth|noauth|priv]] COMMUNITY …`
    if let Some(h) = toks.iter().position(|t| t.word == "snmp-server").filter(|&h| toks.get(h + 1).is_some_and(|t| t.word == "host")) {
        let mut v = h + 3;
        while toks.get(v).is_some_and(|t| SNMP_HOST_WORDS.contains(&&*t.word)) {
            v += 1;
        }
        if let Some(t) = toks.get(v) {
            out.push(to_end(t));
        }
        return out;
    }
    let mut k = 0;
    while k < toks.len() {
        let w = &*toks[k].word;
        let next = |i: usize| toks.get(i).map(|t| &*t.word);
        if w == "community" && (snmp || next(k + 2).is_some_and(|n| n.starts_with('{'))) {
            if let Some(t) = toks.get(k + 1) {
                if snmp {
                    out.push(to_end(t));
                    break;
                }
                out.push((t.start, t.start + t.raw.len()));
            }
            k += 2;
            continue;
        }
        let keyword = KEYWORDS.contains(&w) || (snmp && (w == "auth" || w == "priv"));
        if keyword && !(w == "key" && next(k + 1) == Some("chain")) {
            let mut v = k + 1;
            while v + 1 < toks.len() && TYPES.contains(&&*toks[v].word) {
                v += 1;
            }
            let Some(t) = toks.get(v) else { break };
            if t.word.is_empty() || t.word.starts_with(['{', '}']) {
                k = v + 1;
                continue;
            }
            let (a, b) = to_end(t);
            if b > a {
                out.push((a, b));
                break;
            }
            k = v + 1;
            continue;
        }
        let bare = toks[k].raw.trim_start_matches(['"', '`', '\'']);
        if HASHES.iter().any(|h| bare.starts_with(h)) {
            let t = &toks[k];
            let len = t.raw.trim_end_matches([';', '`']).len();
            out.push((t.start, t.start + len));
        }
        k += 1;
    }
    out
}

/// `line` with every secret replaced by [`REDACTED`].
pub fn redact_line(line: &str) -> Cow<'_, str> {
    let ranges = secret_ranges(line);
    if ranges.is_empty() {
        return Cow::Borrowed(line);
    }
    let mut s = String::with_capacity(line.len());
    let mut last = 0;
    for (a, b) in ranges {
        s.push_str(&line[last..a]);
        s.push_str(REDACTED);
        last = b;
    }
    s.push_str(&line[last..]);
    Cow::Owned(s)
}

/// `text` with every line's secrets replaced; line ends are kept.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut done = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Cow::Owned(masked) = redact_line(body) {
            let start = body.as_ptr() as usize - text.as_ptr() as usize;
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[done..start]);
            o.push_str(&masked);
            done = start + body.len();
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[done..]);
            Cow::Owned(o)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_syntax_of_the_table_is_masked() {
        for (i, syn) in SYNTAXES.iter().enumerate() {
            let secret = format!("Zq{i}x!9K");
            let line = syn.example.replace("SECRET", &secret);
            let shown = redact_line(&line);
            assert!(!shown.contains(&secret), "{} {}: {shown}", syn.platform.name(), syn.what);
            assert!(shown.contains(REDACTED), "{shown}");
        }
    }

    #[test]
    fn examples() {
        for (line, shown) in [
            (" neighbor 172.16.0.2 password my secret key", " neighbor 172.16.0.2 password <redacted>"),
            ("                authentication-key \"$9$abcDEF\"; ## SECRET-DATA", "                authentication-key <redacted>; ## SECRET-DATA"),
            ("            key 0 { secret X1; }", "            key 0 { secret <redacted>; }"),
            ("    community pub1ic {", "    community <redacted> {"),
            ("snmp-server host 10.0.0.9 version 2c C0mm", "snmp-server host 10.0.0.9 version 2c <redacted>"),
            ("snmp-server user u g v3 auth sha A1 priv aes 128 P1", "snmp-server user u g v3 auth sha <redacted>"),
            ("line 3: expected `: N matches` in `root $6$salt$hash`", "line 3: expected `: N matches` in `root <redacted>`"),
            ("(first line 1: `community pub1ic {`)", "(first line 1: `community <redacted> {`)"),
        ] {
            assert_eq!(redact_line(line), shown, "{line}");
        }
        for kept in [" neighbor 172.16.0.2 remote-as 12076", " set community 12076:5010", "key chain AZ", "community AZ members 12076:5010;", "snmp-server enable traps"] {
            assert_eq!(redact_line(kept), kept);
        }
    }

    #[test]
    fn every_keyword_passes_the_prefilter() {
        for k in KEYWORDS.iter().chain(&["community", "snmp-server", "$6$"]) {
            assert!(may_hold_secret(&k.to_ascii_uppercase()), "{k}");
        }
    }

    #[test]
    fn text_keeps_its_line_ends() {
        assert_eq!(redact_text("a\r\nenable secret 5 x\r\nb"), "a\r\nenable secret 5 <redacted>\r\nb");
        assert!(matches!(redact_text("a\nb\n"), Cow::Borrowed(_)));
    }
}
