//! Turns what a tool printed into the body ARM returns.
//!
//! Three spellings of the same resource arrive here: ARM's own (`az rest`,
//! nested under `properties`), the Azure CLI's (flattened, camelCase, with
//! `resourceGroup`, sometimes `azureAsn` for `azureASN`), and PowerShell's
//! (flattened, PascalCase, every value text). Each body type has a schema of
//! the fields ARM defines; a key matches a field ignoring case and `_`, so one
//! table serves all three. Known fields get ARM's name and JSON type
//! (`VlanId : 200` → `"vlanId": 200`); unknown fields are kept under their
//! camelCase name; secrets (`sharedKey`, `authorizationKey`) are dropped.
//!
//! A value of the wrong type is an error with the JSON path of the offending
//! value in the input, which the caller turns into a line. A masked number
//! (`123##`, as in the guide's examples) cannot be written as a number and is
//! left out, with a note.

use crate::jsonpos::Seg;
use crate::kind::squash;
use serde_json::{Map, Number, Value};

#[derive(Clone, Copy)]
pub(crate) enum Ty {
    Str,
    /// A non-negative integer.
    Num,
    Float,
    Bool,
    StrList,
    Obj(&'static Schema),
    List(&'static Schema),
    /// Not part of ARM's body (`resourceGroup`, PowerShell's `ResourceGroupName`).
    Omit,
    /// Never written.
    Secret,
}

pub(crate) struct F {
    pub name: &'static str,
    pub ty: Ty,
    pub aliases: &'static [&'static str],
}

const fn f(name: &'static str, ty: Ty) -> F {
    F { name, ty, aliases: &[] }
}

pub(crate) struct Schema {
    pub what: &'static str,
    /// Fields at the top of the body.
    pub top: &'static [F],
    /// Fields under `properties`; `None` for bodies that have no `properties`.
    pub props: Option<&'static [F]>,
}

use Ty::*;

pub(crate) static SUB: Schema = Schema { what: "reference", top: &[f("id", Str)], props: None };

pub(crate) static SKU: Schema = Schema { what: "sku", top: &[f("name", Str), f("tier", Str), f("family", Str)], props: None };

pub(crate) static PROVIDER: Schema = Schema {
    what: "serviceProviderProperties",
    top: &[f("serviceProviderName", Str), f("peeringLocation", Str), f("bandwidthInMbps", Num)],
    props: None,
};

pub(crate) static MS_CONFIG: Schema = Schema {
    what: "microsoftPeeringConfig",
    top: &[
        f("advertisedPublicPrefixes", StrList),
        f("advertisedCommunities", StrList),
        f("advertisedPublicPrefixesState", Str),
        f("customerASN", Num),
        f("legacyMode", Num),
        f("routingRegistryName", Str),
    ],
    props: None,
};

pub(crate) static IPV6: Schema = Schema {
    what: "ipv6PeeringConfig",
    top: &[
        f("primaryPeerAddressPrefix", Str),
        f("secondaryPeerAddressPrefix", Str),
        f("microsoftPeeringConfig", Obj(&MS_CONFIG)),
        f("routeFilter", Obj(&SUB)),
        f("state", Str),
    ],
    props: None,
};

pub(crate) static STATS: Schema = Schema {
    what: "stats",
    top: &[f("primarybytesIn", Num), f("primarybytesOut", Num), f("secondarybytesIn", Num), f("secondarybytesOut", Num)],
    props: None,
};

const RESOURCE_GROUP: F = F { name: "resourceGroup", ty: Omit, aliases: &["resourceGroupName"] };

/// A Global Reach link as the peering embeds it (`connections[]`,
/// `peeredConnections[]`).
pub(crate) static CIRCUIT_CONNECTION: Schema = Schema {
    what: "Global Reach connection",
    top: &[f("id", Str), f("name", Str), f("etag", Str), f("type", Str)],
    props: Some(&[
        f("expressRouteCircuitPeering", Obj(&SUB)),
        f("peerExpressRouteCircuitPeering", Obj(&SUB)),
        f("addressPrefix", Str),
        f("authorizationKey", Secret),
        f("circuitConnectionStatus", Str),
        f("connectionName", Str),
        f("provisioningState", Str),
        f("ipv6CircuitConnectionConfig", Obj(&IPV6_CIRCUIT_CONNECTION)),
    ]),
};

pub(crate) static IPV6_CIRCUIT_CONNECTION: Schema =
    Schema { what: "ipv6CircuitConnectionConfig", top: &[f("addressPrefix", Str), f("circuitConnectionStatus", Str)], props: None };

/// An authorization as the circuit embeds it (`authorizations[]`).
pub(crate) static AUTHORIZATION: Schema = Schema {
    what: "authorization",
    top: &[f("id", Str), f("name", Str), f("etag", Str), f("type", Str), RESOURCE_GROUP],
    props: Some(&[f("authorizationKey", Secret), f("authorizationUseStatus", Str), f("provisioningState", Str)]),
};

pub(crate) static PEERING: Schema = Schema {
    what: "peering",
    top: &[f("id", Str), f("name", Str), f("etag", Str), f("type", Str), RESOURCE_GROUP],
    props: Some(&[
        f("peeringType", Str),
        f("state", Str),
        f("azureASN", Num),
        f("peerASN", Num),
        f("primaryPeerAddressPrefix", Str),
        f("secondaryPeerAddressPrefix", Str),
        f("primaryAzurePort", Str),
        f("secondaryAzurePort", Str),
        f("sharedKey", Secret),
        f("vlanId", Num),
        f("microsoftPeeringConfig", Obj(&MS_CONFIG)),
        f("ipv6PeeringConfig", Obj(&IPV6)),
        f("routeFilter", Obj(&SUB)),
        f("stats", Obj(&STATS)),
        f("provisioningState", Str),
        f("lastModifiedBy", Str),
        f("gatewayManagerEtag", Str),
        f("connections", List(&CIRCUIT_CONNECTION)),
        f("peeredConnections", List(&CIRCUIT_CONNECTION)),
    ]),
};

static SCALE_BOUNDS: Schema = Schema { what: "scale bounds", top: &[f("min", Num), f("max", Num)], props: None };
static AUTOSCALE: Schema = Schema { what: "autoscale configuration", top: &[f("bounds", Obj(&SCALE_BOUNDS))], props: None };

/// A Virtual WAN gateway's connection to a circuit peering.
pub(crate) static ER_CONNECTION: Schema = Schema {
    what: "ExpressRoute connection",
    top: &[f("id", Str), f("name", Str), RESOURCE_GROUP],
    props: Some(&[
        f("provisioningState", Str),
        f("expressRouteCircuitPeering", Obj(&SUB)),
        f("authorizationKey", Secret),
        f("routingWeight", Num),
        f("enableInternetSecurity", Bool),
        f("expressRouteGatewayBypass", Bool),
        f("enablePrivateLinkFastPath", Bool),
    ]),
};

/// `Microsoft.Network/expressRouteGateways`.
pub(crate) static VWAN_GATEWAY: Schema = Schema {
    what: "ExpressRoute gateway",
    top: &[f("id", Str), f("name", Str), f("etag", Str), f("type", Str), f("location", Str), f("tags", Omit), RESOURCE_GROUP],
    props: Some(&[
        f("provisioningState", Str),
        f("virtualHub", Obj(&SUB)),
        f("autoScaleConfiguration", Obj(&AUTOSCALE)),
        f("allowNonVirtualWanTraffic", Bool),
        f("expressRouteConnections", List(&ER_CONNECTION)),
    ]),
};

/// A link's `macSecConfig`: Key Vault secret identifiers (URLs, not
/// secrets), the cipher and the SCI state.
static MACSEC: Schema = Schema {
    what: "macSecConfig",
    top: &[f("cknSecretIdentifier", Str), f("cakSecretIdentifier", Str), f("cipher", Str), f("sciState", Str)],
    props: None,
};

static PORT_LINK: Schema = Schema {
    what: "link",
    top: &[f("id", Str), f("name", Str), f("etag", Str)],
    props: Some(&[
        f("provisioningState", Str),
        f("routerName", Str),
        f("interfaceName", Str),
        f("patchPanelId", Str),
        f("rackId", Str),
        f("coloLocation", Str),
        f("connectorType", Str),
        f("adminState", Str),
        f("macSecConfig", Obj(&MACSEC)),
    ]),
};

pub(crate) static EXPRESS_ROUTE_PORT: Schema = Schema {
    what: "ExpressRoute Direct port",
    top: &[f("id", Str), f("name", Str), f("etag", Str), f("type", Str), f("location", Str), f("tags", Omit), RESOURCE_GROUP],
    props: Some(&[
        f("provisioningState", Str),
        f("resourceGuid", Str),
        f("peeringLocation", Str),
        f("bandwidthInGbps", Float),
        f("provisionedBandwidthInGbps", Float),
        f("mtu", Str),
        f("encapsulation", Str),
        f("etherType", Str),
        f("allocationDate", Str),
        f("billingType", Str),
        f("links", List(&PORT_LINK)),
        f("circuits", List(&SUB)),
    ]),
};

pub(crate) static CIRCUIT: Schema = Schema {
    what: "circuit",
    top: &[
        f("id", Str),
        f("name", Str),
        f("etag", Str),
        f("type", Str),
        f("location", Str),
        f("sku", Obj(&SKU)),
        f("tags", Omit),
        RESOURCE_GROUP,
    ],
    props: Some(&[
        f("provisioningState", Str),
        f("circuitProvisioningState", Str),
        f("serviceProviderProvisioningState", Str),
        f("serviceProviderNotes", Str),
        f("serviceProviderProperties", Obj(&PROVIDER)),
        f("serviceKey", Str),
        f("peerings", List(&PEERING)),
        f("expressRoutePort", Obj(&SUB)),
        f("bandwidthInGbps", Float),
        f("globalReachEnabled", Bool),
        f("allowClassicOperations", Bool),
        f("gatewayManagerEtag", Str),
        f("stag", Num),
        f("authorizationKey", Secret),
        f("authorizations", List(&AUTHORIZATION)),
    ]),
};

pub(crate) static ARP_ROW: Schema = Schema {
    what: "ARP row",
    top: &[
        f("age", Num),
        F { name: "interface", ty: Str, aliases: &["interfaceProperty"] },
        f("ipAddress", Str),
        f("macAddress", Str),
    ],
    props: None,
};

pub(crate) static ROUTE_ROW: Schema = Schema {
    what: "route row",
    top: &[f("network", Str), f("nextHop", Str), f("locPrf", Str), f("weight", Num), f("path", Str)],
    props: None,
};

pub(crate) static SUMMARY_ROW: Schema = Schema {
    what: "summary row",
    top: &[
        f("neighbor", Str),
        f("v", Num),
        F { name: "as", ty: Num, aliases: &["asProperty", "as_"] },
        f("upDown", Str),
        f("statePfxRcd", Str),
    ],
    props: None,
};

/// Keys that are secrets wherever they appear.
fn is_secret(key: &str) -> bool {
    matches!(squash(key).as_str(), "sharedkey" | "authorizationkey")
}

fn lookup<'s>(fields: &'s [F], key: &str) -> Option<&'s F> {
    let k = squash(key);
    fields.iter().find(|f| squash(f.name) == k || f.aliases.iter().any(|a| squash(a) == k))
}

fn camel(key: &str) -> String {
    let mut c = key.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value the input cannot give, at a JSON path relative to the element.
#[derive(Debug, Clone)]
pub(crate) struct ConvError {
    pub path: Vec<Seg>,
    pub message: String,
}

/// Converts one element. `notes` receives (path, text) for values left out.
pub(crate) struct Converter<'n> {
    path: Vec<Seg>,
    pub notes: &'n mut Vec<(Vec<Seg>, String)>,
    /// Where the field being converted goes in the body (ARM's names).
    out: Vec<String>,
    /// The dotted body paths of the fields the input carried, down to the
    /// leaves; a `null` or empty value counts (it says the field is empty),
    /// a masked one does not. A list of objects is one field here.
    pub carried: Vec<String>,
    /// For each item of a list of objects (the circuit's peerings): the
    /// list's path, the item's index, and the fields that item carried.
    pub items: Vec<(String, usize, Vec<String>)>,
}

impl<'n> Converter<'n> {
    pub(crate) fn new(notes: &'n mut Vec<(Vec<Seg>, String)>) -> Converter<'n> {
        Converter { path: Vec::new(), notes, out: Vec::new(), carried: Vec::new(), items: Vec::new() }
    }

    fn carry(&mut self) {
        self.carried.push(self.out.join("."));
    }

    fn err(&self, message: String) -> ConvError {
        ConvError { path: self.path.clone(), message }
    }

    fn note(&mut self, message: String) {
        self.notes.push((self.path.clone(), message));
    }

    /// Converts an object under `schema`.
    pub(crate) fn object(&mut self, v: &Value, schema: &'static Schema) -> Result<Map<String, Value>, ConvError> {
        let Value::Object(obj) = v else {
            return Err(self.err(format!("expected a {} (an object), found {}", schema.what, kind_of(v))));
        };
        let mut out = Map::new();
        let mut props = Map::new();
        for (k, val) in obj {
            self.path.push(Seg::Key(k.clone()));
            if let (Some(pf), true, Value::Object(inner)) = (schema.props, k.eq_ignore_ascii_case("properties"), val) {
                self.out.push("properties".into());
                for (pk, pv) in inner {
                    self.path.push(Seg::Key(pk.clone()));
                    self.field(pk, pv, pf, &mut props)?;
                    self.path.pop();
                }
                self.out.pop();
            } else if lookup(schema.top, k).is_some() {
                self.field(k, val, schema.top, &mut out)?;
            } else if let Some(pf) = schema.props {
                // The flattened form: property fields at the top.
                self.out.push("properties".into());
                let r = self.field(k, val, pf, &mut props);
                self.out.pop();
                r?;
            } else {
                self.field(k, val, &[], &mut out)?;
            }
            self.path.pop();
        }
        if schema.props.is_some() && !props.is_empty() {
            out.insert("properties".into(), Value::Object(props));
        }
        Ok(out)
    }

    fn field(&mut self, key: &str, v: &Value, fields: &'static [F], dest: &mut Map<String, Value>) -> Result<(), ConvError> {
        let name = lookup(fields, key).map(|fd| fd.name.to_string()).unwrap_or_else(|| camel(key));
        self.out.push(name);
        let r = self.field_at(key, v, fields, dest);
        self.out.pop();
        r
    }

    fn field_at(&mut self, key: &str, v: &Value, fields: &'static [F], dest: &mut Map<String, Value>) -> Result<(), ConvError> {
        let Some(fd) = lookup(fields, key) else {
            if is_secret(key) {
                self.secret(key, v);
            } else {
                self.carry();
                let any = self.any(v);
                dest.insert(camel(key), any);
            }
            return Ok(());
        };
        let name = fd.name.to_string();
        let masked = matches!(v, Value::String(s) if is_masked(s.trim()));
        if !(matches!(fd.ty, Omit | Secret | Obj(_)) || (masked && matches!(fd.ty, Num | Float))) {
            self.carry();
        }
        match fd.ty {
            Omit => {}
            Secret => self.secret(key, v),
            Str => match v {
                Value::Null => {}
                Value::String(s) => {
                    dest.insert(name, Value::String(s.clone()));
                }
                Value::Number(n) => {
                    dest.insert(name, Value::String(n.to_string()));
                }
                Value::Bool(b) => {
                    dest.insert(name, Value::String(if *b { "True".into() } else { "False".into() }));
                }
                other => return Err(self.err(format!("{key}: expected text, found {}", kind_of(other)))),
            },
            Num | Float => {
                if let Some(n) = self.number(key, v, matches!(fd.ty, Float))? {
                    dest.insert(name, Value::Number(n));
                }
            }
            Bool => match v {
                Value::Null => {}
                Value::Bool(b) => {
                    dest.insert(name, Value::Bool(*b));
                }
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) if s.trim().eq_ignore_ascii_case("true") => {
                    dest.insert(name, Value::Bool(true));
                }
                Value::String(s) if s.trim().eq_ignore_ascii_case("false") => {
                    dest.insert(name, Value::Bool(false));
                }
                other => return Err(self.err(format!("{key}: expected True or False, found {}", show(other)))),
            },
            StrList => match v {
                Value::Null => {}
                Value::String(s) if s.trim().is_empty() || s.trim() == "null" => {}
                Value::Array(items) => {
                    let mut out = Vec::new();
                    for (i, it) in items.iter().enumerate() {
                        match it {
                            Value::String(s) => out.push(Value::String(s.clone())),
                            Value::Number(n) => out.push(Value::String(n.to_string())),
                            other => {
                                self.path.push(Seg::Index(i));
                                let e = self.err(format!("{key}: expected text in the list, found {}", kind_of(other)));
                                self.path.pop();
                                return Err(e);
                            }
                        }
                    }
                    dest.insert(name, Value::Array(out));
                }
                other => return Err(self.err(format!("{key}: expected a list of text, found {}", show(other)))),
            },
            Obj(schema) => match v {
                Value::Null => self.carry(),
                Value::String(s) if s.trim().is_empty() || s.trim() == "null" => self.carry(),
                Value::Object(_) => {
                    let o = self.object(v, schema)?;
                    dest.insert(name, Value::Object(o));
                }
                other => return Err(self.err(format!("{key}: expected a JSON object, found {}", show(other)))),
            },
            List(schema) => match v {
                Value::Null => {}
                Value::String(s) if s.trim().is_empty() || s.trim() == "null" => {}
                Value::Array(items) => {
                    let mut out = Vec::new();
                    let list = self.out.join(".");
                    for (i, it) in items.iter().enumerate() {
                        self.path.push(Seg::Index(i));
                        // Each item's fields, relative to the item.
                        let (outer, carried) = (std::mem::take(&mut self.out), std::mem::take(&mut self.carried));
                        let o = self.object(it, schema);
                        let item = std::mem::replace(&mut self.carried, carried);
                        self.out = outer;
                        let o = o?;
                        self.items.push((list.clone(), i, item));
                        self.path.pop();
                        out.push(Value::Object(o));
                    }
                    dest.insert(name, Value::Array(out));
                }
                other => return Err(self.err(format!("{key}: expected a JSON list, found {}", show(other)))),
            },
        }
        Ok(())
    }

    fn secret(&mut self, key: &str, v: &Value) {
        if matches!(v, Value::String(s) if !s.trim().is_empty()) {
            self.note(format!("{key} is never written to a snapshot: left out"));
        }
    }

    fn number(&mut self, key: &str, v: &Value, float: bool) -> Result<Option<Number>, ConvError> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) if n.is_u64() || (float && n.as_f64().is_some_and(|f| f >= 0.0)) => Ok(Some(n.clone())),
            Value::String(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                let digits = t.replace(',', "");
                if let Ok(n) = digits.parse::<u64>() {
                    return Ok(Some(Number::from(n)));
                }
                if float {
                    if let Some(n) = digits.parse::<f64>().ok().filter(|f| f.is_finite() && *f >= 0.0).and_then(Number::from_f64) {
                        return Ok(Some(n));
                    }
                }
                if is_masked(t) {
                    self.note(format!("{key} `{t}` is masked: left out (checks that need it cannot use it)"));
                    return Ok(None);
                }
                Err(self.err(format!("{key}: expected a number, found `{t}`")))
            }
            other => Err(self.err(format!("{key}: expected a non-negative number, found {}", show(other)))),
        }
    }

    /// Any value: keys camelCased, secrets dropped.
    fn any(&mut self, v: &Value) -> Value {
        match v {
            Value::Object(o) => {
                let mut out = Map::new();
                for (k, val) in o {
                    self.path.push(Seg::Key(k.clone()));
                    if is_secret(k) {
                        self.secret(k, val);
                    } else {
                        let a = self.any(val);
                        out.insert(camel(k), a);
                    }
                    self.path.pop();
                }
                Value::Object(out)
            }
            Value::Array(a) => {
                let mut out = Vec::new();
                for (i, it) in a.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    out.push(self.any(it));
                    self.path.pop();
                }
                Value::Array(out)
            }
            other => other.clone(),
        }
    }
}

/// A value the console or a document masked (`123##`, `****`).
pub(crate) fn is_masked(s: &str) -> bool {
    s.contains('#') || s.contains('*')
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        other => kind_of(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonpos::PathDisplay;
    use serde_json::json;

    type Notes = Vec<(Vec<Seg>, String)>;

    fn conv(v: Value, s: &'static Schema) -> (Result<Value, ConvError>, Notes) {
        let mut notes = Vec::new();
        let r = Converter::new(&mut notes).object(&v, s).map(Value::Object);
        (r, notes)
    }

    #[test]
    fn powershell_peering_to_arm() {
        let ps = json!({
            "Name": "AzurePrivatePeering", "Id": "/x", "Etag": "W/\"#\"", "PeeringType": "AzurePrivatePeering",
            "AzureASN": "12076", "PeerASN": "123##", "PrimaryPeerAddressPrefix": "172.16.0.0/30",
            "SecondaryPeerAddressPrefix": "172.16.0.4/30", "PrimaryAzurePort": "", "SharedKey": "s3cret", "VlanId": "200",
            "MicrosoftPeeringConfig": "null", "ProvisioningState": "Succeeded", "State": "Enabled", "LastModifiedBy": "Customer"
        });
        let (r, notes) = conv(ps, &PEERING);
        let v = r.unwrap();
        assert_eq!(v["name"], "AzurePrivatePeering");
        assert_eq!(v["etag"], "W/\"#\"");
        let p = &v["properties"];
        assert_eq!(p["azureASN"], 12076);
        assert_eq!(p["vlanId"], 200);
        assert_eq!(p["primaryAzurePort"], "");
        assert!(p.get("peerASN").is_none());
        assert!(p.get("sharedKey").is_none());
        assert!(p.get("microsoftPeeringConfig").is_none());
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes.iter().any(|(_, n)| n.contains("123##")));
    }

    #[test]
    fn azure_cli_flattened_and_arm_nested() {
        let az = json!({"azureAsn": 12076, "peerAsn": 65020, "peeringType": "AzurePrivatePeering", "resourceGroup": "rg", "name": "AzurePrivatePeering", "sharedKey": null, "connections": []});
        let v = conv(az, &PEERING).0.unwrap();
        assert_eq!(v["properties"]["azureASN"], 12076);
        assert_eq!(v["properties"]["peerASN"], 65020);
        assert_eq!(v["properties"]["connections"], json!([]));
        assert!(v.get("resourceGroup").is_none());
        let arm = json!({"name": "MicrosoftPeering", "properties": {"peerASN": 100, "sharedKey": "k", "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["123.1.0.0/24"], "customerASN": 23}}});
        let (r, notes) = conv(arm, &PEERING);
        let v = r.unwrap();
        assert_eq!(v["properties"]["microsoftPeeringConfig"]["customerASN"], 23);
        assert!(v["properties"].get("sharedKey").is_none());
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn rows_and_stats() {
        let (r, _) = conv(json!({"Age": "10", "InterfaceProperty": "On-Prem", "IpAddress": "10.0.0.1", "MacAddress": "ffff.eeee.dddd"}), &ARP_ROW);
        assert_eq!(r.unwrap(), json!({"age": 10, "interface": "On-Prem", "ipAddress": "10.0.0.1", "macAddress": "ffff.eeee.dddd"}));
        let (r, _) = conv(json!({"Neighbor": "172.16.0.1", "V": "4", "As": "65020", "UpDown": "3d04h", "StatePfxRcd": "3"}), &SUMMARY_ROW);
        assert_eq!(r.unwrap(), json!({"neighbor": "172.16.0.1", "v": 4, "as": 65020, "upDown": "3d04h", "statePfxRcd": "3"}));
        let (r, _) = conv(json!({"statePfxRcd": 3, "asProperty": 1}), &SUMMARY_ROW);
        assert_eq!(r.unwrap(), json!({"statePfxRcd": "3", "as": 1}));
        let (r, _) = conv(json!({"PrimaryBytesIn": "240780020", "SecondaryBytesOut": 5}), &STATS);
        assert_eq!(r.unwrap(), json!({"primarybytesIn": 240780020, "secondarybytesOut": 5}));
    }

    #[test]
    fn carried_fields_are_recorded() {
        let mut notes = Vec::new();
        let mut c = Converter::new(&mut notes);
        let ps = json!({"Name": "c", "Sku": {"Name": "Standard_MeteredData"}, "ResourceGroupName": "rg", "ServiceKey": "k",
            "Peerings": [{"Name": "AzurePrivatePeering", "VlanId": "200", "PeerASN": "123##", "SharedKey": "x", "MicrosoftPeeringConfig": "null"}]});
        c.object(&ps, &CIRCUIT).unwrap();
        let mut carried = c.carried.clone();
        carried.sort();
        assert_eq!(carried, ["name", "properties.peerings", "properties.serviceKey", "sku.name"]);
        let mut item = c.items[0].2.clone();
        item.sort();
        assert_eq!((c.items[0].0.as_str(), c.items[0].1), ("properties.peerings", 0));
        assert_eq!(item, ["name", "properties.microsoftPeeringConfig", "properties.vlanId"], "a masked number and a secret are not carried; null is");
    }

    #[test]
    fn wrong_types_name_the_path() {
        let (r, _) = conv(json!({"properties": {"peerings": [{"properties": {"vlanId": "abc"}}]}}), &CIRCUIT);
        let e = r.unwrap_err();
        assert_eq!(PathDisplay(&e.path).to_string(), "properties.peerings[0].properties.vlanId");
        assert!(e.message.contains("`abc`"), "{}", e.message);
        let (r, _) = conv(json!({"age": -1}), &ARP_ROW);
        assert!(r.is_err());
        let (r, _) = conv(json!({"GlobalReachEnabled": "False", "BandwidthInGbps": "10", "Sku": {"Name": "Premium_MeteredData"}}), &CIRCUIT);
        let v = r.unwrap();
        assert_eq!(v["properties"]["globalReachEnabled"], false);
        assert_eq!(v["properties"]["bandwidthInGbps"], 10);
        assert_eq!(v["sku"]["name"], "Premium_MeteredData");
        let (r, _) = conv(json!([1]), &CIRCUIT);
        assert!(r.is_err());
    }
}
