"""Cross-check the TypeScript engine against the PyTorch replica on one path and one batch.

Input: a JSON written by the throw-away exporter (docs/learnability.md, "Reproduce"): the path's
frozen weights (tfjs layouts), one synthetic batch (NHWC), our training-mode loss, logits and the
gradients of every trainable BN parameter. The replica runs the same forward/backward in float32
and float64; float64 is the reference. Prints the loss of each, the logit difference, and the
relative L2 error of the BN gradients (tensors whose gradient is not ~0) of TypeScript and of
torch float32 against float64, plus the elements that differ by more than 1e-3 of their tensor's
largest gradient (isolated ReLU flips near 0 show up there, see the doc).
Usage: /usr/bin/python3 bench/torch/crosscheck.py EXPORT.json
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from supernet import build_path, nhwc_to_nchw, smoothed_ce  # noqa: E402


def run(d, dtype):
    p = build_path(d["arch"], d["res"], d["width"], d["classes"], seed=0, mode="bn")
    p.net.load_tf_weights({n: np.asarray(w["data"], np.float32).reshape(w["shape"]) for n, w in d["weights"].items()})
    missing = [n for n, _ in p.net.conv_units() if n not in d["weights"]]
    assert not missing, f"weights missing from export: {missing}"
    p = p.to(dtype)
    x = nhwc_to_nchw(np.asarray(d["images"], np.float32).reshape(d["imageShape"])).to(dtype)
    y = torch.as_tensor(d["labels"], dtype=torch.long)
    p.train()
    logits = p(x)
    loss = smoothed_ce(logits, y, 0.1)
    loss.backward()
    bns = p.net.bn_named()
    grads = {}
    for key in d["grads"]:
        name, which = key.rsplit(".", 1)
        grads[key] = (bns[name].weight if which == "gamma" else bns[name].bias).grad.double().numpy()
    return loss.item(), logits.detach().double().numpy(), grads


def main(path):
    torch.set_num_threads(1)
    d = json.load(open(path))
    l64, lg64, g64 = run(d, torch.float64)
    l32, lg32, g32 = run(d, torch.float32)
    ts = {k: np.asarray(v, np.float64) for k, v in d["grads"].items()}
    lts = np.asarray(d["logits"], np.float64).reshape(lg64.shape)
    print(f"loss: ts {d['loss']:.7f}  torch-f32 {l32:.7f}  torch-f64 {l64:.7f}")
    print(f"logits max |diff| vs f64: ts {np.abs(lts - lg64).max():.1e}  torch-f32 {np.abs(lg32 - lg64).max():.1e}  (max |logit| {np.abs(lg64).max():.2f})")
    big = max(np.linalg.norm(v) for v in g64.values())
    keys = [k for k in g64 if np.linalg.norm(g64[k]) > 1e-4 * big]

    def rel(a):
        return np.sqrt(sum(np.sum((a[k] - g64[k]) ** 2) for k in keys) / sum(np.sum(g64[k] ** 2) for k in keys))

    def flips(a):
        return sum(int(np.sum(np.abs(a[k] - g64[k]) > 1e-3 * np.abs(g64[k]).max())) for k in keys)

    n = sum(g64[k].size for k in keys)
    print(f"BN grads: {len(keys)} of {len(g64)} tensors non-negligible ({n} elements)")
    print(f"  rel L2 error vs f64: ts {rel(ts):.1e}  torch-f32 {rel(g32):.1e}")
    print(f"  elements off by > 1e-3 of their tensor's max: ts {flips(ts)}  torch-f32 {flips(g32)}")
    worst = sorted(keys, key=lambda k: -np.linalg.norm(ts[k] - g64[k]) / np.linalg.norm(g64[k]))[:3]
    for k in worst:
        print(f"  ts worst {k:20s} rel {np.linalg.norm(ts[k] - g64[k]) / np.linalg.norm(g64[k]):.1e}")
    return rel(ts)


if __name__ == "__main__":
    main(sys.argv[1])
