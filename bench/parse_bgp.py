#!/usr/bin/env python3
"""Benchmark: parsing a Cisco IOS `show ip bgp` of 1,000,000 routes with
erdiag and, in the same run, with TextFSM + ntc-templates.

usage: bench/parse_bgp.py [ROUTES=1000000] [RUNS=3]

1. Generates the output (a fixed seed: the same file every time): one
   record per path, as ntc-templates counts them; about a third of the
   networks have a second path (a continuation line), and networks of 17 or
   18 characters sit alone on their line with the path below, as IOS prints
   them.
2. Builds the release `parse_file` example of erdiag-ce (the same code as
   `erdiag parse`) and runs `parse_file FILE --platform cisco_ios --command
   'show ip bgp' --schema ntc` RUNS times, whole process, JSON written to
   /dev/null; then once under /usr/bin/time for the peak resident set; then
   once with the default schema (the typed model).
3. Installs ntc_templates and textfsm from PyPI into a virtual environment
   (target/bench-venv) and times `ntc_templates.parse.parse_output` on the
   same file (parse only: no JSON), with its peak resident set.
4. Prints both throughputs (MB/s of input), the ratio and the peak memory,
   and checks that the two produced the same number of records.

Targets (BENCHMARKS.md): at least 50x TextFSM, at least 200 MB/s, under
300 MB peak memory.
"""
import json, os, random, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
routes = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
if not os.path.isabs(target):
    target = os.path.join(root, target)

HEADER = """BGP table version is 48213677, local router ID is 192.0.2.1
Status codes: s suppressed, d damped, h history, * valid, > best, i - internal, 
              r RIB-failure, S Stale, m multipath, b backup-path, f RT-Filter, 
              x best-external, a additional-path, c RIB-compressed, 
Origin codes: i - IGP, e - EGP, ? - incomplete
RPKI validation codes: V valid, I invalid, N Not found

     Network          Next Hop            Metric LocPrf Weight Path
"""


def generate(path, n):
    rnd = random.Random(20261122)
    hops = ["203.0.113.1", "203.0.113.5", "198.51.100.9", "192.0.2.254", "10.255.0.1"]
    asns = [174, 1299, 2914, 3257, 3356, 6453, 6762, 6939, 7018, 9002, 12389, 13335, 15169, 16509, 20940, 32934, 64512, 65001]
    written = 0
    with open(path, "w") as f:
        f.write(HEADER)
        a = b = c = 0
        while written < n:
            c += 1
            if c == 256:
                c, b = 0, b + 1
            if b == 256:
                b, a = 0, a + 1
            last, plen = rnd.choice(((0, 24), (0, 24), (0, 23), (0, 22), (0, 16), (128, 25), (192, 26)))
            net = f"{100 + a % 123}.{b}.{c}.{last}/{plen}"
            paths = 2 if rnd.random() < 0.35 else 1
            for k in range(paths):
                if written == n:
                    break
                nh = rnd.choice(hops)
                metric = "" if rnd.random() < 0.5 else str(rnd.choice((0, 0, 10, 100, 2000)))
                lp = rnd.choice(("", "100", "200"))
                weight = rnd.choice(("0", "0", "32768"))
                aspath = " ".join(str(rnd.choice(asns)) for _ in range(rnd.randint(1, 6)))
                origin = rnd.choice("iii?e")
                codes = (" *> " if k == 0 else " *  ") if lp == "" else (" *>i" if k == 0 else " * i")
                tail = f"{nh:<15} {metric:>10} {lp:>6} {weight:>6} {aspath} {origin}\n"
                if k == 0 and len(net) >= 17:
                    f.write(f"{codes}{net}\n{'':20}{tail}")
                elif k == 0:
                    f.write(f"{codes}{net:<16} {tail}")
                else:
                    f.write(f"{codes}{'':16} {tail}")
                written += 1
        f.write(f"\nTotal number of prefixes {written}\n")


def peak_rss(cmd):
    """Peak resident set (MB) and CPU time (user + system, s) of one run."""
    p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} exited {p.returncode}: {p.stderr[-500:]}")
    kb, user, system = p.stderr.strip().splitlines()[-1].split()
    return int(kb) / 1024, float(user) + float(system)


def main():
    work = tempfile.mkdtemp(prefix="erdiag-bench-")
    load0 = os.getloadavg()[0]
    data = os.path.join(work, "show-ip-bgp.txt")
    generate(data, routes)
    size = os.path.getsize(data)
    mb = size / 1e6
    print(f"input: {routes:,} routes, {mb:.1f} MB ({data})")

    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "erdiag-ce", "--example", "parse_file"], cwd=root, check=True)
    exe = os.path.join(target, "release", "examples", "parse_file")
    cmd = [exe, data, "--platform", "cisco_ios", "--command", "show ip bgp", "--schema", "ntc"]

    # erdiag: whole process, output to /dev/null.
    times = []
    for i in range(runs + 1):
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        dt = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f"erdiag exited {p.returncode}: {p.stderr[-500:]}")
        if i > 0:  # one warm-up run (page cache)
            times.append(dt)
    t_erdiag = statistics.median(times)
    rss_erdiag, cpu_erdiag = peak_rss(cmd)
    records = len(json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout))
    t0 = time.perf_counter()
    subprocess.run(cmd[:-2], stdout=subprocess.DEVNULL, check=True)
    t_typed = time.perf_counter() - t0
    rss_typed, cpu_typed = peak_rss(cmd[:-2])

    # TextFSM + ntc-templates from PyPI, in a virtual environment.
    venv = os.path.join(target, "bench-venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([py, "-m", "pip", "install", "--quiet", "ntc_templates==9.3.0", "textfsm==2.1.0"], check=True)
    script = (
        "import sys, time\n"
        "from ntc_templates.parse import parse_output\n"
        "text = open(sys.argv[1]).read()\n"
        "t = time.perf_counter()\n"
        "r = parse_output(platform='cisco_ios', command='show ip bgp', data=text)\n"
        "print(time.perf_counter() - t, len(r))\n"
    )
    p = subprocess.run(["/usr/bin/time", "-f", "%M", py, "-c", script, data], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"TextFSM failed: {p.stderr[-800:]}")
    t_textfsm, n_textfsm = p.stdout.split()
    t_textfsm, n_textfsm = float(t_textfsm), int(n_textfsm)
    rss_textfsm = int(p.stderr.strip().splitlines()[-1]) / 1024

    print(f"load average before the runs: {load0:.2f} (2 cores; wall times include waiting for a core)")
    print(f"erdiag (ntc schema, whole process, median of {runs}): {t_erdiag:.3f} s  {mb / t_erdiag:.0f} MB/s  (CPU {cpu_erdiag:.2f} s: {mb / cpu_erdiag:.0f} MB/s)  peak RSS {rss_erdiag:.1f} MB  ({records:,} records)")
    print(f"erdiag (typed model, whole process):             {t_typed:.3f} s  {mb / t_typed:.0f} MB/s  (CPU {cpu_typed:.2f} s: {mb / cpu_typed:.0f} MB/s)  peak RSS {rss_typed:.1f} MB")
    print(f"TextFSM + ntc-templates (parse_output only):     {t_textfsm:.3f} s  {mb / t_textfsm:.1f} MB/s  peak RSS {rss_textfsm:.1f} MB  ({n_textfsm:,} records)")
    print(f"ratio: {t_textfsm / t_erdiag:.0f}x")
    if records != n_textfsm:
        sys.exit(f"record counts differ: erdiag {records}, TextFSM {n_textfsm}")
    os.remove(data)


if __name__ == "__main__":
    main()
