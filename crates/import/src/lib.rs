//! `erdiag import`: builds an `erdiag-snapshot/1` from what engineers already
//! have when erdiag cannot reach Azure itself — the JSON the Azure CLI
//! printed, or the text Azure PowerShell printed, one command per file.
//!
//! Each file's kind comes from its content ([`detect`]): field names, the
//! shape of the text (JSON, PowerShell's list form, a text table, a cmdlet's
//! error). Its body is then rewritten exactly as ARM returns it (`convert`)
//! and stored under the ARM path `ArmPaths` names, so that the result loads
//! with `Snapshot::from_slice(..)?.decode()` — [`import`] checks that before
//! returning. Nothing is guessed: input that does not fit is an
//! [`ImportError`] naming the file and the line.
//!
//! Where a per-path table belongs (peering, device path) comes from, in this
//! order: [`Input::peering`]/[`Input::path`], the command line echoed at the
//! top of the file (`PS C:\> Get-AzExpressRouteCircuitARPTable -DevicePath
//! Primary -PeeringType AzurePrivatePeering …`, `$ az … --path primary`), the
//! file name (`arp-private-primary.txt`), and finally the table's own
//! addresses matched against the peering's /30 subnets.
//!
//! The echoed command may be continued over lines (`>>`, a trailing `` ` ``
//! or `|`) and piped: its parameters are read from the first stage, and the
//! stages that may drop rows (`Where-Object`, `Select-Object -First`,
//! `findstr`, `az --query "[?…]"`) are recorded as the table's `filters`.
//! Several outputs of one table of which one is filtered are merged, each
//! row once; two complete outputs of one table are an error.
//!
//! What the console did not show is not a value: a `Format-Table` cell cut
//! to `…`/`...`, a column whose header was cut, an object printed as its
//! type name or a list as its items' names are left out, with a note. Each
//! body written has a `provenance` entry: the fields its source carried
//! (docs/snapshot.md), so that checks tell "not shown" from "absent".
//!
//! A stand-alone peering (`az network express-route peering show`,
//! `Get-AzExpressRouteCircuitPeeringConfig`) is written under its own key and
//! also embedded in the circuit body's `properties.peerings` (replacing an
//! embedded peering of the same name, whose values it keeps for the fields
//! its own output did not show), as a circuit GET returns it. A peering
//! whose Name and PeeringType were cut (`AzurePriv...`) is named by the one
//! peering type the text can begin.
//!
//! Failed calls are recorded in `failures`:
//! - the guide's `Get-AzExpressRouteCircuitPeeringConfig : Sequence contains no
//!   matching element` becomes, at `{C}/peerings/{peering}`, status 404 (what
//!   ARM answers for a peering that does not exist) with the message "The
//!   peering {peering} is not found on the circuit (…)", which
//!   `peering-not-configured` (ER201) quotes;
//! - the guide's `… : The BGP Peering AzurePublicPeering with Service Key … is
//!   not found.` / `StatusCode: 400` becomes status 400 with that message, for
//!   the peering the message names, at the path of the cmdlet's call (the
//!   peering's own path when the device path of a table call is not known);
//! - any other `Get-AzExpressRouteCircuit… : message` with `StatusCode`,
//!   `ErrorCode` and `ErrorMessage` lines, at the path of the cmdlet's call.

mod convert;
mod infer;
mod jsonpos;
mod kind;
mod powershell;
mod source;
mod text;

pub use kind::{Content, Format, Kind};
pub use text::read_text;

use convert::{Converter, Schema};
use erdiag_model::{normalize_path, ArmPaths, DevicePath, PeerSubnet, ResourceId, Snapshot, SnapshotDoc, SnapshotError};
use infer::{KnownPeering, NameHints};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

/// One file to import.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file name, for errors and to infer the peering and device path.
    pub name: String,
    pub text: String,
    /// The peering of a per-path table or of stats (`AzurePrivatePeering`,
    /// `MicrosoftPeering`, `AzurePublicPeering`, or `private`, `microsoft`,
    /// `public`).
    pub peering: Option<String>,
    /// The device path of a per-path table.
    pub path: Option<DevicePath>,
}

impl Input {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Input {
        Input { name: name.into(), text: text.into(), peering: None, path: None }
    }
}

/// What the files cannot say about the circuit.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The circuit's full ARM id.
    pub circuit_id: Option<String>,
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    /// Also picks the circuit out of a list of several.
    pub circuit_name: Option<String>,
    /// Copied to `collectedAt` verbatim.
    pub collected_at: Option<String>,
}

/// The snapshot, and what was recognised in each file (for stderr).
#[derive(Debug, Clone)]
pub struct Imported {
    /// A complete `erdiag-snapshot/1` document.
    pub snapshot: Value,
    pub notes: Vec<String>,
}

/// Why the files cannot be imported: which file, which line, what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {}{message}", line_prefix(.line))]
pub struct ImportError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

fn line_prefix(line: &Option<usize>) -> String {
    line.map(|l| format!("line {l}: ")).unwrap_or_default()
}

impl ImportError {
    pub(crate) fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> ImportError {
        ImportError { file: file.to_string(), line, message: message.into(), hint: None }
    }
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> ImportError {
        self.hint = Some(hint.into());
        self
    }
}

/// What a file's text is, from its content alone; `None` when it is not an
/// output erdiag reads (or is an empty JSON list, which only a file name can
/// place).
pub fn detect(text: &str) -> Option<Kind> {
    source::kind_of_text(text)
}

/// A peering or device path, and where it came from.
type Placed<T> = (T, How);

/// Where a file's peering or device path came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Flag,
    Command,
    Message,
    FileName,
    Addresses,
}

impl How {
    fn says(self) -> &'static str {
        match self {
            How::Flag => "given",
            How::Command => "from the command line in the file",
            How::Message => "from the error message",
            How::FileName => "from the file name",
            How::Addresses => "from its addresses",
        }
    }
}

/// The fields a body's source carried, and those of its lists' items
/// (list path, index, fields).
#[derive(Debug, Clone, Default)]
struct Carried {
    fields: Vec<String>,
    items: Vec<(String, usize, Vec<String>)>,
}

/// A file, read and converted to ARM bodies.
struct Loaded<'a> {
    input: &'a Input,
    kind: Kind,
    /// Converted bodies with the line each starts on.
    bodies: Vec<(Value, usize)>,
    /// For each body, the fields its source carried (see `convert`), and
    /// for the items of its lists of objects, theirs.
    carried: Vec<Carried>,
    /// For each body from a table, the cells the console cut: column and text.
    cut: Vec<Vec<(String, String)>>,
    /// Pipeline stages of the echoed command that may have dropped rows.
    filters: Vec<String>,
    /// For circuits: the `resourceGroup`/`ResourceGroupName` each had.
    resource_groups: Vec<Option<String>>,
    error: Option<powershell::PsError>,
    peering: Option<Placed<&'static str>>,
    path: Option<Placed<DevicePath>>,
    name_hints: Result<NameHints, String>,
}

impl Loaded<'_> {
    fn file(&self) -> &str {
        &self.input.name
    }
    fn first_line(&self) -> Option<usize> {
        self.bodies.first().map(|b| b.1).or(self.error.as_ref().map(|e| e.line))
    }
}

fn schema_of(c: Content) -> Option<&'static Schema> {
    Some(match c {
        Content::Circuit => &convert::CIRCUIT,
        Content::Peering => &convert::PEERING,
        Content::ArpTable => &convert::ARP_ROW,
        Content::RouteTable => &convert::ROUTE_ROW,
        Content::RouteTableSummary => &convert::SUMMARY_ROW,
        Content::Stats => &convert::STATS,
        Content::VwanGateway => &convert::VWAN_GATEWAY,
        Content::ExpressRoutePort => &convert::EXPRESS_ROUTE_PORT,
        _ => return None,
    })
}

const PEERING_HINT: &str =
    "pass --peering private|microsoft|public, or put `private`, `microsoft` or `public` in the file name (e.g. arp-private-primary.txt)";
const PATH_HINT: &str = "pass --path primary|secondary, or put `primary` or `secondary` in the file name (e.g. arp-private-primary.txt)";

fn load<'a>(input: &'a Input, notes: &mut Vec<String>) -> Result<Loaded<'a>, ImportError> {
    let file = input.name.as_str();
    let src = source::read(&input.text, file)
        .map_err(|e| ImportError { file: file.to_string(), line: e.line, message: e.message, hint: e.hint })?;

    // Peering and path: the flags, then the echoed command line.
    let flag_peering = match &input.peering {
        Some(p) => Some(infer::peering_name(p).ok_or_else(|| {
            ImportError::new(file, None, format!("unknown peering `{p}`"))
                .with_hint("use AzurePrivatePeering (private), MicrosoftPeering (microsoft) or AzurePublicPeering (public)")
        })?),
        None => None,
    };
    let echo_line = Some(src.echo.line);
    let cmd_peering = match &src.echo.peering {
        Some(p) => Some(
            infer::peering_name(p)
                .ok_or_else(|| ImportError::new(file, echo_line, format!("the command line names the peering `{p}`, which is not a peering")))?,
        ),
        None => None,
    };
    let cmd_path = match &src.echo.path {
        Some(p) => Some(
            infer::device_path(p)
                .ok_or_else(|| ImportError::new(file, echo_line, format!("the command line names the device path `{p}`, not primary or secondary")))?,
        ),
        None => None,
    };
    if let (Some(a), Some(b)) = (flag_peering, cmd_peering) {
        if a != b {
            return Err(ImportError::new(file, echo_line, format!("--peering says {a}, but the command line in the file says {b}")));
        }
    }
    if let (Some(a), Some(b)) = (input.path, cmd_path) {
        if a != b {
            return Err(ImportError::new(file, echo_line, format!("--path says {a}, but the command line in the file says {b}")));
        }
    }
    let name_hints = infer::from_file_name(file);
    let names = name_hints.clone().unwrap_or_default();
    let peering = flag_peering
        .map(|p| (p, How::Flag))
        .or(cmd_peering.map(|p| (p, How::Command)))
        .or(names.peering.map(|p| (p, How::FileName)));
    let path = input
        .path
        .map(|p| (p, How::Flag))
        .or(cmd_path.map(|p| (p, How::Command)))
        .or(names.path.map(|p| (p, How::FileName)));
    if let (Some((p, how)), Some(n)) = (peering, names.peering) {
        if how != How::FileName && n != p {
            notes.push(format!("{file}: the file name says {n}, but the peering {} is {p}: using {p}", how.says()));
        }
    }
    if let (Some((p, how)), Some(n)) = (path, names.path) {
        if how != How::FileName && n != p {
            notes.push(format!("{file}: the file name says {n}, but the path {} is {p}: using {p}", how.says()));
        }
    }

    for n in &src.notes {
        notes.push(format!("{file}: {n}"));
    }
    // Bodies, rewritten as ARM returns them.
    let mut bodies = Vec::new();
    let mut carried = Vec::new();
    let mut resource_groups = Vec::new();
    if let Some(schema) = schema_of(src.kind.content) {
        for item in &src.items {
            let mut found = Vec::new();
            let mut converter = Converter::new(&mut found);
            let converted = converter.object(&item.raw, schema);
            carried.push(Carried { fields: std::mem::take(&mut converter.carried), items: std::mem::take(&mut converter.items) });
            for (path, msg) in found {
                notes.push(format!("{file}: line {}: {msg}", src.line_of(item, &path)));
            }
            let body = converted.map_err(|e| ImportError::new(file, Some(src.line_of(item, &e.path)), e.message))?;
            resource_groups.push(item.raw.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| matches!(kind::squash(k).as_str(), "resourcegroup" | "resourcegroupname"))
                    .and_then(|(_, v)| v.as_str())
                    .filter(|s| !s.trim().is_empty() && !convert::is_masked(s))
                    .map(|s| s.trim().to_string())
            }));
            bodies.push((Value::Object(body), item.line));
        }
    }
    if src.kind.content == Content::Stats && bodies.len() > 1 {
        return Err(ImportError::new(file, Some(bodies[1].1), "more than one set of traffic statistics in one file"));
    }
    if let Some(next) = &src.next_link {
        notes.push(format!("{file}: the list has a nextLink ({next}) that was not followed: only this page is imported"));
    }
    let filters = src.echo.filters.clone();
    if !filters.is_empty() && schema_of(src.kind.content).is_some() {
        notes.push(format!("{file}: printed through `{}`: rows may be missing", filters.join(" | ")));
    }
    Ok(Loaded {
        input,
        kind: src.kind,
        bodies,
        carried,
        cut: src.cut,
        filters,
        resource_groups,
        error: src.error,
        peering,
        path,
        name_hints,
    })
}

/// Subscription, resource group and name of a circuit id; masked parts
/// (`****`) are `None`.
#[derive(Debug, Clone, Default)]
struct IdParts {
    sub: Option<String>,
    rg: Option<String>,
    name: Option<String>,
}

fn id_parts(id: &str) -> IdParts {
    let Ok(id) = ResourceId::parse(id) else { return IdParts::default() };
    let shown = |s: Option<&str>| s.filter(|s| !convert::is_masked(s)).map(str::to_string);
    let circuit = id.resource_type().is_some_and(|t| t.eq_ignore_ascii_case("expressRouteCircuits"));
    IdParts { sub: shown(Some(id.subscription())), rg: shown(id.resource_group()), name: shown(id.name().filter(|_| circuit)) }
}

fn compose_id(sub: &str, rg: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/expressRouteCircuits/{name}")
}

const PLACEHOLDER_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// The circuit's id: the body's, else one built from the options and what
/// the body shows.
fn circuit_id(
    body: &Value,
    resource_group: Option<&str>,
    file: &str,
    line: usize,
    options: &Options,
    notes: &mut Vec<String>,
) -> Result<String, ImportError> {
    let body_id = body.get("id").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let usable = body_id.filter(|s| !convert::is_masked(s) && s.to_ascii_lowercase().contains("/expressroutecircuits/"));
    let check = |id: &str, what: &str| -> Result<(), ImportError> {
        let p = id_parts(id);
        for (opt, got, flag) in [
            (&options.subscription, &p.sub, "--subscription"),
            (&options.resource_group, &p.rg, "--resource-group"),
            (&options.circuit_name, &p.name, "--name"),
        ] {
            if let (Some(o), Some(g)) = (opt, got) {
                if !o.eq_ignore_ascii_case(g) {
                    return Err(ImportError::new(file, Some(line), format!("{what} has `{g}` where {flag} says `{o}`")));
                }
            }
        }
        Ok(())
    };
    if let Some(explicit) = &options.circuit_id {
        let p = id_parts(explicit);
        if p.sub.is_none() || p.rg.is_none() || p.name.is_none() {
            return Err(ImportError::new("--circuit-id", None, format!("`{explicit}` is not an ExpressRoute circuit id"))
                .with_hint("expected /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/expressRouteCircuits/NAME"));
        }
        if let Some(b) = usable {
            if normalize_path(b) != normalize_path(explicit) {
                return Err(ImportError::new(file, Some(line), format!("the circuit's id is {b}, but --circuit-id is {explicit}")));
            }
        }
        check(explicit, "--circuit-id")?;
        return Ok(explicit.trim().trim_end_matches('/').to_string());
    }
    if let Some(b) = usable {
        check(b, "the circuit's id")?;
        return Ok(b.trim_end_matches('/').to_string());
    }
    let shown = body_id.map(id_parts).unwrap_or_default();
    let name = options
        .circuit_name
        .clone()
        .or_else(|| body.get("name").and_then(Value::as_str).filter(|s| !s.is_empty() && !convert::is_masked(s)).map(str::to_string))
        .or(shown.name)
        .ok_or_else(|| ImportError::new(file, Some(line), "the circuit has no usable name or id").with_hint("pass --name NAME (with --resource-group RG), or --circuit-id ID"))?;
    let rg = options
        .resource_group
        .clone()
        .or(resource_group.map(str::to_string))
        .or(shown.rg)
        .ok_or_else(|| ImportError::new(file, Some(line), "the circuit's resource group is not known").with_hint("pass --resource-group RG"))?;
    let placeholder = options.subscription.is_none() && shown.sub.is_none();
    let sub = options.subscription.clone().or(shown.sub).unwrap_or_else(|| PLACEHOLDER_SUBSCRIPTION.to_string());
    let id = compose_id(&sub, &rg, &name);
    let why = if body_id.is_some() { "the circuit's Id is masked" } else { "the circuit has no Id" };
    notes.push(if placeholder {
        format!("{file}: {why}: using {id}, with a placeholder subscription (pass --subscription to use the real one)")
    } else {
        format!("{file}: {why}: using {id}")
    });
    Ok(id)
}

/// The snapshot being built: every key once, which file wrote it, and
/// what its source carried.
#[derive(Default)]
struct Out {
    resources: Map<String, Value>,
    failures: Map<String, Value>,
    seen: HashMap<String, String>,
    origin: HashMap<String, (String, Option<usize>)>,
    /// By normalized key: the key as written, and its entry.
    provenance: BTreeMap<String, (String, Provenance)>,
}

/// A `provenance` entry (docs/snapshot.md).
#[derive(Debug, Clone)]
struct Provenance {
    /// `file (form)` of each output it came from.
    sources: Vec<String>,
    fields: BTreeSet<String>,
    /// `None`: the rows are complete.
    filters: Option<Vec<String>>,
}

impl Provenance {
    fn new(file: &str, kind: Kind, fields: impl IntoIterator<Item = String>) -> Provenance {
        let form = kind.to_string();
        let form = form.split_once(" (").map(|(_, f)| f.trim_end_matches(')').to_string()).unwrap_or(form);
        Provenance { sources: vec![format!("{file} ({form})")], fields: fields.into_iter().collect(), filters: None }
    }

    /// For a list body: `value.<field>` for each field every row carried.
    fn rows(file: &str, kind: Kind, rows: &[&Carried], filters: &[String]) -> Provenance {
        let mut every: Option<BTreeSet<String>> = None;
        for r in rows {
            let mine: BTreeSet<String> = r.fields.iter().map(|f| format!("value.{f}")).collect();
            every = Some(match every {
                Some(e) => e.intersection(&mine).cloned().collect(),
                None => mine,
            });
        }
        let mut p = Provenance::new(file, kind, every.unwrap_or_default());
        p.filters = (!filters.is_empty()).then(|| filters.to_vec());
        p
    }

    /// One list from two outputs: the fields both carried; filtered only if
    /// both were.
    fn merge(&mut self, other: Provenance) {
        self.sources.extend(other.sources);
        self.fields = self.fields.intersection(&other.fields).cloned().collect();
        self.filters = match (self.filters.take(), other.filters) {
            (Some(mut a), Some(b)) => {
                a.extend(b.into_iter().filter(|f| !a.contains(f)).collect::<Vec<_>>());
                Some(a)
            }
            _ => None,
        };
    }

    fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("source".into(), Value::String(self.sources.join("; ")));
        o.insert("fields".into(), self.fields.iter().cloned().map(Value::String).collect());
        if let Some(f) = &self.filters {
            o.insert("filters".into(), f.iter().cloned().map(Value::String).collect());
        }
        Value::Object(o)
    }
}

impl Out {
    fn put(&mut self, key: String, body: Value, failure: bool, file: &str, line: Option<usize>, short: &str) -> Result<(), ImportError> {
        let n = normalize_path(&key);
        if let Some(prev) = self.seen.get(&n) {
            let msg = if prev == file {
                format!("{short} appears twice in this file")
            } else {
                format!("{short} is also in {prev}")
            };
            return Err(ImportError::new(file, line, msg).with_hint(
                "import each call's output once; outputs filtered by `| Where-Object …` (the command line kept at the top of each file) are merged",
            ));
        }
        self.seen.insert(n, file.to_string());
        self.origin.insert(key.clone(), (file.to_string(), line));
        if failure {
            self.failures.insert(key, body);
        } else {
            self.resources.insert(key, body);
        }
        Ok(())
    }

    /// Puts a body and the entry saying what its source carried.
    fn put_carried(&mut self, key: String, body: Value, prov: Provenance, file: &str, line: Option<usize>, short: &str) -> Result<(), ImportError> {
        self.put(key.clone(), body, false, file, line, short)?;
        self.provenance.insert(normalize_path(&key), (key, prov));
        Ok(())
    }

    /// Puts a table's rows. A table already put from another filtered
    /// output (or this one filtered) gets the rows it lacks; a row printed
    /// by both is kept once. Returns how many rows were new.
    fn put_rows(&mut self, key: String, rows: Vec<Value>, prov: Provenance, file: &str, line: Option<usize>, short: &str) -> Result<usize, ImportError> {
        let n = normalize_path(&key);
        let existing = self.provenance.get(&n).filter(|(_, p)| p.filters.is_some() || prov.filters.is_some()).is_some();
        let list = self.resources.iter_mut().find(|(k, _)| normalize_path(k) == n).and_then(|(_, v)| v.get_mut("value")).and_then(Value::as_array_mut);
        match list {
            Some(list) if existing => {
                let before = list.len();
                let mut seen: std::collections::HashSet<String> = list.iter().map(Value::to_string).collect();
                for r in rows {
                    if seen.insert(r.to_string()) {
                        list.push(r);
                    }
                }
                let added = list.len() - before;
                if let Some((_, p)) = self.provenance.get_mut(&n) {
                    p.merge(prov);
                }
                Ok(added)
            }
            _ => {
                let count = rows.len();
                self.put_carried(key, json!({ "value": rows }), prov, file, line, short)?;
                Ok(count)
            }
        }
    }
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

fn subnets_of(peering: &Value) -> [Vec<PeerSubnet>; 2] {
    let get = |which: &str| -> Vec<PeerSubnet> {
        [str_at(peering, &["properties", which]), str_at(peering, &["properties", "ipv6PeeringConfig", which])]
            .into_iter()
            .flatten()
            .filter_map(|s| PeerSubnet::parse(s).ok())
            .collect()
    };
    [get("primaryPeerAddressPrefix"), get("secondaryPeerAddressPrefix")]
}

fn peering_name_of(body: &Value) -> Option<String> {
    body.get("name")
        .and_then(Value::as_str)
        .or_else(|| str_at(body, &["properties", "peeringType"]))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| infer::peering_name(s).map(str::to_string).unwrap_or_else(|| s.to_string()))
}

/// Gives a peering body a usable id under the circuit, or rejects one that
/// belongs to another circuit.
fn fix_peering_id(body: &mut Value, name: &str, paths: &ArmPaths, file: &str, line: usize) -> Result<(), ImportError> {
    let want = paths.peering(name);
    let id = body.get("id").and_then(Value::as_str).map(str::to_string);
    match id {
        Some(id) if !id.trim().is_empty() && !convert::is_masked(&id) => {
            let n = normalize_path(&id);
            let owner = n.rsplit_once("/peerings/").map(|(c, _)| c.to_string()).unwrap_or_default();
            if owner != normalize_path(&paths.circuit) {
                return Err(ImportError::new(file, Some(line), format!("the peering {id} belongs to another circuit than {}", paths.circuit))
                    .with_hint("import the files of one circuit at a time"));
            }
        }
        _ => {
            if let Some(o) = body.as_object_mut() {
                o.insert("id".into(), Value::String(want));
            }
        }
    }
    if let Some(o) = body.as_object_mut() {
        o.entry("name").or_insert_with(|| Value::String(name.to_string()));
    }
    Ok(())
}

/// The addresses in a table that place it on a /30.
fn addresses(content: Content, rows: &[(Value, usize)]) -> Vec<IpAddr> {
    let field = match content {
        Content::ArpTable => "ipAddress",
        Content::RouteTableSummary => "neighbor",
        Content::RouteTable => "nextHop",
        _ => return vec![],
    };
    rows.iter()
        .filter_map(|(r, _)| r.get(field).and_then(Value::as_str))
        .filter_map(|s| s.trim().trim_end_matches(['*', '>']).trim().parse().ok())
        .collect()
}

/// Builds the snapshot from the files.
pub fn import(inputs: &[Input], options: &Options) -> Result<Imported, ImportError> {
    let mut notes = Vec::new();
    if inputs.is_empty() {
        return Err(ImportError::new("(no files)", None, "nothing to import").with_hint("give the files the commands printed"));
    }
    let mut files = Vec::new();
    for input in inputs {
        files.push(load(input, &mut notes)?);
    }

    // The circuit.
    let wanted = options.circuit_name.clone().or_else(|| options.circuit_id.as_deref().and_then(|id| id_parts(id).name));
    let mut all: Vec<(usize, usize, String)> = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        if f.kind.content == Content::Circuit {
            for (bi, (b, _)) in f.bodies.iter().enumerate() {
                let name = b.get("name").and_then(Value::as_str).unwrap_or("(no name)").to_string();
                all.push((fi, bi, name));
            }
        }
    }
    let listing = |xs: &[(usize, usize, String)]| -> String {
        xs.iter().map(|(fi, _, n)| format!("{n} ({})", files[*fi].file())).collect::<Vec<_>>().join(", ")
    };
    let chosen: Vec<(usize, usize, String)> = match &wanted {
        Some(w) => all.iter().filter(|(_, _, n)| n.eq_ignore_ascii_case(w)).cloned().collect(),
        None => all.clone(),
    };
    let (cfi, cbi) = match chosen.as_slice() {
        [one] => (one.0, one.1),
        [] if all.is_empty() => {
            return Err(ImportError::new("(all files)", None, "none of the files is a circuit, and a snapshot needs the circuit").with_hint(
                "add the output of `az network express-route show -g RG -n NAME -o json` or `Get-AzExpressRouteCircuit -ResourceGroupName RG -Name NAME`",
            ))
        }
        [] => {
            let w = wanted.clone().unwrap_or_default();
            let (fi, _, _) = &all[0];
            return Err(ImportError::new(files[*fi].file(), files[*fi].first_line(), format!("no circuit named {w}; the files hold {}", listing(&all))));
        }
        [a, b, ..] => {
            let f = files[b.0].file();
            let msg = if a.2.eq_ignore_ascii_case(&b.2) {
                format!("the circuit {} is in more than one file: {}", b.2, listing(&chosen))
            } else {
                format!("several circuits: {}", listing(&chosen))
            };
            return Err(ImportError::new(f, Some(files[b.0].bodies[b.1].1), msg).with_hint("pass --name NAME to pick one, and import it once"));
        }
    };
    for (fi, bi, n) in &all {
        if (*fi, *bi) != (cfi, cbi) {
            notes.push(format!("{}: circuit {n} skipped (not the one imported)", files[*fi].file()));
        }
    }
    let cfile = files[cfi].file().to_string();
    let (mut circuit, cline) = files[cfi].bodies[cbi].clone();
    let cid = circuit_id(&circuit, files[cfi].resource_groups[cbi].as_deref(), &cfile, cline, options, &mut notes)?;
    let paths = ArmPaths::new(&cid);
    if let Some(o) = circuit.as_object_mut() {
        let masked = match o.get("id").and_then(Value::as_str) {
            Some(s) => convert::is_masked(s) || s.trim().is_empty(),
            None => true,
        };
        if masked {
            o.insert("id".into(), Value::String(cid.clone()));
        }
    }
    let short = |key: &str| -> String {
        match key.strip_prefix(&cid) {
            Some("") => "the circuit".to_string(),
            Some(rest) => rest.trim_start_matches('/').to_string(),
            None => key.to_string(),
        }
    };

    // Peerings: embedded in the circuit, then stand-alone ones.
    let mut known: Vec<KnownPeering> = Vec::new();
    let mut embedded = Vec::new();
    let ckind = files[cfi].kind;
    let ccarried = files[cfi].carried.get(cbi).cloned().unwrap_or_default();
    let mut peering_prov: Vec<(String, Provenance)> = Vec::new();
    if let Some(list) = circuit.get_mut("properties").and_then(|p| p.get_mut("peerings")).and_then(Value::as_array_mut) {
        for (i, p) in list.iter_mut().enumerate() {
            let name = peering_name_of(p)
                .ok_or_else(|| ImportError::new(&cfile, Some(cline), "an embedded peering has neither a name nor a peeringType"))?;
            fix_peering_id(p, &name, &paths, &cfile, cline)?;
            known.push(KnownPeering { name: name.clone(), subnets: subnets_of(p) });
            let fields = ccarried.items.iter().find(|(l, n, _)| l == "properties.peerings" && *n == i).map(|x| x.2.clone()).unwrap_or_default();
            peering_prov.push((name.clone(), Provenance::new(&cfile, ckind, fields)));
            embedded.push(name);
        }
    }
    // Stand-alone peerings (`peering show`, Get-AzExpressRouteCircuitPeeringConfig)
    // are written under their own key and also embedded in the circuit body,
    // replacing an embedded peering of the same name, as a circuit GET returns
    // them: erdiag-model's `decode` reads peerings from the circuit body.
    let mut standalone: Vec<(String, Value, String, usize, Provenance)> = Vec::new();
    for f in files.iter_mut().filter(|f| f.kind.content == Content::Peering) {
        let file = f.input.name.clone();
        let mut names = Vec::new();
        let single = f.bodies.len() == 1;
        for (bi, (body, line)) in f.bodies.iter_mut().enumerate() {
            let name = match peering_name_of(body) {
                Some(n) => n,
                None => {
                    let cut = f.cut.get(bi).map(Vec::as_slice).unwrap_or_default();
                    let (n, why) = name_of_cut_peering(cut, f.peering.filter(|_| single)).ok_or_else(|| {
                        ImportError::new(&file, Some(*line), "a peering with neither a Name nor a PeeringType")
                            .with_hint("print the peerings with `| Format-Table -AutoSize` or `| Format-List`, or keep the command line (`-Name AzurePrivatePeering`) above the output")
                    })?;
                    notes.push(format!("{file}: line {line}: the peering's name is {n}, {why}"));
                    n.to_string()
                }
            };
            fix_peering_id(body, &name, &paths, &file, *line)?;
            known.retain(|k| !k.name.eq_ignore_ascii_case(&name));
            known.push(KnownPeering { name: name.clone(), subnets: subnets_of(body) });
            let prov = Provenance::new(&file, f.kind, f.carried.get(bi).map(|c| c.fields.clone()).unwrap_or_default());
            standalone.push((name.clone(), body.clone(), file.clone(), *line, prov));
            names.push(name);
        }
        notes.push(format!(
            "{file}: {} → {}",
            f.kind,
            if names.is_empty() { "no peerings".to_string() } else { names.iter().map(|n| short(&paths.peering(n))).collect::<Vec<_>>().join(", ") }
        ));
    }
    // A stand-alone peering keeps, for the fields its output did not show
    // (a table of a few columns), the values the circuit's output embedded.
    if let Some(list) = circuit.pointer("/properties/peerings").and_then(Value::as_array) {
        for (name, body, _, _, prov) in standalone.iter_mut() {
            let same = |n: &String| n.eq_ignore_ascii_case(name);
            let (Some(e), Some((_, ep))) = (list.iter().find(|e| peering_name_of(e).is_some_and(|n| same(&n))), peering_prov.iter().find(|(n, _)| same(n)))
            else {
                continue;
            };
            if fill_unshown(body, e, "", &prov.fields) {
                prov.fields.extend(ep.fields.iter().cloned());
                prov.sources.extend(ep.sources.iter().cloned());
            }
        }
    }
    if !standalone.is_empty() {
        if let Some(o) = circuit.as_object_mut() {
            let props = o.entry("properties").or_insert_with(|| json!({}));
            if let Some(p) = props.as_object_mut() {
                let list = p.entry("peerings").or_insert_with(|| json!([]));
                if !list.is_array() {
                    *list = json!([]);
                }
                if let Some(list) = list.as_array_mut() {
                    for (name, body, _, _, _) in &standalone {
                        match list.iter_mut().find(|e| peering_name_of(e).is_some_and(|n| n.eq_ignore_ascii_case(name))) {
                            Some(e) => *e = body.clone(),
                            None => list.push(body.clone()),
                        }
                    }
                }
            }
        }
    }
    let mut out = Out::default();
    notes.push(format!(
        "{cfile}: {} → {} ({})",
        files[cfi].kind,
        circuit.get("name").and_then(Value::as_str).unwrap_or("the circuit"),
        if embedded.is_empty() { "no peerings embedded".to_string() } else { format!("peerings {}", embedded.join(", ")) }
    ));
    // The port the circuit is on: the id of a port printed without one.
    let port_ref = circuit.pointer("/properties/expressRoutePort/id").and_then(Value::as_str).map(str::to_string);
    out.put_carried(cid.clone(), circuit, Provenance::new(&cfile, ckind, ccarried.fields), &cfile, Some(cline), "the circuit")?;
    for (name, prov) in peering_prov {
        let key = paths.peering(&name);
        out.provenance.insert(normalize_path(&key), (key, prov));
    }
    for (name, body, file, line, prov) in standalone {
        let key = paths.peering(&name);
        out.put_carried(key.clone(), body, prov, &file, Some(line), &short(&key))?;
    }

    // Tables, stats and failed calls.
    for f in files.iter().filter(|f| !matches!(f.kind.content, Content::Circuit | Content::Peering)) {
        let file = f.file();
        let c = f.kind.content;
        if c.is_table() {
            let (peering, path) = resolve_table(f, &known, &mut notes)?;
            let key = match c {
                Content::ArpTable => paths.arp_table(peering.0, path.0),
                Content::RouteTable => paths.route_table(peering.0, path.0),
                _ => paths.route_table_summary(peering.0, path.0),
            };
            let rows: Vec<Value> = f.bodies.iter().map(|(b, _)| b.clone()).collect();
            let n = rows.len();
            let prov = Provenance::rows(file, f.kind, &f.carried.iter().collect::<Vec<_>>(), &f.filters);
            let added = out.put_rows(key.clone(), rows, prov, file, f.first_line(), &short(&key))?;
            let merged = if added == n { String::new() } else { format!(", merged: {added} not already imported") };
            notes.push(format!(
                "{file}: {} → {}: {n} row{}{merged} (peering {}, path {})",
                f.kind,
                short(&key),
                if n == 1 { "" } else { "s" },
                peering.1.says(),
                path.1.says()
            ));
        } else if c == Content::Stats {
            let Some((body, line)) = f.bodies.first() else { continue };
            let key = match f.peering {
                Some((p, _)) => paths.peering_stats(p),
                None => paths.circuit_stats(),
            };
            let prov = Provenance::new(file, f.kind, f.carried.first().map(|c| c.fields.clone()).unwrap_or_default());
            out.put_carried(key.clone(), body.clone(), prov, file, Some(*line), &short(&key))?;
            let how = match f.peering {
                Some((_, h)) => format!(" (peering {})", h.says()),
                None => " (no peering given: circuit statistics)".to_string(),
            };
            notes.push(format!("{file}: {} → {}{how}", f.kind, short(&key)));
        } else if matches!(c, Content::VwanGateway | Content::ExpressRoutePort) {
            // Each gateway or port under its own id: the diagnosis keeps the
            // gateways with a connection to one of the circuit's peerings,
            // and the port the circuit's `expressRoutePort` names.
            for (bi, (body, line)) in f.bodies.iter().enumerate() {
                let mut body = body.clone();
                let mut how = String::new();
                // Only a table may lack the id (a column the console dropped).
                if c == Content::ExpressRoutePort && matches!(f.kind.format, Format::Table) && body.get("id").is_none() {
                    if let Some(id) = port_id_of_circuit(&body, port_ref.as_deref()) {
                        body["id"] = Value::String(id);
                        how = " (its id is the circuit's expressRoutePort, which names this port)".to_string();
                    }
                }
                let Some(key) = body.get("id").and_then(Value::as_str).map(str::to_string) else {
                    let (what, cmd) = match c {
                        Content::VwanGateway => ("an ExpressRoute gateway", "az network express-route gateway show"),
                        _ => ("an ExpressRoute Direct port", "az network express-route port show"),
                    };
                    let named = match (c, port_ref.as_deref()) {
                        (Content::ExpressRoutePort, Some(r)) if matches!(f.kind.format, Format::Table) => format!(", and the circuit is on another port ({})", short(r)),
                        _ => String::new(),
                    };
                    return Err(ImportError::new(file, Some(*line), format!("{what} without its `id`: its key in the snapshot is its ARM id{named}"))
                        .with_hint(format!("give the JSON of `{cmd} -g RG -n NAME -o json` (or `list`), which carries `id`")));
                };
                let prov = Provenance::new(file, f.kind, f.carried.get(bi).map(|c| c.fields.clone()).unwrap_or_default());
                out.put_carried(key.clone(), body, prov, file, Some(*line), &short(&key))?;
                notes.push(format!("{file}: {} → {}{how}", f.kind, short(&key)));
            }
        } else if let Some(e) = &f.error {
            let (key, entry, how) = failure_entry(f, e, &paths)?;
            out.put(key.clone(), entry, true, file, Some(e.line), &short(&key))?;
            notes.push(format!("{file}: {} → failures: {}{how}", f.kind, short(&key)));
        }
    }

    let mut snapshot = SnapshotDoc::new(cid.clone(), options.collected_at.clone());
    snapshot.resources = std::mem::take(&mut out.resources).into_iter().collect();
    snapshot.failures = std::mem::take(&mut out.failures);
    // Written even when empty: every body an importer writes is partial.
    snapshot.provenance = Some(out.provenance.values().map(|(k, p)| (k.clone(), p.to_json())).collect());
    let snapshot = snapshot.to_value();
    verify(&snapshot, &out)?;
    // Notes in the order of the files they are about.
    let order = |n: &String| inputs.iter().position(|i| n.starts_with(&format!("{}: ", i.name))).unwrap_or(usize::MAX);
    notes.sort_by_key(order);
    Ok(Imported { snapshot, notes })
}

/// The id of a port printed without one (PowerShell's table form shows no
/// `Id` column once the console is too narrow): the circuit's
/// `expressRoutePort.id` when its last segment is the port's name.
fn port_id_of_circuit(body: &Value, port_ref: Option<&str>) -> Option<String> {
    let (r, name) = (port_ref?, body.get("name")?.as_str()?);
    let (parent, last) = r.rsplit_once('/')?;
    (last.eq_ignore_ascii_case(name) && parent.to_ascii_lowercase().ends_with("/providers/microsoft.network/expressrouteports")).then(|| r.to_string())
}

/// Copies into `dst` the fields of `src` that `dst`'s output did not show
/// (`shown`: dotted paths, as in `provenance`). Whether any was copied.
fn fill_unshown(dst: &mut Value, src: &Value, prefix: &str, shown: &BTreeSet<String>) -> bool {
    let (Some(d), Some(s)) = (dst.as_object_mut(), src.as_object()) else { return false };
    let mut any = false;
    for (k, v) in s {
        let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match d.get_mut(k) {
            Some(inner) => any |= fill_unshown(inner, v, &path, shown),
            None => {
                let said = shown.iter().any(|f| f == &path || f.starts_with(&format!("{path}.")));
                if !said {
                    d.insert(k.clone(), v.clone());
                    any = true;
                }
            }
        }
    }
    any
}

/// The name of a peering whose `Name` and `PeeringType` cells the console
/// cut (`AzurePrivate…`): the one peering type the text can begin, else the
/// peering the command line named (for a file of one peering).
fn name_of_cut_peering(cut: &[(String, String)], named: Option<Placed<&'static str>>) -> Option<(&'static str, String)> {
    const TYPES: [&str; 3] = ["AzurePrivatePeering", "AzurePublicPeering", "MicrosoftPeering"];
    for (col, text) in cut.iter().filter(|(c, _)| matches!(kind::squash(c).as_str(), "name" | "peeringtype")) {
        let head = text.trim_end_matches('…').trim_end_matches("...").to_ascii_lowercase();
        let fits: Vec<&str> = TYPES.iter().copied().filter(|t| !head.is_empty() && t.to_ascii_lowercase().starts_with(&head)).collect();
        if let [one] = fits.as_slice() {
            return Some((one, format!("the only peering type its {col} `{text}` can begin")));
        }
    }
    named.map(|(p, how)| (p, format!("{} (its Name was cut short)", how.says())))
}

/// Peering and device path of a per-path table.
fn resolve_table(
    f: &Loaded,
    known: &[KnownPeering],
    notes: &mut Vec<String>,
) -> Result<(Placed<&'static str>, Placed<DevicePath>), ImportError> {
    let file = f.file();
    let c = f.kind.content;
    let addrs = addresses(c, &f.bodies);
    let cands = infer::by_addresses(c, &addrs, known);
    let canon = |n: &str| infer::peering_name(n);
    let name_problem = f.name_hints.as_ref().err().map(|e| format!("{e}; ")).unwrap_or_default();
    let peering = match f.peering {
        Some(p) => p,
        None => {
            let mut ps: Vec<&'static str> = cands.iter().filter_map(|(n, _)| canon(n)).collect();
            ps.sort_unstable();
            ps.dedup();
            match ps.as_slice() {
                [one] => (*one, How::Addresses),
                _ => {
                    return Err(ImportError::new(file, f.first_line(), format!("cannot tell which peering this {c} is for"))
                        .with_hint(format!("{name_problem}{PEERING_HINT}")))
                }
            }
        }
    };
    let on_peering: Vec<DevicePath> = cands.iter().filter(|(n, _)| canon(n) == Some(peering.0)).map(|(_, d)| *d).collect();
    let path = match f.path {
        Some(d) => {
            if let [other] = on_peering.as_slice() {
                if *other != d.0 {
                    notes.push(format!(
                        "{file}: the path {} is {}, but the addresses in the table are on the {other} /30 of {}",
                        d.1.says(),
                        d.0,
                        peering.0
                    ));
                }
            }
            d
        }
        None => match on_peering.as_slice() {
            [one] => (*one, How::Addresses),
            _ => {
                return Err(ImportError::new(file, f.first_line(), format!("cannot tell which device path (primary or secondary) this {c} is for"))
                    .with_hint(format!("{name_problem}{PATH_HINT}")))
            }
        },
    };
    Ok((peering, path))
}

/// The `failures` entry for a cmdlet's error: its key, the entry, and a note.
fn failure_entry(f: &Loaded, e: &powershell::PsError, paths: &ArmPaths) -> Result<(String, Value, String), ImportError> {
    let file = f.file();
    let cmdlet = kind::squash(&e.cmdlet);
    let echoed = e.echoed_name.as_deref().and_then(infer::peering_name);
    if f.kind.content == Content::PeeringNotConfigured {
        let p = match (f.peering, echoed) {
            (Some((p, How::Flag)), _) => (p, How::Flag),
            (_, Some(p)) => (p, How::Message),
            (Some(p), None) => p,
            (None, None) => {
                return Err(ImportError::new(file, Some(e.line), "cannot tell which peering is not configured").with_hint(PEERING_HINT));
            }
        };
        let entry = json!({
            "status": 404,
            "error": { "error": { "message": format!("The peering {} is not found on the circuit ({}: {})", p.0, e.cmdlet, e.message) } }
        });
        return Ok((paths.peering(p.0), entry, format!(" (peering {})", p.1.says())));
    }
    let from_message = e.peering_in_message.as_deref().and_then(infer::peering_name);
    if let (Some(m), Some((p, How::Flag))) = (from_message, f.peering) {
        if m != p {
            return Err(ImportError::new(file, Some(e.line), format!("--peering says {p}, but the error is about {m}")));
        }
    }
    let peering = from_message.map(|p| (p, How::Message)).or(f.peering).or(if cmdlet == "getazexpressroutecircuitpeeringconfig" {
        echoed.map(|p| (p, How::Message))
    } else {
        None
    });
    let mut inner = Map::new();
    if let Some(code) = &e.code {
        inner.insert("code".into(), Value::String(code.clone()));
    }
    inner.insert("message".into(), Value::String(e.message.clone()));
    let mut entry = Map::new();
    if let Some(s) = e.status {
        entry.insert("status".into(), Value::from(s));
    }
    entry.insert("error".into(), json!({ "error": Value::Object(inner) }));
    let entry = Value::Object(entry);
    let need_peering = || {
        peering.ok_or_else(|| ImportError::new(file, Some(e.line), format!("cannot tell which peering the failed {} call was for", e.cmdlet)).with_hint(PEERING_HINT))
    };
    let table = match cmdlet.as_str() {
        "getazexpressroutecircuitarptable" => Some(Content::ArpTable),
        "getazexpressroutecircuitroutetable" => Some(Content::RouteTable),
        "getazexpressroutecircuitroutetablesummary" => Some(Content::RouteTableSummary),
        _ => None,
    };
    if let Some(t) = table {
        let p = need_peering()?;
        return match f.path {
            Some(d) => {
                let key = match t {
                    Content::ArpTable => paths.arp_table(p.0, d.0),
                    Content::RouteTable => paths.route_table(p.0, d.0),
                    _ => paths.route_table_summary(p.0, d.0),
                };
                Ok((key, entry, format!(" (peering {}, path {})", p.1.says(), d.1.says())))
            }
            None if f.kind.content == Content::PeeringNotFound => Ok((
                paths.peering(p.0),
                entry,
                format!(" (peering {}; no device path given, so recorded for the peering itself)", p.1.says()),
            )),
            None => Err(ImportError::new(file, Some(e.line), format!("cannot tell which device path the failed {} call was for", e.cmdlet))
                .with_hint(PATH_HINT)),
        };
    }
    match cmdlet.as_str() {
        "getazexpressroutecircuitstats" => Ok(match peering {
            Some(p) => (paths.peering_stats(p.0), entry, format!(" (peering {})", p.1.says())),
            None => (paths.circuit_stats(), entry, " (no peering given: circuit statistics)".to_string()),
        }),
        "getazexpressroutecircuitpeeringconfig" => {
            let p = need_peering()?;
            Ok((paths.peering(p.0), entry, format!(" (peering {})", p.1.says())))
        }
        "getazexpressroutecircuit" => Err(ImportError::new(file, Some(e.line), format!("the circuit itself could not be read: {}", e.message))
            .with_hint("a snapshot needs the circuit: import its output once the call succeeds")),
        _ => Err(ImportError::new(file, Some(e.line), format!("an error of {}, which is not a call erdiag reads", e.cmdlet))),
    }
}

/// The snapshot must load as erdiag will load it; a failure here names the
/// file whose body does not.
fn verify(snapshot: &Value, out: &Out) -> Result<(), ImportError> {
    let bytes = serde_json::to_vec(snapshot).map_err(|e| ImportError::new("(snapshot)", None, e.to_string()))?;
    let result = Snapshot::from_slice(&bytes).and_then(|s| s.decode().map(|_| ()));
    match result {
        Ok(()) => Ok(()),
        Err(e) => {
            let (file, line) = match &e {
                SnapshotError::Shape { path, .. } => path
                    .strip_prefix("resources[")
                    .and_then(|rest| rest.split_once("\"]"))
                    .and_then(|(k, _)| out.origin.get(k.trim_start_matches('"')))
                    .cloned()
                    .unwrap_or_else(|| ("(snapshot)".to_string(), None)),
                _ => ("(snapshot)".to_string(), None),
            };
            Err(ImportError::new(&file, line, format!("the imported snapshot does not load: {e}")))
        }
    }
}
