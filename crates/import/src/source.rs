//! Reads one file: decides what it is from its content and splits it into
//! elements (circuits, peerings, table rows, a stats object, or an error),
//! still as the tool spelled them, each with the line it starts on.

use crate::infer;
use crate::jsonpos::{self, Seg};
use crate::kind::{content_of_fields, Content, Format, Kind};
use crate::powershell::{self, FieldPos, PsError};
use crate::text::{self, Echo};
use erdiag_model::snapshot::strip_position;
use serde_json::Value;

/// An element of a file, as the tool wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub raw: Value,
    pub line: usize,
    prefix: Vec<Seg>,
    fields: Vec<FieldPos>,
}

#[derive(Debug)]
pub(crate) struct Source<'t> {
    pub kind: Kind,
    pub items: Vec<Item>,
    pub error: Option<PsError>,
    pub echo: Echo,
    pub next_link: Option<String>,
    /// What was read past, `line N: …`.
    pub notes: Vec<String>,
    /// Per table row (by item), the cells the console cut short: the
    /// column and the text as printed (`AzurePriv...`).
    pub cut: Vec<Vec<(String, String)>>,
    /// The JSON text and the line number of its first line.
    json: Option<(&'t str, usize)>,
}

#[derive(Debug, Clone)]
pub(crate) struct SourceError {
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

fn fail(line: Option<usize>, message: impl Into<String>, hint: Option<&str>) -> SourceError {
    SourceError { line, message: message.into(), hint: hint.map(str::to_string) }
}

impl From<powershell::LineError> for SourceError {
    fn from(e: powershell::LineError) -> SourceError {
        SourceError { line: Some(e.line), message: e.message, hint: e.hint }
    }
}

const WHAT_WE_READ: &str = "erdiag import reads the JSON of `az network express-route show|list`, `… peering show|list`, `… list-arp-tables`, `… list-route-tables`, `… list-route-tables-summary` and `… get-stats`, or the console output of Get-AzExpressRouteCircuit, Get-AzExpressRouteCircuitPeeringConfig, Get-AzExpressRouteCircuitARPTable, Get-AzExpressRouteCircuitRouteTable, Get-AzExpressRouteCircuitRouteTableSummary and Get-AzExpressRouteCircuitStats (list or table form, or their error text)";

impl<'t> Source<'t> {
    /// The line of the value at `path` inside `item` (a path as the
    /// converter reports it: keys as the tool wrote them).
    pub(crate) fn line_of(&self, item: &Item, path: &[Seg]) -> usize {
        if let Some((text, first)) = self.json {
            let mut full = item.prefix.clone();
            full.extend_from_slice(path);
            return jsonpos::line_of(text, &full).map(|l| l + first - 1).unwrap_or(item.line);
        }
        let Some(Seg::Key(k)) = path.first() else { return item.line };
        let Some(fp) = item.fields.iter().find(|f| &f.key == k) else { return item.line };
        match &fp.block {
            Some(b) if path.len() > 1 => jsonpos::line_of(b, &path[1..]).map(|l| l + fp.line - 1).unwrap_or(fp.line),
            _ => fp.line,
        }
    }
}

/// Reads a file's text. `file_name` is consulted only for an empty JSON list.
pub(crate) fn read<'t>(text: &'t str, file_name: &str) -> Result<Source<'t>, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = text::binary_line(text) {
        return Err(fail(Some(line), "binary data (a control character), not the text of a command's output", None));
    }
    let all = text::lines(text);
    let mut echo = Echo::default();
    let mut start = None;
    // The command line, with its continuation lines (`>> …`, or after a
    // trailing `` ` `` or `|`), and the line it starts on.
    let mut command: Option<(String, usize)> = None;
    let mut previous = "";
    for (i, l) in all.iter().enumerate() {
        if l.text.trim().is_empty() {
            continue;
        }
        if let (Some((cmd, _)), Some(more)) = (command.as_mut(), text::continuation(previous, l.text)) {
            *cmd = text::join_continued(cmd, more);
            previous = l.text;
            continue;
        }
        if let Some(cmd) = text::command_of(l.text) {
            if let Some((c, no)) = command.take() {
                echo.read(&c, no);
            }
            command = Some((cmd.to_string(), l.no));
            previous = l.text;
            continue;
        }
        start = Some(i);
        break;
    }
    if let Some((c, no)) = command {
        echo.read(&c, no);
    }
    let Some(start) = start else {
        let what = if echo.command.is_some() { "the file holds a command line but no output" } else { "the file is empty" };
        return Err(fail(
            None,
            what,
            Some("an empty table cannot be told from a failed capture: if the command printed nothing, write `{\"value\": []}` into the file"),
        ));
    };
    // Console warnings (`WARNING: 2 columns do not fit into the display and
    // were removed.`) are not output.
    let mut notes = Vec::new();
    let body: Vec<text::Line> = all[start..]
        .iter()
        .filter(|l| match l.text.trim_start().strip_prefix("WARNING:") {
            Some(w) => {
                notes.push(format!("line {}: a console warning, not output: {}", l.no, w.trim()));
                false
            }
            None => true,
        })
        .skip_while(|l| l.text.trim().is_empty())
        .copied()
        .collect();
    let body = body.as_slice();
    let Some(&first) = body.first() else {
        return Err(fail(None, "the file holds no output, only console warnings", None));
    };
    let t = first.text.trim_start();
    let mut src = Source {
        kind: Kind { content: Content::Circuit, format: Format::Json },
        items: Vec::new(),
        error: None,
        echo,
        next_link: None,
        json: None,
        notes,
        cut: Vec::new(),
    };
    if t.starts_with('{') || t.starts_with('[') {
        read_json(&mut src, &text[first.start..], first.no, file_name)?;
    } else if powershell::error_head(t).is_some() {
        let e = powershell::parse_error(body)?;
        let m = e.message.to_ascii_lowercase();
        let content = if m.contains("sequence contains no matching element") {
            Content::PeeringNotConfigured
        } else if e.peering_in_message.is_some() && m.contains("not found") {
            Content::PeeringNotFound
        } else {
            Content::CallFailed
        };
        src.kind = Kind { content, format: Format::PowerShellError };
        src.error = Some(e);
    } else if body.get(1).is_some_and(|l| powershell::is_dashes(l.text)) {
        let (headers, rows) = powershell::parse_table(body)?;
        let content = content_of_fields(headers.iter().map(String::as_str)).ok_or_else(|| {
            fail(Some(first.no), format!("a table with the columns {}: not one erdiag reads", headers.join(", ")), Some(WHAT_WE_READ))
        })?;
        src.kind = Kind { content, format: Format::Table };
        for h in headers.iter().filter(|h| powershell::is_cut(h)) {
            src.notes.push(format!("line {}: the header `{h}` was cut short by the console: its column is left out (not shown)", first.no));
        }
        for r in &rows {
            for (col, text, why) in &r.left_out {
                src.notes.push(format!("line {}: the `{col}` cell `{text}` {}: left out (not shown)", r.line, why.says()));
            }
        }
        src.cut = rows.iter().map(|r| r.left_out.iter().filter(|c| c.2 == powershell::LeftOut::Cut).map(|c| (c.0.clone(), c.1.clone())).collect()).collect();
        src.items = rows.into_iter().map(|r| Item { raw: Value::Object(r.obj), line: r.line, prefix: vec![], fields: r.fields }).collect();
    } else if powershell::split_key(t).is_some() {
        let records = powershell::parse_list(body)?;
        let mut content = None;
        for r in &records {
            let c = content_of_fields(r.obj.keys().map(String::as_str)).ok_or_else(|| {
                let keys: Vec<&str> = r.obj.keys().map(String::as_str).take(8).collect();
                fail(Some(r.line), format!("a record with the fields {}: not one erdiag reads", keys.join(", ")), Some(WHAT_WE_READ))
            })?;
            same_content(&mut content, c, r.line)?;
        }
        src.kind = Kind { content: content.unwrap_or(Content::Circuit), format: Format::List };
        src.items = records.into_iter().map(|r| Item { raw: Value::Object(r.obj), line: r.line, prefix: vec![], fields: r.fields }).collect();
    } else {
        return Err(fail(Some(first.no), format!("not a recognised command output: `{}`", clip(t)), Some(WHAT_WE_READ)));
    }
    Ok(src)
}

fn same_content(seen: &mut Option<Content>, c: Content, line: usize) -> Result<(), SourceError> {
    match *seen {
        Some(s) if s != c => Err(fail(Some(line), format!("a {c} among {s}s: one file holds one command's output"), None)),
        _ => {
            *seen = Some(c);
            Ok(())
        }
    }
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn read_json<'t>(src: &mut Source<'t>, text: &'t str, first: usize, file_name: &str) -> Result<(), SourceError> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        fail(
            Some(first + e.line().saturating_sub(1)),
            format!("not valid JSON (column {}): {}", e.column(), strip_position(&e)),
            None,
        )
    })?;
    src.json = Some((text, first));
    let line_at = |path: &[Seg]| jsonpos::line_of(text, path).map(|l| l + first - 1).unwrap_or(first);
    let value_list = match &v {
        Value::Object(o) => match o.get("value") {
            Some(Value::Array(a)) => Some((o, a)),
            _ => None,
        },
        _ => None,
    };
    let elements: Vec<(Vec<Seg>, &Value)> = match (&v, value_list) {
        (Value::Object(o), _) if o.get("format").and_then(Value::as_str).is_some_and(|f| f.starts_with("erdiag-snapshot")) => {
            return Err(fail(Some(first), "this is already an erdiag snapshot", Some("give it to `erdiag diagnose --snapshot`")));
        }
        (_, Some((o, a))) => {
            src.next_link = o.get("nextLink").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
            a.iter().enumerate().map(|(i, e)| (vec![Seg::Key("value".into()), Seg::Index(i)], e)).collect()
        }
        (Value::Object(_), None) => vec![(vec![], &v)],
        (Value::Array(a), None) => a.iter().enumerate().map(|(i, e)| (vec![Seg::Index(i)], e)).collect(),
        (other, None) => {
            return Err(fail(Some(first), format!("expected a JSON object or list, found {}", crate::convert::kind_of(other)), Some(WHAT_WE_READ)));
        }
    };
    let mut content = None;
    for (prefix, e) in &elements {
        let line = line_at(prefix);
        let Value::Object(o) = e else {
            return Err(fail(Some(line), format!("expected an object, found {}", crate::convert::kind_of(e)), Some(WHAT_WE_READ)));
        };
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        if let Some(Value::Object(p)) = o.iter().find(|(k, _)| k.eq_ignore_ascii_case("properties")).map(|(_, v)| v) {
            keys.extend(p.keys().map(String::as_str));
        }
        let c = content_of_fields(keys.iter().copied()).ok_or_else(|| {
            let shown: Vec<&str> = keys.iter().copied().take(8).collect();
            fail(Some(line), format!("JSON of an unknown shape (fields: {})", if shown.is_empty() { "none".into() } else { shown.join(", ") }), Some(WHAT_WE_READ))
        })?;
        same_content(&mut content, c, line)?;
        src.items.push(Item { raw: (*e).clone(), line, prefix: prefix.clone(), fields: vec![] });
    }
    let content = match content {
        Some(c) => c,
        None => {
            // An empty list: its rows cannot say which table it is.
            match infer::from_file_name(file_name).ok().and_then(|h| h.content) {
                Some(c) => c,
                None => {
                    return Err(fail(
                        Some(first),
                        "an empty list: nothing in it says which table it is",
                        Some("name the file after the table (arp-…, routes-…, summary-…), e.g. arp-private-primary.json"),
                    ))
                }
            }
        }
    };
    src.kind = Kind { content, format: Format::Json };
    Ok(())
}

/// Kept for `detect`: only what the content says.
pub(crate) fn kind_of_text(text: &str) -> Option<Kind> {
    read(text, "").ok().map(|s| s.kind)
}
