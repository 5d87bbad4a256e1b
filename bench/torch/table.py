"""Markdown table of learn.py / grid.py results (JSON lines), one row per configuration.
Usage: python3 bench/torch/table.py RESULTS.jsonl ..."""
import collections
import json
import sys

rows = collections.OrderedDict()
for f in sys.argv[1:]:
    for line in open(f):
        d = json.loads(line)
        key = d.get("args", "").rsplit(" --seed", 1)[0] or json.dumps(d["cfg"])
        rows.setdefault(key, []).append(d)
print("| configuration (learn.py args) | seeds | loss first -> last window (mean) | last window per seed | train top-1 last | val top-1 per seed | val mean |")
print("|---|---|---|---|---|---|---|")
for k, ds in rows.items():
    n = len(ds)
    f0 = sum(d["loss_curve"][0] for d in ds) / n
    f1 = sum(d["loss_curve"][-1] for d in ds) / n
    last = " ".join("%.3f" % d["loss_curve"][-1] for d in ds)
    vals = " ".join("%.2f" % d["val_mean"] for d in ds)
    acc = sum(d["acc_last"] for d in ds) / n
    vm = sum(d["val_mean"] for d in ds) / n
    print(f"| `{k}` | {n} | {f0:.3f} -> {f1:.3f} | {last} | {acc:.2f} | {vals} | {vm:.3f} |")
