//! Values whose real-world spelling is looser than the REST spec says: a
//! `statePfxRcd` that is a state or a count, a `nextHop` with a trailing `*`,
//! an AS path as a space- or dash-separated list, a MAC address of `Incomplete`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::IpAddr;

/// The BGP state column of an MSEE route-table summary (`statePfxRcd`): either
/// the number of prefixes received (the session is Established) or the name of
/// the state the session is stuck in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BgpState {
    /// Established, with this many prefixes received from the neighbor.
    Established(u64),
    Idle,
    /// Administratively shut down (`Idle (Admin)`).
    IdleAdmin,
    /// Shut down because the neighbor sent more prefixes than allowed (`Idle (PfxCt)`).
    IdlePrefixLimit,
    Active,
    Connect,
    OpenSent,
    OpenConfirm,
    /// Anything else the MSEE prints, kept verbatim.
    Other(String),
}

impl BgpState {
    pub fn parse(s: &str) -> BgpState {
        let t = s.trim();
        if let Ok(n) = t.replace(',', "").parse::<u64>() {
            return BgpState::Established(n);
        }
        let lower = t.to_ascii_lowercase();
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        match compact.as_str() {
            "idle" => BgpState::Idle,
            "idle(admin)" | "idle(adm)" => BgpState::IdleAdmin,
            "idle(pfxct)" | "idle(pfx)" | "idle(maxpfx)" => BgpState::IdlePrefixLimit,
            "active" => BgpState::Active,
            "connect" => BgpState::Connect,
            "opensent" => BgpState::OpenSent,
            "openconfirm" => BgpState::OpenConfirm,
            _ => BgpState::Other(t.to_string()),
        }
    }

    pub fn is_established(&self) -> bool {
        matches!(self, BgpState::Established(_))
    }

    pub fn prefixes(&self) -> Option<u64> {
        match self {
            BgpState::Established(n) => Some(*n),
            _ => None,
        }
    }
}

impl fmt::Display for BgpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BgpState::Established(n) => write!(f, "Established ({n} prefixes received)"),
            BgpState::Idle => f.write_str("Idle"),
            BgpState::IdleAdmin => f.write_str("Idle (Admin)"),
            BgpState::IdlePrefixLimit => f.write_str("Idle (PfxCt)"),
            BgpState::Active => f.write_str("Active"),
            BgpState::Connect => f.write_str("Connect"),
            BgpState::OpenSent => f.write_str("OpenSent"),
            BgpState::OpenConfirm => f.write_str("OpenConfirm"),
            BgpState::Other(s) => f.write_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for BgpState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(BgpState::parse(&s)),
            serde_json::Value::Number(n) => n
                .as_u64()
                .map(BgpState::Established)
                .ok_or_else(|| serde::de::Error::custom(format!("prefix count {n} is not a non-negative integer"))),
            other => Err(serde::de::Error::custom(format!(
                "expected a BGP state or a prefix count, found {}",
                kind_of(&other)
            ))),
        }
    }
}

impl Serialize for BgpState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            BgpState::Established(n) => s.serialize_str(&n.to_string()),
            other => s.serialize_str(&other.to_string()),
        }
    }
}

/// A route's next hop as the MSEE prints it: an address, optionally marked
/// with `*` (as in the guide's `10.17.17.140*`), or empty for a local route.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NextHop {
    pub raw: String,
}

impl NextHop {
    /// The address, without any marker; `None` when empty or not an address.
    pub fn ip(&self) -> Option<IpAddr> {
        self.raw.trim().trim_end_matches(['*', '>', ' ']).trim().parse().ok()
    }
    /// True when the MSEE marked this next hop with `*`.
    pub fn marked(&self) -> bool {
        self.raw.trim_end().ends_with('*')
    }
}

impl fmt::Display for NextHop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for NextHop {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(NextHop { raw: Option::<String>::deserialize(d)?.unwrap_or_default() })
    }
}

impl Serialize for NextHop {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

/// A BGP AS path as ARM prints it: `65515 65515 12076` on the MSEE, `12076-65020`
/// on the gateway. Tokens that are not AS numbers (origin codes such as `i`,
/// `?`, AS-set braces) are kept in `raw` but ignored in `asns`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AsPath {
    pub raw: String,
    pub asns: Vec<u32>,
}

impl AsPath {
    pub fn parse(raw: &str) -> AsPath {
        let asns = raw
            .split(|c: char| c.is_whitespace() || c == '-' || c == ',' || c == '{' || c == '}')
            .filter(|t| !t.is_empty())
            .filter_map(parse_asn)
            .collect();
        AsPath { raw: raw.to_string(), asns }
    }
    /// The AS that originated the route (the last one), if any.
    pub fn origin(&self) -> Option<u32> {
        self.asns.last().copied()
    }
    /// The neighbouring AS the route was learned from (the first one), if any.
    pub fn first(&self) -> Option<u32> {
        self.asns.first().copied()
    }
}

/// Parses an AS number in asplain (`4200000000`) or asdot (`64086.59904`) form.
pub fn parse_asn(t: &str) -> Option<u32> {
    if let Some((hi, lo)) = t.split_once('.') {
        let hi: u32 = hi.parse().ok()?;
        let lo: u32 = lo.parse().ok()?;
        if hi > 0xffff || lo > 0xffff {
            return None;
        }
        return Some((hi << 16) | lo);
    }
    t.parse().ok()
}

impl<'de> Deserialize<'de> for AsPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => Ok(AsPath::default()),
            serde_json::Value::String(s) => Ok(AsPath::parse(&s)),
            serde_json::Value::Number(n) => Ok(AsPath::parse(&n.to_string())),
            other => Err(serde::de::Error::custom(format!("expected an AS path string, found {}", kind_of(&other)))),
        }
    }
}

impl Serialize for AsPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

/// A MAC address column, which reads `Incomplete` when ARP resolution failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MacAddress {
    Resolved(String),
    Incomplete,
    Missing,
}

impl MacAddress {
    pub fn is_resolved(&self) -> bool {
        matches!(self, MacAddress::Resolved(_))
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MacAddress::Resolved(m) => f.write_str(m),
            MacAddress::Incomplete => f.write_str("Incomplete"),
            MacAddress::Missing => f.write_str("(none)"),
        }
    }
}

impl<'de> Deserialize<'de> for MacAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Option::<String>::deserialize(d)?.unwrap_or_default();
        let t = s.trim();
        Ok(if t.is_empty() {
            MacAddress::Missing
        } else if t.eq_ignore_ascii_case("incomplete") || t.eq_ignore_ascii_case("(incomplete)") {
            MacAddress::Incomplete
        } else {
            MacAddress::Resolved(t.to_string())
        })
    }
}

impl Serialize for MacAddress {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MacAddress::Missing => s.serialize_str(""),
            other => s.serialize_str(&other.to_string()),
        }
    }
}

/// A number that ARM sometimes sends as a JSON string.
pub fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a non-negative integer, found {n}"))),
        serde_json::Value::String(s) if s.trim().is_empty() => Ok(None),
        serde_json::Value::String(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("expected a non-negative integer, found \"{s}\""))),
        other => Err(serde::de::Error::custom(format!("expected a non-negative integer, found {}", kind_of(&other)))),
    }
}

pub(crate) fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_pfx_rcd_forms_seen_in_real_output() {
        let j = |s: &str| serde_json::from_str::<BgpState>(s).unwrap();
        assert_eq!(j("\"Idle\""), BgpState::Idle);
        assert_eq!(j("\"Active\""), BgpState::Active);
        assert_eq!(j("\"Connect\""), BgpState::Connect);
        assert_eq!(j("\"Idle (Admin)\""), BgpState::IdleAdmin);
        assert_eq!(j("\"Idle (PfxCt)\""), BgpState::IdlePrefixLimit);
        assert_eq!(j("\"42\""), BgpState::Established(42));
        assert_eq!(j("42"), BgpState::Established(42));
        assert_eq!(j("\"weird\""), BgpState::Other("weird".into()));
        assert!(serde_json::from_str::<BgpState>("-1").is_err());
        assert!(serde_json::from_str::<BgpState>("[]").is_err());
    }

    #[test]
    fn next_hop_with_marker() {
        let h: NextHop = serde_json::from_str("\"10.17.17.140*\"").unwrap();
        assert_eq!(h.ip(), Some("10.17.17.140".parse().unwrap()));
        assert!(h.marked());
        let h: NextHop = serde_json::from_str("\"10.17.17.141\"").unwrap();
        assert!(!h.marked());
        let h: NextHop = serde_json::from_str("\"\"").unwrap();
        assert_eq!(h.ip(), None);
    }

    #[test]
    fn as_paths() {
        assert_eq!(AsPath::parse("65515 65515 12076").asns, vec![65515, 65515, 12076]);
        assert_eq!(AsPath::parse("12076-65020").asns, vec![12076, 65020]);
        assert_eq!(AsPath::parse("65020 {65021,65022} i").asns, vec![65020, 65021, 65022]);
        assert_eq!(AsPath::parse("1.10").asns, vec![65546]);
        assert_eq!(AsPath::parse("").origin(), None);
    }

    #[test]
    fn mac_incomplete() {
        let m: MacAddress = serde_json::from_str("\"Incomplete\"").unwrap();
        assert_eq!(m, MacAddress::Incomplete);
        let m: MacAddress = serde_json::from_str("\"ffff.eeee.dddd\"").unwrap();
        assert!(m.is_resolved());
    }
}
