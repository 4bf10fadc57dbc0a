//! From ntc-templates records to the typed model, per platform and command.
//! Field names are ntc-templates' (and, for FRR, erdiag's, which follow
//! IOS's); hidden fields (`_…`) are what the templates do not capture.

use super::*;
use crate::Platform::*;

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub(crate) fn num(s: &str) -> Option<u64> {
    s.trim().parse().ok()
}

fn asn(s: &str) -> Option<u32> {
    parse_asn(s)
}

fn first<'a>(rec: &Rec<'a>, names: &[&str]) -> &'a str {
    names.iter().map(|n| rec.get(n)).find(|v| !v.is_empty()).unwrap_or("")
}

pub(super) fn push(model: &mut Model, platform: Platform, command: &str, rec: &Rec<'_>) {
    match model {
        Model::BgpSummary(v) => bgp_summary(v, platform, command, rec),
        Model::BgpNeighbors(v) => v.push(bgp_neighbor(platform, rec)),
        Model::BgpRoutes(v) => v.extend(bgp_route(platform, rec)),
        Model::Arp(v) => v.extend(arp(platform, command, rec)),
        Model::Routes(v) => route(v, platform, rec),
        Model::RouteSummary(v) => v.push(RouteTableSummary {
            table: rec.get("table_name").to_string(),
            protocol: rec.get("route_src").to_string(),
            routes: num(rec.get("routes")),
            active: num(rec.get("active_routes")),
        }),
        Model::Interfaces(v) => v.push(interface(platform, command, rec)),
    }
}

fn summary_row(neighbor: &str, remote_as: &str, state: &str, pfx: Option<&str>) -> BgpNeighborSummary {
    let (mut st, detail) = BgpState::parse(state);
    let mut received = None;
    let s = state.trim().trim_end_matches('!');
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        received = num(s);
        st = BgpState::Established;
    }
    if let Some(p) = pfx {
        received = received.or(num(p));
    }
    BgpNeighborSummary {
        neighbor: neighbor.to_string(),
        vrf: None,
        address_family: None,
        remote_as: asn(remote_as),
        remote_as_asdot: (remote_as.contains('.') && asn(remote_as).is_some()).then(|| remote_as.trim().to_string()),
        local_as: None,
        router_id: None,
        state: st,
        state_detail: detail,
        prefixes_received: received,
        prefixes_accepted: None,
        prefixes_sent: None,
        up_down: None,
        description: None,
    }
}

/// The columns the EOS, IOS, NX-OS and FRR summary templates name alike: the
/// local AS, router id, up/down time and description.
fn summary_columns(s: &mut BgpNeighborSummary, rec: &Rec<'_>) {
    s.local_as = asn(rec.get("local_as"));
    s.router_id = opt(rec.get("router_id"));
    s.up_down = opt(rec.get("up_down"));
    s.description = opt(rec.get("description"));
}

fn bgp_summary(v: &mut Vec<BgpNeighborSummary>, platform: Platform, command: &str, rec: &Rec<'_>) {
    match (platform, command) {
        (CiscoXr, "show bgp vrf all ipv4 unicast summary") => {
            for (i, neighbor) in rec.list("bgp_neighbor").iter().enumerate() {
                let at = |f: &str| rec.list(f).get(i).map(String::as_str).unwrap_or("");
                let mut s = summary_row(neighbor, at("neighbor_as"), at("state_or_prefixes_received"), None);
                s.vrf = opt(rec.get("vrf"));
                s.local_as = asn(rec.get("local_as_number"));
                s.up_down = opt(at("up_down"));
                v.push(s);
            }
        }
        (JuniperJunos, _) => {
            let mut s = summary_row(rec.get("peer_ip"), rec.get("peer_as"), rec.get("state"), None);
            if s.state == BgpState::Established || !rec.get("received").is_empty() {
                s.state = BgpState::Established;
                s.prefixes_received = num(rec.get("received"));
                s.prefixes_accepted = num(rec.get("accepted"));
            }
            let table = rec.get("interface");
            s.address_family = opt(table);
            // The template splits `9w2d 5:23:37` in two.
            s.up_down = opt(&format!("{} {}", rec.get("last_flap"), rec.get("up_down")));
            v.push(s);
        }
        (AristaEos, _) => {
            let pfx = rec.get("state_pfxrcd");
            let state = rec.get("state");
            let mut s = summary_row(rec.get("bgp_neigh"), rec.get("neigh_as"), if state.is_empty() { pfx } else { state }, Some(pfx));
            s.prefixes_accepted = num(rec.get("state_pfxacc"));
            s.vrf = opt(rec.get("vrf"));
            summary_columns(&mut s, rec);
            v.push(s);
        }
        _ => {
            let neighbor = first(rec, &["bgp_neighbor", "bgp_neigh"]);
            let remote_as = first(rec, &["neighbor_as", "neigh_as"]);
            let state = first(rec, &["state_or_prefixes_received", "state_pfxrcd"]);
            let mut s = summary_row(neighbor, remote_as, state, None);
            s.vrf = opt(rec.get("vrf")).or_else(|| opt(rec.get("instance_name")));
            s.address_family = opt(rec.get("address_family"));
            summary_columns(&mut s, rec);
            // FRR's `PfxSnt` column.
            s.prefixes_sent = num(rec.get("prefixes_sent"));
            v.push(s);
        }
    }
}

fn bgp_neighbor(platform: Platform, rec: &Rec<'_>) -> BgpNeighborDetail {
    let state_text = first(rec, &["bgp_state", "state"]);
    let (state, detail) = BgpState::parse(state_text);
    let hidden_bool = |name: &str| match first(rec, &[name, name.trim_start_matches('_')]) {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let list_first = |name: &str| rec.list(name).first().and_then(|s| num(s));
    let (received, sent) = match platform {
        // XR's `Prefix advertised` counts since the session started: not a
        // current count.
        CiscoXr => (sum_list(rec.list("prefixes_in")), None),
        Frr => (sum_list(rec.list("accepted_prefixes")), None),
        CiscoNxos => (num(rec.get("accepted_paths")), num(rec.get("sent_paths"))),
        _ => (num(rec.get("_prefixes_received")), num(rec.get("_prefixes_sent"))),
    };
    let _ = list_first;
    BgpNeighborDetail {
        neighbor: rec.get("neighbor").to_string(),
        vrf: opt(rec.get("vrf")),
        description: opt(rec.get("description")),
        peer_group: opt(rec.get("peer_group")),
        remote_as: asn(first(rec, &["_remote_as", "remote_as", "remote_asn", "asn"])),
        local_as: asn(first(rec, &["local_as", "local_asn", "_local_as"])),
        remote_router_id: opt(rec.get("remote_router_id")),
        state,
        state_detail: detail.or_else(|| opt(rec.get("_state_detail"))),
        up_for: opt(first(rec, &["uptime", "_up_for"])).filter(|_| !matches!(platform, CiscoNxos) || state_text.starts_with("Established")),
        password_configured: match hidden_bool("_password") {
            None if platform == Frr => hidden_bool("password_configured"),
            v => v,
        },
        bfd: hidden_bool("_bfd"),
        prefixes_received: received,
        prefixes_sent: sent,
        route_map_in: opt(first(rec, &["inbound_routemap", "_route_map_in"])).or_else(|| rec.list("policy_incoming").first().cloned()),
        route_map_out: opt(first(rec, &["outbound_routemap", "_route_map_out"])).or_else(|| rec.list("policy_outgoing").first().cloned()),
        local_address: opt(first(rec, &["localhost_ip", "local_address"])),
        local_port: first(rec, &["localhost_port", "local_port"]).parse().ok(),
        remote_address: opt(first(rec, &["remote_ip", "remote_address"])),
        remote_port: rec.get("remote_port").parse().ok(),
        last_reset_reason: opt(first(rec, &["last_reset_reason", "_last_reset_reason"])),
    }
}

fn sum_list(l: &[String]) -> Option<u64> {
    let mut any = false;
    let mut total = 0u64;
    for s in l {
        if let Some(n) = num(s) {
            any = true;
            total += n;
        }
    }
    any.then_some(total)
}

fn bgp_route(_platform: Platform, rec: &Rec<'_>) -> Option<BgpRoute> {
    Some(BgpRouteFields::of(rec.schema()).read(rec).to_route())
}

/// Where the records of one parser keep what a [`BgpRoute`] is read from
/// (resolved once per parser, not per record: the streaming output reads
/// every path of a 1,000,000-route table through it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct BgpRouteFields {
    schema: crate::fsm::Schema,
    hidden_status: Option<usize>,
    status: Option<usize>,
    path_selection: Option<usize>,
    route_source: Option<usize>,
    netmask: Option<usize>,
    /// `_network`, `network`, `prefix`: the first that is not empty.
    network: [Option<usize>; 3],
    next_hop: Option<usize>,
    metric: Option<usize>,
    local_pref: Option<usize>,
    weight: Option<usize>,
    as_path: Option<usize>,
    origin: Option<usize>,
}

/// A [`BgpRoute`] borrowed from its record: the numbers still as text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BgpRouteRef<'a> {
    /// The prefix is `network/netmask`, or `network` when there is no mask.
    pub network: &'a str,
    pub netmask: &'a str,
    pub next_hop: &'a str,
    pub valid: bool,
    pub best: bool,
    pub internal: bool,
    /// [`num`] of these gives the typed value.
    pub metric: &'a str,
    pub local_pref: &'a str,
    pub weight: &'a str,
    /// As captured: [`as_path`] gives the typed value.
    pub as_path: &'a str,
    pub origin: Option<&'static str>,
}

impl BgpRouteFields {
    pub(crate) fn of(schema: crate::fsm::Schema) -> BgpRouteFields {
        let at = |name: &str| crate::fsm::scalar_index(schema, name);
        BgpRouteFields {
            schema,
            hidden_status: at("_status"),
            status: at("status"),
            path_selection: at("path_selection"),
            route_source: at("route_source"),
            netmask: at("netmask"),
            network: [at("_network"), at("network"), at("prefix")],
            next_hop: at("next_hop"),
            metric: at("metric"),
            local_pref: at("local_pref"),
            weight: at("weight"),
            as_path: at("as_path"),
            origin: at("origin"),
        }
    }

    /// Whether these are the fields of `rec`'s parser.
    #[inline]
    pub(crate) fn fits(&self, rec: &Rec<'_>) -> bool {
        std::ptr::eq(self.schema, rec.schema())
    }

    /// The route of one record (of this parser: see [`BgpRouteFields::fits`]).
    #[inline]
    pub(crate) fn read<'a>(&self, rec: &Rec<'a>) -> BgpRouteRef<'a> {
        let get = |i: Option<usize>| i.map_or("", |i| rec.str_at(i));
        // The status codes: `_status` (all the columns, as printed) when
        // the parser keeps it, else the three template fields.
        let hidden = get(self.hidden_status);
        // The codes are ASCII characters: searched for as bytes (the
        // fields are a character or three).
        let has = |s: &str, c: u8| s.bytes().any(|b| b == c);
        let ends_i = |s: &str| s.as_bytes().last() == Some(&b'i');
        let (valid, best, internal) = if hidden.is_empty() {
            let (st, ps, rs) = (get(self.status), get(self.path_selection), get(self.route_source));
            let any = |c: u8| has(st, c) || has(ps, c) || has(rs, c);
            // The codes (`st ps rs` run together) end in `i`.
            let codes_end_i = [rs, ps, st].into_iter().find(|s| !s.is_empty()).is_some_and(ends_i);
            (any(b'*'), any(b'>'), rs == "i" || codes_end_i)
        } else {
            (has(hidden, b'*'), has(hidden, b'>'), hidden.chars().nth(2) == Some('i') || ends_i(hidden))
        };
        BgpRouteRef {
            network: self.network.into_iter().map(get).find(|v| !v.is_empty()).unwrap_or(""),
            netmask: get(self.netmask),
            next_hop: get(self.next_hop),
            valid,
            best,
            internal,
            metric: get(self.metric),
            local_pref: get(self.local_pref),
            weight: get(self.weight),
            as_path: get(self.as_path),
            origin: match get(self.origin) {
                "i" => Some("igp"),
                "e" => Some("egp"),
                "?" => Some("incomplete"),
                _ => None,
            },
        }
    }
}

impl BgpRouteRef<'_> {
    pub(crate) fn to_route(self) -> BgpRoute {
        BgpRoute {
            prefix: if self.netmask.is_empty() { self.network.to_string() } else { format!("{}/{}", self.network, self.netmask) },
            next_hop: self.next_hop.to_string(),
            valid: self.valid,
            best: self.best,
            internal: self.internal,
            metric: num(self.metric),
            local_pref: num(self.local_pref),
            weight: num(self.weight),
            as_path: as_path(self.as_path),
            origin: self.origin,
        }
    }
}

/// An AS path as captured (`65001 174 {64512,64513} ?`): asplain, AS sets
/// flattened, anything else left out.
pub(crate) fn as_path(s: &str) -> Vec<u32> {
    s.split(|c: char| c.is_whitespace() || c == '{' || c == '}' || c == ',').filter_map(asn).collect()
}

fn arp(platform: Platform, command: &str, rec: &Rec<'_>) -> Option<ArpEntry> {
    let ip = first(rec, &["ip_address", "address"]);
    let mac = first(rec, &["mac_address", "hardware_address"]);
    let incomplete = mac.eq_ignore_ascii_case("incomplete") || mac.is_empty();
    let interface = match (platform, command) {
        // `Vlan101, Port-Channel2`: the VLAN interface; `Vlan1, not learned`.
        (AristaEos, _) => rec.get("interface").split(',').next().unwrap_or("").trim().to_string(),
        _ => rec.get("interface").to_string(),
    };
    Some(ArpEntry {
        ip: ip.to_string(),
        mac: (!incomplete).then(|| mac.to_ascii_lowercase()),
        incomplete,
        interface: opt(&interface),
        age: opt(first(rec, &["age", "age_min"])),
        vrf: opt(rec.get("vrf")),
    })
}

fn route(v: &mut Vec<Route>, platform: Platform, rec: &Rec<'_>) {
    // NX-OS `Route not found` for a VRF: ntc-templates records it; it is no
    // route.
    if rec.get("_not_found") == "1" {
        return;
    }
    let network = rec.get("network");
    let len = rec.get("prefix_length");
    let prefix = if len.is_empty() { network.to_string() } else { format!("{network}/{len}") };
    // The route type follows the protocol: IOS `O IA`, NX-OS `ospf-1, intra`.
    let (proto, kind) = (rec.get("protocol"), rec.get("type"));
    let protocol = match platform {
        CiscoIos if !kind.is_empty() => format!("{proto} {kind}"),
        CiscoNxos if !kind.is_empty() => format!("{proto}, {kind}"),
        _ => proto.to_string(),
    };
    let vrf = opt(rec.get("vrf"));
    let mut hops = Vec::new();
    let ips: Vec<&str> = match platform {
        AristaEos => rec.list("next_hop").iter().map(String::as_str).collect(),
        _ => vec![first(rec, &["nexthop_ip", "next_hop"])],
    };
    let ifs: Vec<&str> = match platform {
        AristaEos => rec.list("interface").iter().map(String::as_str).collect(),
        _ => vec![first(rec, &["nexthop_if", "interface"])],
    };
    for i in 0..ips.len().max(ifs.len()) {
        let ip = ips.get(i).copied().unwrap_or("");
        let ifc = ifs.get(i).copied().unwrap_or("");
        let ip = if ip == "connected" || ip.is_empty() { None } else { Some(ip.to_string()) };
        if ip.is_some() || !ifc.is_empty() {
            hops.push(NextHop { ip, interface: opt(ifc) });
        }
    }
    let distance = rec.get("distance").parse().ok();
    let metric = num(rec.get("metric"));
    // Records of the same route (one per next hop) make one route.
    if let Some(last) = v.last_mut() {
        if last.prefix == prefix && last.vrf == vrf && last.protocol == protocol && !prefix.is_empty() {
            last.next_hops.extend(hops);
            return;
        }
    }
    v.push(Route { vrf, prefix, protocol, distance, metric, next_hops: hops });
}

fn interface(_platform: Platform, command: &str, rec: &Rec<'_>) -> Interface {
    if let Some(i) = interface_of(_platform, command, rec) {
        return i;
    }
    let (link, proto) = if command == "show ip interface brief" { (rec.get("status"), rec.get("proto")) } else { (rec.get("link_status"), rec.get("protocol_status")) };
    let ip = rec.get("ip_address");
    let len = rec.get("prefix_length");
    let ip = if ip.is_empty() || ip == "unassigned" {
        None
    } else if len.is_empty() {
        Some(ip.to_string())
    } else {
        Some(format!("{ip}/{len}"))
    };
    Interface {
        admin_up: opt(link).map(|l| !l.contains("administratively down") && !l.contains("disabled")),
        oper_up: opt(proto).map(|p| p.starts_with("up")),
        ..interface_fields(rec, link, proto, ip)
    }
}

/// An interface as its record prints it: name, description, the link and
/// protocol states as words, the address, MTU and counters. Whether it is
/// administratively and operationally up is each platform's reading.
fn interface_fields(rec: &Rec<'_>, link: &str, proto: &str, ip_address: Option<String>) -> Interface {
    Interface {
        name: rec.get("interface").to_string(),
        description: opt(rec.get("description")),
        admin_up: None,
        oper_up: None,
        link_status: opt(link),
        protocol_status: opt(proto),
        ip_address,
        mtu: rec.get("mtu").parse().ok(),
        input_packets: num(rec.get("input_packets")),
        output_packets: num(rec.get("output_packets")),
        input_errors: num(rec.get("input_errors")),
        output_errors: num(rec.get("output_errors")),
        crc: num(rec.get("crc")),
    }
}

/// The interfaces of the platforms other than IOS: their templates name the
/// states differently and some keep the counters in erdiag's hidden fields.
fn interface_of(platform: Platform, command: &str, rec: &Rec<'_>) -> Option<Interface> {
    let ip = |addr: &str, len: &str| match (addr.trim(), len.trim()) {
        ("" | "unassigned" | "Unknown", _) => None,
        (a, "") => Some(a.to_string()),
        (a, l) => Some(format!("{a}/{l}")),
    };
    let up = |s: &str| opt(s).map(|s| s.to_ascii_lowercase().starts_with("up"));
    let not_admin_down = |s: &str| opt(s).map(|s| !s.to_ascii_lowercase().contains("administratively down"));
    let base = |link: &str, proto: &str| interface_fields(rec, link, proto, ip(rec.get("ip_address"), rec.get("prefix_length")));
    // `X is up|administratively down, line protocol is up|down`, the line
    // protocol in the template's field `proto_field`.
    let line_protocol = |proto_field: &str| {
        let (link, proto) = (rec.get("link_status"), rec.get(proto_field));
        Interface { admin_up: not_admin_down(link), oper_up: up(proto), ..base(link, proto) }
    };
    Some(match (platform, command) {
        (CiscoNxos, "show interface") => {
            // `Ethernet1/1 is up` + `admin state is up`, or `Vlan20 is
            // down (…), line protocol is down`.
            let link = rec.get("link_status");
            let proto = rec.get("_line_protocol");
            let admin = rec.get("_admin_state");
            let mut i = base(link, proto);
            i.admin_up = if admin.is_empty() { not_admin_down(link) } else { up(admin) };
            i.oper_up = if proto.is_empty() { up(link) } else { up(proto) };
            i
        }
        (CiscoXr, "show interfaces") => {
            // `X is administratively down, line protocol is administratively
            // down`: the template names the line protocol `admin_state`.
            line_protocol("admin_state")
        }
        (Frr, "show interface") => {
            // `Interface X is up, line protocol is up|down`, `… is down`
            // (administratively), `… line protocol detection is disabled`
            // (the carrier is not tracked: unknown).
            let link = rec.get("link_status");
            let proto = rec.get("protocol_status");
            let mut i = base(link, proto);
            i.admin_up = up(link);
            i.oper_up = match (link, proto) {
                ("down", _) => Some(false),
                (_, "up") => Some(true),
                (_, "down") => Some(false),
                _ => None,
            };
            i
        }
        (AristaEos, "show interfaces") => {
            // `Ethernet2 is administratively down, line protocol is down
            // (disabled)`; the counters are erdiag's hidden fields.
            let mut i = line_protocol("protocol_status");
            i.input_packets = num(rec.get("_input_packets"));
            i.output_packets = num(rec.get("_output_packets"));
            i.input_errors = num(rec.get("_input_errors"));
            i.output_errors = num(rec.get("_output_errors"));
            i.crc = num(rec.get("_crc"));
            i
        }
        (JuniperJunos, "show interfaces") => {
            // Physical: `Enabled` / `Disabled` (or, kept by erdiag alone,
            // `Administratively down`) and `Physical link is Up`; logical:
            // `Flags: Up …`, the address from `Destination: 172.16.0.0/30,
            // Local: 172.16.0.1`.
            let or = |a: &str, b: &str| if rec.get(a).is_empty() { rec.get(b) } else { rec.get(a) };
            let link = or("link_status", "_link_status");
            let admin = or("admin_state", "_admin_state");
            let mut i = base(link, "");
            i.name = or("interface", "_interface").to_string();
            i.protocol_status = None;
            i.admin_up = opt(admin).map(|a| a.eq_ignore_ascii_case("enabled"));
            i.oper_up = up(link);
            let local = rec.get("local");
            let len = rec.get("destination").split_once('/').map_or("", |(_, l)| l);
            i.ip_address = ip(local, len);
            i.input_packets = num(rec.get("_input_packets"));
            i.output_packets = num(rec.get("_output_packets"));
            i
        }
        _ => return None,
    })
}
