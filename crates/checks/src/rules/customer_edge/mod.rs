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
pub mod ce_ip_mismatch;
pub mod ce_md5_mismatch;
pub mod ce_neighbor_shutdown;
pub mod ce_vlan_mismatch;
pub mod ce_vnet_best_path;

use crate::ce::{CeConfigFile, ShowOutput};
use crate::facts;
use crate::Context;
use erdiag_model::{DevicePath, PeerSubnet, PeeringState};

/// Calls `f` for every (path, CE configuration, peering it concerns, subnet).
pub(crate) fn each<'s>(cx: &Context<'s>, mut f: impl FnMut(DevicePath, &CeConfigFile<'s>, &'s PeeringState, PeerSubnet)) {
    for d in DevicePath::BOTH {
        for c in &cx.ce[d.index()].configs {
            for p in crate::ce::peerings_for(cx.state, &c.config, d) {
                if let Some(sub) = facts::addresses(&p.peering, d) {
                    f(d, c, p, sub);
                }
            }
        }
    }
}

/// Calls `f` for every (path, show output, peering, subnet).
pub(crate) fn each_show<'s>(cx: &Context<'s>, mut f: impl FnMut(DevicePath, &ShowOutput, &'s PeeringState, PeerSubnet)) {
    each_path_shows(cx, |d, outputs, p, sub| {
        for o in outputs {
            f(d, o, p, sub);
        }
    });
}

/// Calls `f` once for every (path with show outputs, all its show outputs,
/// peering, subnet): for checks that weigh several outputs together.
pub(crate) fn each_path_shows<'s>(cx: &Context<'s>, mut f: impl FnMut(DevicePath, &[ShowOutput], &'s PeeringState, PeerSubnet)) {
    for d in DevicePath::BOTH {
        let outputs = &cx.ce[d.index()].shows;
        if outputs.is_empty() {
            continue;
        }
        for p in &cx.state.peerings {
            if let Some(sub) = facts::addresses(&p.peering, d) {
                f(d, outputs, p, sub);
            }
        }
    }
}
