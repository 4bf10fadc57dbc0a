//! The check catalogue as data: the list `erdiag checks` shows and the
//! documentation `erdiag explain` prints. Rendering them is the caller's.

use crate::Error;
use erdiag_checks::{registry, Check};
use serde::Serialize;

/// One check of the catalogue, as `erdiag checks -o json` lists it (the
/// fields in this order: the order of a JSON object's keys).
#[derive(Debug, Clone, Serialize)]
pub struct CheckInfo {
    pub documentation: String,
    pub id: &'static str,
    pub layer: erdiag_checks::Layer,
    pub name: &'static str,
    #[serde(rename = "networkPoints")]
    pub network_points: &'static [u8],
    pub owner: erdiag_checks::Owner,
}

impl From<&'static Check> for CheckInfo {
    fn from(c: &'static Check) -> CheckInfo {
        CheckInfo { documentation: c.documentation(), id: c.id, layer: c.layer, name: c.name, network_points: c.points, owner: c.owner }
    }
}

/// Every check, in run order (which is report order): a circuit's, then
/// the fleet's (layer `resiliency`).
pub fn checks() -> Vec<&'static Check> {
    registry::every().collect()
}

/// The check with this ID (`ER301`) or name (`arp-on-prem-entry-missing`).
pub fn find(id_or_name: &str) -> Result<&'static Check, Error> {
    registry::find(id_or_name)
        .ok_or_else(|| Error::usage(format!("no check with ID or name `{id_or_name}`")).with_hint("`erdiag checks` lists them"))
}

/// A check's network points with the guide's names: `(5, "MSEE")`.
pub fn points(c: &Check) -> Vec<(u8, &'static str)> {
    c.points.iter().map(|p| (*p, erdiag_checks::report::point_name(*p))).collect()
}

/// The IDs of the checks named by `--accept-unverified` (IDs or names; blank
/// entries are ignored). A name no check has is a usage error.
pub fn accepted(ids_or_names: &[String]) -> Result<Vec<String>, Error> {
    ids_or_names
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| {
            registry::find(a)
                .map(|c| c.id.to_string())
                .ok_or_else(|| Error::usage(format!("--accept-unverified: no check with ID or name `{a}`")).with_hint("`erdiag checks` lists them"))
        })
        .collect()
}
