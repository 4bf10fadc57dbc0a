"""The Azure SDK for Python (azure-mgmt-network, azure-core), unmodified,
against `erdiag emulate` over HTTPS: the emulator speaks real ARM when a real
client's results equal the scenario's data."""
import time
from azure.core.credentials import AccessToken
from azure.mgmt.network import NetworkManagementClient

SCENARIO = "healthy-private-microsoft"


class StaticToken:
    """A credential with a fixed bearer token (the emulator checks presence only)."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken("erdiag-sdk-test-token", int(time.time()) + 3600)


def client(e):
    return NetworkManagementClient(StaticToken(), e.subscription, base_url=e.base_url,
                                   credential_scopes=["https://management.azure.com/.default"])


def test_get_circuit(emulator):
    c = client(emulator).express_route_circuits.get(emulator.resource_group, emulator.name)
    want = emulator.resource()
    assert c.id == want["id"]
    assert c.service_key == want["properties"]["serviceKey"]
    assert c.circuit_provisioning_state == want["properties"]["circuitProvisioningState"]
    assert c.service_provider_provisioning_state == want["properties"]["serviceProviderProvisioningState"]
    assert c.service_provider_properties.bandwidth_in_mbps == want["properties"]["serviceProviderProperties"]["bandwidthInMbps"]


def test_list_peerings(emulator):
    got = sorted(p.name for p in client(emulator).express_route_circuit_peerings.list(emulator.resource_group, emulator.name))
    want = sorted(p["name"] for p in emulator.resource()["properties"]["peerings"])
    assert got == want and len(got) == 2
    p = client(emulator).express_route_circuit_peerings.get(emulator.resource_group, emulator.name, "AzurePrivatePeering")
    raw = emulator.resource("/peerings/AzurePrivatePeering")["properties"]
    assert (p.vlan_id, p.peer_asn, p.primary_peer_address_prefix) == (raw["vlanId"], raw["peerASN"], raw["primaryPeerAddressPrefix"])


def rows(result):
    return list(result.value)


def test_long_running_list_actions(emulator):
    c = client(emulator).express_route_circuits
    for peering in ("AzurePrivatePeering", "MicrosoftPeering"):
        for path in ("primary", "secondary"):
            base = f"/peerings/{peering}"
            arp = rows(c.begin_list_arp_table(emulator.resource_group, emulator.name, peering, path, polling_interval=0).result())
            want = emulator.resource(f"{base}/arpTables/{path}")["value"]
            assert [(a.interface, a.ip_address, a.mac_address) for a in arp] == [(w["interface"], w["ipAddress"], w["macAddress"]) for w in want]
            routes = rows(c.begin_list_routes_table(emulator.resource_group, emulator.name, peering, path, polling_interval=0).result())
            want = emulator.resource(f"{base}/routeTables/{path}")["value"]
            assert [(r.network, r.next_hop, r.path) for r in routes] == [(w["network"], w["nextHop"], w["path"]) for w in want]
            summary = rows(c.begin_list_routes_table_summary(emulator.resource_group, emulator.name, peering, path, polling_interval=0).result())
            want = emulator.resource(f"{base}/routeTablesSummary/{path}")["value"]
            assert [(s.neighbor, s.as_property, s.state_pfx_rcd) for s in summary] == [(w["neighbor"], w["as"], w["statePfxRcd"]) for w in want]


def test_stats(emulator):
    c = client(emulator).express_route_circuits
    s = c.get_stats(emulator.resource_group, emulator.name)
    want = emulator.resource("/stats")
    assert (s.primarybytes_in, s.primarybytes_out, s.secondarybytes_in, s.secondarybytes_out) == (
        want["primarybytesIn"], want["primarybytesOut"], want["secondarybytesIn"], want["secondarybytesOut"])
    p = c.get_peering_stats(emulator.resource_group, emulator.name, "AzurePrivatePeering")
    want = emulator.resource("/peerings/AzurePrivatePeering/stats")
    assert (p.primarybytes_in, p.secondarybytes_out) == (want["primarybytesIn"], want["secondarybytesOut"])


def test_missing_peering_is_the_guides_400(emulator):
    from azure.core.exceptions import HttpResponseError
    c = client(emulator).express_route_circuits
    try:
        c.begin_list_arp_table(emulator.resource_group, emulator.name, "AzurePublicPeering", "primary", polling_interval=0).result()
    except HttpResponseError as e:
        assert e.status_code == 400
        assert "is not found" in str(e.message)
    else:
        raise AssertionError("a missing peering must answer 400")
