"""The Azure CLI (`az`), unmodified, against `erdiag emulate` over HTTPS, the
way /work/shared/notes describes: a registered cloud pointing at the emulator,
a service-principal login through its token endpoint, then the guide's
`az network express-route` commands. Skipped when `az` is not installed
(scripts/test.sh installs it when AZURE_CLI_TEST=1; CI does)."""
import json, os, shutil, subprocess, tempfile
import pytest

AZ = os.environ.get("ERDIAG_AZ") or shutil.which("az")
SCENARIO = "healthy-private"
pytestmark = pytest.mark.skipif(not AZ, reason="az is not installed")
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture(scope="module")
def az(emulator):
    cfg = tempfile.mkdtemp(prefix="erdiag-az-")
    env = dict(os.environ, AZURE_CONFIG_DIR=cfg, REQUESTS_CA_BUNDLE=emulator.cert,
               AZURE_CORE_INSTANCE_DISCOVERY="false", AZURE_CORE_COLLECT_TELEMETRY="false",
               AZURE_CORE_ONLY_SHOW_ERRORS="true")

    def run(*args, check=True):
        p = subprocess.run([AZ, *args], env=env, capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError(f"az {' '.join(args)} failed ({p.returncode}): {p.stderr}")
        return p

    run("cloud", "register", "-n", "ErdiagEmulator", "--endpoint-resource-manager", emulator.base_url + "/",
        "--endpoint-active-directory", emulator.base_url,
        "--endpoint-active-directory-resource-id", "https://management.core.windows.net/",
        "--endpoint-management", "https://management.core.windows.net/")
    run("cloud", "set", "-n", "ErdiagEmulator")
    run("login", "--service-principal", "-u", "erdiag-test-app", "-p", "erdiag-test-secret", "--tenant", TENANT, "-o", "none")
    run("account", "set", "-s", emulator.subscription)
    return run


def test_show_circuit(az, emulator):
    c = json.loads(az("network", "express-route", "show", "-g", emulator.resource_group, "-n", emulator.name, "-o", "json").stdout)
    want = emulator.resource()
    assert c["serviceKey"] == want["properties"]["serviceKey"]
    assert c["serviceProviderProvisioningState"] == want["properties"]["serviceProviderProvisioningState"]


def test_list_tables(az, emulator):
    for path in ("primary", "secondary"):
        base = "/peerings/AzurePrivatePeering"
        arp = json.loads(az("network", "express-route", "list-arp-tables", "-g", emulator.resource_group, "-n", emulator.name,
                            "--peering-name", "AzurePrivatePeering", "--path", path, "-o", "json").stdout)
        assert [(a["interface"], a["ipAddress"]) for a in arp["value"]] == [(w["interface"], w["ipAddress"]) for w in emulator.resource(f"{base}/arpTables/{path}")["value"]]
        summary = json.loads(az("network", "express-route", "list-route-tables-summary", "-g", emulator.resource_group, "-n", emulator.name,
                                "--peering-name", "AzurePrivatePeering", "--path", path, "-o", "json").stdout)
        assert [s["statePfxRcd"] for s in summary["value"]] == [w["statePfxRcd"] for w in emulator.resource(f"{base}/routeTablesSummary/{path}")["value"]]
    stats = json.loads(az("network", "express-route", "get-stats", "-g", emulator.resource_group, "-n", emulator.name, "-o", "json").stdout)
    assert stats["primarybytesIn"] == emulator.resource("/stats")["primarybytesIn"]


def test_a_write_is_refused(az, emulator):
    p = az("network", "express-route", "update", "-g", emulator.resource_group, "-n", emulator.name, "--bandwidth", "2000", check=False)
    assert p.returncode != 0
