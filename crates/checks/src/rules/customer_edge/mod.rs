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
pub mod ce_md5_mismatch;
pub mod ce_neighbor_shutdown;
pub mod ce_vlan_mismatch;
pub mod ce_vnet_best_path;

use crate::ce::{CeConfigFile, ShowOutput};
use crate::facts;
use crate::{Context, Finding};
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
