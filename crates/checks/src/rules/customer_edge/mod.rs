//! The customer-edge cross-check: the CE router's configuration and show
//! outputs held against the Azure side of each peering and path. The rules
//! read the evidence parsed once into the checks' `Context` (`cx.ce`).
pub mod ce_advertised_prefixes;
pub mod ce_arp_msee_missing;
pub mod ce_asn_mismatch;
pub mod ce_bfd_disabled;
pub mod ce_bgp_session_down;
pub mod ce_input_not_understood;
pub mod ce_default_route_to_microsoft;
pub mod ce_interface_state;
pub mod ce_ipv6_neighbor_mismatch;
pub mod ce_ip_mismatch;
pub mod ce_macsec_cipher_mismatch;
pub mod ce_macsec_sci_mismatch;
pub mod ce_macsec_state_mismatch;
pub mod ce_md5_mismatch;
pub mod ce_neighbor_shutdown;
pub mod ce_vlan_mismatch;
pub mod ce_vnet_best_path;

use crate::ce::{CeConfigFile, ShowOutput};
use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_ce::config::Macsec;
use erdiag_model::direct::{MacSecConfig, PortLink};
use erdiag_model::{DevicePath, PeerSubnet, PeeringState};

/// The findings `f` makes for every (path, CE configuration, peering it
/// concerns, subnet), scoped to the peering and path, in that order.
pub(crate) fn each<'s, I: IntoIterator<Item = Finding>>(
    cx: &Context<'s>,
    out: &mut Vec<Finding>,
    mut f: impl FnMut(DevicePath, &CeConfigFile<'s>, &'s PeeringState, PeerSubnet) -> I,
) {
    for d in DevicePath::BOTH {
        for c in &cx.ce[d.index()].configs {
            for p in crate::ce::peerings_for(cx.state, &c.config, d) {
                if let Some(sub) = facts::addresses(&p.peering, d) {
                    out.extend(f(d, c, p, sub).into_iter().map(|x| x.peering(p.name()).path(d)));
                }
            }
        }
    }
}

/// What a MACsec cross-check holds against the CE: the port's link, its
/// `macSecConfig` when MACsec is configured on it, the CE configuration
/// given for the link's path and the CE's MACsec on the port facing the
/// link (`None`: not turned on there).
pub(crate) struct MacsecPair<'a> {
    pub link: &'a PortLink,
    pub azure: Option<&'a MacSecConfig>,
    pub file: &'a CeConfigFile<'a>,
    pub port: &'a str,
    pub ce: Option<&'a Macsec>,
    /// The path the link carries (link1 primary, link2 secondary).
    pub path: DevicePath,
}

impl MacsecPair<'_> {
    /// What a MACsec mismatch on this link does at the layers above, said
    /// the same way by ER920–ER922: the path it carries is out of service,
    /// the other path carries the traffic.
    pub fn consequence(&self) -> String {
        format!(
            "the link passes no traffic, so on the {d} path ARP for the peering's addresses gets no reply and the BGP session is down; the {o} path carries the traffic",
            d = self.path,
            o = self.path.other()
        )
    }
}

/// The findings `f` makes for every link of the circuit's ExpressRoute
/// Direct port against the CE configuration of its path (link1 primary,
/// link2 secondary), scoped to the path: `not_used` off Direct; one `skip`
/// (an input not supplied, as coverage lists it) when no CE configuration
/// was given for either path; `unknown` when the port was not read, no CE
/// configuration was given for this link's path while the other has one,
/// or none of its interfaces faces the path's /30 (so the port facing the
/// link cannot be told), each saying what would complete it.
pub(crate) fn each_direct_link<'s>(c: &Check, cx: &'s Context<'s>, out: &mut Vec<Finding>, mut f: impl FnMut(&MacsecPair) -> Finding) {
    let (_, port) = match crate::direct::port(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    if cx.ce.iter().all(|ev| ev.configs.is_empty()) {
        return out.push(Finding::skip(c, "No CE configuration supplied to hold the port's MACsec against (--ce primary=FILE --ce secondary=FILE, the CE routers on link1 and link2)."));
    }
    for link in crate::direct::links(port) {
        let label = crate::direct::label(link);
        let Some(d) = link.path() else { continue };
        let configs = &cx.ce[d.index()].configs;
        if configs.is_empty() {
            out.push(
                Finding::unknown(c, format!("{label}: no CE configuration was given for the {d} path, so the CE's MACsec cannot be held against the link."))
                    .fix(format!("Give the running configuration of the CE on link {} (--ce {d}=FILE).", link.name()))
                    .path(d),
            );
            continue;
        }
        for file in configs {
            let facing = crate::ce::peerings_for(cx.state, &file.config, d).into_iter().find_map(|p| {
                let sub = facts::addresses(&p.peering, d)?;
                crate::ce::facing_interface(&file.config, p, &sub).map(|i| (p, i))
            });
            let Some((p, iface)) = facing else {
                out.push(
                    Finding::unknown(c, format!("{label}: no interface of {} is in a peering's {d} /30 or on its VLAN, so the CE port facing the link cannot be told.", file.file))
                        .fix(format!("Give the configuration of the CE router on link {} (the one holding the {d} path's peering addresses).", link.name()))
                        .path(d),
                );
                continue;
            };
            let port = iface.parent_name().unwrap_or(&iface.name.value);
            let pair = MacsecPair { link, azure: link.macsec(), file, port, ce: file.config.macsec_on(iface), path: d };
            let ev = format!("{}: CE port {port} (of {}, at {})", link.name(), iface.name.value, crate::ce::at(file, iface.name.span));
            out.push(f(&pair).evidence(ev).peering(p.name()).path(d));
        }
    }
}

/// The findings `f` makes for every (path, show output, peering, subnet),
/// scoped to the peering and path.
pub(crate) fn each_show<'s>(cx: &Context<'s>, out: &mut Vec<Finding>, mut f: impl FnMut(DevicePath, &ShowOutput, &'s PeeringState, PeerSubnet) -> Option<Finding>) {
    each_path_shows(cx, out, |d, outputs, p, sub| outputs.iter().filter_map(|o| f(d, o, p, sub)).collect::<Vec<_>>());
}

/// The findings `f` makes once for every (path with show outputs, all its
/// show outputs, peering, subnet), scoped to the peering and path: for
/// checks that weigh several outputs together.
pub(crate) fn each_path_shows<'s, I: IntoIterator<Item = Finding>>(
    cx: &Context<'s>,
    out: &mut Vec<Finding>,
    mut f: impl FnMut(DevicePath, &[ShowOutput], &'s PeeringState, PeerSubnet) -> I,
) {
    each_subnet(cx, out, |d, p, sub| {
        let outputs = &cx.ce[d.index()].shows;
        (!outputs.is_empty()).then(|| f(d, outputs, p, sub)).into_iter().flatten()
    });
}

/// The findings `f` makes for every (path, peering whose subnet on that
/// path is valid, subnet), scoped to the peering and path.
pub(crate) fn each_subnet<'s, I: IntoIterator<Item = Finding>>(
    cx: &Context<'s>,
    out: &mut Vec<Finding>,
    mut f: impl FnMut(DevicePath, &'s PeeringState, PeerSubnet) -> I,
) {
    for d in DevicePath::BOTH {
        for p in &cx.state.peerings {
            if let Some(sub) = facts::addresses(&p.peering, d) {
                out.extend(f(d, p, sub).into_iter().map(|x| x.peering(p.name()).path(d)));
            }
        }
    }
}
