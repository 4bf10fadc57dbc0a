//! The point-to-point subnets of a peering. On each /30 (IPv6 /126) the guide
//! says Microsoft takes the second usable address for the MSEE and the
//! customer's CE (or the provider's PE-MSEE) must take the first.

use ipnet::IpNet;
use std::net::IpAddr;

/// A validated peering subnet with the two addresses that must be used on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerSubnet {
    pub net: IpNet,
    /// First usable address: the CE / PE-MSEE side.
    pub customer: IpAddr,
    /// Second usable address: the MSEE side.
    pub msee: IpAddr,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeerSubnetError {
    #[error("`{0}` is not an IP prefix")]
    NotAPrefix(String),
    #[error("`{0}` is a /{1}; a peering subnet must be a /30 (IPv4) or /126 (IPv6)")]
    WrongLength(String, u8),
    #[error("`{0}` has host bits set; the subnet starts at {1}")]
    HostBits(String, IpAddr),
    #[error("`{0}` is an IPv4 prefix where an IPv6 /126 is expected")]
    NotIpv6(String),
}

impl PeerSubnet {
    pub fn parse(s: &str) -> Result<PeerSubnet, PeerSubnetError> {
        let t = s.trim();
        let net: IpNet = t.parse().map_err(|_| PeerSubnetError::NotAPrefix(t.to_string()))?;
        let want = if net.addr().is_ipv4() { 30 } else { 126 };
        if net.prefix_len() != want {
            return Err(PeerSubnetError::WrongLength(t.to_string(), net.prefix_len()));
        }
        if net.addr() != net.network() {
            return Err(PeerSubnetError::HostBits(t.to_string(), net.network()));
        }
        let (customer, msee) = match net {
            IpNet::V4(n) => {
                let (customer, msee) = v4_addresses(n);
                (IpAddr::from(customer), IpAddr::from(msee))
            }
            IpNet::V6(n) => {
                let base = u128::from(n.network());
                (IpAddr::from(std::net::Ipv6Addr::from(base + 1)), IpAddr::from(std::net::Ipv6Addr::from(base + 2)))
            }
        };
        Ok(PeerSubnet { net, customer, msee })
    }
}

/// The customer's (first usable) and the MSEE's (second usable) addresses
/// of an IPv4 peering subnet, which is not checked to be a /30.
pub fn v4_addresses(net: ipnet::Ipv4Net) -> (std::net::Ipv4Addr, std::net::Ipv4Addr) {
    let base = u32::from(net.network());
    (std::net::Ipv4Addr::from(base.wrapping_add(1)), std::net::Ipv4Addr::from(base.wrapping_add(2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_usable_is_customer_second_is_msee() {
        let p = PeerSubnet::parse("172.16.0.4/30").unwrap();
        assert_eq!(p.customer.to_string(), "172.16.0.5");
        assert_eq!(p.msee.to_string(), "172.16.0.6");
        let p = PeerSubnet::parse("3FFE:FFFF:0:CD30::4/126").unwrap();
        assert_eq!(p.customer.to_string(), "3ffe:ffff:0:cd30::5");
        assert_eq!(p.msee.to_string(), "3ffe:ffff:0:cd30::6");
    }

    #[test]
    fn rejects_bad_subnets() {
        assert!(matches!(PeerSubnet::parse("172.16.0.0/29"), Err(PeerSubnetError::WrongLength(_, 29))));
        assert!(matches!(PeerSubnet::parse("172.16.0.1/30"), Err(PeerSubnetError::HostBits(..))));
        assert!(matches!(PeerSubnet::parse("banana"), Err(PeerSubnetError::NotAPrefix(_))));
    }
}
