"""Cross-check the TypeScript engine against the PyTorch replica on one path and one batch.

Input: a JSON written by the throw-away exporter (see docs/learnability.md): the path's frozen
weights (tfjs layouts), one synthetic batch (NHWC), our training-mode loss, logits and the
gradients of every trainable BN parameter. Prints the max abs / relative differences.
Usage: python3 bench/torch/crosscheck.py EXPORT.json
"""
import json
import sys
import os

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from supernet import build_path, nhwc_to_nchw, smoothed_ce  # noqa: E402


def main(path):
    torch.set_num_threads(1)
    d = json.load(open(path))
    p = build_path(d["arch"], d["res"], d["width"], d["classes"], seed=0, mode="bn")
    p.net.load_tf_weights({n: np.asarray(w["data"], np.float32).reshape(w["shape"]) for n, w in d["weights"].items()})
    missing = [n for n, _ in p.net.conv_units() if n not in d["weights"]]
    assert not missing, f"weights missing from export: {missing}"
    x = nhwc_to_nchw(np.asarray(d["images"], np.float32).reshape(d["imageShape"]))
    y = torch.as_tensor(d["labels"], dtype=torch.long)
    p.train()
    logits = p(x)
    loss = smoothed_ce(logits, y, 0.1)
    loss.backward()
    ours = np.asarray(d["logits"], np.float32).reshape(logits.shape)
    print(f"loss   ts {d['loss']:.7f} torch {loss.item():.7f} diff {abs(d['loss'] - loss.item()):.2e}")
    print(f"logits max abs diff {np.abs(ours - logits.detach().numpy()).max():.2e} (max |logit| {np.abs(ours).max():.3f})")
    bns = p.net.bn_named()
    worst = (0.0, "")
    rows = []
    for key, g in d["grads"].items():
        name, which = key.rsplit(".", 1)
        bn = bns[name]
        t = (bn.weight if which == "gamma" else bn.bias).grad.numpy()
        g = np.asarray(g, np.float32)
        scale = max(np.abs(g).max(), 1e-12)
        rel = np.abs(g - t).max() / scale
        rows.append((name + "." + which, np.sqrt((g ** 2).mean()), rel))
        worst = max(worst, (rel, key))
    print(f"BN grads: {len(rows)} tensors, worst max|diff|/max|g| = {worst[0]:.2e} at {worst[1]}")
    for n, rms, rel in rows[:4] + rows[-4:]:
        print(f"  {n:22s} rms {rms:.3e} rel {rel:.1e}")
    return worst[0]


if __name__ == "__main__":
    main(sys.argv[1])
