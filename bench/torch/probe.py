"""Linear (ridge) probes of pooled features along one path of the frozen supernet at init.
Train-mode BN (batch statistics over batches of --batch) vs inference-mode BN after SPOS
recalibration. Prints val top-1 per depth (stem=1, fixed0=2, L0=3, ..., head=24).
Usage: python3 bench/torch/probe.py --res 16 --batch 16 [--zero-res-gamma 0] [--init he-normal]"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from learn import load, recalibrate, DATA  # noqa: E402
from supernet import Supernet, BNNAS_ARCH, set_beta  # noqa: E402


def feats(net, arch, x, batch, train):
    outs = []
    net.train(train)
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            h = x[i:i + batch]
            per = []
            for m in net.path_modules(arch):
                h = m(h)
                per.append(h.mean((2, 3)))
            outs.append(per)
    return [torch.cat([o[d] for o in outs]).double().numpy() for d in range(len(outs[0]))]


def ridge_acc(ftr, ytr, fva, yva, K, lam=1.0):
    mu, sd = ftr.mean(0), ftr.std(0) + 1e-6
    a, b = (ftr - mu) / sd, (fva - mu) / sd
    Y = np.eye(K)[ytr]
    W = np.linalg.solve(a.T @ a + lam * a.shape[0] * np.eye(a.shape[1]) * 1e-2, a.T @ (Y - Y.mean(0)))
    return float(((b @ W).argmax(1) == yva).mean())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--res", type=int, default=16)
    p.add_argument("--width", type=float, default=0.25)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--init", default="orthogonal")
    p.add_argument("--arch", default="bnnas", choices=["bnnas", "zeros"])
    p.add_argument("--zero-res-gamma", type=float, default=None)
    p.add_argument("--ntrain", type=int, default=1024)
    p.add_argument("--data-tag", default=None)
    p.add_argument("--beta-init", type=float, default=None, help="initial beta of every BN followed by ReLU6 (experiment)")
    p.add_argument("--repeats", default=None, help="layers per stage (experiment only); uses the all-0 path")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    tag = a.data_tag or f"s{a.seed}_r{a.res}"
    xtr, ytr = load(f"{DATA}/d_{tag}_train", a.res)
    xva, yva = load(f"{DATA}/d_{tag}_val", a.res)
    xtr, ytr = xtr[:a.ntrain], ytr[:a.ntrain].numpy()
    yva = yva.numpy()
    K = int(ytr.max()) + 1
    reps = [int(r) for r in a.repeats.split(",")] if a.repeats else None
    net = Supernet(a.res, a.width, K, a.init, a.seed, "bn", repeats=reps)
    if a.zero_res_gamma is not None:
        with torch.no_grad():
            for cands in net.layers:
                for m in cands.values():
                    if getattr(m, "residual", False):
                        m.pw2.bn.weight.fill_(a.zero_res_gamma)
    if a.beta_init is not None:
        set_beta(net, a.beta_init)
    arch = BNNAS_ARCH if a.arch == "bnnas" and not reps else [0] * len(net.layers)
    tr_train = feats(net, arch, xtr, a.batch, True)
    va_train = feats(net, arch, xva, a.batch, True)
    recalibrate(net, arch, [xtr[i:i + 64] for i in range(0, 256, 64)])
    tr_eval = feats(net, arch, xtr, 256, False)
    va_eval = feats(net, arch, xva, 256, False)
    n = len(net.path_modules(arch))
    depths = sorted(set([1, 2, 3, 7, 11, 15, 19, 23, 24][:-1] + [n - 1, n]) & set(range(1, n + 1)))
    res = {"train_mode": [round(ridge_acc(tr_train[d - 1], ytr, va_train[d - 1], yva, K), 3) for d in depths],
           "eval_mode": [round(ridge_acc(tr_eval[d - 1], ytr, va_eval[d - 1], yva, K), 3) for d in depths]}
    print(json.dumps({"args": vars(a), "depths": depths, **res}), flush=True)


if __name__ == "__main__":
    main()
