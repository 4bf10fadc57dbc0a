"""What the benchmarks that run `erdiag emulate --fleet` share: the fleet's
flags, a free loopback port, and the emulator started with an empty
timeline at an accelerated clock (as bench/soak.py runs it)."""
import json, os, socket, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def add_fleet_args(ap):
    ap.add_argument("--exe", default=os.path.join(root, "target/release/erdiag"))
    ap.add_argument("--circuits", type=int, default=200)
    ap.add_argument("--subscriptions", type=int, default=4)
    ap.add_argument("--regions", type=int, default=2)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def emulate(a, work, speed=25.0, timeline=None):
    """Starts the emulator of `a`'s fleet; (process, URL, CA file, spec)."""
    if not timeline:
        timeline = os.path.join(work, "empty.json")
        json.dump({"events": []}, open(timeline, "w"))
    cert = os.path.join(work, "ca.pem")
    spec = f"circuits={a.circuits},subscriptions={a.subscriptions},regions={a.regions},faulty=0,seed=1"
    em = subprocess.Popen(
        [a.exe, "emulate", "--fleet", spec, "--cert-out", cert, "-q", "--max-connections", "1024", "--speed", f"{speed:g}", "--timeline", timeline],
        stdout=subprocess.PIPE, stderr=open(os.path.join(work, "emulate.log"), "w"), text=True,
    )
    url = em.stdout.readline().strip()
    if not url.startswith("https://"):
        em.kill()
        sys.exit(f"the emulator did not start: {url!r} (see {work}/emulate.log)")
    return em, url, cert, spec
