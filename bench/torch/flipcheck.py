"""For an export whose TypeScript BN gradients differ from float64 at the 1e-3 level: flip, in the
float64 replica, the one head-BN ReLU whose pre-activation is nearest 0 (shift it by -2z, graph
unchanged) and compare again. Usage: /usr/bin/python3 bench/torch/flipcheck.py EXPORT.json [channel]
(channel: the head channel to search; default: the channel whose head.bn.beta gradient differs most)."""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from crosscheck import run  # noqa: E402
from supernet import build_path, nhwc_to_nchw, smoothed_ce  # noqa: E402


def run_flipped(d, channel):
    p = build_path(d["arch"], d["res"], d["width"], d["classes"])
    p.net.load_tf_weights({n: np.asarray(w["data"], np.float32).reshape(w["shape"]) for n, w in d["weights"].items()})
    p = p.double()

    def hook(m, i, o):
        z = o[:, channel].detach().flatten(1) if o.dim() == 4 else o[:, channel].detach()
        n = int(z.abs().reshape(z.shape[0], -1).min(1).values.argmin())
        delta = torch.zeros_like(o)
        flat = o[n, channel].detach()
        idx = int(flat.abs().argmin())
        delta[n, channel].view(-1)[idx] = -2 * flat.view(-1)[idx]
        return o + delta

    p.net.head.bn.register_forward_hook(hook)
    x = nhwc_to_nchw(np.asarray(d["images"], np.float32).reshape(d["imageShape"])).double()
    y = torch.as_tensor(d["labels"], dtype=torch.long)
    p.train()
    smoothed_ce(p(x), y, 0.1).backward()
    bns = p.net.bn_named()
    return {k: (bns[k.rsplit(".", 1)[0]].weight if k.endswith("gamma") else bns[k.rsplit(".", 1)[0]].bias).grad.numpy() for k in d["grads"]}


def main(path, channel=None):
    torch.set_num_threads(1)
    d = json.load(open(path))
    _, _, g64 = run(d, torch.float64)
    ts = {k: np.asarray(v, np.float64) for k, v in d["grads"].items()}
    if channel is None:
        channel = int(np.abs(ts["head.bn.beta"] - g64["head.bn.beta"]).argmax())
    g1 = run_flipped(d, channel)
    big = max(np.linalg.norm(v) for v in g64.values())
    keys = [k for k in g64 if np.linalg.norm(g64[k]) > 1e-4 * big]

    def rel(a, b):
        return np.sqrt(sum(np.sum((a[k] - b[k]) ** 2) for k in keys) / sum(np.sum(b[k] ** 2) for k in keys))

    print(f"head channel {channel}: rel L2 of TS BN grads vs f64 {rel(ts, g64):.1e}; "
          f"vs f64 with that ReLU flipped {rel(ts, g1):.1e}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
