"""PyTorch speed peer of `npm run bench`: the same supernet training step in PyTorch eager on this
machine's CPU, as the tool a user would otherwise run.

Uses bench/torch/supernet.py (the PyTorch replica of the bnnas-mbv2 supernet). Configs as
src/core/train/recipe.ts PRESETS: tiny (the 2-layer demo-mbv2 space, 16 px, width 0.25, 4 classes,
batch 16, no dropout), small (64 px,
width 1.0, 1000 classes, batch 32), paper (224 px, batch 32). One step = forward on one uniformly
sampled path, label-smoothed cross-entropy (0.1), backward, SGD momentum 0.9 / lr 0.1 (weight
decay 4e-5 on trainable conv/linear weights only, as the lab), and `loss.item()` (the read-back).
  bnOnly     mode `bn`: conv / linear weights frozen (requires_grad False), BN affine trains
  allWeights mode `all`: every weight trains (the SPOS baseline)
interleaved round by round on the same paths, after warm-up rounds. torch.set_num_threads is set
to the machine's core count (os.cpu_count()) unless --threads says otherwise.

    /usr/bin/python3 bench/torch/peer.py --config small --steps 5 [--warmup 1] [--skip-all]

prints ONE JSON object. With --serve it instead reads one JSON line per step from stdin,
{"arch": [...]}, runs one BN-only step on that path and answers {"ms": ...} (bench/torchPeer.ts
interleaves these with the lab's own steps, so both see the same machine load).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from supernet import DEMO, Supernet  # noqa: E402

CONFIGS = {
    "tiny": dict(res=16, width=0.25, classes=4, batch=16, space=DEMO, dropout=0.0),
    "small": dict(res=64, width=1.0, classes=1000, batch=32),
    "paper": dict(res=224, width=1.0, classes=1000, batch=32),
}
DROPOUT = 0.2  # bnnas-mbv2's classifier dropout (the lab's default)


def make_variant(cfg, mode: str):
    net = Supernet(cfg["res"], cfg["width"], cfg["classes"], init="orthogonal", seed=0, mode=mode,
                   dropout=cfg.get("dropout", DROPOUT), space=cfg.get("space"))
    net.train()
    bn_params = [p for n, p in net.named_parameters() if p.requires_grad and ".bn." in f".{n}"]
    other = [p for p in net.trainable() if all(p is not q for q in bn_params)]
    groups = [{"params": bn_params, "weight_decay": 0.0}]
    if other:
        groups.append({"params": other, "weight_decay": 4e-5})
    opt = torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    return net, opt


def step(net, opt, x, y, arch) -> float:
    t0 = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(net(x, arch), y, label_smoothing=0.1)
    loss.backward()
    opt.step()
    loss.item()
    return (time.perf_counter() - t0) * 1000.0


def serve(cfg, x, y) -> int:
    net, opt = make_variant(cfg, "bn")
    print(json.dumps({"ready": True, "peer": f"pytorch {torch.__version__} eager", "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        print(json.dumps({"ms": step(net, opt, x, y, req["arch"])}), flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", choices=sorted(CONFIGS), default="small")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-all", action="store_true", help="skip the all-weights variant")
    ap.add_argument("--serve", action="store_true", help="answer step requests on stdin (BN-only)")
    a = ap.parse_args()
    if a.steps < 1 or a.warmup < 1:
        ap.error("--steps and --warmup must be >= 1")
    torch.set_num_threads(a.threads)
    cfg = CONFIGS[a.config]
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(cfg["batch"], 3, cfg["res"], cfg["res"], generator=gen)
    y = torch.randint(cfg["classes"], (cfg["batch"],), generator=gen)
    if a.serve:
        return serve(cfg, x, y)
    variants = {"bnOnly": make_variant(cfg, "bn")}
    if not a.skip_all:
        variants["allWeights"] = make_variant(cfg, "all")
    net0 = variants["bnOnly"][0]
    paths = [net0.random_arch(gen) for _ in range(a.warmup + a.steps)]
    times = {k: [] for k in variants}
    first = None
    for r, arch in enumerate(paths):
        order = list(variants) if r % 2 == 0 else list(reversed(variants))
        for k in order:
            ms = step(*variants[k], x, y, arch)
            if first is None:
                first = ms
            if r >= a.warmup:
                times[k].append(ms)
    med = {k: statistics.median(v) for k, v in times.items()}
    out = {
        "peer": f"pytorch {torch.__version__} eager",
        "device": "cpu",
        "threads": torch.get_num_threads(),
        "config": a.config,
        "batchSize": cfg["batch"],
        "steps": a.steps,
        "warmupRounds": a.warmup,
        "bnOnlyMedianStepMs": med["bnOnly"],
        "allWeightsMedianStepMs": med.get("allWeights"),
        "ratioBnOnlyToAll": med["bnOnly"] / med["allWeights"] if "allWeights" in med else None,
        "imagesPerSecond": cfg["batch"] * 1000.0 / med["bnOnly"],
        "firstStepMs": first,
        "stepMs": times,
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "python": platform.python_version()},
        "date": datetime.now(timezone.utc).isoformat(),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
