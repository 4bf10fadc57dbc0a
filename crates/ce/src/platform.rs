//! The router platforms, named as ntc-templates (and Netmiko) name them:
//! one enum for running configurations and show outputs alike.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Cisco IOS and IOS-XE.
    CiscoIos,
    CiscoNxos,
    CiscoXr,
    JuniperJunos,
    AristaEos,
    /// FRRouting's vtysh (also SONiC, Cumulus).
    Frr,
}

impl Platform {
    pub const ALL: [Platform; 6] = [Platform::CiscoIos, Platform::CiscoNxos, Platform::CiscoXr, Platform::JuniperJunos, Platform::AristaEos, Platform::Frr];

    /// The ntc-templates platform name (`cisco_ios`, …, and `frr`).
    pub fn ntc_name(self) -> &'static str {
        match self {
            Platform::CiscoIos => "cisco_ios",
            Platform::CiscoNxos => "cisco_nxos",
            Platform::CiscoXr => "cisco_xr",
            Platform::JuniperJunos => "juniper_junos",
            Platform::AristaEos => "arista_eos",
            Platform::Frr => "frr",
        }
    }

    /// The name people use: `Cisco IOS/IOS-XE`, `Juniper Junos`…
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::CiscoIos => "Cisco IOS/IOS-XE",
            Platform::CiscoNxos => "Cisco NX-OS",
            Platform::CiscoXr => "Cisco IOS-XR",
            Platform::JuniperJunos => "Juniper Junos",
            Platform::AristaEos => "Arista EOS",
            Platform::Frr => "FRRouting",
        }
    }

    /// Reads an ntc-templates platform name. `cisco_xe` is IOS's template
    /// set in ntc-templates too.
    pub fn from_ntc_name(name: &str) -> Option<Platform> {
        let n = name.trim().to_ascii_lowercase();
        Some(match n.as_str() {
            "cisco_ios" | "cisco_xe" => Platform::CiscoIos,
            "cisco_nxos" => Platform::CiscoNxos,
            "cisco_xr" => Platform::CiscoXr,
            "juniper_junos" | "juniper" => Platform::JuniperJunos,
            "arista_eos" => Platform::AristaEos,
            "frr" | "frrouting" => Platform::Frr,
            _ => return None,
        })
    }

    /// The platform names, for error messages.
    pub fn names() -> String {
        Platform::ALL.iter().map(|p| p.ntc_name()).collect::<Vec<_>>().join(", ")
    }

    /// Whether an output of `other` can legitimately be read with this
    /// platform's parsers (FRR's formats follow IOS's).
    pub(crate) fn shares_formats_with(self, other: Platform) -> bool {
        matches!((self, other), (Platform::CiscoIos, Platform::Frr) | (Platform::Frr, Platform::CiscoIos))
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.ntc_name())
    }
}

impl std::str::FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::from_ntc_name(s).ok_or_else(|| format!("unknown platform `{s}`: expected one of {}", Platform::names()))
    }
}
