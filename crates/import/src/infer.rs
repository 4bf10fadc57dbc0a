//! Which peering and device path a per-path table belongs to, when the
//! output itself does not say: from the flags, the echoed command line, the
//! file name, or the table's own addresses.
//!
//! The addresses are evidence, not a guess: on each peering /30 the customer
//! (CE or PE-MSEE) has the first usable address and the MSEE the second, so
//! a BGP neighbor, an ARP entry or a next hop at one of those addresses
//! places the table on that peering and path.

use crate::kind::{squash, Content};
use erdiag_model::{DevicePath, PeerSubnet};
use std::net::IpAddr;

/// A peering name or one of its short forms, as ARM spells it.
pub(crate) fn peering_name(s: &str) -> Option<&'static str> {
    match squash(s).as_str() {
        "private" | "azureprivate" | "privatepeering" | "azureprivatepeering" => Some("AzurePrivatePeering"),
        "microsoft" | "msft" | "microsoftpeering" => Some("MicrosoftPeering"),
        "public" | "azurepublic" | "publicpeering" | "azurepublicpeering" => Some("AzurePublicPeering"),
        _ => None,
    }
}

pub(crate) fn device_path(s: &str) -> Option<DevicePath> {
    match squash(s).as_str() {
        "primary" | "pri" => Some(DevicePath::Primary),
        "secondary" | "sec" => Some(DevicePath::Secondary),
        _ => None,
    }
}

/// What a file name says: `arp-private-primary.txt`, `RoutesMsftSec.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NameHints {
    pub peering: Option<&'static str>,
    pub path: Option<DevicePath>,
    /// Only used for an empty JSON list, whose rows cannot say what it is.
    pub content: Option<Content>,
}

/// The lower-case words of a file name (without folders and extension),
/// split at punctuation and at camelCase humps.
fn words(name: &str) -> Vec<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    };
    let mut out = Vec::new();
    for part in stem.split(|c: char| !c.is_alphanumeric()) {
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur).to_lowercase());
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur.to_lowercase());
        }
    }
    out
}

pub(crate) fn from_file_name(name: &str) -> Result<NameHints, String> {
    let w = words(name);
    let mut h = NameHints::default();
    for word in &w {
        if let Some(p) = peering_name(word) {
            match h.peering {
                Some(q) if q != p => return Err(format!("the file name names two peerings, {q} and {p}")),
                _ => h.peering = Some(p),
            }
        }
        if let Some(d) = device_path(word) {
            match h.path {
                Some(e) if e != d => return Err("the file name names both paths, primary and secondary".to_string()),
                _ => h.path = Some(d),
            }
        }
    }
    let has = |xs: &[&str]| w.iter().any(|x| xs.contains(&x.as_str()));
    h.content = if has(&["summary", "routetablesummary", "routetablessummary"]) {
        Some(Content::RouteTableSummary)
    } else if has(&["arp", "arptable", "arptables"]) {
        Some(Content::ArpTable)
    } else if has(&["route", "routes", "routetable", "routetables"]) {
        Some(Content::RouteTable)
    } else if has(&["stats", "statistics"]) {
        Some(Content::Stats)
    } else if has(&["circuit", "circuits"]) {
        Some(Content::Circuit)
    } else if has(&["peering", "peerings"]) {
        Some(Content::Peering)
    } else {
        None
    };
    Ok(h)
}

/// A configured peering's point-to-point subnets, per device path.
#[derive(Debug, Clone)]
pub(crate) struct KnownPeering {
    pub name: String,
    pub subnets: [Vec<PeerSubnet>; 2],
}

/// The (peering, path) pairs whose subnets hold the table's addresses. For a
/// summary or a route table the address must be the customer's (the BGP
/// neighbor, the next hop of on-premises routes); an ARP table also lists the
/// MSEE's own address.
pub(crate) fn by_addresses(content: Content, addrs: &[IpAddr], known: &[KnownPeering]) -> Vec<(String, DevicePath)> {
    let mut out: Vec<(String, DevicePath)> = Vec::new();
    for k in known {
        for p in DevicePath::BOTH {
            let hit = k.subnets[p.index()].iter().any(|s| {
                addrs.iter().any(|a| *a == s.customer || (content == Content::ArpTable && *a == s.msee))
            });
            if hit && !out.iter().any(|(n, q)| n == &k.name && *q == p) {
                out.push((k.name.clone(), p));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let h = from_file_name("out/arp-private-primary.txt").unwrap();
        assert_eq!(h, NameHints { peering: Some("AzurePrivatePeering"), path: Some(DevicePath::Primary), content: Some(Content::ArpTable) });
        let h = from_file_name("RoutesMsftSec.json").unwrap();
        assert_eq!((h.peering, h.path, h.content), (Some("MicrosoftPeering"), Some(DevicePath::Secondary), Some(Content::RouteTable)));
        let h = from_file_name(r"C:\er\AzurePrivatePeering_summary_SECONDARY.txt").unwrap();
        assert_eq!((h.peering, h.path, h.content), (Some("AzurePrivatePeering"), Some(DevicePath::Secondary), Some(Content::RouteTableSummary)));
        assert_eq!(from_file_name("stats.txt").unwrap().peering, None);
        assert!(from_file_name("arp-private-microsoft.txt").is_err());
        assert!(from_file_name("arp-primary-secondary.txt").is_err());
        assert_eq!(from_file_name("").unwrap(), NameHints::default());
    }

    #[test]
    fn addresses() {
        let k = KnownPeering {
            name: "AzurePrivatePeering".into(),
            subnets: [vec![PeerSubnet::parse("172.16.0.0/30").unwrap()], vec![PeerSubnet::parse("172.16.0.4/30").unwrap()]],
        };
        let a = |s: &str| s.parse::<IpAddr>().unwrap();
        let r = by_addresses(Content::RouteTableSummary, &[a("172.16.0.5")], std::slice::from_ref(&k));
        assert_eq!(r, vec![("AzurePrivatePeering".to_string(), DevicePath::Secondary)]);
        assert!(by_addresses(Content::RouteTableSummary, &[a("172.16.0.6")], std::slice::from_ref(&k)).is_empty());
        assert_eq!(by_addresses(Content::ArpTable, &[a("172.16.0.2")], std::slice::from_ref(&k)).len(), 1);
    }
}
