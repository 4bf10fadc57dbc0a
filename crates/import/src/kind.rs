//! What a file is: which command printed it, and in which form.
//!
//! Detection looks at content only (field names, the shape of the text); the
//! file name never decides what a file is, except for an empty JSON list,
//! whose rows cannot say which table it was.

use std::fmt;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Content {
    /// One or more circuits (`az network express-route show`/`list`,
    /// `Get-AzExpressRouteCircuit`).
    Circuit,
    /// One or more peerings (`az network express-route peering show`/`list`,
    /// `Get-AzExpressRouteCircuitPeeringConfig`).
    Peering,
    /// `list-arp-tables`, `Get-AzExpressRouteCircuitARPTable`.
    ArpTable,
    /// `list-route-tables`, `Get-AzExpressRouteCircuitRouteTable`.
    RouteTable,
    /// `list-route-tables-summary`, `Get-AzExpressRouteCircuitRouteTableSummary`.
    RouteTableSummary,
    /// `get-stats`, `Get-AzExpressRouteCircuitStats`.
    Stats,
    /// One or more Virtual WAN ExpressRoute gateways (`az network
    /// express-route gateway show`/`list`), each kept under its `id`.
    VwanGateway,
    /// One or more ExpressRoute Direct ports (`az network express-route
    /// port show`/`list`, `Get-AzExpressRoutePort`), each kept under its `id`.
    ExpressRoutePort,
    /// `Get-AzExpressRouteCircuitPeeringConfig : Sequence contains no matching element`.
    PeeringNotConfigured,
    /// `… : The BGP Peering X with Service Key … is not found.` (`StatusCode: 400`).
    PeeringNotFound,
    /// Any other error a `Get-AzExpressRouteCircuit…` cmdlet printed.
    CallFailed,
}

impl Content {
    /// The Azure CLI command and the PowerShell cmdlet that print it.
    pub fn commands(self) -> (&'static str, &'static str) {
        match self {
            Content::Circuit => ("az network express-route show", "Get-AzExpressRouteCircuit"),
            Content::Peering => ("az network express-route peering show", "Get-AzExpressRouteCircuitPeeringConfig"),
            Content::ArpTable => ("az network express-route list-arp-tables", "Get-AzExpressRouteCircuitARPTable"),
            Content::RouteTable => ("az network express-route list-route-tables", "Get-AzExpressRouteCircuitRouteTable"),
            Content::RouteTableSummary => {
                ("az network express-route list-route-tables-summary", "Get-AzExpressRouteCircuitRouteTableSummary")
            }
            Content::Stats => ("az network express-route get-stats", "Get-AzExpressRouteCircuitStats"),
            Content::VwanGateway => ("az network express-route gateway show", "Get-AzExpressRouteGateway"),
            Content::ExpressRoutePort => ("az network express-route port show", "Get-AzExpressRoutePort"),
            Content::PeeringNotConfigured => ("", "Get-AzExpressRouteCircuitPeeringConfig"),
            Content::PeeringNotFound | Content::CallFailed => ("", "Get-AzExpressRouteCircuit…"),
        }
    }

    /// A per-path MSEE table (needs a peering and a device path).
    pub fn is_table(self) -> bool {
        matches!(self, Content::ArpTable | Content::RouteTable | Content::RouteTableSummary)
    }
}

impl fmt::Display for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Content::Circuit => "circuit",
            Content::Peering => "peering",
            Content::ArpTable => "ARP table",
            Content::RouteTable => "route table",
            Content::RouteTableSummary => "route-table summary",
            Content::Stats => "traffic statistics",
            Content::VwanGateway => "Virtual WAN ExpressRoute gateway",
            Content::ExpressRoutePort => "ExpressRoute Direct port",
            Content::PeeringNotConfigured => "peering not configured",
            Content::PeeringNotFound => "peering not found",
            Content::CallFailed => "failed call",
        })
    }
}

/// The form the output is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON: `az … -o json`, `az rest`, or `ConvertTo-Json` (any key case).
    Json,
    /// PowerShell's list form: `Name : value` lines, records separated by
    /// blank lines, complex values as indented JSON.
    List,
    /// A text table: a header line, a line of dashes, aligned rows
    /// (PowerShell's table form, or `az … -o table`).
    Table,
    /// The error text a PowerShell cmdlet printed.
    PowerShellError,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "JSON",
            Format::List => "PowerShell list",
            Format::Table => "text table",
            Format::PowerShellError => "PowerShell error",
        })
    }
}

/// What [`detect`](crate::detect) recognised in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind {
    pub content: Content,
    pub format: Format,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (az, ps) = self.content.commands();
        match self.format {
            Format::Json if !az.is_empty() => write!(f, "{} ({}, as `{az}` prints it)", self.content, self.format),
            Format::PowerShellError => write!(f, "{} ({})", self.content, self.format),
            _ => write!(f, "{} ({}, as `{ps}` prints it)", self.content, self.format),
        }
    }
}

/// Which content a set of field names belongs to. Names are compared without
/// case and underscores, so `PeerASN`, `peerAsn` and `peer_asn` are the same.
pub(crate) fn content_of_fields<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Content> {
    let names: Vec<String> = names.into_iter().map(squash).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if ["circuitprovisioningstate", "serviceproviderprovisioningstate", "serviceproviderproperties", "servicekey"]
        .iter()
        .any(|n| has(n))
    {
        return Some(Content::Circuit);
    }
    if ["autoscaleconfiguration", "expressrouteconnections", "allownonvirtualwantraffic"].iter().any(|n| has(n)) {
        return Some(Content::VwanGateway);
    }
    if ["provisionedbandwidthingbps", "allocationdate", "ethertype"].iter().any(|n| has(n)) || (has("links") && has("encapsulation")) {
        return Some(Content::ExpressRoutePort);
    }
    if ["peeringtype", "azureasn", "peerasn", "vlanid", "primarypeeraddressprefix"].iter().any(|n| has(n)) {
        return Some(Content::Peering);
    }
    if has("statepfxrcd") || (has("neighbor") && has("updown")) {
        return Some(Content::RouteTableSummary);
    }
    if has("macaddress") || has("interfaceproperty") || (has("ipaddress") && has("age")) {
        return Some(Content::ArpTable);
    }
    if has("nexthop") || has("locprf") || (has("network") && has("path")) {
        return Some(Content::RouteTable);
    }
    if ["primarybytesin", "primarybytesout", "secondarybytesin", "secondarybytesout"].iter().any(|n| has(n)) {
        return Some(Content::Stats);
    }
    None
}

/// Lower case without `_` or `-`: the form field names are compared in.
pub(crate) fn squash(s: &str) -> String {
    s.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_sets() {
        assert_eq!(content_of_fields(["Age", "InterfaceProperty", "IpAddress", "MacAddress"]), Some(Content::ArpTable));
        assert_eq!(content_of_fields(["neighbor", "v", "as", "upDown", "statePfxRcd"]), Some(Content::RouteTableSummary));
        assert_eq!(content_of_fields(["Network", "NextHop", "LocPrf", "Weight", "Path"]), Some(Content::RouteTable));
        assert_eq!(content_of_fields(["PrimaryBytesIn"]), Some(Content::Stats));
        assert_eq!(content_of_fields(["peer_asn"]), Some(Content::Peering));
        assert_eq!(content_of_fields(["name", "id"]), None);
        assert_eq!(content_of_fields(["autoScaleConfiguration", "expressRouteConnections", "virtualHub"]), Some(Content::VwanGateway));
        assert_eq!(content_of_fields(["Name", "PeeringLocation", "ProvisionedBandwidthInGbps", "Links"]), Some(Content::ExpressRoutePort));
        assert_eq!(content_of_fields(["name", "links", "encapsulation"]), Some(Content::ExpressRoutePort));
    }

    #[test]
    fn displays() {
        let k = Kind { content: Content::ArpTable, format: Format::Table };
        assert_eq!(k.to_string(), "ARP table (text table, as `Get-AzExpressRouteCircuitARPTable` prints it)");
        let k = Kind { content: Content::Stats, format: Format::Json };
        assert_eq!(k.to_string(), "traffic statistics (JSON, as `az network express-route get-stats` prints it)");
    }
}
