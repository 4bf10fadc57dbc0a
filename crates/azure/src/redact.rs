//! `--redact`: a snapshot that can be shared without saying whose circuit it
//! is, and that still diagnoses the same.
//!
//! The snapshot is rewritten as parsed JSON, never as text: every object key
//! and string value goes through [`Redactor::string`].
//!
//! - ARM paths (`/subscriptions/…`) are rewritten by position: the
//!   subscription, the resource group and the name of the top-level resource
//!   are masked; child segments (`peerings/AzurePrivatePeering`,
//!   `arpTables/primary`, `availabilityStatuses/current`) are kept, so that
//!   the paths the model derives from `circuitId` still find their bodies.
//! - In any other string, whole words are masked: those names (a `name`
//!   field, an error message quoting a resource group), GUIDs (service key,
//!   tenant, subscription), IPv4 and IPv6 addresses and MAC addresses.
//!
//! The same value always gets the same mask within one [`RedactKey`], and a
//! key is drawn at random for every run, so masks cannot be joined across
//! snapshots. Addresses keep what the diagnosis reads: a keyed,
//! prefix-preserving permutation (addresses that share a prefix share its
//! mask, so subnets still contain their hosts) that keeps the range (the
//! first octet, and the RFC 1918, shared and link-local ranges; the first
//! hextet of IPv6) and the position in a /30 or /126 (the CE's and the
//! MSEE's address). A network (`A/len`, `A mask M`, or a bare address
//! ending in zero octets, as classful tables print it) is masked as its
//! prefix: its host bits stay zero. Netmasks and wildcard masks are not addresses and stay. MACs
//! keep their vendor prefix (OUI) and their spelling.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The per-run key of the masks.
#[derive(Clone)]
pub struct RedactKey([u8; 16]);

impl RedactKey {
    /// A fresh key from the operating system's randomness (via the standard
    /// library's hash seeds).
    pub fn random() -> RedactKey {
        let mut k = [0u8; 16];
        for (i, half) in k.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
        RedactKey(k)
    }

    /// A fixed key, for tests.
    pub fn from_bytes(k: [u8; 16]) -> RedactKey {
        RedactKey(k)
    }

    fn prf(&self, tag: &[u8], data: &[u8]) -> u64 {
        #[allow(deprecated)]
        let mut h = std::hash::SipHasher::new_with_keys(
            u64::from_le_bytes(self.0[..8].try_into().expect("8 bytes")),
            u64::from_le_bytes(self.0[8..].try_into().expect("8 bytes")),
        );
        h.write(tag);
        h.write(data);
        h.finish()
    }
}

/// Masks a whole snapshot document in place (see the module documentation).
pub fn redact_snapshot(snapshot: &mut Value, key: &RedactKey) {
    let mut r = Redactor::new(key.clone());
    r.learn(snapshot);
    r.rewrite(snapshot);
}

/// Child segments that are part of the ARM contract, never masked as words.
const STRUCTURAL: &[&str] = &["primary", "secondary", "current", "azureprivatepeering", "microsoftpeering", "azurepublicpeering"];

pub struct Redactor {
    key: RedactKey,
    /// Lower-case name → its mask.
    names: HashMap<String, String>,
}

impl Redactor {
    pub fn new(key: RedactKey) -> Redactor {
        Redactor { key, names: HashMap::new() }
    }

    /// Records the names that the ARM paths of `v` hold.
    pub fn learn(&mut self, v: &Value) {
        match v {
            Value::String(s) => self.learn_path(s),
            Value::Array(a) => a.iter().for_each(|x| self.learn(x)),
            Value::Object(m) => {
                for (k, x) in m {
                    self.learn_path(k);
                    self.learn(x);
                }
            }
            _ => {}
        }
    }

    fn learn_path(&mut self, s: &str) {
        let Some(segs) = arm_segments(s) else { return };
        for (i, kind) in positions(&segs) {
            let name = segs[i];
            if kind == "sub" && is_guid(name) {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if !self.names.contains_key(&lower) {
                let mask = format!("{kind}-{:08x}", self.key.prf(b"name", lower.as_bytes()) as u32);
                self.names.insert(lower, mask);
            }
        }
    }

    /// Rewrites every key and string of `v`.
    pub fn rewrite(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.string(s),
            Value::Array(a) => a.iter_mut().for_each(|x| self.rewrite(x)),
            Value::Object(m) => {
                let old = std::mem::take(m);
                let mut new = Map::new();
                for (k, mut x) in old {
                    self.rewrite(&mut x);
                    new.insert(self.string(&k), x);
                }
                *m = new;
            }
            _ => {}
        }
    }

    /// One string, masked.
    pub fn string(&mut self, s: &str) -> String {
        if let Some(segs) = arm_segments(s) {
            let mut out: Vec<String> = segs.iter().map(|x| x.to_string()).collect();
            for (i, kind) in positions(&segs) {
                out[i] = if kind == "sub" && is_guid(segs[i]) { self.guid(segs[i]) } else { self.names.get(&segs[i].to_ascii_lowercase()).cloned().unwrap_or_default() };
            }
            return out.join("/");
        }
        self.text(s)
    }

    /// Free text: whole words masked. A name is masked as the whole string
    /// (a `name` field), and as a word of longer text only when it is at
    /// least three characters with a letter (so that a subscription named
    /// `1` does not mask every 1).
    fn text(&mut self, s: &str) -> String {
        let lower = s.to_ascii_lowercase();
        if let Some(m) = self.names.get(&lower).filter(|_| !STRUCTURAL.contains(&lower.as_str())) {
            return m.clone();
        }
        let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '_' | '-');
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while !rest.is_empty() {
            let start = rest.find(is_word).unwrap_or(rest.len());
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
            let (word, after) = rest.split_at(end);
            out.push_str(&self.word(word, after));
            rest = after;
        }
        out
    }

    /// One word of free text; `after` is the text that follows it (a prefix
    /// length or a netmask makes the masked address a network).
    fn word(&mut self, word: &str, after: &str) -> String {
        let lower = word.to_ascii_lowercase();
        let wordlike = lower.len() >= 3 && lower.contains(|c: char| c.is_ascii_alphabetic()) && !STRUCTURAL.contains(&lower.as_str());
        if let Some(m) = self.names.get(&lower).filter(|_| wordlike) {
            return m.clone();
        }
        // A host named after a resource (a Key Vault's `NAME.vault.azure.net`
        // in a MACsec secret identifier): its first label as the name is masked.
        if let Some((first, rest)) = lower.split_once('.').filter(|(f, r)| f.len() >= 3 && r.contains('.')) {
            if let Some(m) = self.names.get(first) {
                return format!("{m}.{rest}");
            }
        }
        if is_guid(word) {
            return self.guid(word);
        }
        if let Some(m) = self.mac(word) {
            return m;
        }
        let core = word.trim_end_matches(['.', ':']);
        let tail = &word[core.len()..];
        if let Ok(a) = core.parse::<Ipv4Addr>() {
            let len = prefix_len(after, 32).or_else(|| mask_after(after));
            return format!("{}{tail}", self.ipv4(a, len));
        }
        if core.contains(':') {
            if let Ok(a) = core.parse::<Ipv6Addr>() {
                return format!("{}{tail}", self.ipv6(a, prefix_len(after, 128)));
            }
        }
        // `10.0.0.1:443`, `ce_172.16.0.1`: the parts.
        if word.contains([':', '_', '-']) && word.len() > 6 {
            let mut out = String::new();
            let mut rest = word;
            while let Some(i) = rest.find([':', '_', '-']) {
                out.push_str(&self.part(&rest[..i], &rest[i..]));
                out.push_str(&rest[i..i + 1]);
                rest = &rest[i + 1..];
            }
            out.push_str(&self.part(rest, after));
            return out;
        }
        word.to_string()
    }

    fn part(&mut self, p: &str, after: &str) -> String {
        let core = p.trim_end_matches('.');
        match core.parse::<Ipv4Addr>() {
            Ok(a) => format!("{}{}", self.ipv4(a, prefix_len(after, 32)), &p[core.len()..]),
            Err(_) => p.to_string(),
        }
    }

    fn guid(&mut self, g: &str) -> String {
        let a = self.key.prf(b"guid", g.to_ascii_lowercase().as_bytes());
        let b = self.key.prf(b"guid2", g.to_ascii_lowercase().as_bytes());
        let h = format!("{a:016x}{b:016x}");
        let s = format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]);
        if g.chars().any(|c| c.is_ascii_uppercase()) {
            s.to_ascii_uppercase()
        } else {
            s
        }
    }

    /// `5c5e.ab0d.4f01`, `00:22:bd:f8:2b:ff` or `00-22-BD-F8-2B-FF`, with
    /// the last three bytes masked.
    fn mac(&mut self, w: &str) -> Option<String> {
        let hex: String = w.chars().filter(char::is_ascii_hexdigit).collect();
        let shape = match w.len() {
            14 => w.split('.').count() == 3 && w.split('.').all(|g| g.len() == 4),
            17 => [':', '-'].iter().any(|&d| w.split(d).count() == 6 && w.split(d).all(|g| g.len() == 2)),
            _ => false,
        };
        if !shape || hex.len() != 12 {
            return None;
        }
        let v = u64::from_str_radix(&hex, 16).ok()?;
        let low = self.key.prf(b"mac", &v.to_be_bytes()) & 0xff_ffff;
        let masked = format!("{:012x}", (v & !0xff_ffff) | low);
        let upper = w.chars().any(|c| c.is_ascii_uppercase());
        let mut digits = masked.chars();
        Some(
            w.chars()
                .map(|c| if c.is_ascii_hexdigit() { digits.next().unwrap_or('0') } else { c })
                .map(|c| if upper { c.to_ascii_uppercase() } else { c })
                .collect(),
        )
    }

    fn ipv4(&mut self, a: Ipv4Addr, len: Option<u8>) -> String {
        let v = u32::from(a);
        if is_mask(v) {
            return a.to_string();
        }
        let o = a.octets();
        let keep = match o[0] {
            172 if (16..32).contains(&o[1]) => 12,
            100 | 169 | 172 | 192 => 16,
            _ => 8,
        };
        let m = permute(&self.key, b"ip4", u128::from(v), 32, keep);
        Ipv4Addr::from(as_network(u128::from(v), m, 32, 8, len) as u32).to_string()
    }

    fn ipv6(&mut self, a: Ipv6Addr, len: Option<u8>) -> String {
        let v = u128::from(a);
        let m = permute(&self.key, b"ip6", v, 128, 16);
        Ipv6Addr::from(as_network(v, m, 128, 16, len)).to_string()
    }
}

/// A keyed prefix-preserving permutation of `width`-bit `v`: bit `i` is
/// flipped by a pseudo-random function of the bits before it, except the
/// first `keep` bits and the last two.
fn permute(key: &RedactKey, tag: &[u8], v: u128, width: u32, keep: u32) -> u128 {
    let mut out = v;
    for i in keep..width - 2 {
        let prefix = v >> (width - i);
        let mut data = [0u8; 17];
        data[0] = i as u8;
        data[1..].copy_from_slice(&prefix.to_be_bytes());
        if key.prf(tag, &data) & 1 == 1 {
            out ^= 1 << (width - 1 - i);
        }
    }
    out
}

/// The mask `m` of `v`, as a network when `v` is one: the host bits of
/// `v` are zero for the prefix length written after it, or for a bare
/// address its trailing zero groups (`10.1.0.0` is the network
/// `10.1.0.0/16`, as classful routing tables print it). A host with a
/// length (`172.16.0.1/30`, an interface address) stays a host.
fn as_network(v: u128, m: u128, width: u32, group: u32, len: Option<u8>) -> u128 {
    let len = match len {
        Some(l) => u32::from(l).min(width),
        None if v == 0 => width,
        None => width - (v.trailing_zeros().min(width) / group) * group,
    };
    if len >= width {
        return m;
    }
    let ones = if width == 128 { u128::MAX } else { (1u128 << width) - 1 };
    let host = ones >> len;
    if v & host == 0 {
        m & (ones ^ host)
    } else {
        m
    }
}

/// A netmask (ones then zeros) or a wildcard mask (zeros then ones).
fn is_mask(v: u32) -> bool {
    v.leading_ones() + v.trailing_zeros() == 32 || v.leading_zeros() + v.trailing_ones() == 32
}

/// `/N` right after an address.
fn prefix_len(after: &str, max: u8) -> Option<u8> {
    let digits: String = after.strip_prefix('/')?.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&l| l <= max)
}

/// ` 255.255.0.0` or ` mask 255.255.0.0` (or a wildcard mask) after an
/// address: its prefix length.
fn mask_after(after: &str) -> Option<u8> {
    let mut words = after.split_whitespace();
    let mut w = words.next()?;
    if w.eq_ignore_ascii_case("mask") {
        w = words.next()?;
    }
    let v = u32::from(w.trim_end_matches([',', ';']).parse::<Ipv4Addr>().ok()?);
    if v == 0 || !is_mask(v) {
        return None;
    }
    Some(if v.leading_ones() + v.trailing_zeros() == 32 { v.leading_ones() } else { v.leading_zeros() } as u8)
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The segments of an ARM path (`/subscriptions/…`), or `None`.
fn arm_segments(s: &str) -> Option<Vec<&str>> {
    let lower = s.get(..15)?;
    if !lower.eq_ignore_ascii_case("/subscriptions/") {
        return None;
    }
    Some(s.split('/').collect())
}

/// Which segments of an ARM path are names, and their kind: the
/// subscription, the resource group, and the top-level resource after the
/// first `providers/NAMESPACE/TYPE`.
fn positions(segs: &[&str]) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    let at = |name: &str| segs.iter().position(|s| s.eq_ignore_ascii_case(name));
    if let Some(i) = at("subscriptions").filter(|i| i + 1 < segs.len() && !segs[i + 1].is_empty()) {
        out.push((i + 1, "sub"));
    }
    if let Some(i) = at("resourceGroups").filter(|i| i + 1 < segs.len() && !segs[i + 1].is_empty()) {
        out.push((i + 1, "rg"));
    }
    if let Some(i) = at("providers").filter(|i| i + 3 < segs.len() && !segs[i + 3].is_empty()) {
        let kind = match segs[i + 2].to_ascii_lowercase().as_str() {
            "expressroutecircuits" => "circuit",
            "connections" => "conn",
            "virtualnetworkgateways" => "gw",
            "virtualnetworks" => "vnet",
            "expressrouteports" => "port",
            "expressroutegateways" => "ergw",
            "virtualhubs" => "hub",
            _ => "res",
        };
        out.push((i + 3, kind));
        // A hub gateway's connection is named after the circuit it connects.
        if segs.get(i + 4).is_some_and(|s| s.eq_ignore_ascii_case("expressRouteConnections")) && segs.get(i + 5).is_some_and(|s| !s.is_empty()) {
            out.push((i + 5, "erconn"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key() -> RedactKey {
        RedactKey::from_bytes([7; 16])
    }

    #[test]
    fn paths_keep_their_contract_segments() {
        let mut r = Redactor::new(key());
        let p = "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/ckt/peerings/AzurePrivatePeering/arpTables/primary";
        r.learn(&json!(p));
        let m = r.string(p);
        assert!(m.starts_with("/subscriptions/sub-") && m.contains("/resourceGroups/rg-") && m.contains("/expressRouteCircuits/circuit-"), "{m}");
        assert!(m.ends_with("/peerings/AzurePrivatePeering/arpTables/primary"), "{m}");
        // A word equal to a name is masked the same; a word containing it is not.
        let masked = erdiag_model::ResourceId::parse(&m).unwrap();
        assert_eq!(Some(r.string("rg").as_str()), masked.resource_group());
        assert_eq!(r.string("rg-er 1"), "rg-er 1");
        assert_eq!(r.string("1"), masked.subscription());
        r.learn(&json!("/subscriptions/s/resourceGroups/rg-er/providers/Microsoft.Network/connections/primary"));
        assert_eq!(r.string("no rg-er here, primary"), format!("no {} here, primary", r.string("rg-er")));
    }

    #[test]
    fn addresses_keep_their_structure() {
        let mut r = Redactor::new(key());
        let net = r.string("172.16.0.0/30");
        let ce = r.string("172.16.0.1");
        let msee = r.string("172.16.0.2");
        let n: Ipv4Addr = net.strip_suffix("/30").unwrap().parse().unwrap();
        let (c, m): (Ipv4Addr, Ipv4Addr) = (ce.parse().unwrap(), msee.parse().unwrap());
        assert_eq!((u32::from(c) - u32::from(n), u32::from(m) - u32::from(n)), (1, 2), "{net} {ce} {msee}");
        assert!(c.is_private());
        assert_ne!(ce, "172.16.0.1");
        assert_eq!(r.string("10.1.0.0 mask 255.255.0.0").split(' ').next(), r.string("10.1.0.0/16").split('/').next());
        assert_eq!(r.string("255.255.255.252"), "255.255.255.252");
        assert_eq!(r.string("at 172.16.0.1."), format!("at {ce}."));
        assert_eq!(r.string("0.0.0.0/0"), "0.0.0.0/0");
        let v6 = r.string("2001:db8:1::1");
        assert!(v6.starts_with("2001:") && v6 != "2001:db8:1::1", "{v6}");
    }

    #[test]
    fn macs_and_guids() {
        let mut r = Redactor::new(key());
        let m = r.string("5c5e.ab0d.4f01");
        assert!(m.starts_with("5c5e.ab") && m != "5c5e.ab0d.4f01", "{m}");
        let g = r.string("0A1B2C3D-0000-1111-2222-333344445555");
        assert!(is_guid(&g) && g != "0A1B2C3D-0000-1111-2222-333344445555");
        assert_eq!(r.string("0a1b2c3d-0000-1111-2222-333344445555").to_ascii_uppercase(), g);
    }
}
