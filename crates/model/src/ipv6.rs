//! IPv6 on a peering: the `ipv6PeeringConfig` ARM embeds in the peering
//! (its /126 per path, `state`, route filter, Microsoft peering's IPv6
//! prefixes), and the address family of the rows of the MSEE tables.
//!
//! ARM has no separate call for IPv6: the ARP table, route table and
//! route-table summary operations take a peering and a device path only, and
//! their rows carry whatever the MSEE holds. A row's family is its address
//! (`neighbor`, `network`), so that an IPv6 row is never read as the IPv4
//! session and the reverse.

use crate::arm::{GatewayRoute, Ipv6PeeringConfig, Peering, RouteEntry, RouteSummaryEntry};
use crate::device::DevicePath;
use crate::net::{PeerSubnet, PeerSubnetError};
use std::net::IpAddr;

/// The address family of a session, a route or an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn of(addr: IpAddr) -> Family {
        if addr.is_ipv4() {
            Family::V4
        } else {
            Family::V6
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Peering {
    /// The peering's IPv6 configuration, when it has one.
    pub fn ipv6(&self) -> Option<&Ipv6PeeringConfig> {
        self.properties.ipv6_peering_config.as_ref()
    }
}

impl Ipv6PeeringConfig {
    /// The configured /126 of one path, as written.
    pub fn prefix(&self, d: DevicePath) -> Option<&str> {
        match d {
            DevicePath::Primary => self.primary_peer_address_prefix.as_deref(),
            DevicePath::Secondary => self.secondary_peer_address_prefix.as_deref(),
        }
        .map(str::trim)
        .filter(|s| !s.is_empty())
    }
    /// The /126 of one path, validated (an IPv4 prefix here is an error).
    pub fn subnet(&self, d: DevicePath) -> Option<Result<PeerSubnet, PeerSubnetError>> {
        let s = self.prefix(d)?;
        Some(PeerSubnet::parse(s).and_then(|p| match p.net {
            ipnet::IpNet::V6(_) => Ok(p),
            ipnet::IpNet::V4(_) => Err(PeerSubnetError::NotIpv6(s.to_string())),
        }))
    }
    /// The addresses of a path when its /126 is valid.
    pub fn addresses(&self, d: DevicePath) -> Option<PeerSubnet> {
        self.subnet(d).and_then(Result::ok)
    }
    /// `state` is `Disabled`: the IPv6 sessions are configured but shut.
    pub fn is_disabled(&self) -> bool {
        self.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Disabled"))
    }
}

impl RouteSummaryEntry {
    /// The family of the session, from the neighbor's address.
    pub fn family(&self) -> Option<Family> {
        self.neighbor_addr().map(Family::of)
    }
    pub fn neighbor_addr(&self) -> Option<IpAddr> {
        self.neighbor.as_deref()?.trim().parse().ok()
    }
}

impl RouteEntry {
    pub fn family(&self) -> Option<Family> {
        self.prefix().map(|n| Family::of(n.addr()))
    }
}

impl GatewayRoute {
    pub fn family(&self) -> Option<Family> {
        self.network.net.map(|n| Family::of(n.addr()))
    }
    /// The VNet's own address space as the gateway lists it (origin `Network`).
    pub fn is_vnet_space(&self) -> bool {
        self.origin.as_deref().is_some_and(|o| o.eq_ignore_ascii_case("Network"))
    }
}

/// The MSEE's session row of one family: the neighbor at `expected` (the
/// customer's first usable address of that family's subnet), else the
/// first row of that family. A row whose neighbor is not an address counts
/// as IPv4, as the tables printed before IPv6 existed.
pub fn session_row_of(rows: &[RouteSummaryEntry], family: Family, expected: Option<IpAddr>) -> Option<&RouteSummaryEntry> {
    if let Some(e) = expected {
        if let Some(r) = rows.iter().find(|r| r.neighbor_addr() == Some(e)) {
            return Some(r);
        }
    }
    rows.iter().find(|r| r.family().unwrap_or(Family::V4) == family)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(neighbor: &str) -> RouteSummaryEntry {
        serde_json::from_value(serde_json::json!({"neighbor": neighbor, "statePfxRcd": "3"})).unwrap()
    }

    #[test]
    fn an_ipv6_row_listed_first_is_not_the_ipv4_session() {
        let rows = [row("2001:db8:0:1::1"), row("172.16.0.1")];
        assert_eq!(session_row_of(&rows, Family::V4, None).unwrap().neighbor.as_deref(), Some("172.16.0.1"));
        assert_eq!(session_row_of(&rows, Family::V6, None).unwrap().neighbor.as_deref(), Some("2001:db8:0:1::1"));
        assert!(session_row_of(&rows[1..], Family::V6, None).is_none());
    }

    #[test]
    fn a_126_is_checked_as_ipv6() {
        let c: Ipv6PeeringConfig = serde_json::from_value(serde_json::json!({
            "primaryPeerAddressPrefix": "2001:db8:0:1::/126", "secondaryPeerAddressPrefix": "172.16.0.0/30", "state": "Enabled"
        }))
        .unwrap();
        assert_eq!(c.addresses(DevicePath::Primary).unwrap().msee.to_string(), "2001:db8:0:1::2");
        assert!(matches!(c.subnet(DevicePath::Secondary), Some(Err(PeerSubnetError::NotIpv6(_)))));
        assert!(!c.is_disabled());
    }
}
