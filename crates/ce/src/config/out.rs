//! What a parse collects, with the caps that keep memory bounded, and the
//! final checks of [`super::parse_config`] (nothing found, truncation).

use super::{Bgp, CeConfig, ConfigError, Interface, Macsec, MacsecPolicy, PrefixList, RouteMap, Spanned};
use crate::{Platform, Warning};
use std::collections::HashMap;

/// Warnings kept; one more says how many were left out.
pub(crate) const MAX_WARNINGS: usize = 1000;

/// What is counted against a cap. Real CE configurations hold a few
/// hundred of each; the caps only bound what a hostile input costs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Interface,
    Neighbor,
    /// Prefix-list and route-map entries, networks, redistributions.
    Entry,
}

impl Item {
    fn cap(self) -> usize {
        match self {
            Item::Interface => 100_000,
            Item::Neighbor => 20_000,
            Item::Entry => 200_000,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Item::Interface => "interfaces",
            Item::Neighbor => "BGP neighbors",
            Item::Entry => "list entries",
        }
    }
}

pub(crate) struct Out {
    pub platform: Platform,
    pub hostname: Option<Spanned<String>>,
    pub interfaces: Vec<Interface>,
    iface_index: HashMap<String, usize>,
    pub bgp: Option<Bgp>,
    pub prefix_lists: Vec<PrefixList>,
    pl_index: HashMap<(String, bool), usize>,
    pub route_maps: Vec<RouteMap>,
    rm_index: HashMap<String, usize>,
    pub macsec: Vec<Macsec>,
    /// MKA policies / connectivity associations by name, resolved into
    /// `macsec` at the end (a policy may follow the interface naming it).
    pub macsec_policies: HashMap<String, MacsecPolicy>,
    warnings: Vec<Warning>,
    suppressed: usize,
    /// Items taken and whether the cap was reported, per [`Item`].
    items: [(usize, bool); 3],
    /// Statements of the sections that matter seen (hostname, interface,
    /// BGP, prefix list, route map): zero means nothing of use was found.
    pub recognized: usize,
}

impl Out {
    pub fn new(platform: Platform) -> Out {
        Out {
            platform,
            hostname: None,
            interfaces: Vec::new(),
            iface_index: HashMap::new(),
            bgp: None,
            prefix_lists: Vec::new(),
            pl_index: HashMap::new(),
            route_maps: Vec::new(),
            rm_index: HashMap::new(),
            macsec: Vec::new(),
            macsec_policies: HashMap::new(),
            warnings: Vec::new(),
            suppressed: 0,
            items: [(0, false); 3],
            recognized: 0,
        }
    }

    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(Warning { line, message: message.into() });
        } else {
            self.suppressed += 1;
        }
    }

    /// Counts one more item of a kind; `false` (with one warning) once its
    /// cap is reached, and the caller drops the item.
    pub fn take_item(&mut self, kind: Item, line: usize) -> bool {
        let (n, warned) = &mut self.items[kind as usize];
        if *n < kind.cap() {
            *n += 1;
            return true;
        }
        if !*warned {
            *warned = true;
            self.warn(line, format!("more than {} {}: the rest is ignored", kind.cap(), kind.what()));
        }
        false
    }

    /// The interface of that name, created (named by `name`) when new.
    pub fn interface(&mut self, name: Spanned<String>) -> Option<&mut Interface> {
        let idx = match self.iface_index.get(&name.value) {
            Some(&i) => i,
            None => {
                if !self.take_item(Item::Interface, name.span.line) {
                    return None;
                }
                self.iface_index.insert(name.value.clone(), self.interfaces.len());
                self.interfaces.push(Interface::new(name));
                self.interfaces.len() - 1
            }
        };
        Some(&mut self.interfaces[idx])
    }

    /// The prefix list of that name and family, created when new (`None`
    /// past the cap).
    pub fn prefix_list(&mut self, name: &Spanned<String>, ipv6: bool) -> Option<&mut PrefixList> {
        let key = (name.value.clone(), ipv6);
        let idx = match self.pl_index.get(&key) {
            Some(&i) => i,
            None => {
                if !self.take_item(Item::Entry, name.span.line) {
                    return None;
                }
                self.prefix_lists.push(PrefixList { name: name.value.clone(), ipv6, entries: Vec::new(), span: name.span });
                self.pl_index.insert(key, self.prefix_lists.len() - 1);
                self.prefix_lists.len() - 1
            }
        };
        Some(&mut self.prefix_lists[idx])
    }

    /// The route map of that name, created when new (`None` past the cap).
    pub fn route_map(&mut self, name: &Spanned<String>) -> Option<&mut RouteMap> {
        let idx = match self.rm_index.get(&name.value) {
            Some(&i) => i,
            None => {
                if !self.take_item(Item::Entry, name.span.line) {
                    return None;
                }
                self.route_maps.push(RouteMap { name: name.value.clone(), entries: Vec::new(), span: name.span });
                self.rm_index.insert(name.value.clone(), self.route_maps.len() - 1);
                self.route_maps.len() - 1
            }
        };
        Some(&mut self.route_maps[idx])
    }

    /// MACsec turned on for `interface` (once: a second statement for the
    /// same port updates the first).
    pub fn macsec(&mut self, interface: Spanned<String>, span: crate::config::Span) -> Option<&mut Macsec> {
        let idx = match self.macsec.iter().position(|m| m.interface.value == interface.value) {
            Some(i) => i,
            None => {
                if !self.take_item(Item::Entry, span.line) {
                    return None;
                }
                self.macsec.push(Macsec { interface, span, policy: None, cipher: None, include_sci: None, key: None });
                self.macsec.len() - 1
            }
        };
        Some(&mut self.macsec[idx])
    }

    /// The MKA policy / connectivity association of that name, created when new.
    pub fn macsec_policy(&mut self, name: &str, line: usize) -> Option<&mut MacsecPolicy> {
        if !self.macsec_policies.contains_key(name) {
            if !self.take_item(Item::Entry, line) {
                return None;
            }
            self.macsec_policies.insert(name.to_string(), MacsecPolicy::default());
        }
        self.macsec_policies.get_mut(name)
    }

    pub fn finish(mut self) -> Result<CeConfig, ConfigError> {
        for m in &mut self.macsec {
            let Some(p) = m.policy.as_ref().and_then(|p| self.macsec_policies.get(&p.value)) else { continue };
            m.cipher = m.cipher.take().or_else(|| p.cipher.clone());
            m.include_sci = m.include_sci.take().or_else(|| p.include_sci.clone());
            m.key = m.key.or(p.key);
        }
        if self.recognized == 0 {
            return Err(ConfigError::new(
                None,
                format!("found no hostname, interface, BGP, prefix-list or route-map statement of a {} configuration", self.platform.display_name()),
                Some(match self.platform {
                    Platform::JuniperJunos => "pass the output of `show configuration` or `show configuration | display set`".into(),
                    _ => format!("pass the output of `show running-config`, or name the right vendor: one of {}", Platform::names()),
                }),
            ));
        }
        if self.suppressed > 0 {
            let line = self.warnings.last().map_or(1, |w| w.line);
            self.warnings.push(Warning { line, message: format!("{} more warnings left out", self.suppressed) });
        }
        self.warnings.sort_by_key(|w| w.line);
        Ok(CeConfig {
            platform: self.platform,
            hostname: self.hostname,
            interfaces: self.interfaces,
            bgp: self.bgp,
            prefix_lists: self.prefix_lists,
            route_maps: self.route_maps,
            macsec: self.macsec,
            warnings: self.warnings,
        })
    }
}
