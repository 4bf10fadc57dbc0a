//! `up`, `down`, `status`, `break`, `fix`: the lab's life.
//!
//! Everything the lab creates is named `NAME-ROLE` (`erdlab-ce`,
//! `erdlab-msee1`, …): five network namespaces, the veth pairs and bridges
//! inside them (both ends of every veth are created inside lab namespaces,
//! so the host's own interfaces and routes are never touched), FRR's
//! pathspace `/var/run/frr/NAME-ROLE`, and the state directory
//! `/run/erdiag/lab/NAME`. That directory is made first, with the lab's
//! marker ([`Marker`]), which records each namespace, run directory and
//! daemon as it is made; `down` removes what the marker records and still
//! is what it records (also after a crash of `up`), and leaves anything
//! else alone, whatever its name.

use crate::frr;
use crate::owned::{self, Daemon, Found, Frr, Marker, FRR_RUN};
use crate::spec::{usable, LabSpec};
use crate::sys::{self, ip, netns_exec, vtysh, FileId, Proc, FRR_DIR};
use crate::LabError;
use erdiag_model::DevicePath;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lab's default name (prefix of everything it creates).
pub const DEFAULT_NAME: &str = "erdlab";

/// The roles, each a namespace.
pub const ROLES: [&str; 5] = ["ce", "msee1", "msee2", "l2", "gw"];
/// The roles that run FRR.
pub const ROUTERS: [&str; 4] = ["ce", "msee1", "msee2", "gw"];

/// A way circuits break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BreakKind {
    /// The CE's MD5 key for the MSEE neighbor differs from the MSEE's.
    Md5,
    /// The CE's remote-as for the MSEE is not 12076.
    Asn,
    /// The CE has the MSEE's address (second usable) and points its neighbor at the first.
    CeAddress,
    /// The link between the provider and the CE goes down.
    LinkDown,
    /// The CE's subinterface sits on another VLAN (L2 segment) than the peering's.
    Vlan,
    /// The CE advertises nothing to the MSEE.
    Withdraw,
    /// The CE advertises more prefixes than the MSEE's limit.
    PrefixLimit,
    /// The CE advertises the VNet's address space back to Azure.
    VnetPrefix,
    /// The MSEE of the path is down.
    MseeDown,
    /// The VNet gateway's BGP sessions to the MSEE are down.
    GatewayDown,
    /// The CE's IPv6 neighbor towards the MSEE is not activated for IPv6
    /// unicast: no IPv6 session on the path, IPv4 up.
    V6SessionDown,
    /// The CE advertises no IPv6 prefix to the MSEE (IPv4 unchanged).
    V6PrefixMissing,
}

impl BreakKind {
    pub const ALL: [BreakKind; 12] = [
        BreakKind::Md5,
        BreakKind::Asn,
        BreakKind::CeAddress,
        BreakKind::LinkDown,
        BreakKind::Vlan,
        BreakKind::Withdraw,
        BreakKind::PrefixLimit,
        BreakKind::VnetPrefix,
        BreakKind::MseeDown,
        BreakKind::GatewayDown,
        BreakKind::V6SessionDown,
        BreakKind::V6PrefixMissing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BreakKind::Md5 => "md5",
            BreakKind::Asn => "asn",
            BreakKind::CeAddress => "ce-address",
            BreakKind::LinkDown => "link-down",
            BreakKind::Vlan => "vlan",
            BreakKind::Withdraw => "withdraw",
            BreakKind::PrefixLimit => "prefix-limit",
            BreakKind::VnetPrefix => "vnet-prefix",
            BreakKind::MseeDown => "msee-down",
            BreakKind::GatewayDown => "gateway-down",
            BreakKind::V6SessionDown => "v6-session-down",
            BreakKind::V6PrefixMissing => "v6-prefix-missing",
        }
    }

    pub fn parse(s: &str) -> Option<BreakKind> {
        BreakKind::ALL.into_iter().find(|k| k.name() == s)
    }

    pub fn describe(self) -> &'static str {
        match self {
            BreakKind::Md5 => "the CE's MD5 key for the MSEE differs from Azure's",
            BreakKind::Asn => "the CE's remote-as for the MSEE is not 12076",
            BreakKind::CeAddress => "the CE uses the MSEE's address (the /30's second usable) and peers with the first",
            BreakKind::LinkDown => "the provider's link to the CE goes down",
            BreakKind::Vlan => "the CE's subinterface is on VLAN+1: another L2 segment than the peering's",
            BreakKind::Withdraw => "the CE advertises no prefix to the MSEE",
            BreakKind::PrefixLimit => "the CE advertises more prefixes than the MSEE accepts (4,000; 10,000 on Premium)",
            BreakKind::VnetPrefix => "the CE advertises the VNet's address space back to Azure",
            BreakKind::MseeDown => "the MSEE of the path is down",
            BreakKind::GatewayDown => "the VNet gateway's BGP session to the MSEE of the path is down",
            BreakKind::V6SessionDown => "the CE's IPv6 neighbor (the MSEE) is not activated under address-family ipv6: IPv6 session down, IPv4 up",
            BreakKind::V6PrefixMissing => "the CE advertises no IPv6 prefix to the MSEE (IPv4 unchanged)",
        }
    }
}

/// A break that was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub kind: BreakKind,
    pub path: DevicePath,
}

/// What `up` records: enough to serve, break, fix and remove the lab.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub name: String,
    pub spec: LabSpec,
    /// The MD5 key both ends use. The state file is readable by root only,
    /// and the key never leaves it: CE texts are redacted before use.
    pub key: String,
    pub breaks: Vec<Applied>,
    /// Seconds from the start of `up` to a converged lab.
    pub converged_secs: Option<f64>,
}

/// A lab by name.
#[derive(Debug, Clone)]
pub struct Lab {
    pub name: String,
}

/// What `down` did.
#[derive(Debug, Default)]
pub struct Removal {
    pub removed: Vec<String>,
    /// Things named like the lab's that it did not create (or no longer
    /// are what it created): left alone.
    pub left: Vec<String>,
}

/// A lab being made: its directory, its marker, saved at each addition.
struct Making {
    dir: PathBuf,
    marker: Marker,
    frr: Frr,
}

impl Making {
    /// Records what was just made. When the marker cannot be saved (a full
    /// disk), `undo` removes what was made, so that nothing erdiag created
    /// is left unrecorded, where `down` would not remove it.
    fn record(&mut self, add: impl FnOnce(&mut Marker), undo: impl FnOnce()) -> Result<(), LabError> {
        add(&mut self.marker);
        let saved = self.marker.save(&self.dir);
        if saved.is_err() {
            undo();
        }
        saved
    }
}

/// Checks a lab name: it prefixes namespace and directory names.
pub fn check_name(name: &str) -> Result<(), LabError> {
    let ok = !name.is_empty() && name.len() <= 12 && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(LabError::Usage(format!("lab name {name:?}: use 1 to 12 characters among a-z, 0-9 and -")))
    }
}

/// Whether this process can build a lab: root, `ip netns` and FRR.
pub fn preflight() -> Result<(), LabError> {
    let uid = std::fs::read_to_string("/proc/self/status").ok().and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).and_then(|l| l.split_whitespace().nth(1).map(str::to_string)));
    if uid.as_deref() != Some("0") {
        return Err(LabError::Unsupported("the lab creates network namespaces: run it as root (sudo erdiag lab …)".into()));
    }
    if !sys::frr_installed() {
        return Err(LabError::Unsupported(format!("FRRouting is not installed ({FRR_DIR}/zebra, {FRR_DIR}/bgpd, vtysh): apt-get install frr")));
    }
    Ok(())
}

impl Lab {
    pub fn new(name: &str) -> Result<Lab, LabError> {
        check_name(name)?;
        Ok(Lab { name: name.to_string() })
    }

    pub fn ns(&self, role: &str) -> String {
        format!("{}-{role}", self.name)
    }

    /// The lab's directory, in the checked state root.
    pub fn dir(&self) -> Result<PathBuf, LabError> {
        Ok(owned::state_root()?.join(&self.name))
    }

    /// The lab's marker: `None` when the lab has no directory.
    pub fn marker(&self) -> Result<Option<Marker>, LabError> {
        Marker::read(&self.dir()?, &self.name)
    }

    pub fn load(&self) -> Result<State, LabError> {
        self.marker()?.ok_or_else(|| LabError::NotUp(self.name.clone()))?;
        let path = self.dir()?.join("lab.json");
        let bytes = owned::read_private(&path).map_err(|_| LabError::NotUp(self.name.clone()))?;
        serde_json::from_slice(&bytes).map_err(|e| LabError::State(format!("{}: {e}", path.display())))
    }

    fn save(&self, state: &State) -> Result<(), LabError> {
        owned::replace_private(&self.dir()?.join("lab.json"), &serde_json::to_vec_pretty(state).expect("a state serializes"))
    }

    /// The lab's namespaces that exist now (also leftovers without state).
    pub fn existing_namespaces(&self) -> Result<Vec<String>, LabError> {
        let mine: Vec<String> = ROLES.iter().map(|r| self.ns(r)).collect();
        Ok(sys::namespaces()?.into_iter().filter(|n| mine.contains(n)).collect())
    }

    /// Builds the lab and waits until it has converged (every BGP session
    /// up, the CE's prefixes at the MSEEs, the VNet's at the CE).
    pub fn up(&self, spec: LabSpec, timeout: Duration) -> Result<State, LabError> {
        self.up_with(spec, random_key()?, timeout)
    }

    fn up_with(&self, spec: LabSpec, key: String, timeout: Duration) -> Result<State, LabError> {
        preflight()?;
        let dir = self.dir()?;
        if !self.existing_namespaces()?.is_empty() {
            return Err(LabError::AlreadyUp(self.name.clone()));
        }
        let frr = Frr::lookup()?;
        let started = Instant::now();
        let marker = Marker::create(&dir, &self.name, frr)?.ok_or_else(|| LabError::AlreadyUp(self.name.clone()))?;
        let mut making = Making { dir, marker, frr };
        let mut state = State { name: self.name.clone(), spec, key, breaks: Vec::new(), converged_secs: None };
        self.save(&state)?;
        if let Err(e) = self.build(&state, &mut making) {
            let _ = self.down();
            return Err(e);
        }
        self.wait(timeout, "the lab to converge", |live| live.healthy(&state.spec))?;
        state.converged_secs = Some(started.elapsed().as_secs_f64());
        self.save(&state)?;
        Ok(state)
    }

    fn build(&self, state: &State, making: &mut Making) -> Result<(), LabError> {
        let spec = &state.spec;
        for role in ROLES {
            let ns = self.ns(role);
            sys::run("ip", &["netns", "add", &ns])?;
            let id = sys::netns_id(&ns).ok_or_else(|| LabError::State(format!("namespace {ns} vanished as it was made")))?;
            making.record(
                |m| {
                    m.namespaces.insert(ns.clone(), id);
                },
                || {
                    if sys::netns_id(&ns) == Some(id) {
                        let _ = sys::run("ip", &["netns", "delete", &ns]);
                    }
                },
            )?;
            ip(&ns, &["link", "set", "lo", "up"])?;
            if role != "l2" {
                // IPv6 forwards too; duplicate address detection is off, so
                // that the /126s are usable at once, not after a second.
                for (k, v) in [
                    ("net.ipv4.ip_forward", "1"),
                    ("net.ipv4.conf.all.rp_filter", "0"),
                    ("net.ipv4.conf.default.rp_filter", "0"),
                    ("net.ipv6.conf.all.forwarding", "1"),
                    ("net.ipv6.conf.all.accept_dad", "0"),
                    ("net.ipv6.conf.default.accept_dad", "0"),
                ] {
                    netns_exec(&ns, "sysctl", &["-qw", &format!("{k}={v}")])?;
                }
            }
        }
        let (ce, l2, gw) = (self.ns("ce"), self.ns("l2"), self.ns("gw"));
        // The provider's L2 segments: one bridge per path and VLAN.
        for p in DevicePath::BOTH {
            let msee = self.ns(frr::msee_role(p));
            let (cport, mport) = ports(p);
            let seg = segment(p, spec.vlan);
            ip(&ce, &["link", "add", &frr::ce_interface(p, spec.vlan), "type", "veth", "peer", "name", cport, "netns", &l2])?;
            ip(&msee, &["link", "add", "cust", "type", "veth", "peer", "name", mport, "netns", &l2])?;
            ip(&l2, &["link", "add", &seg, "type", "bridge"])?;
            for port in [cport, mport] {
                ip(&l2, &["link", "set", port, "master", &seg])?;
                ip(&l2, &["link", "set", port, "up"])?;
            }
            ip(&l2, &["link", "set", &seg, "up"])?;
            ip(&ce, &["link", "set", &frr::ce_interface(p, spec.vlan), "up"])?;
            ip(&msee, &["link", "set", "cust", "up"])?;
            // A lost neighbour shows as a failed resolution within seconds,
            // not after the kernel's default minute.
            for (ns, dev) in [(&ce, frr::ce_interface(p, spec.vlan)), (&msee, "cust".to_string())] {
                ip(ns, &["ntable", "change", "name", "arp_cache", "dev", &dev, "delay_probe", "1000", "base_reachable", "2000"])?;
            }
            // The MSEE's side towards the VNet gateway.
            let gport = if p == DevicePath::Secondary { "m2" } else { "m1" };
            ip(&msee, &["link", "add", "vnet", "type", "veth", "peer", "name", gport, "netns", &gw])?;
            ip(&msee, &["link", "set", "vnet", "up"])?;
        }
        ip(&gw, &["link", "add", "gwsub", "type", "bridge"])?;
        for port in ["m1", "m2"] {
            ip(&gw, &["link", "set", port, "master", "gwsub"])?;
            ip(&gw, &["link", "set", port, "up"])?;
        }
        ip(&gw, &["link", "set", "gwsub", "up"])?;
        for role in ROUTERS {
            self.start_router(state, role, making)?;
        }
        Ok(())
    }

    /// Writes a router's configuration and starts zebra and bgpd in its
    /// namespace. The configurations are root's (group frr, 0640) in a
    /// directory of root's; bgpd's log is made by root and handed to frr;
    /// FRR writes its pid files and sockets in the run directory.
    fn start_router(&self, state: &State, role: &str, making: &mut Making) -> Result<(), LabError> {
        let spec = &state.spec;
        let frr = making.frr;
        let dir = making.dir.join(role);
        let ns = self.ns(role);
        owned::make_dir(&dir, frr.gid)?;
        let run_id = owned::make_run_dir(&ns, frr)?;
        making.record(
            |m| {
                m.run_dirs.insert(ns.clone(), run_id);
            },
            || {
                let _ = owned::remove_run_dir(&ns, run_id);
            },
        )?;
        let run_dir = Path::new(FRR_RUN).join(&ns);
        let log_file = dir.join("bgpd.log");
        owned::write_new(&log_file, b"", (frr.uid, frr.gid), 0o640)?;
        let log = log_file.display().to_string();
        let (zebra, bgpd) = match role {
            "ce" => (frr::ce_zebra(spec), frr::ce_bgpd(spec, &state.key, &log)),
            "msee1" | "msee2" => {
                let p = if role == "msee2" { DevicePath::Secondary } else { DevicePath::Primary };
                (frr::msee_zebra(spec, p), frr::msee_bgpd(spec, p, &state.key, &log))
            }
            "gw" => (frr::gateway_zebra(spec), frr::gateway_bgpd(spec, &log)),
            _ => unreachable!("not a router role: {role}"),
        };
        // BFD runs between the CE and the MSEEs, as Microsoft recommends on
        // private peering; the gateway's sessions do without.
        let mut daemons = vec![("zebra", zebra)];
        if role != "gw" {
            daemons.push(("bfdd", format!("frr defaults traditional\nhostname {role}\n!\n")));
        }
        daemons.push(("bgpd", bgpd));
        let ns_id = making.marker.namespaces[&ns];
        for (daemon, conf) in daemons {
            let file = dir.join(format!("{daemon}.conf"));
            owned::write_new(&file, conf.as_bytes(), (0, frr.gid), 0o640)?;
            let program = Path::new(FRR_DIR).join(daemon);
            let pid = run_dir.join(format!("{daemon}.pid"));
            netns_exec(&ns, &program.display().to_string(), &["-d", "-N", &ns, "-f", &file.display().to_string(), "-i", &pid.display().to_string()])?;
            let started = started_daemon(ns_id, &program, &making.marker.daemons)?;
            making.record(
                |m| m.daemons.push(Daemon { ns: ns.clone(), daemon: daemon.into(), pid: started.0, start: started.1 }),
                || sys::stop(&Proc::open(started.0, ns_id, Some(started.1)).into_iter().collect::<Vec<_>>(), Duration::from_secs(3)),
            )?;
            if daemon == "zebra" {
                wait_for(&run_dir.join("zserv.api"), Duration::from_secs(10))?;
            }
        }
        Ok(())
    }

    /// A namespace of the lab, checked to be the one it created, and the marker.
    pub fn owned_ns(&self, role: &str) -> Result<(String, FileId, Marker), LabError> {
        let marker = self.marker()?.ok_or_else(|| LabError::NotUp(self.name.clone()))?;
        let ns = self.ns(role);
        match marker.namespaces.get(&ns).copied() {
            Some(id) if sys::netns_id(&ns) == Some(id) => Ok((ns, id, marker)),
            _ => Err(LabError::Refused(format!("namespace {ns} is not the one lab `{}` created", self.name))),
        }
    }

    /// Stops a router's daemons (for `msee-down`): the ones the marker
    /// records, if they still are those (same namespace, same start time).
    fn stop_router(&self, role: &str) -> Result<(), LabError> {
        let (ns, id, marker) = self.owned_ns(role)?;
        for daemon in ["bgpd", "bfdd", "zebra"] {
            let procs: Vec<Proc> = marker.daemons.iter().filter(|d| d.ns == ns && d.daemon == daemon).filter_map(|d| Proc::open(d.pid, id, Some(d.start))).collect();
            sys::stop(&procs, Duration::from_secs(3));
        }
        Ok(())
    }

    /// Removes what the lab created, also after a crash of `up`: what its
    /// marker records and still is what it records. Anything else named
    /// like the lab's is left alone and listed in [`Removal::left`].
    pub fn down(&self) -> Result<Removal, LabError> {
        let dir = self.dir()?;
        let marker = Marker::read(&dir, &self.name)?;
        let mut out = Removal::default();
        let mut ours = Vec::new();
        for ns in self.existing_namespaces()? {
            let recorded = marker.as_ref().and_then(|m| m.namespaces.get(&ns)).copied();
            match recorded.filter(|id| sys::netns_id(&ns) == Some(*id)) {
                Some(id) => ours.push((ns, id)),
                None => out.left.push(format!("namespace {ns}")),
            }
        }
        let Some(marker) = marker else { return Ok(out) };
        // Stop every process of the lab's namespaces at once, then wait once.
        let procs: Vec<Proc> = ours.iter().flat_map(|(_, id)| sys::pids_in(*id).into_iter().filter_map(|pid| Proc::open(pid, *id, None))).collect();
        sys::stop(&procs, Duration::from_secs(3));
        for (ns, _) in ours {
            // Deleting the namespace removes the veths and bridges in it.
            sys::run("ip", &["netns", "delete", &ns])?;
            out.removed.push(format!("namespace {ns}"));
        }
        for (ns, id) in &marker.run_dirs {
            let path = Path::new(FRR_RUN).join(ns).display().to_string();
            match owned::remove_run_dir(ns, *id)? {
                Found::Removed => out.removed.push(path),
                Found::Gone => {}
                Found::Other => out.left.push(path),
            }
        }
        std::fs::remove_dir_all(&dir).map_err(|e| LabError::State(format!("{}: {e}", dir.display())))?;
        out.removed.push(dir.display().to_string());
        Ok(out)
    }

    /// Applies a break and waits until it shows in the routers' state.
    pub fn apply(&self, kind: BreakKind, path: DevicePath, timeout: Duration) -> Result<State, LabError> {
        preflight()?;
        let mut state = self.load()?;
        let spec = state.spec.clone();
        let ce = self.ns("ce");
        let (ce_ip, msee_ip) = usable(spec.subnet(path));
        let other_msee = usable(spec.subnet(path.other())).1;
        let bgp = format!("router bgp {}", spec.peer_asn);
        let af = "address-family ipv4 unicast";
        let msee6 = match (&spec.v6, kind) {
            (Some(v6), _) => Some(v6.usable(path).1),
            (None, BreakKind::V6SessionDown | BreakKind::V6PrefixMissing) => {
                return Err(LabError::Usage(format!("lab `{}` was built without IPv6: `erdiag lab fix` rebuilds it dual-stack", self.name)))
            }
            (None, _) => None,
        };
        let af6 = "address-family ipv6 unicast";
        match kind {
            BreakKind::Md5 => {
                let wrong = format!("{}x", random_key()?);
                vtysh(&ce, &["configure terminal", &bgp, &format!("neighbor {msee_ip} password {wrong}")])?;
                vtysh(&ce, &[&format!("clear ip bgp {msee_ip}")])?;
            }
            BreakKind::Asn => {
                vtysh(&ce, &["configure terminal", &bgp, &format!("neighbor {msee_ip} remote-as {}", crate::spec::MSEE_ASN - 1)])?;
            }
            BreakKind::CeAddress => {
                let len = spec.subnet(path).prefix_len();
                let ifname = frr::ce_interface(path, current_vlan(&state, path));
                vtysh(&ce, &["configure terminal", &format!("interface {ifname}"), &format!("no ip address {ce_ip}/{len}"), &format!("ip address {msee_ip}/{len}")])?;
                vtysh(&ce, &["configure terminal", &bgp, &format!("no neighbor {msee_ip}")])?;
                // The same neighbor, pointed at the CE's own (first usable) address.
                let mut cmds: Vec<String> = vec!["configure terminal".into(), bgp.clone()];
                cmds.extend(frr::neighbor_lines(&ce_ip.to_string(), crate::spec::MSEE_ASN, Some(&state.key)));
                vtysh(&ce, &cmds.iter().map(String::as_str).collect::<Vec<_>>())?;
            }
            BreakKind::LinkDown => {
                ip(&self.ns("l2"), &["link", "set", ports(path).0, "down"])?;
            }
            BreakKind::Vlan => {
                // No 802.1Q devices needed: the CE's subinterface moves to
                // the provider's segment of VLAN+1, and is renamed with it.
                let old_vlan = current_vlan(&state, path);
                let new_vlan = if old_vlan >= 4094 { old_vlan - 1 } else { old_vlan + 1 };
                let l2 = self.ns("l2");
                let seg = segment(path, new_vlan);
                if ip(&l2, &["link", "show", &seg]).is_err() {
                    ip(&l2, &["link", "add", &seg, "type", "bridge"])?;
                    ip(&l2, &["link", "set", &seg, "up"])?;
                }
                ip(&l2, &["link", "set", ports(path).0, "master", &seg])?;
                let (old, new) = (frr::ce_interface(path, old_vlan), frr::ce_interface(path, new_vlan));
                let net = spec.subnet(path);
                let addr = format!("{}/{}", ce_addr_now(&state, path), net.prefix_len());
                vtysh(&ce, &["configure terminal", &format!("interface {old}"), &format!("no ip address {addr}")])?;
                ip(&ce, &["link", "set", &old, "down"])?;
                ip(&ce, &["link", "set", &old, "name", &new])?;
                ip(&ce, &["link", "set", &new, "up"])?;
                vtysh(&ce, &["configure terminal", &format!("no interface {old}")]).ok();
                vtysh(&ce, &["configure terminal", &format!("interface {new}"), &format!("ip address {addr}")])?;
            }
            BreakKind::Withdraw => self.advertise_nothing(&bgp, af, &msee_ip.to_string())?,
            BreakKind::V6PrefixMissing => self.advertise_nothing(&bgp, af6, &msee6.map(|a| a.to_string()).unwrap_or_default())?,
            BreakKind::V6SessionDown => {
                let n = msee6.map(|a| a.to_string()).unwrap_or_default();
                vtysh(&ce, &["configure terminal", &bgp, af6, &format!("no neighbor {n} activate")])?;
            }
            BreakKind::PrefixLimit => {
                // limit + 1 routes into the CE's kernel table (one `ip -batch`),
                // redistributed into BGP: thousands of vtysh lines would take minutes.
                let batch: String = (0..=spec.prefix_limit).map(|i| format!("route add blackhole 100.{}.{}.0/24\n", 64 + i / 256, i % 256)).collect();
                let file = self.dir()?.join("extra-routes.batch");
                owned::write_new(&file, batch.as_bytes(), (0, 0), 0o600)?;
                ip(&ce, &["-batch", &file.display().to_string()])?;
                self.extra_to_one_path(&bgp, &other_msee, &["ip prefix-list ERDIAG-LAB-EXTRA seq 5 permit 100.64.0.0/10 le 24"], &["redistribute kernel route-map ERDIAG-LAB-EXTRA"])?;
            }
            BreakKind::VnetPrefix => {
                let lists: Vec<String> = spec.vnet.iter().map(|p| format!("ip prefix-list ERDIAG-LAB-EXTRA permit {p}")).collect();
                let networks: Vec<String> = spec.vnet.iter().map(|p| format!("network {p}")).collect();
                self.extra_to_one_path(&bgp, &other_msee, &lists.iter().map(String::as_str).collect::<Vec<_>>(), &networks.iter().map(String::as_str).collect::<Vec<_>>())?;
            }
            BreakKind::MseeDown => {
                self.stop_router(frr::msee_role(path))?;
                ip(&self.ns(frr::msee_role(path)), &["link", "set", "cust", "down"])?;
                ip(&self.ns(frr::msee_role(path)), &["neigh", "flush", "all"]).ok();
            }
            BreakKind::GatewayDown => {
                let msee_vnet = spec.msee_vnet_ips[path.index()];
                vtysh(&self.ns("gw"), &["configure terminal", "router bgp 65515", &format!("neighbor {msee_vnet} shutdown")])?;
            }
        }
        state.breaks.push(Applied { kind, path });
        self.save(&state)?;
        self.wait(timeout, &format!("the {} break to show", kind.name()), |live| live.shows(&spec, kind, path))?;
        Ok(state)
    }

    /// The CE's outbound route-map towards one neighbor, in one
    /// address-family, denies every prefix.
    fn advertise_nothing(&self, bgp: &str, af: &str, neighbor: &str) -> Result<(), LabError> {
        let ce = self.ns("ce");
        vtysh(&ce, &["configure terminal", "route-map ERDIAG-LAB-NOTHING deny 10"])?;
        vtysh(&ce, &["configure terminal", bgp, af, &format!("neighbor {neighbor} route-map ERDIAG-LAB-NOTHING out")])?;
        Ok(())
    }

    /// Advertises extra prefixes (matched by the prefix-list ERDIAG-LAB-EXTRA)
    /// to one path's MSEE only: the other neighbor's outbound route-map hides them.
    fn extra_to_one_path(&self, bgp: &str, other_msee: &std::net::Ipv4Addr, prefix_lists: &[&str], af_lines: &[&str]) -> Result<(), LabError> {
        let mut cmds: Vec<String> = vec!["configure terminal".into()];
        cmds.extend(prefix_lists.iter().map(|l| l.to_string()));
        cmds.extend(["route-map ERDIAG-LAB-EXTRA permit 10", "match ip address prefix-list ERDIAG-LAB-EXTRA", "exit"].map(String::from));
        cmds.extend(["route-map ERDIAG-LAB-HIDE deny 10", "match ip address prefix-list ERDIAG-LAB-EXTRA", "exit", "route-map ERDIAG-LAB-HIDE permit 20", "exit"].map(String::from));
        cmds.push(bgp.to_string());
        cmds.push("address-family ipv4 unicast".into());
        cmds.push(format!("neighbor {other_msee} route-map ERDIAG-LAB-HIDE out"));
        cmds.extend(af_lines.iter().map(|l| l.to_string()));
        vtysh(&self.ns("ce"), &cmds.iter().map(String::as_str).collect::<Vec<_>>())?;
        Ok(())
    }

    /// Undoes every break: the routers are rebuilt from the scenario, and
    /// the lab waits until it has converged again.
    pub fn fix(&self, timeout: Duration) -> Result<State, LabError> {
        preflight()?;
        let state = self.load()?;
        let (spec, key) = (state.spec.clone(), state.key.clone());
        let removal = self.down()?;
        if !removal.left.is_empty() {
            return Err(LabError::Refused(format!("{} not created by lab `{}`: left alone, so it cannot be rebuilt", removal.left.join(", "), self.name)));
        }
        self.up_with(spec, key, timeout)
    }
}

/// The provider-side ports of a path: towards the CE, towards the MSEE.
pub fn ports(p: DevicePath) -> (&'static str, &'static str) {
    if p == DevicePath::Secondary {
        ("cs", "ms")
    } else {
        ("cp", "mp")
    }
}

/// The provider's bridge for a path and VLAN.
pub fn segment(p: DevicePath, vlan: u16) -> String {
    format!("seg-{}{vlan}", if p == DevicePath::Secondary { "s" } else { "p" })
}

/// The VLAN the CE's subinterface of a path is on now.
pub fn current_vlan(state: &State, path: DevicePath) -> u16 {
    let n = state.breaks.iter().filter(|b| b.kind == BreakKind::Vlan && b.path == path).count() as u16;
    let v = state.spec.vlan;
    (0..n).fold(v, |v, _| if v >= 4094 { v - 1 } else { v + 1 })
}

fn ce_addr_now(state: &State, path: DevicePath) -> std::net::Ipv4Addr {
    let (ce, msee) = usable(state.spec.subnet(path));
    if state.breaks.iter().any(|b| b.kind == BreakKind::CeAddress && b.path == path) {
        msee
    } else {
        ce
    }
}

fn random_key() -> Result<String, LabError> {
    owned::random_hex(12)
}

/// The daemon just started in a namespace: the one process there running
/// its program that the marker does not know yet. Its pid file is never read.
fn started_daemon(ns: FileId, program: &Path, known: &[Daemon]) -> Result<(i32, u64), LabError> {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let new: Vec<i32> = sys::pids_in(ns).into_iter().filter(|p| !known.iter().any(|d| d.pid == *p) && sys::exe(*p).as_deref() == Some(program)).collect();
        if let [pid] = new[..] {
            if let Some(start) = sys::start_time(pid) {
                return Ok((pid, start));
            }
        }
        if new.len() > 1 {
            return Err(LabError::State(format!("{} runs {} times in one namespace", program.display(), new.len())));
        }
        if Instant::now() >= until {
            return Err(LabError::Timeout(format!("{} to start", program.display())));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_for(path: &Path, timeout: Duration) -> Result<(), LabError> {
    let until = Instant::now() + timeout;
    while !path.exists() {
        if Instant::now() >= until {
            return Err(LabError::Timeout(format!("{} did not appear", path.display())));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn making(dir: PathBuf) -> Making {
        let marker = Marker { format: "erdiag-lab-owner/1".into(), id: "0".repeat(32), name: "t".into(), namespaces: Default::default(), run_dirs: Default::default(), daemons: Vec::new() };
        Making { dir, marker, frr: Frr { uid: 0, gid: 0 } }
    }

    #[test]
    fn what_cannot_be_recorded_is_undone() {
        // A directory that does not exist: the marker cannot be saved, as on a full disk.
        let mut m = making(std::env::temp_dir().join("erdiag-lab-no-such-dir").join("x"));
        let undone = Cell::new(false);
        assert!(m.record(|mk| mk.run_dirs.clear(), || undone.set(true)).is_err());
        assert!(undone.get(), "what was made but not recorded must be removed");
    }

    #[test]
    fn what_is_recorded_is_kept() {
        let dir = std::env::temp_dir().join(format!("erdiag-lab-record-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut m = making(dir.clone());
        let undone = Cell::new(false);
        let saved = m.record(|mk| mk.run_dirs.clear(), || undone.set(true));
        let _ = std::fs::remove_dir_all(&dir);
        // Saving needs root (the marker is root's alone); as another user it fails and is undone.
        assert_eq!(saved.is_ok(), !undone.get());
    }
}
