"""Starts `erdiag emulate` over HTTPS for the Azure SDK conformance tests.

The binary comes from ERDIAG_BIN (scripts/test.sh sets it to the one cargo
built). The emulator prints its base URL on the first line of stdout and
writes its certificate where --cert-out says; requests trusts it through
REQUESTS_CA_BUNDLE, so the SDK runs unmodified.
"""
import json, os, subprocess, tempfile, time
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def erdiag_bin():
    b = os.environ.get("ERDIAG_BIN") or os.path.join(ROOT, "target", "debug", "erdiag")
    if not os.path.exists(b):
        pytest.fail(f"erdiag binary not found at {b}: build it first (cargo build)")
    return b


class Emulator:
    def __init__(self, scenario, extra=()):
        self.dir = tempfile.mkdtemp(prefix="erdiag-sdk-")
        self.cert = os.path.join(self.dir, "cert.pem")
        args = [erdiag_bin(), "emulate", scenario, "--cert-out", self.cert, "--retry-after", "0", *extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("https://"):
            self.proc.kill()
            raise RuntimeError(f"emulator did not start: {line!r} {self.proc.stderr.read()}")
        self.base_url = line
        snap = json.load(open(os.path.join(ROOT, "scenarios", scenario, "snapshot.json")))
        self.snapshot = snap
        self.circuit_id = snap["circuitId"]
        parts = self.circuit_id.split("/")
        self.subscription, self.resource_group, self.name = parts[2], parts[4], parts[-1]

    def resource(self, suffix=""):
        return self.snapshot["resources"][self.circuit_id + suffix]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def emulator(request):
    scenario = getattr(request.module, "SCENARIO", "healthy-private-microsoft")
    e = Emulator(scenario)
    old = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = e.cert
    yield e
    e.stop()
    if old is None:
        os.environ.pop("REQUESTS_CA_BUNDLE", None)
    else:
        os.environ["REQUESTS_CA_BUNDLE"] = old
