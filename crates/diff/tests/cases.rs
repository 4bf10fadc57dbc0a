//! One behaviour each, on healthy-private with one thing changed: ECMP,
//! counters and rates, a reset session, coverage, a property with who
//! changed it, secrets, and the JSON round trip.

use erdiag_diff::{diff_snapshots, Change, Diff, Direction, Edit, RouteEdit};
use erdiag_model::{DevicePath, Snapshot};
use serde_json::{json, Value};

const CIRCUIT: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams";

fn healthy() -> Value {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/healthy-private/snapshot.json")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn resource<'a>(doc: &'a mut Value, suffix: &str) -> &'a mut Value {
    let key = format!("{CIRCUIT}{suffix}");
    doc["resources"].get_mut(&key).unwrap_or_else(|| panic!("no {key}"))
}

/// healthy-private at A, and at B with `change` applied, diffed.
fn diff_after(a: impl FnOnce(&mut Value), b: impl FnOnce(&mut Value)) -> Diff {
    let (mut x, mut y) = (healthy(), healthy());
    a(&mut x);
    b(&mut y);
    let (bx, by) = (serde_json::to_vec(&x).unwrap(), serde_json::to_vec(&y).unwrap());
    diff_snapshots(&Snapshot::from_slice(&bx).unwrap(), &Snapshot::from_slice(&by).unwrap()).unwrap()
}

fn five_minutes_later(doc: &mut Value) {
    doc["collectedAt"] = json!("2026-11-21T10:05:00Z");
}

#[test]
fn ecmp_rows_are_one_set_of_next_hops() {
    // 10.1.0.0/16 is carried by two rows (next hops .140 and .141): their order is no change…
    let d = diff_after(|_| {}, |b| {
        resource(b, "/peerings/AzurePrivatePeering/routeTables/primary")["value"].as_array_mut().unwrap()[..2].reverse();
    });
    assert!(d.is_empty(), "{:#?}", d.changes);
    // …losing one of them is one route changed, not one withdrawn.
    let d = diff_after(|_| {}, |b| {
        resource(b, "/peerings/AzurePrivatePeering/routeTables/primary")["value"].as_array_mut().unwrap().remove(0);
    });
    let routes: Vec<_> = d.changes.iter().filter_map(|c| if let Change::Route(r) = c { Some(r) } else { None }).collect();
    assert_eq!(routes.len(), 1, "{routes:#?}");
    assert_eq!((routes[0].prefix.as_str(), routes[0].change, routes[0].path), ("10.1.0.0/16", RouteEdit::Changed, DevicePath::Primary));
    assert_eq!(routes[0].sides.before.as_ref().unwrap().next_hops, ["10.17.17.140", "10.17.17.141"]);
    assert_eq!(routes[0].sides.after.as_ref().unwrap().next_hops, ["10.17.17.140"]);
}

#[test]
fn an_as_path_change_is_a_changed_route() {
    let d = diff_after(|_| {}, |b| {
        resource(b, "/peerings/AzurePrivatePeering/routeTables/secondary")["value"][2]["path"] = json!("65020 65020 65020");
    });
    let Some(Change::Route(r)) = d.changes.iter().find(|c| c.kind() == "route") else { panic!("{:#?}", d.changes) };
    assert_eq!((r.prefix.as_str(), r.change), ("10.2.20.0/25", RouteEdit::Changed));
    assert_eq!(r.sides.after.as_ref().unwrap().as_paths, ["65020 65020 65020"]);
}

#[test]
fn counters_become_rates_and_a_reset_gives_none() {
    let d = diff_after(|_| {}, |b| {
        five_minutes_later(b);
        let s = resource(b, "/stats");
        // 37.5 MB more in 300 s on the primary: 1 Mbit/s of a 1 Gbps circuit; the secondary's counter reset.
        s["primarybytesIn"] = json!(240780020u64 + 37_500_000);
        s["secondarybytesIn"] = json!(1000);
    });
    assert_eq!(d.interval_secs, Some(300));
    assert!(d.is_empty(), "rates alone are not a change");
    let rate = |path, dir| {
        d.changes.iter().find_map(|c| match c {
            Change::Rate(r) if r.peering.is_none() && r.path == path && r.direction == dir => Some(r.clone()),
            _ => None,
        })
    };
    let p = rate(DevicePath::Primary, Direction::In).unwrap();
    assert_eq!(p.bits_per_second, Some(1_000_000.0));
    assert_eq!(p.share_of_bandwidth, Some(0.001));
    let s = rate(DevicePath::Secondary, Direction::In).unwrap();
    assert_eq!(s.bits_per_second, None);
    assert!(s.note.as_deref().unwrap().starts_with("counter reset"), "{s:?}");
}

#[test]
fn no_interval_no_rate_and_it_is_said() {
    let d = diff_after(|_| {}, |b| {
        resource(b, "/stats")["primarybytesIn"] = json!(240780020u64 + 1000);
    });
    assert_eq!(d.interval_secs, None);
    assert!(d.changes.iter().all(|c| !matches!(c, Change::Rate(r) if r.bits_per_second.is_some())));
    assert!(d.notes.iter().any(|n| n.starts_with("no rates")), "{:?}", d.notes);
}

#[test]
fn an_uptime_that_went_backwards_is_a_reset() {
    let d = diff_after(|_| {}, |b| {
        five_minutes_later(b);
        resource(b, "/peerings/AzurePrivatePeering/routeTablesSummary/primary")["value"][0]["upDown"] = json!("00:02:10");
    });
    let Some(Change::Bgp(s)) = d.changes.iter().find(|c| c.kind() == "bgp") else { panic!("{:#?}", d.changes) };
    assert!(s.reset, "{s:?}");
    assert_eq!(s.change, Edit::Changed);
    assert_eq!(s.sides.before.as_ref().unwrap().state, s.sides.after.as_ref().unwrap().state);
    // An uptime that grew is no change at all.
    let d = diff_after(|_| {}, |b| {
        resource(b, "/peerings/AzurePrivatePeering/routeTablesSummary/primary")["value"][0]["upDown"] = json!("3d05h");
    });
    assert!(d.is_empty(), "{:#?}", d.changes);
}

#[test]
fn a_table_read_once_is_coverage_not_withdrawals() {
    let key = format!("{CIRCUIT}/peerings/AzurePrivatePeering/routeTables/primary");
    let d = diff_after(|_| {}, |b| {
        b["resources"].as_object_mut().unwrap().remove(&key);
        b["failures"][&key] = json!({"status": 429, "error": {"code": "TooManyRequests", "message": "throttled"}});
    });
    assert!(!d.changes.iter().any(|c| c.kind() == "route"), "{:#?}", d.changes);
    let Some(Change::Coverage(c)) = d.changes.iter().find(|c| c.kind() == "coverage") else { panic!("{:#?}", d.changes) };
    assert_eq!((c.table.as_str(), c.before.as_str()), ("routeTable", "read"));
    assert!(c.after.starts_with("failed: HTTP 429"), "{c:?}");
    assert!(!d.is_empty(), "coverage is a change");
}

#[test]
fn a_property_change_names_who_made_it() {
    let changes = json!({"value": [
        // Before A: not this interval's.
        {"id": "x/changes/1", "properties": {"targetResourceId": format!("{CIRCUIT}/peerings/AzurePrivatePeering"), "changeType": "Update",
            "changeAttributes": {"changedBy": "old@contoso.com", "clientType": "Azure CLI", "timestamp": "2026-11-20T09:00:00Z"}}},
        {"id": "x/changes/2", "properties": {"targetResourceId": format!("{CIRCUIT}/peerings/AzurePrivatePeering"), "changeType": "Update",
            "changeAttributes": {"changedBy": "alice@contoso.com", "clientType": "Azure Portal", "timestamp": "2026-11-21T10:03:12Z"},
            "changes": {"properties.state": {"previousValue": "Enabled", "newValue": "Disabled"}}}}
    ]});
    let d = diff_after(|_| {}, |b| {
        five_minutes_later(b);
        resource(b, "")["properties"]["peerings"][0]["properties"]["state"] = json!("Disabled");
        b["resources"][erdiag_diff::resource_changes_path(CIRCUIT)] = changes;
    });
    let props: Vec<_> = d.changes.iter().filter_map(|c| if let Change::Property(p) = c { Some(p) } else { None }).collect();
    assert_eq!(props.len(), 1, "{props:#?}");
    let p = props[0];
    assert_eq!(p.path, "properties.peerings[AzurePrivatePeering].properties.state");
    assert_eq!((p.before.clone(), p.after.clone()), (Some(json!("Enabled")), Some(json!("Disabled"))));
    assert_eq!(p.changed_by.as_deref(), Some("alice@contoso.com"));
    assert_eq!(p.client_type.as_deref(), Some("Azure Portal"));
    assert_eq!(p.timestamp.as_deref(), Some("2026-11-21T10:03:12Z"));
}

#[test]
fn volatile_fields_are_no_change_and_secrets_are_never_shown() {
    let d = diff_after(|_| {}, |b| {
        let c = resource(b, "");
        c["etag"] = json!("W/\"another\"");
        c["properties"]["peerings"][0]["properties"]["sharedKey"] = json!("s3cr3t-value");
    });
    let text = serde_json::to_string(&d).unwrap();
    assert!(!text.contains("s3cr3t-value"), "{text}");
    let paths: Vec<_> = d.changes.iter().filter_map(|c| if let Change::Property(p) = c { Some(p.path.as_str()) } else { None }).collect();
    assert_eq!(paths, ["properties.peerings[AzurePrivatePeering].properties.sharedKey"]);
}

#[test]
fn the_json_reads_back_the_same() {
    let d = diff_after(|_| {}, |b| {
        five_minutes_later(b);
        resource(b, "/peerings/AzurePrivatePeering/routeTablesSummary/secondary")["value"][0]["statePfxRcd"] = json!("Idle");
        resource(b, "/peerings/AzurePrivatePeering/arpTables/secondary")["value"][0]["macAddress"] = json!("Incomplete");
    });
    let text = serde_json::to_string(&d).unwrap();
    let back: Diff = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], "erdiag-diff/1");
    assert!(v["changes"].as_array().unwrap().iter().any(|c| c["kind"] == "bgp" && c["peering"] == "AzurePrivatePeering" && c["path"] == "secondary"));
}
