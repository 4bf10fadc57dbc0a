//! Azure PowerShell's console output, read back into records.
//!
//! Three shapes: the **list** form (`Name : value` lines, records separated
//! by blank lines, complex values printed as indented JSON over several
//! lines), the **table** form (a header, a line of dashes, rows aligned under
//! the dashes; the same reader takes `az … -o table`), and the **error** text a
//! cmdlet prints. Values stay text here; `convert` types them.

use crate::kind::squash;
use crate::text::Line;
use erdiag_model::snapshot::strip_position;
use serde_json::{Map, Value};

/// A field of a list-form record: where it is, and the JSON text of a
/// multi-line value (to find lines inside it).
#[derive(Debug, Clone)]
pub(crate) struct FieldPos {
    pub key: String,
    pub line: usize,
    pub block: Option<String>,
}

/// One object of the output: a list-form record or a table row.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub obj: Map<String, Value>,
    pub line: usize,
    pub fields: Vec<FieldPos>,
    /// Table cells that hold no value and are left out of `obj`: the
    /// column, the text printed, and why.
    pub left_out: Vec<(String, String, LeftOut)>,
}

/// Why a table cell holds no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeftOut {
    /// `5c5e.ab0d…`, `AzurePrivate...`: the console cut it to the column.
    Cut,
    /// `{AzurePrivatePeering, MicrosoftPeering}`: a list, by its items' names.
    List,
    /// `Microsoft.Azure.Commands.Network.Models.PSExpressRouteCircuitSku`.
    TypeName,
}

impl LeftOut {
    pub(crate) fn says(self) -> &'static str {
        match self {
            LeftOut::Cut => "was cut short by the console",
            LeftOut::List => "is a list printed by its items' names",
            LeftOut::TypeName => "is an object printed as its type name",
        }
    }
}

/// A cell or header the console cut to its column's width.
pub(crate) fn is_cut(s: &str) -> bool {
    s.ends_with('…') || s.ends_with("...")
}

/// What a table cell holds: a value, or why it holds none. `{}` is an
/// empty list.
fn cell(v: &str) -> Result<Value, LeftOut> {
    if is_cut(v) {
        return Err(LeftOut::Cut);
    }
    if v.starts_with('{') && v.ends_with('}') {
        return if v[1..v.len() - 1].trim().is_empty() { Ok(Value::Array(vec![])) } else { Err(LeftOut::List) };
    }
    let dotted = v.split('.').count() >= 4 && v.split('.').all(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '`'));
    if dotted && (v.starts_with("Microsoft.") || v.starts_with("System.")) {
        return Err(LeftOut::TypeName);
    }
    Ok(Value::String(v.to_string()))
}

#[derive(Debug, Clone)]
pub(crate) struct LineError {
    pub line: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl LineError {
    fn new(line: usize, message: impl Into<String>) -> LineError {
        LineError { line, message: message.into(), hint: None }
    }
    fn hint(mut self, h: impl Into<String>) -> LineError {
        self.hint = Some(h.into());
        self
    }
}

/// `Name      : value` → (`Name`, `value`). The name starts the line.
pub(crate) fn split_key(line: &str) -> Option<(&str, &str)> {
    let first = line.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(line.len());
    let rest = line[end..].trim_start_matches(' ');
    let value = rest.strip_prefix(':')?;
    Some((&line[..end], value.trim()))
}

/// The common indentation (spaces) of the non-blank lines: pasted output is
/// often indented as a whole.
fn indent(lines: &[Line]) -> usize {
    lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| l.text.len() - l.text.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0)
}

fn dedent<'a>(l: &Line<'a>, n: usize) -> &'a str {
    l.text.get(n..).unwrap_or("")
}

/// Tracks brackets outside JSON strings, across lines.
#[derive(Default)]
struct Balance {
    depth: i64,
    in_str: bool,
    esc: bool,
}

impl Balance {
    fn feed(&mut self, s: &str) {
        for c in s.chars() {
            if self.in_str {
                match (self.esc, c) {
                    (true, _) => self.esc = false,
                    (false, '\\') => self.esc = true,
                    (false, '"') => self.in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => self.in_str = true,
                '{' | '[' => self.depth += 1,
                '}' | ']' => self.depth -= 1,
                _ => {}
            }
        }
    }
}

/// Reads PowerShell's list form.
pub(crate) fn parse_list(lines: &[Line]) -> Result<Vec<Record>, LineError> {
    let ind = indent(lines);
    let mut records = Vec::new();
    let mut cur: Option<Record> = None;
    let mut i = 0;
    while let Some(l) = lines.get(i) {
        let t = dedent(l, ind);
        i += 1;
        if t.trim().is_empty() {
            records.extend(cur.take());
            continue;
        }
        if t.starts_with(char::is_whitespace) {
            // A long value wrapped onto the next line.
            let Some(r) = cur.as_mut() else {
                return Err(LineError::new(l.no, format!("expected `Name : value`, found `{}`", t.trim())));
            };
            let Some(last) = r.fields.last() else {
                return Err(LineError::new(l.no, format!("expected `Name : value`, found `{}`", t.trim())));
            };
            if last.block.is_some() {
                return Err(LineError::new(l.no, format!("unexpected text after the JSON value of `{}`: `{}`", last.key, t.trim())));
            }
            if let Some(Value::String(s)) = r.obj.get_mut(&last.key) {
                let piece = t.trim();
                if s.is_empty() {
                    s.push_str(piece);
                } else if s.contains(' ') || piece.contains(' ') {
                    s.push(' ');
                    s.push_str(piece);
                } else {
                    s.push_str(piece);
                }
            }
            continue;
        }
        let Some((key, value)) = split_key(t) else {
            return Err(LineError::new(l.no, format!("expected `Name : value`, found `{}`", t.trim()))
                .hint("PowerShell list output has one `Name : value` per line and a blank line between records"));
        };
        let r = cur.get_or_insert_with(|| Record { obj: Map::new(), line: l.no, fields: Vec::new(), left_out: Vec::new() });
        if r.obj.keys().any(|k| k.eq_ignore_ascii_case(key)) {
            return Err(LineError::new(l.no, format!("`{key}` appears twice in one record"))
                .hint("records are separated by blank lines"));
        }
        if value.starts_with('{') || value.starts_with('[') {
            let mut bal = Balance::default();
            bal.feed(value);
            let mut block = value.to_string();
            while bal.depth > 0 {
                let Some(next) = lines.get(i) else {
                    return Err(LineError::new(l.no, format!("the JSON value of `{key}` is not closed")));
                };
                i += 1;
                bal.feed(next.text);
                block.push('\n');
                block.push_str(next.text);
            }
            let v: Value = serde_json::from_str(&block).map_err(|e| {
                LineError::new(l.no + e.line().saturating_sub(1), format!("the value of `{key}` is not valid JSON: {}", strip_position(&e)))
            })?;
            r.obj.insert(key.to_string(), v);
            r.fields.push(FieldPos { key: key.to_string(), line: l.no, block: Some(block) });
            continue;
        }
        r.obj.insert(key.to_string(), Value::String(value.to_string()));
        r.fields.push(FieldPos { key: key.to_string(), line: l.no, block: None });
    }
    records.extend(cur);
    Ok(records)
}

/// A line of dashes (and spaces) under a table header.
pub(crate) fn is_dashes(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.starts_with('-') && t.chars().all(|c| c == '-' || c == ' ' || c == '\t')
}

/// Reads a text table. Columns are the runs of dashes under the header; a
/// cell is the value that overlaps its run (PowerShell draws the dashes as
/// wide as the header text, so a left-aligned value may run past them, and a
/// right-aligned one may start before them). A value that crosses two runs,
/// lies under none, or is a second word where values are single words, is an
/// error: such a table was re-spaced or cut. A cell the console could not
/// print whole (cut to `…`, a list, an object's type name) holds no value:
/// it is in the record's `left_out`, as is every cell under a cut header.
pub(crate) fn parse_table(lines: &[Line]) -> Result<(Vec<String>, Vec<Record>), LineError> {
    let ind = indent(lines);
    let chars = |l: &Line| -> Vec<char> { dedent(l, ind).trim_end().chars().collect() };
    let (Some(head), Some(dash)) = (lines.first(), lines.get(1)) else {
        return Err(LineError::new(lines.first().map(|l| l.no).unwrap_or(1), "a table needs a header line and a line of dashes"));
    };
    if let Some(l) = lines.iter().find(|l| l.text.contains('\t')) {
        return Err(LineError::new(l.no, "the table contains tab characters: its columns cannot be lined up")
            .hint("import the output as printed, with spaces, or as JSON (`-o json`, `ConvertTo-Json`)"));
    }
    let d = chars(dash);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < d.len() {
        if d[k] == '-' {
            let s = k;
            while k < d.len() && d[k] == '-' {
                k += 1;
            }
            spans.push((s, k - 1));
        } else {
            k += 1;
        }
    }
    let h = chars(head);
    let last = spans.len().saturating_sub(1);
    let col_of = |pos: usize| spans.iter().position(|&(s, e)| pos >= s && pos <= e);
    for (pos, c) in h.iter().enumerate() {
        let past_last = matches!(spans.last(), Some(&(s, _)) if pos >= s);
        if !c.is_whitespace() && col_of(pos).is_none() && !past_last {
            return Err(LineError::new(head.no, "the header does not line up with the dashes below it"));
        }
    }
    let mut headers = Vec::new();
    for (n, &(s, e)) in spans.iter().enumerate() {
        let end = if n == last { h.len() } else { (e + 1).min(h.len()) };
        let name: String = h.get(s..end).unwrap_or(&[]).iter().collect::<String>().trim().to_string();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(LineError::new(head.no, format!("column {} has no single-word name above its dashes", n + 1)));
        }
        headers.push(name);
    }

    // Only these fields hold several words (`Idle (Admin)`, `65020 65021`);
    // a second word under any other column means the spacing was lost.
    let multi_word: Vec<bool> = headers.iter().map(|h| matches!(squash(h).as_str(), "statepfxrcd" | "path" | "aspath")).collect();
    let mut records = Vec::new();
    let mut i = 2;
    while let Some(l) = lines.get(i) {
        i += 1;
        if l.text.trim().is_empty() {
            continue;
        }
        let row = chars(l);
        let header_again: String = row.iter().collect();
        if header_again.trim() == h.iter().collect::<String>().trim() && lines.get(i).is_some_and(|n| is_dashes(n.text)) {
            i += 1;
            continue;
        }
        // Tokens: maximal runs of non-space characters.
        let mut cells: Vec<Option<(usize, usize)>> = vec![None; spans.len()];
        let mut p = 0;
        while p < row.len() {
            if row[p].is_whitespace() {
                p += 1;
                continue;
            }
            let s = p;
            while p < row.len() && !row[p].is_whitespace() {
                p += 1;
            }
            // A list, `{a, b}`, is one cell however many words it has.
            if row[s] == '{' && row[p - 1] != '}' {
                while p < row.len() && row[p - 1] != '}' {
                    p += 1;
                }
            }
            let e = p - 1;
            let tok = || -> String { row[s..=e].iter().collect() };
            let over: Vec<usize> = spans.iter().enumerate().filter(|(_, &(a, b))| s <= b && e >= a).map(|(n, _)| n).collect();
            let col = match over.as_slice() {
                [one] => *one,
                // A further word of a left-aligned value, past its header's dashes.
                [] => match spans.iter().rposition(|&(_, b)| b < s) {
                    Some(left) if cells[left].is_some() && multi_word[left] => left,
                    _ => {
                        return Err(LineError::new(l.no, format!("`{}` (column {}) is under no column of the header", tok(), s + 1 + ind))
                            .hint(ALIGN_HINT));
                    }
                },
                [a, b, ..] => {
                    return Err(LineError::new(
                        l.no,
                        format!("`{}` (column {}) lies under both `{}` and `{}`", tok(), s + 1 + ind, headers[*a], headers[*b]),
                    )
                    .hint(ALIGN_HINT));
                }
            };
            cells[col] = Some(match cells[col] {
                Some(_) if !multi_word[col] => {
                    return Err(LineError::new(l.no, format!("`{}` (column {}) is a second word under `{}`", tok(), s + 1 + ind, headers[col]))
                        .hint(ALIGN_HINT));
                }
                Some((a, _)) => (a, e),
                None => (s, e),
            });
        }
        // Every column is in the record; an empty cell is empty text, as in
        // the list form (`LocPrf  :`).
        // A cell the console cut, or a list or object it could not print,
        // is left out: not shown, so unknown, never a value. So is every
        // cell under a header that was cut.
        let mut obj = Map::new();
        let mut left_out = Vec::new();
        for (n, cell_at) in cells.iter().enumerate() {
            if is_cut(&headers[n]) {
                continue;
            }
            let Some((s, e)) = *cell_at else {
                obj.insert(headers[n].clone(), Value::String(String::new()));
                continue;
            };
            let v: String = row[s..=e].iter().collect();
            match cell(&v) {
                Ok(value) => {
                    obj.insert(headers[n].clone(), value);
                }
                Err(why) => left_out.push((headers[n].clone(), v, why)),
            }
        }
        records.push(Record { obj, line: l.no, fields: Vec::new(), left_out });
    }
    Ok((headers, records))
}

const ALIGN_HINT: &str =
    "the rows must keep the spacing the command printed (copying through some editors or chats collapses it); or import `-o json` / `Format-List` output";

/// A PowerShell cmdlet's error, as printed.
#[derive(Debug, Clone)]
pub(crate) struct PsError {
    pub cmdlet: String,
    pub message: String,
    pub status: Option<u16>,
    pub code: Option<String>,
    /// The peering named in the message ("The BGP Peering X with …").
    pub peering_in_message: Option<String>,
    /// The `-Name` shown in the echoed command (`+ Get-Az… -Name "X …`).
    pub echoed_name: Option<String>,
    pub line: usize,
}

/// `Get-AzX : message` → (`Get-AzX`, `message`).
pub(crate) fn error_head(t: &str) -> Option<(&str, &str)> {
    let t = t.trim();
    let (cmd, msg) = t.split_once(':')?;
    let cmd = cmd.trim();
    let is_cmdlet = cmd.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("Get-Az"))
        && cmd.len() > 6
        && cmd.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    is_cmdlet.then(|| (cmd, msg.trim()))
}

pub(crate) fn parse_error(lines: &[Line]) -> Result<PsError, LineError> {
    let mut it = lines.iter().filter(|l| !l.text.trim().is_empty());
    let Some(first) = it.next() else { return Err(LineError::new(1, "empty error text")) };
    let Some((cmdlet, msg)) = error_head(first.text) else {
        return Err(LineError::new(first.no, "expected `Get-Az… : message`"));
    };
    let mut e = PsError {
        cmdlet: cmdlet.to_string(),
        message: msg.to_string(),
        status: None,
        code: None,
        peering_in_message: None,
        echoed_name: None,
        line: first.no,
    };
    let mut in_message = true;
    let mut error_message: Option<String> = None;
    for l in it {
        let t = l.text.trim();
        let field = |name: &str| -> Option<&str> {
            let (k, v) = t.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        };
        if error_head(t).is_some() {
            return Err(LineError::new(l.no, "a second error in the same file").hint("import each command's output as its own file"));
        }
        if let Some(v) = field("StatusCode") {
            in_message = false;
            e.status = Some(v.parse().map_err(|_| LineError::new(l.no, format!("StatusCode `{v}` is not an HTTP status")))?);
        } else if let Some(v) = field("ErrorCode") {
            in_message = false;
            e.code = Some(v.to_string()).filter(|s| !s.is_empty());
        } else if let Some(v) = field("ErrorMessage") {
            in_message = false;
            error_message = Some(v.to_string()).filter(|s| !s.is_empty());
        } else if t.starts_with('+') {
            in_message = false;
            let toks: Vec<&str> = t.split_whitespace().collect();
            if let Some(i) = toks.iter().position(|x| x.eq_ignore_ascii_case("-Name")) {
                if let Some(v) = toks.get(i + 1) {
                    let v = v.trim_matches(|c| c == '"' || c == '\'').trim_end_matches('…').trim_end_matches("...");
                    e.echoed_name = Some(v.to_string());
                }
            }
        } else if field("ReasonPhrase").is_some() || field("OperationID").is_some() || t.starts_with("At ") {
            in_message = false;
        } else if in_message {
            e.message.push(' ');
            e.message.push_str(t);
        }
    }
    if let Some(m) = error_message {
        if !e.message.contains(&m) {
            e.message = m;
        }
    }
    e.peering_in_message = peering_in_message(&e.message);
    Ok(e)
}

/// "The BGP Peering AzurePublicPeering with Service Key … is not found" →
/// `AzurePublicPeering`.
fn peering_in_message(m: &str) -> Option<String> {
    let lower = m.to_ascii_lowercase();
    let i = lower.find("bgp peering ")?;
    let rest = m.get(i + "bgp peering ".len()..)?;
    let name = rest.split_whitespace().next()?.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lines;

    #[test]
    fn keys() {
        assert_eq!(split_key("Name                             : Test-ER-Ckt"), Some(("Name", "Test-ER-Ckt")));
        assert_eq!(split_key("ServiceProviderNotes             :"), Some(("ServiceProviderNotes", "")));
        assert_eq!(split_key("Id : /a:b"), Some(("Id", "/a:b")));
        assert_eq!(split_key("  x : y"), None);
        assert_eq!(split_key("no colon"), None);
    }

    #[test]
    fn list_with_json_blocks_and_wrapped_values() {
        let t = "\nName : a\nSku  : {\n         \"Name\": \"x\"\n       }\nId   : /subscriptions/abc\n       def\n\nName : b\nSku  : []\n";
        let r = parse_list(&lines(t)).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].obj["Sku"]["Name"], "x");
        assert_eq!(r[0].obj["Id"], "/subscriptions/abcdef");
        assert_eq!(r[1].line, 9);
        let e = parse_list(&lines("Name : a\nSku : {\n \"Name\": 12#\n}\n")).unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse_list(&lines("Name : a\nSku : {\n")).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_list(&lines("Name : a\nName : b\n")).unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn tables() {
        let t = "Age InterfaceProperty IpAddress  MacAddress    \n--- ----------------- ---------  ----------    \n 10 On-Prem           10.0.0.1   ffff.eeee.dddd\n  0 Microsoft         10.0.0.2   aaaa.bbbb.cccc\n";
        let (h, r) = parse_table(&lines(t)).unwrap();
        assert_eq!(h, ["Age", "InterfaceProperty", "IpAddress", "MacAddress"]);
        assert_eq!(r[0].obj["MacAddress"], "ffff.eeee.dddd");
        assert_eq!(r[1].obj["Age"], "0");
        // Spaces collapsed: values cross columns.
        let t = "Age InterfaceProperty IpAddress MacAddress\n--- ----------------- --------- ----------\n10 On-Prem 10.0.0.1 ffff.eeee.dddd\n";
        let e = parse_table(&lines(t)).unwrap_err();
        assert_eq!(e.line, 3);
        // A value with a space, an empty cell, and a value longer than its column at the end.
        let t = "Neighbor   V  As UpDown StatePfxRcd\n--------   -  -- ------ -----------\n172.16.0.1 4 650 never  Idle (Admin) x\n172.16.0.5 4 650               \n";
        let (_, r) = parse_table(&lines(t)).unwrap();
        assert_eq!(r[0].obj["StatePfxRcd"], "Idle (Admin) x");
        assert_eq!(r[1].obj["UpDown"], "");
        // Cells the console could not print hold no value.
        let t = "Network     NextHop  Peerings                       Sku\n-------     -------  --------                       ---\n10.0.0.0/8  10.1.1…  {AzurePrivatePeering, Micro…} Microsoft.Azure.Commands.Network.Models.PSExpressRouteCircuitSku\n10.0.0.0/8  10.1.1.1 {}\n";
        let (_, r) = parse_table(&lines(t)).unwrap();
        assert_eq!(r[0].obj.keys().collect::<Vec<_>>(), ["Network"]);
        let why: Vec<LeftOut> = r[0].left_out.iter().map(|c| c.2).collect();
        assert_eq!(why, [LeftOut::Cut, LeftOut::List, LeftOut::TypeName]);
        assert_eq!(r[1].obj["Peerings"], serde_json::json!([]));
        // A header the console cut: its column is left out.
        let t = "Name         PrimaryPeerAdd...\n----         -----------------\nAzurePrivat… 172.16.0.0/30\n";
        let (h, r) = parse_table(&lines(t)).unwrap();
        assert_eq!(h[1], "PrimaryPeerAdd...");
        assert!(r[0].obj.is_empty() && r[0].left_out.len() == 1);
    }

    #[test]
    fn errors() {
        let t = "Get-AzExpressRouteCircuitRouteTable : The BGP Peering AzurePublicPeering with Service Key <ServiceKey> is not found.\nStatusCode: 400\n";
        let e = parse_error(&lines(t)).unwrap();
        assert_eq!(e.status, Some(400));
        assert_eq!(e.peering_in_message.as_deref(), Some("AzurePublicPeering"));
        let t = "Get-AzExpressRouteCircuitPeeringConfig : Sequence contains no matching element\nAt line:1 char:1\n    + Get-AzExpressRouteCircuitPeeringConfig -Name \"MicrosoftPeering ...\n";
        let e = parse_error(&lines(t)).unwrap();
        assert_eq!(e.echoed_name.as_deref(), Some("MicrosoftPeering"));
        assert_eq!(e.message, "Sequence contains no matching element");
        assert!(parse_error(&lines("Get-AzX : a\nStatusCode: abc\n")).is_err());
    }
}
