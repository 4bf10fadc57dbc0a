//! Text as engineers save it: bytes in UTF-8 or (from Windows PowerShell's
//! `>`) UTF-16, Windows line endings, and often the command line or prompt
//! that printed it copied along with the output.

use crate::ImportError;

/// One line of the input: its 1-based number, its text without the line
/// ending, and the byte offset where it starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
    pub start: usize,
}

pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let t = raw.strip_suffix('\n').unwrap_or(raw);
        let t = t.strip_suffix('\r').unwrap_or(t);
        out.push(Line { no: i + 1, text: t, start });
        start += raw.len();
    }
    out
}

/// Decodes a file's bytes: UTF-8 (a BOM is dropped) or UTF-16 with a BOM,
/// which is what Windows PowerShell 5.1 writes with `>` or `Out-File`.
pub fn read_text(name: &str, bytes: &[u8]) -> Result<String, ImportError> {
    let utf16 = |big: bool| -> Result<String, ImportError> {
        let body = &bytes[2..];
        let units = body.chunks(2).map(|c| match (c, big) {
            ([a, b], false) => u16::from_le_bytes([*a, *b]),
            ([a, b], true) => u16::from_be_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        let mut s = String::with_capacity(body.len() / 2);
        for ch in char::decode_utf16(units) {
            match ch {
                Ok(c) => s.push(c),
                Err(_) => {
                    let line = s.matches('\n').count() + 1;
                    return Err(ImportError::new(name, Some(line), "not valid UTF-16 text (the file starts with a UTF-16 byte-order mark)"));
                }
            }
        }
        if body.len() % 2 == 1 {
            let line = s.matches('\n').count() + 1;
            return Err(ImportError::new(name, Some(line), "truncated UTF-16 text (an odd number of bytes)"));
        }
        Ok(s)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        _ => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(s) => Ok(s.to_string()),
                Err(e) => {
                    let line = body[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
                    Err(ImportError::new(name, Some(line), "binary data, or text that is not UTF-8")
                        .with_hint("import the text the command printed (`-o json` for the Azure CLI; for PowerShell the console output)"))
                }
            }
        }
    }
}

/// The line of the first character that no command output contains (NUL and
/// other control characters): such a file is binary data.
pub(crate) fn binary_line(text: &str) -> Option<usize> {
    let pos = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))?;
    Some(text[..pos].matches('\n').count() + 1)
}

/// What the echoed command line said about the output below it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Echo {
    pub command: Option<String>,
    pub peering: Option<String>,
    pub path: Option<String>,
    /// The pipeline stages (and `az --query` expressions) that may have
    /// dropped rows: `Where-Object {…}`, `Select-Object -First 5`, `findstr`.
    pub filters: Vec<String>,
    pub line: usize,
}

/// If `line` is a prompt or a command line (`PS C:\> Get-Az…`, `$ az …`,
/// `$ckt = Get-Az…`), the command on it.
pub(crate) fn command_of(line: &str) -> Option<&str> {
    let t = line.trim();
    let mut cmd = if let Some(rest) = t.strip_prefix("PS ") {
        rest.split_once("> ").map(|(_, c)| c).unwrap_or("")
    } else if let Some(rest) = ["$ ", "> ", "❯ ", "% ", "# "].iter().find_map(|p| t.strip_prefix(p)) {
        rest
    } else {
        t
    }
    .trim();
    if let Some((lhs, rhs)) = cmd.split_once('=') {
        let lhs = lhs.trim();
        if lhs.starts_with('$') && !lhs.contains(char::is_whitespace) {
            cmd = rhs.trim();
        }
    }
    let first = cmd.split(|c: char| c.is_whitespace() || c == '|').next()?;
    if first == "az" {
        return Some(cmd);
    }
    if first.len() > 6 && first.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("Get-Az")) {
        // `Get-AzX : message` is an error, not a command.
        let after = cmd[first.len()..].trim_start();
        if !after.starts_with(':') {
            return Some(cmd);
        }
    }
    None
}

/// A line that continues the command above it: PowerShell's `>> ` prompt,
/// or any line after one ending in `` ` `` or `|`.
pub(crate) fn continuation<'l>(previous: &str, line: &'l str) -> Option<&'l str> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix(">>") {
        return Some(rest.trim());
    }
    let p = previous.trim_end();
    (p.ends_with('`') || p.ends_with('|') || p.ends_with('\\')).then_some(t)
}

/// Joins a continued command: `` ` `` and `\` at a line's end are dropped.
pub(crate) fn join_continued(command: &str, more: &str) -> String {
    let head = command.trim_end();
    let head = head.strip_suffix('`').or_else(|| head.strip_suffix('\\')).unwrap_or(head).trim_end();
    format!("{head} {more}")
}

/// The stages of a pipeline: split at `|` outside quotes and braces.
pub(crate) fn stages(cmd: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut quote, mut depth, mut start) = (None, 0i32, 0);
    for (i, c) in cmd.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '(') => depth += 1,
            (None, '}' | ')') => depth -= 1,
            (None, '|') if depth <= 0 => {
                out.push(cmd[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(cmd[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// Whether a pipeline stage after the command may drop rows. Stages that
/// only shape the display (`Format-Table`, `Sort-Object`, `Select-Object`
/// of columns, `Out-String`) do not; unknown stages may.
fn drops_rows(stage: &str) -> bool {
    let mut words = stage.split_whitespace().map(|w| w.to_ascii_lowercase());
    let Some(cmd) = words.next() else { return false };
    match cmd.as_str() {
        "format-table" | "ft" | "format-list" | "fl" | "sort-object" | "sort" | "out-string" | "out-host" | "oh" | "out-file"
        | "out-default" | "tee-object" | "tee" | "convertto-json" | "more" => false,
        "select-object" | "select" => {
            words.any(|w| ["-first", "-last", "-skip", "-skiplast", "-index", "-unique"].iter().any(|f| f.starts_with(w.as_str()) && w.len() > 2))
        }
        _ => true,
    }
}

impl Echo {
    /// Reads the peering and device path a command was given (from its
    /// first stage), and the stages that filtered its rows.
    pub(crate) fn read(&mut self, cmd: &str, line: usize) {
        self.command = Some(cmd.to_string());
        self.line = line;
        let stages = stages(cmd);
        let Some(head) = stages.first() else { return };
        self.filters = stages[1..].iter().filter(|s| drops_rows(s)).map(|s| s.to_string()).collect();
        let toks: Vec<&str> = head.split_whitespace().collect();
        let peering_config = toks.first().is_some_and(|c| c.eq_ignore_ascii_case("Get-AzExpressRouteCircuitPeeringConfig"));
        let unquote = |s: &str| s.trim_matches(|c| c == '"' || c == '\'').to_string();
        let mut i = 0;
        while i < toks.len() {
            let (flag, inline) = match toks[i].split_once('=') {
                Some((f, v)) if f.starts_with('-') => (f, Some(v)),
                _ => (toks[i], None),
            };
            let value = || inline.map(unquote).or_else(|| toks.get(i + 1).map(|v| unquote(v)));
            // PowerShell's parameters take one dash, the Azure CLI's two.
            let f = flag.to_ascii_lowercase();
            match (f.starts_with("--"), f.trim_start_matches('-')) {
                (false, "peeringtype" | "peeringname") | (true, "peering-name") => self.peering = value(),
                (false, "name") if peering_config => self.peering = value(),
                (false, "devicepath") | (true, "path") => self.path = value(),
                (true, "query") if value().is_some_and(|q| q.contains("[?")) => {
                    self.filters.push(format!("{flag} {}", value().unwrap_or_default()));
                }
                _ => {}
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16_and_boms() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Age : 0\r\n".encode_utf16() {
            b.extend(u.to_le_bytes());
        }
        assert_eq!(read_text("f", &b).unwrap(), "Age : 0\r\n");
        assert_eq!(read_text("f", b"\xEF\xBB\xBFab").unwrap(), "ab");
        let e = read_text("f", b"ok\nok\n\xff\xfe\x00").unwrap_err();
        // 0xFF 0xFE at the start only means UTF-16; here it is in the middle.
        assert_eq!(e.line, Some(3));
        assert!(read_text("f", &[0xFF, 0xFE, 0x41]).is_err());
    }

    #[test]
    fn binary_is_found() {
        assert_eq!(binary_line("a\nb\u{0}c"), Some(2));
        assert_eq!(binary_line("a\tb\r\n"), None);
    }

    #[test]
    fn command_lines() {
        assert_eq!(command_of(r"PS C:\> Get-AzExpressRouteCircuitARPTable -DevicePath Primary"), Some("Get-AzExpressRouteCircuitARPTable -DevicePath Primary"));
        assert_eq!(command_of("$ckt = Get-AzExpressRouteCircuit -Name x"), Some("Get-AzExpressRouteCircuit -Name x"));
        assert_eq!(command_of("$ az network express-route list-arp-tables --path primary"), Some("az network express-route list-arp-tables --path primary"));
        assert_eq!(command_of("Get-AzExpressRouteCircuitRouteTable : The BGP Peering X is not found."), None);
        assert_eq!(command_of("Age : 0"), None);
        let mut e = Echo::default();
        e.read("az network express-route list-arp-tables -g rg -n c --path=secondary --peering-name 'MicrosoftPeering'", 1);
        assert_eq!(e.path.as_deref(), Some("secondary"));
        assert_eq!(e.peering.as_deref(), Some("MicrosoftPeering"));
        let mut e = Echo::default();
        e.read(r#"Get-AzExpressRouteCircuitPeeringConfig -Name "AzurePrivatePeering" -ExpressRouteCircuit $ckt"#, 1);
        assert_eq!(e.peering.as_deref(), Some("AzurePrivatePeering"));
    }

    #[test]
    fn pipelines() {
        let mut e = Echo::default();
        e.read(r#"Get-AzExpressRouteCircuitPeeringConfig -ExpressRouteCircuit $ckt -Name AzurePrivatePeering|where-object {$_.State -eq "a|b"} | ft -AutoSize"#, 1);
        assert_eq!(e.peering.as_deref(), Some("AzurePrivatePeering"));
        assert_eq!(e.filters, [r#"where-object {$_.State -eq "a|b"}"#]);
        let mut e = Echo::default();
        e.read("Get-AzExpressRouteCircuitRouteTable -DevicePath Primary | Sort-Object Network | select Network,NextHop | Out-String -Width 200", 1);
        assert!(e.filters.is_empty(), "{:?}", e.filters);
        for filtered in ["| select -First 5", "| Select-Object -Last 2", "| findstr 10.1", "| ? Network -like 10.*", "| ForEach-Object { $_ }"] {
            let mut e = Echo::default();
            e.read(&format!("Get-AzExpressRouteCircuitARPTable {filtered}"), 1);
            assert_eq!(e.filters.len(), 1, "{filtered}");
        }
        let mut e = Echo::default();
        e.read("az network express-route list-route-tables -g rg -n c --path primary --peering-name AzurePrivatePeering --query \"value[?network=='10.1.0.0/16']\"", 1);
        assert_eq!(e.filters.len(), 1);
        assert_eq!(command_of("PS C:\\> Get-AzExpressRouteCircuitRouteTable|ft"), Some("Get-AzExpressRouteCircuitRouteTable|ft"));
        assert_eq!(continuation("Get-AzX -A 1 `", ">> -B 2"), Some("-B 2"));
        assert_eq!(continuation("Get-AzX -A 1 |", "  ft"), Some("ft"));
        assert_eq!(continuation("Get-AzX -A 1", "Age : 1"), None);
        assert_eq!(join_continued("Get-AzX -A 1 `", "-B 2"), "Get-AzX -A 1 -B 2");
    }
}
