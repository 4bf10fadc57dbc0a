//! A fleet of circuits to serve (`erdiag emulate --fleet SPEC`): N circuits
//! over S subscriptions and R regions, drawn from scenario templates (the
//! CLI passes the built-in scenarios in; this crate knows none), the same
//! for the same seed.
//!
//! How a fleet is laid out:
//! - circuits come in redundant pairs, each pair on one virtual network
//!   gateway with a connection per circuit; pair `p` is in subscription
//!   `p mod S` and region `(p div S) mod R`, so every (subscription, region)
//!   holds an equal share; an odd last circuit is alone on its gateway;
//! - each subscription has one resource group, `rg-expressroute`; names are
//!   `er-<region>-<nnnn>` (circuits), `ergw-<region>-<pppp>` (gateways),
//!   `cn-er-<region>-<nnnn>` (connections), `erport-<region>-<k>` (ports);
//!   subscription ids and service keys are GUIDs drawn from the seed;
//! - the two circuits of a pair are usually in the two peering locations of
//!   their region's metro pair, one pair in ten deliberately in the same one;
//!   every fifth pair prefers its first circuit (routing weight 100 to 0),
//!   every seventh gateway has a SKU without zone redundancy;
//! - `faulty` is the share of circuits drawn from faulty templates, chosen at
//!   random; the others come from healthy templates with at least `peerings`
//!   peerings (a one-peering faulty circuit gets the Microsoft peering of the
//!   healthy template with the most, so that the fleet reads alike). In a
//!   pair, the faulty circuit's copy of the shared gateway is the one served:
//!   a gateway fault is both circuits' fault;
//! - `forbidden` subscriptions (the last ones) answer 403 to every ARM read,
//!   while Resource Graph still lists their circuits;
//! - `direct` ExpressRoute Direct ports (10 Gbps), port `k` in subscription
//!   `k mod S` and region `k mod R`, each carrying three healthy circuits
//!   drawn from the Direct template (of its subscription and region first,
//!   else of any: a port's circuits may be in other subscriptions, as ARM
//!   allows); the first port is oversubscribed (3 × 5 Gbps), the others are not;
//! - management group `mg-<n>` holds every fifth subscription from `n`
//!   (`mg-0` … `mg-4`, or fewer when there are fewer subscriptions).

use crate::config::Config;
use crate::graph::ManagementGroup;
use crate::throttle::Throttle;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;

/// What fleet to generate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FleetSpec {
    pub circuits: usize,
    pub subscriptions: usize,
    pub regions: usize,
    /// The share of faulty circuits, 0 to 1.
    pub faulty: f64,
    pub seed: u64,
    /// How many subscriptions answer 403 to ARM reads (the last ones).
    pub forbidden: usize,
    /// Seconds each long-running operation runs.
    pub latency: f64,
    /// ARM's throttling model (250 reads per subscription and region, 25 a second).
    pub throttle: bool,
    /// ExpressRoute Direct ports.
    pub direct: usize,
    /// Peerings per circuit wanted (1 or 2).
    pub peerings: usize,
}

impl Default for FleetSpec {
    fn default() -> Self {
        FleetSpec { circuits: 20, subscriptions: 2, regions: 2, faulty: 0.1, seed: 1, forbidden: 0, latency: 0.0, throttle: false, direct: 0, peerings: 2 }
    }
}

/// A spec that cannot be used: the key at fault and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct SpecError {
    pub key: String,
    pub message: String,
}

fn spec_error(key: &str, message: impl Into<String>) -> SpecError {
    SpecError { key: key.to_string(), message: message.into() }
}

/// Real Azure regions, each with the two peering locations of its metro.
const REGIONS: &[(&str, [&str; 2])] = &[
    ("westeurope", ["Amsterdam", "Amsterdam2"]),
    ("northeurope", ["Dublin", "Dublin2"]),
    ("eastus", ["Washington DC", "Washington DC2"]),
    ("westus2", ["Seattle", "Quincy"]),
    ("uksouth", ["London", "London2"]),
    ("germanywestcentral", ["Frankfurt", "Frankfurt2"]),
    ("francecentral", ["Paris", "Paris2"]),
    ("southeastasia", ["Singapore", "Singapore2"]),
    ("japaneast", ["Tokyo", "Tokyo2"]),
    ("australiaeast", ["Sydney", "Sydney2"]),
];
const PROVIDERS: &[&str] = &["Equinix", "Megaport", "Colt", "AT&T NetBond", "Verizon", "Zayo"];
const BANDWIDTHS_MBPS: &[u64] = &[50, 100, 200, 500, 1000, 2000, 5000, 10000];
/// Circuits per ExpressRoute Direct port.
const PER_PORT: usize = 3;

impl FleetSpec {
    /// `circuits=1000,subscriptions=20,regions=2,faulty=0.1,seed=7,forbidden=1,latency=2,throttle=on,direct=2,peerings=2`;
    /// keys not given keep their defaults.
    pub fn parse(text: &str) -> Result<FleetSpec, SpecError> {
        let mut spec = FleetSpec::default();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = item.split_once('=').ok_or_else(|| spec_error(item, "expected key=value"))?;
            let (key, value) = (key.trim(), value.trim());
            let count = || value.parse::<usize>().map_err(|_| spec_error(key, format!("`{value}` is not a whole number")));
            match key {
                "circuits" => spec.circuits = count()?,
                "subscriptions" => spec.subscriptions = count()?,
                "regions" => spec.regions = count()?,
                "forbidden" => spec.forbidden = count()?,
                "direct" => spec.direct = count()?,
                "peerings" => spec.peerings = count()?,
                "seed" => spec.seed = value.parse().map_err(|_| spec_error(key, format!("`{value}` is not a whole number")))?,
                "faulty" => spec.faulty = value.parse().map_err(|_| spec_error(key, format!("`{value}` is not a number")))?,
                "latency" => spec.latency = value.parse().map_err(|_| spec_error(key, format!("`{value}` is not a number of seconds")))?,
                "throttle" => {
                    spec.throttle = match value {
                        "on" | "true" | "yes" | "1" => true,
                        "off" | "false" | "no" | "0" => false,
                        _ => return Err(spec_error(key, format!("`{value}` is not on or off"))),
                    }
                }
                _ => {
                    return Err(spec_error(
                        key,
                        "unknown key (circuits, subscriptions, regions, faulty, seed, forbidden, latency, throttle, direct, peerings)",
                    ))
                }
            }
        }
        spec.validate()?;
        Ok(spec)
    }

    /// The same keys as a JSON object (`{"circuits": 1000, "throttle": true, …}`).
    pub fn from_json(bytes: &[u8]) -> Result<FleetSpec, SpecError> {
        let spec: FleetSpec = serde_json::from_slice(bytes).map_err(|e| {
            let why = e.to_string();
            let key = why.split('`').nth(1).unwrap_or("spec").to_string();
            spec_error(&key, why)
        })?;
        spec.validate()?;
        Ok(spec)
    }

    /// Ranges: every count at least 1 (except `forbidden` and `direct`), at
    /// most what the layout can hold.
    pub fn validate(&self) -> Result<(), SpecError> {
        if !(1..=100_000).contains(&self.circuits) {
            return Err(spec_error("circuits", "must be in 1..=100000"));
        }
        if !(1..=10_000).contains(&self.subscriptions) {
            return Err(spec_error("subscriptions", "must be in 1..=10000"));
        }
        if !(1..=REGIONS.len()).contains(&self.regions) {
            return Err(spec_error("regions", format!("must be in 1..={}", REGIONS.len())));
        }
        if !(0.0..=1.0).contains(&self.faulty) {
            return Err(spec_error("faulty", "must be a share in 0..=1"));
        }
        if self.forbidden > self.subscriptions {
            return Err(spec_error("forbidden", "cannot exceed subscriptions"));
        }
        if !(0.0..=3600.0).contains(&self.latency) {
            return Err(spec_error("latency", "must be in 0..=3600 seconds"));
        }
        if self.direct * PER_PORT > self.circuits {
            return Err(spec_error("direct", format!("each port carries {PER_PORT} circuits: at most {} ports for {} circuits", self.circuits / PER_PORT, self.circuits)));
        }
        if !(1..=2).contains(&self.peerings) {
            return Err(spec_error("peerings", "must be 1 or 2"));
        }
        Ok(())
    }
}

/// A scenario to draw circuits from: its name, whether its circuit is
/// faulty (its expected verdict is not healthy), and its snapshot.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub faulty: bool,
    pub snapshot: Value,
}

/// One circuit of the fleet, as generated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetCircuit {
    pub id: String,
    pub template: String,
    pub faulty: bool,
    pub subscription: String,
    pub region: String,
    pub peering_location: String,
    pub gateway: String,
    /// ExpressRoute Direct: the port it is on.
    pub port: Option<String>,
}

/// A generated fleet: the snapshots to serve and what the emulator must know about them.
#[derive(Debug, Clone)]
pub struct Fleet {
    pub spec: FleetSpec,
    /// One `erdiag-snapshot/1` per circuit (ports ride with their first circuit).
    pub snapshots: Vec<Value>,
    pub circuits: Vec<FleetCircuit>,
    pub subscriptions: Vec<String>,
    pub management_groups: Vec<ManagementGroup>,
    pub forbidden: Vec<String>,
    pub ports: Vec<String>,
}

impl Fleet {
    /// The emulator's configuration for this fleet: its snapshots (moved, not
    /// copied: a fleet's snapshots are most of the emulator's memory),
    /// management groups, forbidden subscriptions, operation latency and throttling.
    pub fn config(self) -> Config {
        let mut config = Config::new(self.snapshots);
        config.management_groups = self.management_groups;
        config.forbidden = self.forbidden;
        config.operation_latency = Duration::from_secs_f64(self.spec.latency);
        config.throttle = self.spec.throttle.then(Throttle::default);
        config
    }
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// A template's circuit and the names its text is rewritten from.
struct Parsed<'a> {
    template: &'a Template,
    sub: String,
    rg: String,
    circuit: String,
    service_key: Option<String>,
    gateways: Vec<String>,
    connections: Vec<String>,
    ports: Vec<String>,
    peerings: usize,
    direct: bool,
}

fn parse_template(t: &Template) -> Option<Parsed<'_>> {
    let circuit_id = t.snapshot.get("circuitId")?.as_str()?.to_string();
    let segs: Vec<&str> = circuit_id.trim_matches('/').split('/').collect();
    if segs.len() != 8 {
        return None;
    }
    let resources = t.snapshot.get("resources").and_then(Value::as_object);
    let body = resources.and_then(|r| r.get(&circuit_id));
    let names_of = |kind: &str| -> Vec<String> {
        let mut names: Vec<String> = resources
            .into_iter()
            .flat_map(|r| r.keys())
            .filter_map(|k| {
                let s: Vec<&str> = k.trim_matches('/').split('/').collect();
                (s.len() == 8 && s[6].eq_ignore_ascii_case(kind)).then(|| s[7].to_string())
            })
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let connections = names_of("connections");
    let mut gateways = names_of("virtualNetworkGateways");
    // A gateway the template only refers to (one it may not read) is renamed too.
    for c in resources.into_iter().flat_map(|r| r.values()) {
        if let Some(gw) = c.pointer("/properties/virtualNetworkGateway1/id").and_then(Value::as_str) {
            let name = erdiag_model::last_segment(gw).to_string();
            if !gateways.contains(&name) {
                gateways.push(name);
            }
        }
    }
    // A failure recorded on a path no circuit owns (the resource group's list
    // of connections) would be every circuit's in a fleet: such a template is
    // not drawn.
    let owned = |key: &str| {
        let key = key.to_ascii_lowercase();
        let own = |kind: &str, name: &str| key.contains(&format!("/{}/{}", kind.to_ascii_lowercase(), name.to_ascii_lowercase()));
        own("expressRouteCircuits", segs[7]) || gateways.iter().any(|g| own("virtualNetworkGateways", g)) || connections.iter().any(|c| own("connections", c))
    };
    if t.snapshot.get("failures").and_then(Value::as_object).is_some_and(|f| f.keys().any(|k| !owned(k))) {
        return None;
    }
    // Another circuit in the template (the other end of a Global Reach link)
    // would be listed once per copy, as a circuit nobody asked for: such a
    // template is not drawn either.
    if names_of("expressRouteCircuits").iter().any(|n| !n.eq_ignore_ascii_case(segs[7])) {
        return None;
    }
    Some(Parsed {
        template: t,
        sub: segs[1].to_string(),
        rg: segs[3].to_string(),
        circuit: segs[7].to_string(),
        service_key: body.and_then(|b| b.pointer("/properties/serviceKey")).and_then(Value::as_str).map(str::to_string),
        gateways,
        connections,
        ports: body
            .and_then(|b| b.pointer("/properties/expressRoutePort/id"))
            .and_then(Value::as_str)
            .map(|p| vec![erdiag_model::last_segment(p).to_string()])
            .unwrap_or_default(),
        peerings: body.and_then(|b| b.pointer("/properties/peerings")).and_then(Value::as_array).map_or(0, Vec::len),
        direct: body.and_then(|b| b.pointer("/properties/expressRoutePort/id")).is_some(),
    })
}

/// The new names of one circuit.
struct Names<'a> {
    sub: &'a str,
    rg: &'a str,
    circuit: &'a str,
    gateway: &'a str,
    connection: &'a str,
    port: Option<&'a str>,
    service_key: &'a str,
}

/// The template's snapshot with every id and name replaced.
fn rewrite(p: &Parsed<'_>, n: &Names<'_>) -> Value {
    let mut text = serde_json::to_string(&p.template.snapshot).unwrap_or_default();
    let mut pairs: Vec<(String, String)> = Vec::new();
    pairs.extend(p.connections.iter().map(|c| (c.clone(), n.connection.to_string())));
    pairs.extend(p.gateways.iter().map(|g| (g.clone(), n.gateway.to_string())));
    if let Some(port) = n.port {
        pairs.extend(p.ports.iter().map(|old| (old.clone(), port.to_string())));
    }
    pairs.push((p.circuit.clone(), n.circuit.to_string()));
    // Longest first: a connection's name holds its gateway's and circuit's.
    pairs.sort_by_key(|(old, _)| std::cmp::Reverse(old.len()));
    for (old, new) in pairs {
        text = replace_token(&text, &old, &new);
    }
    text = text.replace(&p.sub, n.sub);
    for form in ["resourceGroups/", "resourcegroups/", "RESOURCEGROUPS/"] {
        text = text.replace(&format!("{form}{}/", p.rg), &format!("{form}{}/", n.rg));
        text = text.replace(&format!("{form}{}\"", p.rg), &format!("{form}{}\"", n.rg));
    }
    if let Some(key) = &p.service_key {
        text = text.replace(key.as_str(), n.service_key);
    }
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Replaces `old` where it stands as a name: not inside a longer name
/// (`er-ckt` in `er-ckt-ams` is left alone).
fn replace_token(text: &str, old: &str, new: &str) -> String {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(old) {
        let before = if i > 0 { rest[..i].chars().last() } else { out.chars().last() };
        let after = rest[i + old.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(is_name) || after.is_some_and(is_name) {
            out.push_str(old);
        } else {
            out.push_str(new);
        }
        rest = &rest[i + old.len()..];
    }
    out.push_str(rest);
    out
}

/// Sets `location` on every top-level body of the snapshot.
fn relocate(snapshot: &mut Value, region: &str) {
    if let Some(resources) = snapshot.get_mut("resources").and_then(Value::as_object_mut) {
        for (key, body) in resources.iter_mut() {
            if key.trim_matches('/').split('/').count() == 8 && body.get("location").is_some() {
                body["location"] = json!(region);
            }
        }
    }
}

/// The resource at `key` (compared case-insensitively) of a snapshot.
fn resource_mut<'a>(snapshot: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    snapshot.get_mut("resources")?.as_object_mut()?.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

/// Adds the donor's peerings the circuit lacks (embedded entries and every
/// resource under them), both already renamed to the circuit.
fn graft(snapshot: &mut Value, donor: &Value, circuit_id: &str) {
    let have: Vec<String> = resource_mut(snapshot, circuit_id)
        .and_then(|c| c.pointer("/properties/peerings"))
        .and_then(Value::as_array)
        .map(|ps| ps.iter().filter_map(|p| p["name"].as_str().map(str::to_ascii_lowercase)).collect())
        .unwrap_or_default();
    let donor_peerings = donor["resources"][circuit_id].pointer("/properties/peerings").and_then(Value::as_array).cloned().unwrap_or_default();
    for peering in donor_peerings {
        let Some(name) = peering["name"].as_str() else { continue };
        if have.contains(&name.to_ascii_lowercase()) {
            continue;
        }
        if let Some(list) = resource_mut(snapshot, circuit_id).and_then(|c| c.pointer_mut("/properties/peerings")).and_then(Value::as_array_mut) {
            list.push(peering.clone());
        }
        let prefix = format!("{circuit_id}/peerings/{name}").to_ascii_lowercase();
        let moved: Vec<(String, Value)> = donor["resources"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.to_ascii_lowercase().starts_with(&prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(resources) = snapshot.get_mut("resources").and_then(Value::as_object_mut) {
            resources.extend(moved);
        }
    }
}

/// Generates the fleet `spec` asks for from `templates`.
pub fn generate(spec: &FleetSpec, templates: &[Template]) -> Result<Fleet, SpecError> {
    spec.validate()?;
    let parsed: Vec<Parsed<'_>> = templates.iter().filter_map(parse_template).collect();
    let healthy_all: Vec<&Parsed<'_>> = parsed.iter().filter(|p| !p.template.faulty && !p.direct).collect();
    let healthy: Vec<&Parsed<'_>> = {
        let enough: Vec<&Parsed<'_>> = healthy_all.iter().copied().filter(|p| p.peerings >= spec.peerings).collect();
        if enough.is_empty() {
            healthy_all.clone()
        } else {
            enough
        }
    };
    let faulty: Vec<&Parsed<'_>> = parsed.iter().filter(|p| p.template.faulty && !p.direct).collect();
    let direct = parsed.iter().find(|p| !p.template.faulty && p.direct);
    let donor = healthy_all.iter().copied().max_by_key(|p| p.peerings);
    if healthy.is_empty() {
        return Err(spec_error("circuits", "no healthy template to draw circuits from"));
    }
    if spec.faulty > 0.0 && faulty.is_empty() {
        return Err(spec_error("faulty", "no faulty template to draw from"));
    }
    if spec.direct > 0 && direct.is_none() {
        return Err(spec_error("direct", "no ExpressRoute Direct template to draw from"));
    }

    let mut rng = Rng(spec.seed);
    let subscriptions: Vec<String> = (0..spec.subscriptions).map(|_| rng.guid()).collect();
    let n = spec.circuits;
    // Which circuits are faulty: a random choice of round(faulty × n).
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut is_faulty = vec![false; n];
    for &i in order.iter().take((spec.faulty * n as f64).round() as usize) {
        is_faulty[i] = true;
    }
    let place = |i: usize| {
        let pair = i / 2;
        (pair % spec.subscriptions, (pair / spec.subscriptions) % spec.regions)
    };
    // ExpressRoute Direct: each port takes PER_PORT healthy circuits of its subscription and region.
    let mut on_port: Vec<Option<usize>> = vec![None; n];
    for k in 0..spec.direct {
        let want = (k % spec.subscriptions, k % spec.regions);
        let mut taken = 0;
        for i in 0..n {
            if taken == PER_PORT {
                break;
            }
            if on_port[i].is_none() && !is_faulty[i] && place(i) == want {
                on_port[i] = Some(k);
                taken += 1;
            }
        }
        // Too few in that place: any healthy circuit still free.
        for i in 0..n {
            if taken == PER_PORT {
                break;
            }
            if on_port[i].is_none() && !is_faulty[i] {
                on_port[i] = Some(k);
                taken += 1;
            }
        }
    }

    let rg = "rg-expressroute";
    let mut circuits = Vec::with_capacity(n);
    let mut snapshots: Vec<Value> = Vec::with_capacity(n);
    let mut ports: Vec<String> = Vec::new();
    let mut port_members: Vec<Vec<(String, u64)>> = vec![Vec::new(); spec.direct];
    let mut pair_state = (usize::MAX, false);
    for i in 0..n {
        let pair = i / 2;
        let (s, r) = place(i);
        let (region, metro) = REGIONS[r];
        let sub = &subscriptions[s];
        let same_location = rng.unit() < 0.1;
        let port = on_port[i];
        let template = match (port, is_faulty[i]) {
            (Some(_), _) => direct.expect("checked above"),
            (None, true) => faulty[rng.below(faulty.len())],
            (None, false) => healthy[rng.below(healthy.len())],
        };
        let circuit = format!("er-{region}-{i:04}");
        let gateway = format!("ergw-{region}-{pair:04}");
        let connection = format!("cn-{circuit}");
        let port_name = port.map(|k| format!("erport-{}-{k}", REGIONS[k % spec.regions].0));
        // The port lives in its own subscription, whichever the circuit's.
        let port_id = port.map(|k| {
            let (home, name) = (&subscriptions[k % spec.subscriptions], port_name.as_deref().unwrap_or_default());
            format!("/subscriptions/{home}/resourceGroups/{rg}/providers/Microsoft.Network/expressRoutePorts/{name}")
        });
        let service_key = rng.guid();
        let names = Names { sub, rg, circuit: &circuit, gateway: &gateway, connection: &connection, port: port_name.as_deref(), service_key: &service_key };
        let mut snapshot = rewrite(template, &names);
        let id = format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/expressRouteCircuits/{circuit}");
        if let Some(donor) = donor.filter(|d| template.peerings >= 1 && template.peerings < spec.peerings && d.peerings > template.peerings) {
            let donor_snapshot = rewrite(donor, &names);
            graft(&mut snapshot, &donor_snapshot, &id);
        }
        relocate(&mut snapshot, region);
        // The first of a pair takes the metro's first location, the second the other one (or the same).
        let member = i % 2;
        let peering_location = if member == 1 && pair_state.0 == pair && pair_state.1 { metro[0] } else { metro[member] };
        if member == 0 {
            pair_state = (pair, same_location);
        }
        let provider = PROVIDERS[rng.below(PROVIDERS.len())];
        let bandwidth = BANDWIDTHS_MBPS[rng.below(BANDWIDTHS_MBPS.len())];
        let environment = if rng.unit() < 0.8 { "production" } else { "test" };
        if let Some(body) = resource_mut(&mut snapshot, &id) {
            body["tags"] = json!({ "environment": environment, "costCenter": format!("cc-{:03}", pair % 50) });
            match port {
                Some(k) => {
                    let gbps: u64 = if k == 0 { 5 } else if port_members[k].len() == 2 { 5 } else { 2 };
                    body["properties"]["bandwidthInGbps"] = json!(gbps);
                    body["properties"]["expressRoutePort"] = json!({ "id": port_id });
                    port_members[k].push((id.clone(), gbps));
                }
                None => {
                    body["properties"]["serviceProviderProperties"] =
                        json!({ "serviceProviderName": provider, "peeringLocation": peering_location, "bandwidthInMbps": bandwidth });
                }
            }
        }
        // Routing weights: every fifth pair prefers its first circuit.
        let weight = if pair % 5 == 4 && member == 0 { 100 } else { 0 };
        let conn_id = format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/connections/{connection}");
        if let Some(body) = resource_mut(&mut snapshot, &conn_id) {
            body["properties"]["routingWeight"] = json!(weight);
        }
        let gateway_id = format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworkGateways/{gateway}");
        if pair % 7 == 6 {
            if let Some(body) = resource_mut(&mut snapshot, &gateway_id) {
                body["properties"]["sku"] = json!({ "name": "Standard", "tier": "Standard", "capacity": 2 });
            }
        }
        if let Some(pid) = &port_id {
            if !ports.contains(pid) {
                ports.push(pid.clone());
            }
        }
        circuits.push(FleetCircuit {
            id,
            template: template.template.name.clone(),
            faulty: template.template.faulty,
            subscription: sub.clone(),
            region: region.to_string(),
            peering_location: port.map_or(peering_location, |k| REGIONS[k % spec.regions].1[0]).to_string(),
            gateway: gateway_id,
            port: port_id,
        });
        // In a pair, the faulty circuit's snapshot goes first: its copy of the shared gateway is served.
        if member == 1 && template.template.faulty && !circuits[i - 1].faulty {
            snapshots.insert(snapshots.len() - 1, snapshot);
        } else {
            snapshots.push(snapshot);
        }
    }

    // Each port rides in the snapshot of its first circuit.
    for (k, members) in port_members.iter().enumerate() {
        let Some((first, _)) = members.first() else { continue };
        let (region, location) = (REGIONS[k % spec.regions].0, REGIONS[k % spec.regions].1[0]);
        let name = format!("erport-{region}-{k}");
        let id = format!("/subscriptions/{}/resourceGroups/{rg}/providers/Microsoft.Network/expressRoutePorts/{name}", subscriptions[k % spec.subscriptions]);
        let provisioned: u64 = members.iter().map(|(_, g)| g).sum();
        let body = json!({
            "id": id,
            "name": name,
            "type": "Microsoft.Network/expressRoutePorts",
            "location": region,
            "properties": {
                "provisioningState": "Succeeded",
                "peeringLocation": location,
                "bandwidthInGbps": 10,
                "provisionedBandwidthInGbps": provisioned,
                "encapsulation": "Dot1Q",
                "circuits": members.iter().map(|(c, _)| json!({ "id": c })).collect::<Vec<_>>(),
                "links": [
                    { "name": "link1", "properties": { "adminState": "Enabled", "connectorType": "LC" } },
                    { "name": "link2", "properties": { "adminState": "Enabled", "connectorType": "LC" } },
                ],
            },
        });
        if let Some(snapshot) = snapshots.iter_mut().find(|s| s["circuitId"].as_str() == Some(first.as_str())) {
            snapshot["resources"][id.as_str()] = body;
        }
    }

    let forbidden = subscriptions[spec.subscriptions - spec.forbidden..].to_vec();
    let management_groups = (0..spec.subscriptions.min(5))
        .map(|g| ManagementGroup { name: format!("mg-{g}"), subscriptions: subscriptions.iter().skip(g).step_by(5).cloned().collect() })
        .collect();
    Ok(Fleet { spec: spec.clone(), snapshots, circuits, subscriptions, management_groups, forbidden, ports })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_errors_name_the_key() {
        let s = FleetSpec::parse("circuits=1000,subscriptions=20,regions=2,faulty=0.1,seed=7,forbidden=1,latency=2,throttle=on,direct=2").unwrap();
        assert_eq!((s.circuits, s.subscriptions, s.regions, s.seed, s.forbidden, s.direct), (1000, 20, 2, 7, 1, 2));
        assert!(s.throttle && s.latency == 2.0 && s.faulty == 0.1);
        for (text, key) in [("circuits=x", "circuits"), ("faulty=2", "faulty"), ("throttle=maybe", "throttle"), ("colour=red", "colour"), ("regions=99", "regions"), ("forbidden=5", "forbidden")] {
            assert_eq!(FleetSpec::parse(text).unwrap_err().key, key, "{text}");
        }
        assert_eq!(FleetSpec::from_json(br#"{"circuits": 4, "throttle": true}"#).unwrap().circuits, 4);
        assert_eq!(FleetSpec::from_json(br#"{"circuitz": 4}"#).unwrap_err().key, "circuitz");
    }

    #[test]
    fn tokens_are_replaced_only_as_whole_names() {
        assert_eq!(replace_token("er-ckt er-ckt-ams /er-ckt\"", "er-ckt", "X"), "X er-ckt-ams /X\"");
    }
}
