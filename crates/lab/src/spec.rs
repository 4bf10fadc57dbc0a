//! What the lab builds, read from a scenario's circuit: the private peering's
//! VLAN, /30s and ASNs, the prefixes on each side, the gateway's addresses.
//! The live parts of the scenario (ARP, routes, summaries, stats, the
//! gateway's peers) are thrown away: the lab's routers make them.

use crate::LabError;
use erdiag_model::DevicePath;
use erdiag_model::PeerSubnet;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Microsoft's ASN on the MSEEs.
pub const MSEE_ASN: u32 = 12076;
/// The VNet gateway's ASN.
pub const GATEWAY_ASN: u32 = 65515;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LabSpec {
    pub scenario: String,
    /// The circuit's resource id (as the scenario writes it).
    pub circuit_id: String,
    /// The private peering's resource id.
    pub peering_id: String,
    pub gateway_id: Option<String>,
    pub vlan: u16,
    pub peer_asn: u32,
    pub primary: Ipv4Net,
    pub secondary: Ipv4Net,
    /// The prefixes the CE advertises (on-premises).
    pub onprem: Vec<Ipv4Net>,
    /// The VNet's address space, advertised by the gateway.
    pub vnet: Vec<Ipv4Net>,
    /// The gateway's BGP address and the MSEEs' addresses on the VNet side.
    pub gateway_ip: Ipv4Addr,
    pub msee_vnet_ips: [Ipv4Addr; 2],
    /// The prefix length of the link between the MSEEs and the gateway.
    pub gateway_link_len: u8,
    /// The MSEE's `maximum-prefix` (4,000 on Standard, 10,000 on Premium).
    pub prefix_limit: u32,
    /// IPv6 on the private peering, beside IPv4 (absent in the state of a
    /// lab built before the lab was dual-stack).
    #[serde(default)]
    pub v6: Option<V6Spec>,
    /// The scenario's resources that are not live: circuit, peering,
    /// gateway, connection, resource health.
    pub template: serde_json::Map<String, Value>,
}

/// The private peering's IPv6: a /126 per path (the CE on the first usable
/// address, the MSEE on the second), the prefixes each side advertises, and
/// the link between the MSEEs and the gateway. The gateway's BGP sessions
/// stay IPv4 and carry the IPv6 prefixes too (multiprotocol BGP), as the
/// gateway's peers list only IPv4 neighbors.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct V6Spec {
    pub primary: Ipv6Net,
    pub secondary: Ipv6Net,
    /// The IPv6 prefixes the CE advertises (on-premises).
    pub onprem: Vec<Ipv6Net>,
    /// The VNet's IPv6 address space, advertised by the gateway.
    pub vnet: Vec<Ipv6Net>,
    /// The gateway's and the MSEEs' IPv6 addresses on the link between them (a /64).
    pub gateway_ip: Ipv6Addr,
    pub msee_vnet_ips: [Ipv6Addr; 2],
}

impl V6Spec {
    pub fn subnet(&self, p: DevicePath) -> Ipv6Net {
        match p {
            DevicePath::Primary => self.primary,
            DevicePath::Secondary => self.secondary,
        }
    }

    /// The CE's (first usable) and the MSEE's (second usable) addresses of a path's /126.
    pub fn usable(&self, p: DevicePath) -> (Ipv6Addr, Ipv6Addr) {
        let base = u128::from(self.subnet(p).network());
        (Ipv6Addr::from(base + 1), Ipv6Addr::from(base + 2))
    }

    /// Reads the private peering's `ipv6PeeringConfig` and the scenario's
    /// IPv6 routes; a scenario without them gets documentation and ULA
    /// prefixes (2001:db8::/32, fd00::/8), and its template the
    /// `ipv6PeeringConfig` ARM shows for them.
    fn from_peering(peering: &Value, routes: &[Value], bad: &dyn Fn(String) -> LabError) -> Result<V6Spec, LabError> {
        let cfg = &peering["properties"]["ipv6PeeringConfig"];
        let net = |field: &str, default: &str| -> Result<Ipv6Net, LabError> {
            let Some(s) = cfg[field].as_str().filter(|s| !s.trim().is_empty()) else { return Ok(default.parse().expect("a /126")) };
            match PeerSubnet::parse(s).map_err(|e| bad(format!("ipv6PeeringConfig.{field}: {e}")))?.net {
                IpNet::V6(n) if n.prefix_len() == 126 => Ok(n),
                _ => Err(bad(format!("ipv6PeeringConfig.{field} {s} is not an IPv6 /126 (the lab builds IPv6 /126 links)"))),
            }
        };
        let primary = net("primaryPeerAddressPrefix", "2001:db8:2c0:10::/126")?;
        let secondary = net("secondaryPeerAddressPrefix", "2001:db8:2c0:10::4/126")?;
        let ce = Ipv6Addr::from(u128::from(primary.network()) + 1).to_string();
        let (mut onprem, mut vnet) = (Vec::new(), Vec::new());
        for r in routes {
            let Some(n) = r["network"].as_str().and_then(|s| s.parse::<Ipv6Net>().ok()) else { continue };
            let hop = r["nextHop"].as_str().unwrap_or_default().trim_end_matches('*');
            let path = r["path"].as_str().unwrap_or_default();
            let list = if hop == ce { &mut onprem } else if path.split([' ', '-']).any(|a| a == "65515") { &mut vnet } else { continue };
            if !list.contains(&n) {
                list.push(n);
            }
        }
        if onprem.is_empty() {
            onprem.push("2001:db8:2c0:100::/56".parse().unwrap());
        }
        if vnet.is_empty() {
            vnet.push("fd4e:9a1c:77b0::/48".parse().unwrap());
        }
        // The gateway link: the /64 numbered ff in the VNet's first IPv6
        // range (its GatewaySubnet), else a ULA /64 of the lab's own.
        let first = vnet[0];
        let link = if first.prefix_len() <= 56 { u128::from(first.network()) | (0xff << 64) } else { u128::from("fd00:e7d1:a6::".parse::<Ipv6Addr>().unwrap()) };
        Ok(V6Spec {
            primary,
            secondary,
            onprem,
            vnet,
            gateway_ip: Ipv6Addr::from(link + 4),
            msee_vnet_ips: [Ipv6Addr::from(link + 1), Ipv6Addr::from(link + 2)],
        })
    }

    /// The `ipv6PeeringConfig` of the peering, as ARM shows it.
    fn arm(&self) -> Value {
        serde_json::json!({ "primaryPeerAddressPrefix": self.primary.to_string(), "secondaryPeerAddressPrefix": self.secondary.to_string(), "state": "Enabled" })
    }
}

/// The first and second usable addresses of a /30: the CE's and the MSEE's
/// (the model's rule for a peering subnet).
pub use erdiag_model::net::v4_addresses as usable;

impl LabSpec {
    pub fn subnet(&self, p: DevicePath) -> Ipv4Net {
        match p {
            DevicePath::Primary => self.primary,
            DevicePath::Secondary => self.secondary,
        }
    }

    /// Reads a scenario snapshot. Only its private peering becomes live.
    pub fn from_snapshot(scenario: &str, snapshot: &Value) -> Result<LabSpec, LabError> {
        let bad = |m: String| LabError::Scenario(format!("{scenario}: {m}"));
        let circuit_id = snapshot["circuitId"].as_str().ok_or_else(|| bad("no circuitId".into()))?.to_string();
        let resources = snapshot["resources"].as_object().ok_or_else(|| bad("no resources".into()))?;
        let lower = |s: &str| s.to_ascii_lowercase();
        let (peering_id, peering) = resources
            .iter()
            .find(|(k, v)| lower(k).starts_with(&lower(&circuit_id)) && v["properties"]["peeringType"] == "AzurePrivatePeering")
            .ok_or_else(|| bad("the lab needs a circuit with Azure private peering".into()))?;
        let p = &peering["properties"];
        let net = |field: &str| -> Result<Ipv4Net, LabError> {
            let s = p[field].as_str().ok_or_else(|| bad(format!("the private peering has no {field}")))?;
            match PeerSubnet::parse(s).map_err(|e| bad(format!("{field}: {e}")))?.net {
                IpNet::V4(n) => Ok(n),
                IpNet::V6(_) => Err(bad(format!("{field} {s} is not an IPv4 prefix (the lab builds IPv4 /30 links)"))),
            }
        };
        let primary = net("primaryPeerAddressPrefix")?;
        let secondary = net("secondaryPeerAddressPrefix")?;
        let vlan = p["vlanId"].as_u64().filter(|v| (1..4095).contains(v)).ok_or_else(|| bad("the private peering has no valid vlanId".into()))? as u16;
        let peer_asn = p["peerASN"].as_u64().and_then(|v| u32::try_from(v).ok()).ok_or_else(|| bad("the private peering has no peerASN".into()))?;
        let circuit = resources.iter().find(|(k, _)| lower(k) == lower(&circuit_id)).map(|(_, v)| v).ok_or_else(|| bad("the circuit resource is missing".into()))?;
        let premium = circuit["sku"]["tier"].as_str().is_some_and(|t| t.eq_ignore_ascii_case("premium"));

        // Prefixes, from the scenario's MSEE route table when it has one.
        let table = resources.iter().find(|(k, _)| lower(k) == lower(&format!("{peering_id}/routeTables/primary"))).map(|(_, v)| v);
        let rows: Vec<Value> = table.and_then(|t| t["value"].as_array()).cloned().unwrap_or_default();
        let v6 = V6Spec::from_peering(peering, &rows, &bad)?;
        let (ce_ip, _) = usable(primary);
        let mut onprem = Vec::new();
        let mut vnet = Vec::new();
        for r in table.and_then(|t| t["value"].as_array()).into_iter().flatten() {
            let Some(n) = r["network"].as_str().and_then(|s| s.parse::<Ipv4Net>().ok()) else { continue };
            let hop = r["nextHop"].as_str().unwrap_or_default().trim_end_matches('*');
            let path = r["path"].as_str().unwrap_or_default();
            let list = if hop == ce_ip.to_string() { &mut onprem } else if path.split([' ', '-']).any(|a| a == "65515") { &mut vnet } else { continue };
            if !list.contains(&n) {
                list.push(n);
            }
        }
        if onprem.is_empty() {
            onprem.push("10.2.20.0/25".parse().unwrap());
        }
        if vnet.is_empty() {
            vnet.push("10.1.0.0/16".parse().unwrap());
        }

        // The gateway: its BGP address and the MSEEs' addresses facing it.
        let gateway = resources.iter().find(|(_, v)| v["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.Network/virtualNetworkGateways")));
        let gateway_id = gateway.map(|(k, _)| k.clone());
        let peers = gateway.and_then(|(k, _)| resources.iter().find(|(p, _)| lower(p) == lower(&format!("{k}/getBgpPeerStatus")))).map(|(_, v)| v);
        let mut gateway_ip: Ipv4Addr = "10.17.17.140".parse().unwrap();
        let mut msee: Vec<Ipv4Addr> = Vec::new();
        for peer in peers.and_then(|v| v["value"].as_array()).into_iter().flatten() {
            if let Some(l) = peer["localAddress"].as_str().and_then(|s| s.parse().ok()) {
                gateway_ip = l;
            }
            if let Some(n) = peer["neighbor"].as_str().and_then(|s| s.parse::<Ipv4Addr>().ok()) {
                if !msee.contains(&n) && msee.len() < 2 {
                    msee.push(n);
                }
            }
        }
        if msee.len() < 2 || msee.contains(&gateway_ip) {
            msee = vec!["10.17.17.132".parse().unwrap(), "10.17.17.133".parse().unwrap()];
            gateway_ip = "10.17.17.140".parse().unwrap();
        }
        let gateway_link_len = smallest_common_len(&[gateway_ip, msee[0], msee[1]]);

        // The template: everything that is not read live.
        let live = ["/arptables/", "/routetables/", "/routetablessummary/", "/stats", "/getbgppeerstatus", "/getlearnedroutes", "/getadvertisedroutes"];
        let mut template = serde_json::Map::new();
        for (k, v) in resources {
            let l = lower(k);
            if live.iter().any(|m| l.contains(m)) {
                continue;
            }
            // Only the private peering is built: other peerings are left out.
            if v["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.Network/expressRouteCircuits/peerings")) && lower(k) != lower(peering_id) {
                continue;
            }
            let mut v = v.clone();
            if lower(k) == lower(&circuit_id) {
                if let Some(list) = v["properties"]["peerings"].as_array_mut() {
                    list.retain(|p| p["properties"]["peeringType"] == "AzurePrivatePeering");
                    for p in list {
                        p["properties"]["ipv6PeeringConfig"] = v6.arm();
                    }
                }
            }
            // The lab's private peering is dual-stack: ARM shows its /126s.
            if lower(k) == lower(peering_id) {
                v["properties"]["ipv6PeeringConfig"] = v6.arm();
            }
            template.insert(k.clone(), v);
        }
        Ok(LabSpec {
            scenario: scenario.to_string(),
            circuit_id,
            peering_id: peering_id.clone(),
            gateway_id,
            vlan,
            peer_asn,
            primary,
            secondary,
            onprem,
            vnet,
            gateway_ip,
            msee_vnet_ips: [msee[0], msee[1]],
            gateway_link_len,
            prefix_limit: if premium { 10_000 } else { 4_000 },
            v6: Some(v6),
            template,
        })
    }
}

/// The longest prefix length (at most /30) whose network holds all the addresses.
fn smallest_common_len(addrs: &[Ipv4Addr]) -> u8 {
    let mut len = 30u8;
    while len > 8 {
        let net = |a: &Ipv4Addr| Ipv4Net::new(*a, len).unwrap().trunc();
        if addrs.iter().all(|a| net(a) == net(&addrs[0])) {
            let n = net(&addrs[0]);
            // No address may be the network or broadcast address.
            if addrs.iter().all(|a| *a != n.network() && *a != n.broadcast()) {
                return len;
            }
        }
        len -= 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_of(name: &str, json: &str) -> LabSpec {
        LabSpec::from_snapshot(name, &serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn ipv6_comes_from_the_peerings_config_and_routes() {
        let s = spec_of("ipv6-healthy-dual-stack", include_str!("../../../scenarios/ipv6-healthy-dual-stack/snapshot.json"));
        let v6 = s.v6.as_ref().unwrap();
        assert_eq!((v6.primary.to_string(), v6.secondary.to_string()), ("2001:db8:2c0:10::/126".into(), "2001:db8:2c0:10::4/126".into()));
        assert_eq!(v6.usable(DevicePath::Secondary), ("2001:db8:2c0:10::5".parse().unwrap(), "2001:db8:2c0:10::6".parse().unwrap()));
        let names = |l: &[Ipv6Net]| l.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(names(&v6.onprem), ["2001:db8:2c0:100::/56", "2001:db8:2c0:200::/56"]);
        assert_eq!(names(&v6.vnet), ["fd4e:9a1c:77b0::/48"]);
        assert_eq!(v6.gateway_ip.to_string(), "fd4e:9a1c:77b0:ff::4");
        // The IPv6 routes are not taken for IPv4 ones.
        assert_eq!(s.onprem.len(), 3);
    }

    #[test]
    fn an_ipv4_scenario_is_built_dual_stack_and_says_so_in_arm() {
        let s = spec_of("healthy-private", include_str!("../../../scenarios/healthy-private/snapshot.json"));
        let v6 = s.v6.as_ref().unwrap();
        assert_eq!(v6.primary.to_string(), "2001:db8:2c0:10::/126");
        let peering = &s.template[&s.peering_id]["properties"]["ipv6PeeringConfig"];
        assert_eq!(peering["secondaryPeerAddressPrefix"], "2001:db8:2c0:10::4/126");
        assert_eq!(peering["state"], "Enabled");
        let embedded = &s.template[&s.circuit_id]["properties"]["peerings"][0]["properties"]["ipv6PeeringConfig"];
        assert_eq!(embedded, peering);
    }

    #[test]
    fn a_v6_config_that_is_not_a_126_is_refused() {
        let mut v: Value = serde_json::from_str(include_str!("../../../scenarios/ipv6-healthy-dual-stack/snapshot.json")).unwrap();
        for (_, r) in v["resources"].as_object_mut().unwrap() {
            if r["properties"]["ipv6PeeringConfig"].is_object() {
                r["properties"]["ipv6PeeringConfig"]["primaryPeerAddressPrefix"] = "172.16.9.0/30".into();
            }
        }
        let e = LabSpec::from_snapshot("x", &v).unwrap_err().to_string();
        assert!(e.contains("ipv6PeeringConfig.primaryPeerAddressPrefix") && e.contains("/126"), "{e}");
    }

    #[test]
    fn common_len() {
        let a = |s: &str| s.parse::<Ipv4Addr>().unwrap();
        assert_eq!(smallest_common_len(&[a("10.17.17.140"), a("10.17.17.132"), a("10.17.17.133")]), 28);
        assert_eq!(smallest_common_len(&[a("10.0.0.1"), a("10.0.0.2")]), 30);
    }
}
