#!/usr/bin/env python3
"""Differential check against TextFSM + ntc-templates on the Batfish lab
outputs (which have no expected results of their own): for every file,
erdiag's `--schema ntc` records must equal what `ntc_templates.parse.
parse_output` returns for the platform and command erdiag detected, wherever
TextFSM parses the file at all.

usage: python3 crates/ce/tests/textfsm_diff.py PARSE_FILE_BINARY CORPUS_DIR
  (a Python with ntc_templates==9.3.0 and textfsm==2.1.0, e.g. the venv
   bench/parse_bgp.py creates in target/bench-venv)
"""
import json, subprocess, sys, glob, os
from ntc_templates.parse import parse_output
exe, corpus = sys.argv[1], sys.argv[2]
root = os.path.join(corpus, 'show-outputs', 'batfish-lab-validation')
failed = False
for f in sorted(glob.glob(root + '/*/*/*.txt')):
    r = subprocess.run([exe, f], capture_output=True, text=True)
    d = json.loads(r.stdout)
    plat, cmd = d['platform'], d['command']
    mine = json.loads(subprocess.run([exe, f, '--schema', 'ntc'], capture_output=True, text=True).stdout)
    name = f[len(root)+1:]
    if plat == 'frr':
        print(f'{name}: {plat} {cmd}: no ntc template (frr); {len(mine)} records'); continue
    try:
        theirs = parse_output(platform=plat, command=cmd, data=open(f).read())
    except Exception as e:
        print(f'{name}: {plat} {cmd}: TextFSM fails: {str(e)[:90]!r}; erdiag {len(mine)} records'); continue
    same = theirs == mine
    print(f'{name}: {plat} {cmd}: textfsm {len(theirs)} erdiag {len(mine)} equal={same}')
    if not same:
        failed = True
        for i,(a,b) in enumerate(zip(theirs, mine)):
            if a != b:
                print('   first diff', i, {k:(a.get(k),b.get(k)) for k in set(a)|set(b) if a.get(k)!=b.get(k)}); break

sys.exit(1 if failed else 0)
