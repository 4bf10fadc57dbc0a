//! Every check has a passing and a failing fixture. The scenarios under
//! `scenarios/` provide most of them; the cases below derive the rest from a
//! healthy scenario by changing one thing, the way a circuit really breaks.
//! The last assertion fails when a check lacks either fixture.

use erdiag_checks::{diagnose, registry, Finding, Options, Owner, Report, Status, Verdict};
use erdiag_model::{DevicePath, Snapshot};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn load(name: &str) -> Value {
    let p = scenarios_dir().join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()
}

fn run(v: &Value, options: &Options) -> Report {
    let bytes = serde_json::to_vec(v).unwrap();
    let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    diagnose(&state, options)
}

/// Edits a snapshot's resources in place.
struct Edit<'a> {
    v: &'a mut Value,
    ckt: String,
}

impl Edit<'_> {
    fn res(&mut self, suffix: &str) -> &mut Value {
        let key = format!("{}{suffix}", self.ckt);
        self.v["resources"].get_mut(&key).unwrap_or_else(|| panic!("no resource {key}"))
    }
    fn res_abs(&mut self, contains: &str) -> &mut Value {
        let key = self.v["resources"].as_object().unwrap().keys().find(|k| k.ends_with(contains)).cloned().unwrap();
        self.v["resources"].get_mut(&key).unwrap()
    }
    fn circuit(&mut self) -> &mut Value {
        self.res("").get_mut("properties").unwrap()
    }
    /// Changes a peering property both where it is embedded and in its own resource.
    fn peering(&mut self, name: &str, field: &str, value: Value) {
        for p in self.circuit()["peerings"].as_array_mut().unwrap() {
            if p["name"] == name {
                p["properties"][field] = value.clone();
            }
        }
        self.res(&format!("/peerings/{name}"))["properties"][field] = value;
    }
    fn table(&mut self, suffix: &str) -> &mut Vec<Value> {
        self.res(suffix)["value"].as_array_mut().unwrap()
    }
}

fn edit(base: &str, f: impl FnOnce(&mut Edit)) -> Value {
    let mut v = load(base);
    let ckt = v["circuitId"].as_str().unwrap().to_string();
    f(&mut Edit { v: &mut v, ckt });
    v
}

#[path = "support/metrics.rs"]
mod metrics;

const P: &str = "/peerings/AzurePrivatePeering";

/// A CE's `show ip arp`, as pasted with its prompt.
const CE_ARP: &str = r#"ce1#show ip arp
Protocol  Address          Age (min)  Hardware Addr   Type   Interface
Internet  10.2.20.1               -   5c5e.ab0d.4f02  ARPA   GigabitEthernet0/0/1
Internet  172.16.0.1              -   5c5e.ab0d.4f01  ARPA   GigabitEthernet0/0/0.200
Internet  172.16.0.2             12   0022.bdf8.19ff  ARPA   GigabitEthernet0/0/0.200
"#;

/// A CE's `show ip bgp summary`, as pasted with its prompt.
const CE_BGP_SUMMARY: &str = r#"ce1#show ip bgp summary
BGP router identifier 10.2.20.1, local AS number 65020
BGP table version is 12, main routing table version 12
4 network entries using 992 bytes of memory
4 path entries using 544 bytes of memory
2/2 BGP path/bestpath attribute entries using 576 bytes of memory
1 BGP AS-PATH entries using 24 bytes of memory
0 BGP route-map cache entries using 0 bytes of memory
0 BGP filter-list cache entries using 0 bytes of memory
BGP using 2136 total bytes of memory
BGP activity 4/0 prefixes, 4/0 paths, scan interval 60 secs

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
172.16.0.2      4        12076    4567    4560       12    0    0 3d04h           1
ce1#
"#;

/// A CE's `show ip bgp neighbors <MSEE> advertised-routes`: the three
/// on-premises prefixes (IOS prints the classful 192.168.50.0 without mask).
const CE_ADVERTISED: &str = r#"ce1#show ip bgp neighbors 172.16.0.2 advertised-routes
BGP table version is 12, local router ID is 10.2.20.1
Status codes: s suppressed, d damped, h history, * valid, > best, i - internal,
              r RIB-failure, S Stale, m multipath, b backup-path, f RT-Filter,
              x best-external, a additional-path, c RIB-compressed,
Origin codes: i - IGP, e - EGP, ? - incomplete
RPKI validation codes: V valid, I invalid, N Not found

     Network          Next Hop            Metric LocPrf Weight Path
 *>  10.2.20.0/25     0.0.0.0                  0         32768 i
 *>  10.2.30.0/24     0.0.0.0                  0         32768 i
 *>  192.168.50.0     0.0.0.0                  0         32768 i

Total number of prefixes 3 
"#;

/// The secondary CE's `show ip bgp neighbors <MSEE>`: Established, 0 sent.
const CE_NEIGHBOR_DETAIL: &str = r#"ce2#show ip bgp neighbors 172.16.0.6
BGP neighbor is 172.16.0.6,  remote AS 12076, external link
 Description: MSEE secondary
  BGP version 4, remote router ID 10.17.17.141
  BGP state = Established, up for 3d04h
  Last read 00:00:12, last write 00:00:41, hold time is 180, keepalive interval is 60 seconds
  Neighbor sessions:
    1 active, is not multisession capable (disabled)
  Neighbor capabilities:
    Route refresh: advertised and received(new)
    Four-octets ASN Capability: advertised and received
    Address family IPv4 Unicast: advertised and received
  Message statistics:
    InQ depth is 0
    OutQ depth is 0

                         Sent       Rcvd
    Opens:                  1          1
    Notifications:          0          0
    Updates:                1          2
    Keepalives:          4559       4566
    Route Refresh:          0          0
    Total:               4561       4569
  Default minimum time between advertisement runs is 0 seconds

 For address family: IPv4 Unicast
  Session: 172.16.0.6
  BGP table version 12, neighbor version 12/0
  Output queue size : 0
  Index 1, Advertise bit 0
  1 update-group member
  Outbound path policy configured
  Outgoing update prefix filter list is TO-AZURE
  Slow-peer detection is disabled
  Slow-peer split-update-group dynamic is disabled
                                 Sent       Rcvd
  Prefix activity:               ----       ----
    Prefixes Current:               0          1 (Consumes 136 bytes)
    Prefixes Total:                 0          1
    Implicit Withdraw:              0          0
    Explicit Withdraw:              0          0
    Used as bestpath:             n/a          1
    Used as multipath:            n/a          0

                                   Outbound    Inbound
  Local Policy Denied Prefixes:    --------    -------
    prefix-list                           3          0
    Total:                                3          0
  Number of NLRIs in the update sent: max 0, min 0
  Last detected as dynamic slow peer: never
  Dynamic slow peer recovered: never

  Address tracking is enabled, the RIB does have a route to 172.16.0.6
  Connections established 1; dropped 0
  Last reset never
  Transport(tcp) path-mtu-discovery is enabled
  Graceful-Restart is disabled
Connection state is ESTAB, I/O status: 1, unread input bytes: 0
Connection is ECN Disabled, Mininum incoming TTL 0, Outgoing TTL 1
Local host: 172.16.0.5, Local port: 179
Foreign host: 172.16.0.6, Foreign port: 31418
"#;

/// A CE's `show interfaces`: the physical port and the subinterface facing the MSEE.
const CE_INTERFACES: &str = r#"ce1#show interfaces
GigabitEthernet0/0/0 is up, line protocol is up
  Hardware is ISR4451-X-4x1GE, address is 5c5e.ab0d.4f01 (bia 5c5e.ab0d.4f01)
  Description: ExpressRoute primary link (Equinix AM5, er-ckt-ams)
  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation 802.1Q Virtual LAN, Vlan ID  1., loopback not set
  Keepalive not supported
  Full Duplex, 1000Mbps, link type is auto, media type is SX
  output flow-control is off, input flow-control is off
  ARP type: ARPA, ARP Timeout 04:00:00
  Last input 00:00:01, output 00:00:00, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate 2000 bits/sec, 3 packets/sec
  5 minute output rate 2000 bits/sec, 3 packets/sec
     8821934 packets input, 1198271733 bytes, 0 no buffer
     Received 12 broadcasts (0 IP multicasts)
     0 runts, 0 giants, 0 throttles
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 watchdog, 4210 multicast, 0 pause input
     8790112 packets output, 1187362210 bytes, 0 underruns
     0 output errors, 0 collisions, 1 interface resets
     0 unknown protocol drops
     0 babbles, 0 late collision, 0 deferred
     0 lost carrier, 0 no carrier, 0 pause output
     0 output buffer failures, 0 output buffers swapped out
GigabitEthernet0/0/0.200 is up, line protocol is up
  Hardware is ISR4451-X-4x1GE, address is 5c5e.ab0d.4f01 (bia 5c5e.ab0d.4f01)
  Description: ExpressRoute private peering primary
  Internet address is 172.16.0.1/30
  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation 802.1Q Virtual LAN, Vlan ID  200.
  ARP type: ARPA, ARP Timeout 04:00:00
  Keepalive not supported
  Last clearing of "show interface" counters never
"#;

/// A CE's `show ip route`: the VNet 10.1.0.0/16 via the primary MSEE.
const CE_ROUTES: &str = r#"ce1#show ip route
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR

Gateway of last resort is not set

      10.0.0.0/8 is variably subnetted, 3 subnets, 3 masks
B        10.1.0.0/16 [20/0] via 172.16.0.2, 3d04h
C        10.2.20.0/25 is directly connected, GigabitEthernet0/0/1
L        10.2.20.1/32 is directly connected, GigabitEthernet0/0/1
      172.16.0.0/16 is variably subnetted, 2 subnets, 2 masks
C        172.16.0.0/30 is directly connected, GigabitEthernet0/0/0.200
L        172.16.0.1/32 is directly connected, GigabitEthernet0/0/0.200
"#;

/// A CE of Microsoft peering (peerASN 64500, VLAN 300, 203.0.113.0/30).
const CE_MSFT_CONFIG: &str = r#"ce1#show running-config
Building configuration...
!
version 17.9
hostname ce1
!
interface GigabitEthernet0/0/2
 description ExpressRoute Microsoft peering
 no ip address
!
interface GigabitEthernet0/0/2.300
 description ExpressRoute Microsoft peering primary
 encapsulation dot1Q 300
 ip address 203.0.113.1 255.255.255.252
!
router bgp 64500
 bgp log-neighbor-changes
 neighbor 203.0.113.2 remote-as 12076
 neighbor 203.0.113.2 description MSEE Microsoft peering primary
 neighbor 203.0.113.2 fall-over bfd
 !
 address-family ipv4
  network 198.51.100.0 mask 255.255.255.0
  neighbor 203.0.113.2 activate
  neighbor 203.0.113.2 prefix-list TO-MICROSOFT out
 exit-address-family
!
ip prefix-list TO-MICROSOFT seq 10 permit 198.51.100.0/24
!
end
"#;

/// `inputs.ce` with one text per path.
fn ce(primary: &[(&str, &str)], secondary: &[(&str, &str)]) -> Value {
    let texts = |v: &[(&str, &str)]| v.iter().map(|(n, t)| json!({"name": n, "text": t})).collect::<Vec<_>>();
    json!({"ce": {"primary": texts(primary), "secondary": texts(secondary)}})
}

/// The primary CE configuration of the `ce-md5-suspect` scenario (VLAN 200, 172.16.0.1/30).
fn ce1_config() -> String {
    load("ce-md5-suspect")["inputs"]["ce"]["primary"][0]["text"].as_str().unwrap().to_string()
}

/// ce1's configuration (IOS-XE) with MACsec on the port facing link1 and
/// `cipher` in its MKA policy.
fn ce1_macsec(cipher: &str) -> String {
    ce1_config()
        .replace(" negotiation auto\n", " negotiation auto\n macsec network-link\n mka policy MKA-ER\n mka pre-shared-key key-chain KC-ER\n")
        .replace("interface GigabitEthernet0/0/0\n", &format!("mka policy MKA-ER\n macsec-cipher-suite {cipher}\n!\ninterface GigabitEthernet0/0/0\n"))
}

/// A Junos CE on link1 of healthy-direct's port, with MACsec
/// (`gcm-aes-xpn-256`) and, when `sci`, `include-sci`.
fn ce1_junos_macsec(sci: bool) -> String {
    let sci = if sci { "set security macsec connectivity-association CA-ER include-sci\n" } else { "" };
    format!("{CE1_JUNOS}{sci}")
}

const CE1_JUNOS: &str = "set system host-name ce1
set interfaces et-0/0/0 flexible-vlan-tagging
set interfaces et-0/0/0 unit 200 vlan-tags outer 17 inner 200
set interfaces et-0/0/0 unit 200 family inet address 172.16.0.1/30
set routing-options autonomous-system 65020
set protocols bgp group AZ neighbor 172.16.0.2 peer-as 12076
set protocols bgp group AZ neighbor 172.16.0.2 bfd-liveness-detection minimum-interval 300
set security macsec connectivity-association CA-ER cipher-suite gcm-aes-xpn-256
set security macsec connectivity-association CA-ER security-mode static-cak
set security macsec connectivity-association CA-ER pre-shared-key ckn 0a1b2c3d4e5f60718293a4b5c6d7e8f9
set security macsec connectivity-association CA-ER pre-shared-key cak \"$9$Xa7dbsJGi.mT\"
set security macsec interfaces et-0/0/0 connectivity-association CA-ER
";

/// Sets the `LineProtocol` of one link of a Direct port's metrics to 0 (down).
fn direct_link_down(metrics: &mut Value, link: &str) {
    let m = metrics["value"].as_array_mut().unwrap().iter_mut().find(|m| m["name"]["value"] == "LineProtocol").unwrap();
    for s in m["timeseries"].as_array_mut().unwrap() {
        if s["metadatavalues"].as_array().unwrap().iter().any(|d| d["value"] == link) {
            for p in s["data"].as_array_mut().unwrap() {
                p["average"] = json!(0.0);
            }
        }
    }
}

struct Case {
    name: &'static str,
    snapshot: Value,
    options: Options,
    check: &'static str,
    want: Status,
    /// Extra assertions on the finding(s) of `check` with status `want`.
    also: fn(&Report, &Finding),
}

fn none(_: &Report, _: &Finding) {}

/// healthy-private also connected to vwan-healthy's hub gateway, which
/// accepts traffic from non-Virtual WAN networks or not.
fn both_gateways(allow: bool) -> Value {
    let hub = load("vwan-healthy");
    edit("healthy-private", |e| {
        for (k, v) in hub["resources"].as_object().unwrap() {
            if k.contains("rg-vwan-weu") || k.ends_with("/expressRouteGateways") {
                e.v["resources"][k] = v.clone();
            }
        }
        e.res_abs("/expressRouteGateways/ergw-vwan-weu")["properties"]["allowNonVirtualWanTraffic"] = json!(allow);
    })
}

fn cases() -> Vec<Case> {
    let c = |name, snapshot, check, want, also: fn(&Report, &Finding)| Case { name, snapshot, options: Options::default(), check, want, also };
    vec![
        c("circuit disabled", edit("healthy-private", |e| e.circuit()["circuitProvisioningState"] = json!("Disabled")), "ER101", Status::Fail,
          |r, _| assert_eq!(r.verdict, Verdict::Down)),
        c("provider provisioning", edit("healthy-private", |e| e.circuit()["serviceProviderProvisioningState"] = json!("Provisioning")), "ER102", Status::Fail,
          |_, f| assert_eq!(f.owner, Owner::Provider)),
        c("direct not provisioned goes to Microsoft", edit("healthy-direct", |e| e.circuit()["serviceProviderProvisioningState"] = json!("NotProvisioned")), "ER102", Status::Fail,
          |_, f| assert_eq!(f.owner, Owner::Microsoft)),
        c("circuit update failed", edit("healthy-private", |e| e.circuit()["provisioningState"] = json!("Failed")), "ER103", Status::Fail,
          |r, _| assert_eq!(r.verdict, Verdict::Degraded)),
        c("circuit updating", edit("healthy-private", |e| e.circuit()["provisioningState"] = json!("Updating")), "ER103", Status::Warn, none),
        c("peering disabled", edit("healthy-private", |e| e.peering("AzurePrivatePeering", "state", json!("Disabled"))), "ER202", Status::Fail,
          |r, _| assert_eq!(r.verdict, Verdict::Down)),
        c("peering set up by the provider", edit("healthy-private", |e| { e.peering("AzurePrivatePeering", "state", json!("Disabled")); e.peering("AzurePrivatePeering", "lastModifiedBy", json!("ServiceProvider")) }), "ER202", Status::Fail,
          |_, f| assert_eq!(f.owner, Owner::Provider)),
        c("same subnet twice", edit("healthy-private", |e| e.peering("AzurePrivatePeering", "secondaryPeerAddressPrefix", json!("172.16.0.0/30"))), "ER203", Status::Fail, none),
        c("host bits set", edit("healthy-private", |e| e.peering("AzurePrivatePeering", "primaryPeerAddressPrefix", json!("172.16.0.1/30"))), "ER203", Status::Fail,
          |r, _| assert!(r.findings.iter().any(|f| f.check == "ER301" && f.status == Status::Unknown), "ARP cannot be judged without the CE address")),
        c("a /29", edit("healthy-private", |e| e.peering("AzurePrivatePeering", "primaryPeerAddressPrefix", json!("172.16.0.0/29"))), "ER203", Status::Fail, none),
        c("IPv6 disabled", edit("ipv6-healthy-dual-stack", |e| e.peering("AzurePrivatePeering", "ipv6PeeringConfig", json!({"primaryPeerAddressPrefix": "2001:db8:2c0:10::/126", "secondaryPeerAddressPrefix": "2001:db8:2c0:10::4/126", "state": "Disabled"}))), "ER221", Status::Fail, none),
        c("IPv6 neighbor corrected on the CE", {
            let mut v = load("ipv6-ce-neighbor-wrong");
            let text = v["inputs"]["ce"]["secondary"][0]["text"].as_str().unwrap().replace("neighbor 2001:DB8:2C0:10::5", "neighbor 2001:DB8:2C0:10::6");
            v["inputs"]["ce"]["secondary"][0]["text"] = json!(text);
            v
        }, "ER925", Status::Pass, none),
        c("IPv6 session without prefixes", edit("ipv6-healthy-dual-stack", |e| e.table(&format!("{P}/routeTablesSummary/primary"))[1]["statePfxRcd"] = json!("0")), "ER411", Status::Fail, none),
        c("VLAN out of range", edit("healthy-private", |e| e.peering("AzurePrivatePeering", "vlanId", json!(5000))), "ER204", Status::Fail, none),
        c("VLAN shared by two peerings", edit("healthy-private-microsoft", |e| e.peering("MicrosoftPeering", "vlanId", json!(200))), "ER204", Status::Fail, none),
        c("reserved peer ASN", edit("healthy-private", |e| e.peering("AzurePrivatePeering", "peerASN", json!(65515))), "ER205", Status::Fail, none),
        c("peer ASN 0", edit("healthy-private", |e| e.peering("AzurePrivatePeering", "peerASN", json!(0))), "ER205", Status::Fail, none),
        c("private prefix on Microsoft peering", edit("healthy-private-microsoft", |e| e.peering("MicrosoftPeering", "microsoftPeeringConfig", json!({"advertisedPublicPrefixes": ["10.9.0.0/24"], "advertisedPublicPrefixesState": "Configured"}))), "ER206", Status::Fail, none),
        c("no route filter", edit("healthy-private-microsoft", |e| e.peering("MicrosoftPeering", "routeFilter", Value::Null)), "ER207", Status::Fail,
          |r, _| assert_eq!(r.verdict, Verdict::Degraded)),
        c("empty ARP table", edit("healthy-private", |e| e.table(&format!("{P}/arpTables/primary")).clear()), "ER301", Status::Fail,
          |_, f| assert_eq!((f.owner, f.path.map(|p| p.as_str())), (Owner::Microsoft, Some("primary")))),
        c("both ARP tables empty on a platform that lists no MSEE entry", edit("healthy-private", |e| {
            e.table(&format!("{P}/arpTables/primary")).clear();
            e.table(&format!("{P}/arpTables/secondary")).clear();
        }), "ER301", Status::Fail, |_, f| assert_eq!(f.owner, Owner::Customer, "{}", f.message)),
        c("CE uses the MSEE address", edit("healthy-private", |e| {
            let t = e.table(&format!("{P}/arpTables/primary"));
            t.retain(|r| r["interface"] != "Microsoft");
            t[0]["ipAddress"] = json!("172.16.0.2");
        }), "ER301", Status::Fail, |_, f| assert!(f.message.contains("swapped"), "{}", f.message)),
        c("Idle (Admin)", edit("healthy-private", |e| e.table(&format!("{P}/routeTablesSummary/primary"))[0]["statePfxRcd"] = json!("Idle (Admin)")), "ER401", Status::Fail,
          |r, _| assert_eq!(r.verdict, Verdict::Degraded)),
        c("summary with no neighbor", edit("healthy-private", |e| e.table(&format!("{P}/routeTablesSummary/secondary")).clear()), "ER401", Status::Fail,
          |_, f| assert_eq!(f.owner, Owner::Microsoft)),
        c("over the prefix limit", edit("healthy-private", |e| e.table(&format!("{P}/routeTablesSummary/primary"))[0]["statePfxRcd"] = json!("4100")), "ER403", Status::Fail, none),
        c("near the prefix limit", edit("healthy-private", |e| e.table(&format!("{P}/routeTablesSummary/primary"))[0]["statePfxRcd"] = json!(3500)), "ER403", Status::Warn,
          |r, _| assert_eq!(r.verdict, Verdict::Healthy, "a warning does not change the verdict")),
        c("premium allows 10,000", edit("healthy-private", |e| {
            e.table(&format!("{P}/routeTablesSummary/primary"))[0]["statePfxRcd"] = json!("4100");
            e.res("")["sku"] = json!({"name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData"});
        }), "ER403", Status::Pass, none),
        c("prefix only on primary", edit("healthy-private", |e| e.table(&format!("{P}/routeTables/secondary")).retain(|r| r["network"] != "10.2.30.0/24")), "ER501", Status::Warn,
          |_, f| assert!(f.evidence.iter().any(|e| e.contains("10.2.30.0/24")))),
        c("on-premises supernet over the VNet", edit("healthy-private", |e| {
            for d in ["primary", "secondary"] {
                e.table(&format!("{P}/routeTables/{d}")).push(json!({"network": "10.0.0.0/8", "nextHop": "172.16.0.1", "locPrf": "", "weight": 0, "path": "65020"}));
            }
        }), "ER502", Status::Warn, none),
        c("default route from on-premises", edit("healthy-private", |e| {
            e.table(&format!("{P}/routeTables/primary")).push(json!({"network": "0.0.0.0/0", "nextHop": "172.16.0.1", "locPrf": "", "weight": 0, "path": "65020"}));
        }), "ER503", Status::Pass, |_, f| assert!(f.message.contains("forced tunnelling"))),
        c("default route over Microsoft peering", edit("healthy-private-microsoft", |e| {
            e.table("/peerings/MicrosoftPeering/routeTables/primary").push(json!({"network": "0.0.0.0/0", "nextHop": "203.0.113.1", "locPrf": "", "weight": 0, "path": "64500"}));
        }), "ER503", Status::Warn, none),
        Case { name: "destination routed on both paths", snapshot: load("healthy-private"), options: Options { destinations: vec!["10.2.20.5".parse().unwrap()], ..Options::default() }, check: "ER504", want: Status::Pass,
          also: |_, f| assert!(f.evidence.iter().any(|e| e.contains("10.2.20.0/25")), "{:?}", f.evidence) },
        Case { name: "destination nowhere", snapshot: load("healthy-private"), options: Options { destinations: vec!["8.8.8.8".parse().unwrap()], ..Options::default() }, check: "ER504", want: Status::Fail, also: none },
        Case { name: "destination on one path only", snapshot: load("secondary-path-down"), options: Options { destinations: vec!["10.2.20.5".parse().unwrap()], ..Options::default() }, check: "ER504", want: Status::Warn, also: none },
        c("Azure sends, nothing comes back", edit("healthy-private", |e| {
            for s in [format!("{P}/stats"), "/stats".to_string()] {
                e.res(&s)["primarybytesIn"] = json!(0);
                e.res(&s)["secondarybytesIn"] = json!(0);
            }
        }), "ER601", Status::Fail, |_, f| assert_eq!(f.network_points, vec![1, 2, 3, 4])),
        c("no traffic at all", edit("healthy-private", |e| {
            for s in [format!("{P}/stats"), "/stats".to_string()] {
                for k in ["primarybytesIn", "primarybytesOut", "secondarybytesIn", "secondarybytesOut"] {
                    e.res(&s)[k] = json!(0);
                }
            }
        }), "ER602", Status::Warn, none),
        c("ACL test: sent but not received", edit("healthy-private", |e| {
            e.v["inputs"] = json!({"aclTest": {"primary": "src 10.2.20.10 dst 10.1.0.4 dstport 3389 (received): 0 matches\nsrc 10.1.0.4 srcport 3389 dst 10.2.20.10 (sent): 120 matches", "secondary": "src 10.2.20.10 dst 10.1.0.4 dstport 3389 (received): 0 matches\nsrc 10.1.0.4 srcport 3389 dst 10.2.20.10 (sent): 80 matches"}});
        }), "ER701", Status::Fail, |_, f| assert_eq!((f.owner, f.path), (Owner::Provider, None))),
        c("ACL test: healthy", edit("healthy-private", |e| {
            e.v["inputs"] = json!({"aclTest": {"primary": "src 10.2.20.10 dst 10.1.0.4 dstport 3389 (received): 120 matches\nsrc 10.1.0.4 srcport 3389 dst 10.2.20.10 (sent): 120 matches"}});
        }), "ER701", Status::Pass, none),
        c("probe: every attempt connected", edit("healthy-private", |e| {
            e.v["inputs"] = json!({"probe": {"format": "erdiag-probe/1", "target": "10.1.0.4:3389", "source": "10.2.20.10", "summary": {"sent": 20, "received": 20, "lost": 0, "lossPercent": 0.0, "medianMs": 2.1, "byResult": {"ok": 20}}}});
        }), "ER702", Status::Pass, none),
        c("probe: 100% lost while the ACL shows received but not sent", edit("healthy-private", |e| {
            e.v["inputs"] = json!({
                "probe": {"format": "erdiag-probe/1", "target": "10.1.0.4:3389", "source": "10.2.20.10", "summary": {"sent": 20, "received": 0, "lost": 20, "lossPercent": 100.0, "byResult": {"timeout": 20}}},
                "aclTest": {"primary": "src 10.2.20.10 dst 10.1.0.4 dstport 3389 (received): 20 matches\nsrc 10.1.0.4 srcport 3389 dst 10.2.20.10 (sent): 0 matches"}
            });
        }), "ER702", Status::Fail, |_, f| assert!(f.message.contains("return path"), "{}", f.message)),
        c("probe: refused is not loss of the path", edit("healthy-private", |e| {
            e.v["inputs"] = json!({"probe": {"format": "erdiag-probe/1", "target": "10.1.0.4:3389", "summary": {"sent": 5, "received": 0, "lost": 5, "lossPercent": 100.0, "byResult": {"refused": 5}}}});
        }), "ER702", Status::Warn, none),
        c("CE without BFD", edit("ce-md5-suspect", |e| {
            for d in ["primary", "secondary"] {
                let t = e.v["inputs"]["ce"][d][0]["text"].as_str().unwrap().lines().filter(|l| !l.contains("bfd")).collect::<Vec<_>>().join("\n");
                e.v["inputs"]["ce"][d][0]["text"] = json!(t);
            }
        }), "ER905", Status::Warn, none),
        c("CE subinterface shut down", edit("ce-md5-suspect", |e| {
            let t = e.v["inputs"]["ce"]["primary"][0]["text"].as_str().unwrap().replace(" encapsulation dot1Q 200\n", " encapsulation dot1Q 200\n shutdown\n");
            e.v["inputs"]["ce"]["primary"][0]["text"] = json!(t);
        }), "ER906", Status::Fail, |_, f| assert!(f.evidence.iter().any(|e| e.contains("^^^")), "{:?}", f.evidence)),
        c("CE password where Azure has none", edit("ce-md5-suspect", |e| e.v["inputs"]["azureMd5"] = json!(false)), "ER904", Status::Fail,
          |_, f| assert!(f.evidence.iter().all(|e| !e.contains("password 7 0") && !e.contains("$9$")), "a password value leaked: {:?}", f.evidence)),
        c("CE password, Azure's side not stated, session down for another reason: MD5 unknown", edit("ce-vlan-mismatch", |_| {}), "ER904", Status::Unknown,
          |_, f| assert!(f.remediation.as_deref().is_some_and(|x| x.contains("--azure-md5")), "{:?}", f.remediation)),
        c("CE password, Azure's side not stated, session established: MD5 agrees", edit("ce-md5-suspect", |e| {
            for d in ["primary", "secondary"] {
                e.table(&format!("{P}/routeTablesSummary/{d}"))[0]["statePfxRcd"] = json!("3");
            }
        }), "ER904", Status::Pass, |_, f| assert!(f.message.contains("established"), "{}", f.message)),
        c("CE show ip bgp summary: Established", edit("healthy-private", |e| {
            e.v["inputs"] = json!({"ce": {"primary": [{"name": "ce1-show.txt", "text": CE_BGP_SUMMARY}]}});
        }), "ER907", Status::Pass, none),
        c("CE show ip bgp summary: shut on the CE", edit("healthy-private", |e| {
            e.v["inputs"] = json!({"ce": {"primary": [{"name": "ce1-show.txt", "text": CE_BGP_SUMMARY.replace("3d04h           1", "never    Idle (Admin)")}]}});
        }), "ER907", Status::Fail, |r, _| assert_eq!(r.verdict, Verdict::Degraded)),
        c("CE show ip arp: the MSEE resolved", edit("healthy-private", |e| {
            e.v["inputs"] = json!({"ce": {"primary": [{"name": "ce1-arp.txt", "text": CE_ARP}]}});
        }), "ER908", Status::Pass, none),
        c("CE show ip arp: the MSEE missing while the MSEE hears the CE", edit("healthy-private", |e| {
            let t: String = CE_ARP.lines().filter(|l| !l.contains("172.16.0.2 ")).map(|l| format!("{l}\n")).collect();
            e.v["inputs"] = json!({"ce": {"primary": [{"name": "ce1-arp.txt", "text": t}]}});
        }), "ER908", Status::Fail, |r, f| {
            assert_eq!(f.path.map(|p| p.as_str()), Some("primary"));
            assert_eq!(r.verdict, Verdict::Degraded);
        }),
        c("CE advertises the on-premises prefixes", edit("healthy-private", |e| {
            e.v["inputs"] = ce(&[("ce1-adv.txt", CE_ADVERTISED)], &[]);
        }), "ER909", Status::Pass, |_, f| assert!(f.message.contains("advertises 3 prefixes"), "{}", f.message)),
        c("CE advertises more than the MSEE accepts", edit("healthy-private", |e| {
            e.table(&format!("{P}/routeTablesSummary/secondary"))[0]["statePfxRcd"] = json!("4100");
            let t = CE_NEIGHBOR_DETAIL.replace("Prefixes Current:               0", "Prefixes Current:            4100");
            e.v["inputs"] = ce(&[], &[("ce2-nbr.txt", &t)]);
        }), "ER909", Status::Fail, |r, f| {
            assert!(f.message.contains("4100") && f.message.contains("4000"), "{}", f.message);
            let rc = r.root_cause.as_ref().unwrap();
            assert_eq!((rc.check.as_str(), rc.path.map(|p| p.as_str())), ("ER909", Some("secondary")), "the CE's count explains the MSEE's");
            assert!(r.findings.iter().any(|g| g.check == "ER403" && g.consequence_of.as_deref() == Some("ER909")));
        }),
        c("CE advertises nothing while the session is down", edit("healthy-private", |e| {
            e.table(&format!("{P}/routeTablesSummary/primary"))[0]["statePfxRcd"] = json!("Active");
            e.v["inputs"] = ce(&[("ce1-adv.txt", "ce1#show ip bgp neighbors 172.16.0.2 advertised-routes\n")], &[]);
        }), "ER909", Status::Skip, |r, _| assert!(!r.findings.iter().any(|g| g.check == "ER909" && g.status == Status::Fail))),
        c("CE sends no default route to Microsoft peering", edit("healthy-private-microsoft", |e| {
            e.v["inputs"] = ce(&[("ce1-msft.txt", CE_MSFT_CONFIG)], &[]);
        }), "ER910", Status::Pass, |_, f| assert_eq!(f.peering.as_deref(), Some("MicrosoftPeering"))),
        c("CE default-originate towards Microsoft peering", edit("healthy-private-microsoft", |e| {
            let t = CE_MSFT_CONFIG.replace("  neighbor 203.0.113.2 activate\n", "  neighbor 203.0.113.2 activate\n  neighbor 203.0.113.2 default-originate\n");
            e.v["inputs"] = ce(&[("ce1-msft.txt", &t)], &[]);
        }), "ER910", Status::Warn, |_, f| {
            assert!(f.evidence.iter().any(|e| e.contains("^^^") && e.contains("default-originate")), "{:?}", f.evidence);
            assert_eq!(f.peering.as_deref(), Some("MicrosoftPeering"));
        }),
        c("CE advertises 0.0.0.0 to Microsoft peering", edit("healthy-private-microsoft", |e| {
            let t = CE_ADVERTISED.replace("172.16.0.2", "203.0.113.2").replace(" *>  10.2.20.0/25 ", " *>  0.0.0.0      ");
            e.v["inputs"] = ce(&[("ce1-adv.txt", &t)], &[]);
        }), "ER910", Status::Warn, |_, f| assert!(f.evidence.iter().any(|e| e.contains("0.0.0.0")), "{:?}", f.evidence)),
        c("CE default route on private peering is forced tunnelling", edit("healthy-private", |e| {
            let t = CE_ADVERTISED.replace(" *>  10.2.20.0/25 ", " *>  0.0.0.0      ");
            e.v["inputs"] = ce(&[("ce1-adv.txt", &t)], &[]);
        }), "ER910", Status::Pass, |_, f| assert!(f.message.contains("forced tunnelling"), "{}", f.message)),
        c("CE interface facing the MSEE is up", edit("healthy-private", |e| {
            e.v["inputs"] = ce(&[("ce1-intf.txt", CE_INTERFACES)], &[]);
        }), "ER911", Status::Pass, none),
        c("CE interface facing the MSEE is shut", edit("healthy-private", |e| {
            e.table(&format!("{P}/arpTables/primary")).retain(|r| r["interface"] != "On-Prem");
            e.table(&format!("{P}/routeTablesSummary/primary"))[0]["statePfxRcd"] = json!("Idle");
            let t = CE_INTERFACES.replace("GigabitEthernet0/0/0.200 is up, line protocol is up", "GigabitEthernet0/0/0.200 is administratively down, line protocol is down");
            e.v["inputs"] = ce(&[("ce1-intf.txt", &t)], &[]);
        }), "ER911", Status::Fail, |r, f| {
            assert!(f.message.contains("administratively down"), "{}", f.message);
            let rc = r.root_cause.as_ref().unwrap();
            assert_eq!((rc.check.as_str(), rc.path.map(|p| p.as_str())), ("ER911", Some("primary")));
            // The MSEE's Incomplete ARP entry is the interface's doing; BGP follows from ARP.
            assert!(r.findings.iter().any(|g| g.check == "ER301" && g.consequence_of.as_deref() == Some("ER911")));
            assert!(r.findings.iter().any(|g| g.check == "ER401" && g.consequence_of.is_some()));
        }),
        c("CE interface counts CRC errors", edit("healthy-private", |e| {
            let t = CE_INTERFACES.replace("0 input errors, 0 CRC", "1520 input errors, 1520 CRC");
            e.v["inputs"] = ce(&[("ce1-intf.txt", &t)], &[]);
        }), "ER911", Status::Warn, |r, f| {
            assert!(f.message.contains("1520 CRC") && f.message.contains("GigabitEthernet0/0/0:"), "{}", f.message);
            assert_eq!(r.verdict, Verdict::Healthy);
        }),
        c("CE routes the VNet to the MSEE", edit("healthy-private", |e| {
            e.v["inputs"] = ce(&[("ce1-route.txt", CE_ROUTES)], &[]);
        }), "ER912", Status::Pass, |_, f| assert!(f.message.contains("10.1.0.0/16"), "{}", f.message)),
        c("CE routes the VNet through a VPN", edit("healthy-private", |e| {
            let t = CE_ROUTES.replace("B        10.1.0.0/16 [20/0] via 172.16.0.2, 3d04h", "S        10.1.0.0/16 [1/0] via 192.0.2.9");
            e.v["inputs"] = ce(&[("ce1-route.txt", &t)], &[]);
        }), "ER912", Status::Fail, |r, f| {
            assert!(f.message.contains("10.1.0.0/16") && f.message.contains("192.0.2.9"), "{}", f.message);
            assert_eq!(f.path.map(|p| p.as_str()), Some("primary"));
            assert_eq!(r.verdict, Verdict::Degraded);
        }),
        // Dual-stack, with only the CE's IPv4 routes: its IPv6 prefixes are
        // not taken for VNet ones, and IPv6 is not judged from IPv4 output.
        c("CE routes the VNet to the MSEE on a dual-stack peering", edit("ipv6-healthy-dual-stack", |e| {
            e.v["inputs"] = ce(&[("ce1-route.txt", CE_ROUTES)], &[]);
        }), "ER912", Status::Pass, |_, f| assert!(f.message.contains("(10.1.0.0/16)"), "{}", f.message)),
        c("CE has no route for the VNet", edit("healthy-private", |e| {
            let t = CE_ROUTES.replace("B        10.1.0.0/16 [20/0] via 172.16.0.2, 3d04h\n", "");
            e.v["inputs"] = ce(&[], &[("ce2-route.txt", &t.replace("ce1#", "ce2#"))]);
        }), "ER912", Status::Fail, |_, f| assert!(f.message.contains("no route"), "{}", f.message)),
        c("CE show output with a row not understood: the file and line are named, the evidence is partial", edit("ce-advertises-nothing", |e| {
            let t = e.v["inputs"]["ce"]["primary"][0]["text"].as_str().unwrap().replace("3d04h           1\n", "3d04h           1\n172.16.0.9      what is this row\n");
            e.v["inputs"]["ce"]["primary"][0]["text"] = json!(t);
        }), "ER913", Status::Warn, |_, f| {
            assert_eq!(f.path.map(|p| p.as_str()), Some("primary"));
            assert!(f.evidence.iter().any(|e| e.starts_with("ce1-show.txt:15: ")), "{:?}", f.evidence);
            assert!(f.message.contains("partial"), "{}", f.message);
        }),
        c("CE texts every line of which is understood", edit("ce-advertises-nothing", |_| {}), "ER913", Status::Pass, none),
        c("CE text that is neither a configuration nor a show output: named, not dropped", edit("ce-advertises-nothing", |e| {
            e.v["inputs"]["ce"]["secondary"][0]["text"] = json!("hello world\nthis is prose\n");
        }), "ER913", Status::Warn, |_, f| {
            assert_eq!(f.path.map(|p| p.as_str()), Some("secondary"));
            assert!(f.evidence.iter().any(|e| e.starts_with("ce2-show-bgp-neighbor.txt: not read: ")), "{:?}", f.evidence);
            assert!(f.message.starts_with("1 text(s) of ce2-show-bgp-neighbor.txt not read"), "{}", f.message);
        }),
        c("CE show ip arp: the MSEE on the wrong interface", edit("healthy-private", |e| {
            let arp = CE_ARP.replace("0022.bdf8.19ff  ARPA   GigabitEthernet0/0/0.200", "0022.bdf8.19ff  ARPA   GigabitEthernet0/0/1");
            e.v["inputs"] = ce(&[("ce1-arp.txt", &arp), ("ce1-intf.txt", CE_INTERFACES)], &[]);
        }), "ER908", Status::Fail, |_, f| {
            assert!(f.message.contains("GigabitEthernet0/0/1") && f.message.contains("GigabitEthernet0/0/0.200"), "{}", f.message);
        }),
        c("CE show ip arp: the MSEE on the configured subinterface", edit("healthy-private", |e| {
            e.v["inputs"] = ce(&[("ce1-arp.txt", CE_ARP), ("ce1.cfg", &ce1_config())], &[]);
        }), "ER908", Status::Pass, none),
        c("Direct: the CE's S-tag is the circuit's", edit("healthy-direct", |e| {
            let t = ce1_config().replace(" encapsulation dot1Q 200\n", " encapsulation dot1Q 17 second-dot1q 200\n");
            e.v["inputs"] = ce(&[("ce1.cfg", &t)], &[]);
        }), "ER901", Status::Pass, |_, f| assert!(f.message.contains("S-tag 17"), "{}", f.message)),
        c("Direct: the CE's S-tag is not the circuit's", edit("healthy-direct", |e| {
            let t = ce1_config().replace(" encapsulation dot1Q 200\n", " encapsulation dot1Q 18 second-dot1q 200\n");
            e.v["inputs"] = ce(&[("ce1.cfg", &t)], &[]);
        }), "ER901", Status::Fail, |_, f| {
            assert!(f.message.contains("S-tag 18") && f.message.contains("17"), "{}", f.message);
            assert!(f.evidence.iter().any(|e| e.contains("^^") && e.contains("S-tag is 17")), "{:?}", f.evidence);
        }),
        c("Direct: no stag in the snapshot", edit("healthy-direct", |e| {
            e.circuit().as_object_mut().unwrap().remove("stag");
            let t = ce1_config().replace(" encapsulation dot1Q 200\n", " encapsulation dot1Q 17 second-dot1q 200\n");
            e.v["inputs"] = ce(&[("ce1.cfg", &t)], &[]);
        }), "ER901", Status::Unknown, none),
        c("provider circuit: the outer tag is the provider's", edit("healthy-private", |e| {
            let t = ce1_config().replace(" encapsulation dot1Q 200\n", " encapsulation dot1Q 99 second-dot1q 200\n");
            e.v["inputs"] = ce(&[("ce1.cfg", &t)], &[]);
        }), "ER901", Status::Pass, |r, _| assert!(!r.findings.iter().any(|g| g.check == "ER901" && g.status != Status::Pass))),
        c("connection not connected", edit("healthy-private", |e| e.res_abs("/connections/conn-ergw-hub-weu-er-ckt-ams")["properties"]["connectionStatus"] = json!("NotConnected")), "ER801", Status::Fail, none),
        c("gateway failed", edit("healthy-private", |e| e.res_abs("/virtualNetworkGateways/ergw-hub-weu")["properties"]["provisioningState"] = json!("Failed")), "ER802", Status::Fail, none),
        // Instance 10.17.17.140's session with the primary MSEE (10.17.17.132):
        // that MSEE no longer learns the VNet from it.
        c("one gateway session down", edit("healthy-private", |e| {
            let row = &mut e.res_abs("/getBgpPeerStatus")["value"][0];
            assert_eq!((row["localAddress"].as_str(), row["neighbor"].as_str()), (Some("10.17.17.140"), Some("10.17.17.132")));
            row["state"] = json!("Connecting");
            e.res("/peerings/AzurePrivatePeering/routeTables/primary")["value"].as_array_mut().unwrap().retain(|r| !r["nextHop"].as_str().unwrap().starts_with("10.17.17.140"));
        }), "ER803", Status::Fail,
          |r, _| assert_eq!(r.verdict, Verdict::Degraded, "the other sessions still carry the VNet")),
        // The gateway serves a second circuit too, whose primary MSEE
        // (10.17.17.134) is drained by its maintenance: both of this circuit's
        // MSEEs still learn the VNet from both instances.
        c("a gateway session down with another circuit's MSEE", edit("healthy-private", |e| {
            let rows = e.res_abs("/getBgpPeerStatus")["value"].as_array_mut().unwrap();
            let theirs: Vec<Value> = rows
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    let n = if r["neighbor"] == "10.17.17.132" { "10.17.17.134" } else { "10.17.17.135" };
                    r["neighbor"] = json!(n);
                    if n == "10.17.17.134" {
                        r["state"] = json!("Connecting");
                        r["routesReceived"] = json!(0);
                    }
                    r
                })
                .collect();
            rows.extend(theirs);
        }), "ER803", Status::Warn, |r, f| {
            assert!(f.message.contains("not with this circuit's MSEEs") && f.message.contains("10.17.17.140 and 10.17.17.141"), "{}", f.message);
            assert_eq!(r.verdict, Verdict::Healthy, "another circuit's session does not degrade this one");
        }),
        c("gateway misses a prefix", edit("healthy-private", |e| e.res_abs("/getLearnedRoutes")["value"].as_array_mut().unwrap().retain(|r| r["network"] != "192.168.50.0/24")), "ER804", Status::Fail, none),
        c("gateway smaller than the circuit", edit("healthy-private", |e| e.circuit()["serviceProviderProperties"]["bandwidthInMbps"] = json!(10000)), "ER806", Status::Warn, none),
        c("ARP lost for 3 minutes, seen by erdiag's own poll", edit("healthy-private", |e| {
            metrics::set(e.v, "ArpAvailability", &["Secondary-IPv4"], 3..6, Some(0.0));
            metrics::observe(e.v, 4, "arp", "secondary", "empty");
        }), "ER302", Status::Fail, |r, f| {
            assert_eq!(f.path, Some(DevicePath::Secondary));
            assert_eq!(r.verdict, Verdict::Degraded, "ARP is back now: a flap degrades, it does not take the circuit down");
        }),
        c("BGP down for 3 minutes, seen by erdiag's own poll", edit("healthy-private", |e| {
            metrics::set(e.v, "BgpAvailability", &["Primary-IPv4"], 3..6, Some(0.0));
            metrics::observe(e.v, 4, "bgp", "primary", "down");
        }), "ER404", Status::Fail, |r, f| {
            assert_eq!((f.path, f.owner), (Some(DevicePath::Primary), Owner::Customer));
            assert!(f.evidence.iter().any(|e| e.contains("confirmed") && e.contains("09:49:30")), "{:#?}", f.evidence);
            assert_eq!(r.verdict, Verdict::Degraded);
            assert_eq!(r.root_cause.as_ref().map(|c| c.check.as_str()), Some("ER404"));
        }),
        c("BGP dipped 3 minutes and the MSEE's uptime dates its reset inside the dip", edit("healthy-private", |e| {
            metrics::set(e.v, "BgpAvailability", &["Primary-IPv4"], 3..6, Some(0.0));
            e.table(&format!("{P}/routeTablesSummary/primary"))[0]["upDown"] = json!("00:09:30");
        }), "ER404", Status::Fail, |r, f| {
            assert_eq!(f.path, Some(DevicePath::Primary));
            assert!(f.evidence.iter().any(|e| e.contains("confirmed") && e.contains("reads Up 00:09:30") && e.contains("re-established at 2026-11-21T09:50:30Z")), "{:#?}", f.evidence);
            assert_eq!(r.root_cause.as_ref().map(|c| c.check.as_str()), Some("ER404"));
        }),
        c("BGP dipped 3 minutes but the MSEE's session is older than the dip", edit("healthy-private", |e| {
            metrics::set(e.v, "BgpAvailability", &["Primary-IPv4"], 3..6, Some(0.0));
            e.table(&format!("{P}/routeTablesSummary/primary"))[0]["upDown"] = json!("00:30:00");
        }), "ER404", Status::Warn, |r, f| {
            assert!(f.evidence.iter().any(|e| e.contains("unconfirmed")), "{:#?}", f.evidence);
            assert_eq!(r.verdict, Verdict::Healthy, "an unconfirmed dip warns");
        }),
        c("BGP down on one path during Microsoft's planned maintenance of the circuit", edit("healthy-private", |e| {
            e.table(&format!("{P}/routeTablesSummary/secondary"))[0]["statePfxRcd"] = json!("Idle");
            e.table("/providers/Microsoft.ResourceHealth/availabilityStatuses").insert(0, json!({"properties": {
                "availabilityState": "Unavailable", "context": "Planned", "reasonType": "Planned", "occuredTime": "2026-11-21T09:40:00Z",
                "summary": "Microsoft is performing planned maintenance on the secondary connection of your ExpressRoute circuit."}}));
        }), "ER401", Status::Fail, |r, f| {
            assert_eq!((f.path, f.owner), (Some(DevicePath::Secondary), Owner::Microsoft));
            assert!(f.message.contains("planned maintenance") && f.remediation.as_deref().is_some_and(|x| x.starts_with("No action: the primary path carries the traffic")), "{f:#?}");
            assert!(f.evidence.iter().any(|e| e.contains("Unavailable (Planned) since 2026-11-21T09:40:00Z")), "{:#?}", f.evidence);
            assert_eq!(r.verdict, Verdict::Degraded, "the redundancy is gone during maintenance");
            assert_eq!(r.root_cause.as_ref().map(|c| (c.check.as_str(), c.owner)), Some(("ER401", Owner::Microsoft)));
        }),
        c("BGP down on one path after Microsoft's planned maintenance ended", edit("healthy-private", |e| {
            e.table(&format!("{P}/routeTablesSummary/secondary"))[0]["statePfxRcd"] = json!("Idle");
            let h = e.table("/providers/Microsoft.ResourceHealth/availabilityStatuses");
            h.insert(0, json!({"properties": {"availabilityState": "Unavailable", "context": "Planned", "occuredTime": "2026-11-21T09:20:00Z"}}));
            h.insert(0, json!({"properties": {"availabilityState": "Available", "context": "", "occuredTime": "2026-11-21T09:40:00Z"}}));
        }), "ER401", Status::Fail, |_, f| assert_ne!(f.owner, Owner::Microsoft, "{f:#?}")),
        c("traffic over 80% for 5 minutes", edit("healthy-private", |e| metrics::set(e.v, "BitsInPerSecond", &["Primary"], 2..7, Some(810e6))), "ER604", Status::Warn,
          |r, f| assert_eq!((f.path, r.verdict), (Some(DevicePath::Primary), Verdict::Healthy))),
        c("QoS drops", edit("healthy-private", |e| metrics::set(e.v, "QosDropBitsOutPerSecond", &[], 7..8, Some(2e6))), "ER605", Status::Warn, none),
        c("gateway CPU over 80% for 6 minutes", edit("healthy-private", |e| metrics::set(e.v, "ExpressRouteGatewayCpuUtilization", &["IN_0"], 4..10, Some(92.0))), "ER807", Status::Warn,
          |_, f| assert!(f.message.contains("IN_0"), "{}", f.message)),
        c("route-change storm", edit("healthy-private", |e| metrics::set(e.v, "ExpressRouteGatewayFrequencyOfRoutesChanged", &[], 5..10, Some(30.0))), "ER808", Status::Warn, none),
        c("hub gateway refuses the VNet gateway's traffic", both_gateways(false), "ER833", Status::Warn, none),
        c("hub gateway accepts the VNet gateway's traffic", both_gateways(true), "ER833", Status::Pass, none),
        c("FastPath on ErGw3AZ", edit("fastpath-unsupported-sku", |e| e.res_abs("/virtualNetworkGateways/ergw-hub-weu")["properties"]["sku"] = json!({"name": "ErGw3AZ", "tier": "ErGw3AZ"})), "ER840", Status::Pass, none),
        c("Private Link FastPath on a provider circuit", edit("healthy-private", |e| e.res_abs("/connections/conn-ergw-hub-weu-er-ckt-ams")["properties"]["enablePrivateLinkFastPath"] = json!(true)), "ER841", Status::Fail, none),
        c("Private Link FastPath on ExpressRoute Direct", edit("healthy-direct", |e| e.res_abs("/connections/conn-ergw-hub-weu-er-direct-ams")["properties"]["enablePrivateLinkFastPath"] = json!(true)), "ER841", Status::Pass, none),
        c("Global Reach link with a /24", edit("global-reach-healthy", |e| e.res_abs("/connections/gr-ams-lon")["properties"]["addressPrefix"] = json!("192.168.254.0/24")), "ER210", Status::Fail,
          |_, f| assert!(f.message.contains("/24, not a /29"), "{}", f.message)),
        c("Global Reach to a circuit without private peering", edit("global-reach-healthy", |e| {
            e.res_abs("/er-ckt-lon")["properties"]["peerings"] = json!([]);
            let key = e.v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("er-ckt-lon/peerings/AzurePrivatePeering")).cloned().unwrap();
            e.v["resources"].as_object_mut().unwrap().remove(&key);
        }), "ER211", Status::Fail, none),
        c("Global Reach within one peering location", edit("global-reach-healthy", |e| e.res_abs("/er-ckt-lon")["properties"]["serviceProviderProperties"]["peeringLocation"] = json!("Amsterdam")), "ER215", Status::Warn, none),
        c("Global Reach across geopolitical regions on Standard", edit("global-reach-healthy", |e| e.res_abs("/er-ckt-lon")["properties"]["serviceProviderProperties"]["peeringLocation"] = json!("New York")), "ER216", Status::Fail,
          |_, f| assert!(f.message.contains("Europe to North America") && f.message.contains("er-ckt-ams and er-ckt-lon"), "{}", f.message)),
        c("authorization not redeemed", edit("authorization-other-subscription", |e| {
            e.circuit()["authorizations"][0]["properties"]["authorizationUseStatus"] = json!("Available");
            e.res("/authorizations")["value"][0]["properties"]["authorizationUseStatus"] = json!("Available");
        }), "ER120", Status::Warn, none),
        c("Direct link2 enabled but its line protocol down, the MSEE's ARP agreeing", edit("healthy-direct", |e| {
            direct_link_down(e.res_abs("expressRoutePorts/erd-port-ams/providers/Microsoft.Insights/metrics"), "link2");
            for row in e.table(&format!("{P}/arpTables/secondary")) {
                if row["interface"] == "On-Prem" {
                    row["macAddress"] = json!("Incomplete");
                }
            }
        }), "ER111", Status::Fail, |r, f| {
            assert_eq!(f.path, Some(DevicePath::Secondary));
            assert!(f.evidence.iter().any(|e| e.contains("ams06-erdir-100gmr-cis-2")), "{:?}", f.evidence);
            assert_eq!(r.root_cause.as_ref().map(|c| c.check.as_str()), Some("ER111"));
        }),
        c("MACsec on the link and on the CE port facing it", edit("healthy-direct", |e| e.v["inputs"] = ce(&[("ce1.cfg", &ce1_macsec("gcm-aes-xpn-256"))], &[])), "ER920", Status::Pass, none),
        c("MACsec on the link, not on the CE port facing it", edit("healthy-direct", |e| e.v["inputs"] = ce(&[("ce1.cfg", &ce1_config())], &[])), "ER920", Status::Fail,
          |_, f| assert!(f.message.contains("GigabitEthernet0/0/0") && f.path == Some(DevicePath::Primary), "{f:?}")),
        c("MACsec: no CE configuration for the link's path", edit("healthy-direct", |e| e.v["inputs"] = ce(&[("ce1.cfg", &ce1_macsec("gcm-aes-xpn-256"))], &[])), "ER920", Status::Unknown,
          |_, f| assert!(f.remediation.as_deref().is_some_and(|x| x.contains("--ce secondary=FILE")), "{:?}", f.remediation)),
        c("MACsec cipher: the CE's policy offers the link's", edit("healthy-direct", |e| e.v["inputs"] = ce(&[("ce1.cfg", &ce1_macsec("gcm-aes-128 gcm-aes-xpn-256"))], &[])), "ER921", Status::Pass, none),
        c("MACsec cipher: the CE's policy does not offer the link's", edit("healthy-direct", |e| e.v["inputs"] = ce(&[("ce1.cfg", &ce1_macsec("gcm-aes-256"))], &[])), "ER921", Status::Fail,
          |_, f| assert!(f.message.contains("GcmAesXpn256") && f.evidence.iter().any(|x| x.contains("^^")), "{f:?}")),
        c("MACsec SCI: IOS-XE states none, so unknown", edit("healthy-direct", |e| e.v["inputs"] = ce(&[("ce1.cfg", &ce1_macsec("gcm-aes-xpn-256"))], &[])), "ER922", Status::Unknown, none),
        c("MACsec SCI: Enabled on the link, include-sci on the CE", edit("healthy-direct", |e| {
            e.res_abs("expressRoutePorts/erd-port-ams")["properties"]["links"][0]["properties"]["macSecConfig"]["sciState"] = json!("Enabled");
            e.v["inputs"] = ce(&[("ce1.conf", &ce1_junos_macsec(true))], &[]);
        }), "ER922", Status::Pass, none),
        c("MACsec SCI: Disabled on the link, include-sci on the CE", edit("healthy-direct", |e| e.v["inputs"] = ce(&[("ce1.conf", &ce1_junos_macsec(true))], &[])), "ER922", Status::Fail,
          |_, f| assert!(f.evidence.iter().all(|x| !x.contains("0a1b2c3d4e5f") && !x.contains("$9$")), "a MACsec key reached the report: {:?}", f.evidence)),
        c("MACsec cipher ARM does not accept", edit("healthy-direct", |e| e.res_abs("expressRoutePorts/erd-port-ams")["properties"]["links"][0]["properties"]["macSecConfig"]["cipher"] = json!("GcmAes512")), "ER114", Status::Fail, none),
        c("Direct port provisioned beyond its bandwidth", edit("healthy-direct", |e| e.res_abs("expressRoutePorts/erd-port-ams")["properties"]["provisionedBandwidthInGbps"] = json!(120.0)), "ER116", Status::Fail,
          |_, f| assert!(f.message.contains("120 Gbps") && f.message.contains("100 Gbps"), "{}", f.message)),
    ]
}

#[test]
fn every_check_has_a_passing_and_a_failing_fixture() {
    let mut seen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut record = |r: &Report| {
        for f in &r.findings {
            seen.entry(f.check).or_default().insert(f.status.as_str());
        }
    };
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        record(&run(&load(&name), &Options::default()));
    }
    for case in cases() {
        let r = run(&case.snapshot, &case.options);
        let hits: Vec<&Finding> = r.findings.iter().filter(|f| f.check == case.check && f.status == case.want).collect();
        assert!(!hits.is_empty(), "{}: no {} finding with status {:?}; got {:#?}", case.name, case.check, case.want,
            r.findings.iter().filter(|f| f.check == case.check).collect::<Vec<_>>());
        for f in hits {
            (case.also)(&r, f);
        }
        record(&r);
    }
    // Informational checks never fail by design.
    let informational = ["ER104", "ER208"];
    for c in registry::ALL {
        let s = seen.get(c.id).cloned().unwrap_or_default();
        assert!(s.contains("pass"), "{} {} has no passing fixture ({s:?})", c.id, c.name);
        if !informational.contains(&c.id) {
            assert!(s.contains("fail") || s.contains("warn"), "{} {} has no failing fixture ({s:?})", c.id, c.name);
        }
    }
}

#[test]
fn a_check_without_its_data_says_unknown_never_pass() {
    // Remove every ARP table, summary, route table and stats: nothing of it may pass.
    let v = edit("healthy-private", |e| {
        let keys: Vec<String> = e.v["resources"].as_object().unwrap().keys().filter(|k| k.contains("/peerings/AzurePrivatePeering/") || k.ends_with("/stats")).cloned().collect();
        for k in keys {
            e.v["resources"].as_object_mut().unwrap().remove(&k);
        }
    });
    let r = run(&v, &Options::default());
    for id in ["ER301", "ER401", "ER501", "ER502", "ER601"] {
        let fs: Vec<_> = r.findings.iter().filter(|f| f.check == id).collect();
        assert!(!fs.is_empty(), "{id} reported nothing");
        assert!(fs.iter().all(|f| f.status == Status::Unknown), "{id}: {fs:#?}");
    }
    assert_eq!(r.verdict, Verdict::Unknown);
    assert!(r.root_cause.is_none());
}

fn findings<'a>(r: &'a Report, id: &str) -> Vec<&'a Finding> {
    let fs: Vec<&Finding> = r.findings.iter().filter(|f| f.check == id).collect();
    assert!(!fs.is_empty(), "{id} reported nothing");
    fs
}

/// Unknown, with a fix naming the fuller outputs that carry the field.
fn assert_absent(r: &Report, id: &str, field: &str) {
    for f in findings(r, id) {
        assert_eq!(f.status, Status::Unknown, "{id}: {f:#?}");
        assert!(f.message.contains(field), "{id}: {}", f.message);
        let fix = f.remediation.as_deref().unwrap_or_default();
        assert!(fix.contains("-o json") && (fix.contains("ConvertTo-Json") || fix.contains("Format-List *")), "{id}: {fix}");
    }
}

#[test]
fn a_field_a_trimmed_table_left_out_is_unknown_never_a_fault() {
    // Get-AzExpressRouteCircuit | Format-Table: no peerings column, no peering resource.
    let v = edit("healthy-private", |e| {
        e.circuit().as_object_mut().unwrap().remove("peerings");
        let key = format!("{}{P}", e.ckt);
        e.v["resources"].as_object_mut().unwrap().remove(&key);
    });
    let r = run(&v, &Options::default());
    assert_absent(&r, "ER201", "properties.peerings");
    assert!(r.findings.iter().all(|f| f.status != Status::Fail), "{:#?}", r.findings);
    assert_eq!(r.verdict, Verdict::Unknown, "a circuit whose peerings are not known is not healthy");
    let gap = r.coverage.not_verified.iter().find(|g| g.id == "ER201").unwrap();
    assert!(gap.fix.contains("-o json"), "coverage says which output to give: {}", gap.fix);

    // A peering table without the VlanId and AzureASN columns.
    let v = edit("healthy-private", |e| {
        for field in ["vlanId", "azureASN", "peerASN"] {
            e.peering("AzurePrivatePeering", field, Value::Null);
        }
    });
    let r = run(&v, &Options::default());
    assert_absent(&r, "ER204", "properties.vlanId");
    assert_absent(&r, "ER205", "properties.peerASN");
    let v = edit("healthy-private", |e| e.peering("AzurePrivatePeering", "azureASN", Value::Null));
    assert_absent(&run(&v, &Options::default()), "ER205", "properties.azureASN");
    // Get-AzVirtualNetworkGateway | Format-Table: no GatewayType column.
    let v = edit("healthy-private", |e| {
        e.res_abs("virtualNetworkGateways/ergw-hub-weu")["properties"].as_object_mut().unwrap().remove("gatewayType");
    });
    let r = run(&v, &Options::default());
    assert_absent(&r, "ER802", "properties.gatewayType");
    assert!(findings(&r, "ER802")[0].remediation.as_deref().unwrap().contains("az network vnet-gateway show -g rg-er-weu -n ergw-hub-weu -o json"));
    // A Microsoft peering listed without its microsoftPeeringConfig.
    let v = edit("healthy-private-microsoft", |e| e.peering("MicrosoftPeering", "microsoftPeeringConfig", Value::Null));
    assert_absent(&run(&v, &Options::default()), "ER206", "properties.microsoftPeeringConfig");
    // A wrong value next to an absent one is still a fault.
    let v = edit("healthy-private", |e| {
        e.peering("AzurePrivatePeering", "azureASN", Value::Null);
        e.peering("AzurePrivatePeering", "peerASN", json!(65515));
    });
    assert_eq!(findings(&run(&v, &Options::default()), "ER205")[0].status, Status::Fail);
}

#[test]
fn provenance_makes_a_field_the_source_did_not_carry_absent_and_names_the_source() {
    let v = edit("healthy-private", |e| {
        let key = format!("{}{P}", e.ckt);
        e.v["resources"].as_object_mut().unwrap().remove(&key);
        let ckt = e.ckt.clone();
        e.v["provenance"] = json!({ ckt: {"source": "Get-AzExpressRouteCircuit (Format-Table)", "fields": ["name", "location", "properties.circuitProvisioningState"]} });
    });
    let r = run(&v, &Options::default());
    assert_absent(&r, "ER201", "properties.peerings");
    assert!(findings(&r, "ER201")[0].message.contains("Get-AzExpressRouteCircuit (Format-Table)"));
    assert_eq!(findings(&r, "ER101")[0].status, Status::Pass, "a carried field is read");
    assert_absent(&r, "ER102", "properties.serviceProviderProvisioningState");

    // A Microsoft peering from a table without a RouteFilter column: unknown, not "no route filter".
    let v = edit("healthy-private-microsoft", |e| {
        e.peering("MicrosoftPeering", "routeFilter", Value::Null);
        let key = format!("{}/peerings/MicrosoftPeering", e.ckt);
        e.v["provenance"] = json!({ key: {"fields": ["name", "properties.peeringType", "properties.state", "properties.vlanId"]} });
    });
    assert_absent(&run(&v, &Options::default()), "ER207", "properties.routeFilter");
}

#[test]
fn stats_are_read_in_any_spelling_and_counters_that_are_not_there_are_not_zero() {
    let respell = |v: &mut Value| {
        let o = v.as_object_mut().unwrap();
        let old: Vec<(String, Value)> = std::mem::take(o).into_iter().collect();
        for (k, x) in old {
            o.insert(k.replace("bytes", "Bytes"), x);
        }
    };
    let v = edit("healthy-private", |e| {
        respell(e.res("/stats"));
        respell(e.res(&format!("{P}/stats")));
    });
    let r = run(&v, &Options::default());
    for id in ["ER601", "ER602", "ER603"] {
        assert!(findings(&r, id).iter().all(|f| f.status == Status::Pass), "{id}: {:#?}", findings(&r, id));
    }
    // Stats bodies without any counter: unknown, never "no bytes".
    let v = edit("healthy-private", |e| {
        *e.res("/stats") = json!({});
        *e.res(&format!("{P}/stats")) = json!({"name": "x"});
    });
    let r = run(&v, &Options::default());
    assert!(findings(&r, "ER601").iter().all(|f| f.status == Status::Unknown));
    assert!(r.findings.iter().all(|f| f.check != "ER602" && f.check != "ER603"), "{:#?}", r.findings);
    // Stats as an array: unreadable, unknown with the JSON path.
    let v = edit("healthy-private", |e| {
        *e.res("/stats") = json!([1, 2, 3, 4]);
        *e.res(&format!("{P}/stats")) = json!([1, 2, 3, 4]);
    });
    let r = run(&v, &Options::default());
    let f = findings(&r, "ER601")[0];
    assert_eq!(f.status, Status::Unknown);
    assert!(f.message.contains("/stats\"]"), "{}", f.message);
}

#[test]
fn gateway_routes_missing_behind_msee_sessions_that_are_down_are_a_consequence_not_a_gap() {
    for scenario in ["vlan-mismatch", "md5-mismatch"] {
        let r = run(&load(scenario), &Options::default());
        let fs = findings(&r, "ER804");
        for f in &fs {
            assert_eq!(f.status, Status::Fail, "{scenario}: {}", f.message);
            assert_eq!(f.consequence_of.as_deref(), Some("ER401"), "{scenario}: {f:#?}");
        }
        assert!(!r.coverage.not_verified.iter().any(|g| g.id == "ER804"), "{scenario}: {:#?}", r.coverage.not_verified);
        assert_ne!(r.root_cause.as_ref().map(|c| c.check.as_str()), Some("gateway-routes-not-learned"));
    }
}

#[test]
fn gateway_routes_against_route_tables_not_read_name_the_failed_calls() {
    let r = run(&load("route-table-call-failed"), &Options::default());
    for f in findings(&r, "ER804") {
        assert_eq!(f.status, Status::Unknown);
        assert!(f.message.contains("primary route table") && f.message.contains("500"), "{}", f.message);
    }
}

#[test]
fn paths_compared_without_a_summary_say_unknown_naming_the_failed_call() {
    let mut v = load("healthy-private");
    let ckt = v["circuitId"].as_str().unwrap().to_string();
    let key = format!("{ckt}{P}/routeTablesSummary/secondary");
    v["resources"].as_object_mut().unwrap().remove(&key);
    v["failures"] = json!({ key: { "status": 403, "error": { "error": { "code": "AuthorizationFailed", "message": "no access" } } } });
    let r = run(&v, &Options::default());
    let fs = findings(&r, "ER501");
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].status, Status::Unknown);
    assert!(fs[0].message.contains("secondary route-table summary") && fs[0].message.contains("403"), "{}", fs[0].message);
    assert!(r.coverage.not_verified.iter().any(|g| g.id == "ER501"), "{:#?}", r.coverage.not_verified);
}

#[test]
fn connections_not_in_the_input_say_what_would_complete_them() {
    // What `erdiag import` makes: the circuit and its tables, no connection.
    let mut v = load("healthy-private");
    let keys: Vec<String> = v["resources"].as_object().unwrap().keys().filter(|k| k.contains("/connections/")).cloned().collect();
    for k in keys {
        v["resources"].as_object_mut().unwrap().remove(&k);
    }
    let r = run(&v, &Options::default());
    let f = findings(&r, "ER801")[0];
    assert_eq!(f.status, Status::Unknown);
    let fix = f.remediation.as_deref().unwrap_or_default();
    for what in ["erdiag collect", "az network vpn-connection list", "Get-AzVirtualNetworkGatewayConnection"] {
        assert!(fix.contains(what), "{what} not named: {fix}");
    }
}
