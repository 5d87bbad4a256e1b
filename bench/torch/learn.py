"""Does BN-only training of the bnnas-mbv2 supernet learn the built-in synthetic data? (PyTorch)

Data: batches exported from the TypeScript generator (src/core/data/synthetic.ts) as raw float32
NHWC + int32 labels (see docs/learnability.md for the exporter). Train batch t of size B is the
first B images of the exported batch t of 64 (the generator draws indices sequentially from
deriveRng(seed, 'batch', t), so these are exactly the lab's batch t of size B).

One run: SGD momentum 0.9, cosine lr over `steps`, label smoothing 0.1, BN batch statistics in
training; then val top-1 in inference mode after SPOS recalibration of BN statistics (reset,
cumulative average over 4 train batches of 64), on 512 val images.
Prints one JSON line per run. Usage: python3 bench/torch/learn.py --help
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from supernet import Supernet, nhwc_to_nchw, set_beta, smoothed_ce  # noqa: E402

DATA = os.environ.get("LEARN_DATA", "/tmp/learn")


def load(prefix, res):
    x = np.fromfile(prefix + ".x.f32", np.float32).reshape(-1, res, res, 3)
    y = np.fromfile(prefix + ".y.i32", np.int32)
    return nhwc_to_nchw(x), torch.as_tensor(y, dtype=torch.long)


def recalibrate(net, arch, xs):
    bns = list(net.bn_named().values())
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average
    net.train()
    with torch.no_grad():
        for x in xs:
            net(x, arch)
    for bn in bns:
        bn.momentum = 0.1


def run(a):
    torch.manual_seed(a.seed)
    tag = a.data_tag or f"s{a.seed}_r{a.res}"
    xtr, ytr = load(f"{DATA}/d_{tag}_train", a.res)
    xva, yva = load(f"{DATA}/d_{tag}_val", a.res)
    K = int(ytr.max()) + 1
    net = Supernet(a.res, a.width, K, a.init, a.seed, a.mode, identity=not a.no_identity, dropout=0.0,
                   relu_gain=a.relu_gain, linear_gain=a.linear_gain, train_classifier=a.train_fc,
                   repeats=[int(r) for r in a.repeats.split(",")] if a.repeats else None)
    with torch.no_grad():
        if a.fc_gain != 1.0:
            net.fc.weight.mul_(a.fc_gain)
        if a.zero_res_gamma is not None:  # last BN of every residual candidate branch
            for cands in net.layers:
                for m in cands.values():
                    if getattr(m, "residual", False):
                        m.pw2.bn.weight.fill_(a.zero_res_gamma)
    if a.beta_init is not None:
        set_beta(net, a.beta_init)
    params = net.trainable()
    fcp = [p for p in params if p is net.fc.weight or p is net.fc.bias]
    bnp = [p for p in params if not any(p is q for q in fcp)]
    groups = [{"params": bnp, "lr": a.lr}]
    if fcp:
        groups.append({"params": fcp, "lr": a.lr * a.fc_lr_mult})
    opt = torch.optim.Adam(groups) if a.adam else torch.optim.SGD(groups, momentum=0.9)
    base = [g["lr"] for g in opt.param_groups]
    gen = torch.Generator().manual_seed(a.seed + 1000)
    fixed = None
    if a.path == "zeros":
        fixed = [0] * len(net.layers)
    elif a.path == "identity":  # identity (-1) wherever offered, else choice 0
        fixed = [L["choices"][0] for L in net.spec["layers"]]
    elif a.path == "random":
        fixed = net.random_arch(gen)
    nbatches = xtr.shape[0] // 64
    losses, accs = [], []
    t0 = time.time()
    for s in range(a.steps):
        for g, b in zip(opt.param_groups, base):
            g["lr"] = 0.5 * b * (1 + math.cos(math.pi * s / a.steps))
        if a.repeat_batch:
            t = 0
        else:
            t = s % nbatches
        x = xtr[64 * t: 64 * t + a.batch]
        y = ytr[64 * t: 64 * t + a.batch]
        if a.path == "fair":  # FairNAS: m paths, each layer a permutation of its choices; grads summed
            m = max(len(L["choices"]) for L in net.spec["layers"])
            cols = []
            for L in net.spec["layers"]:
                seq = []
                while len(seq) < m:
                    seq += [L["choices"][int(i)] for i in torch.randperm(len(L["choices"]), generator=gen)]
                cols.append(seq[:m])
            archs = [[c[i] for c in cols] for i in range(m)]
        else:
            archs = [fixed if fixed is not None else net.random_arch(gen)]
        net.train()
        opt.zero_grad()
        ls, acs = [], []
        for arch in archs:
            logits = net(x, arch)
            loss = smoothed_ce(logits, y, 0.1)
            loss.backward()
            ls.append(loss.item())
            acs.append((logits.argmax(1) == y).float().mean().item())
        if a.clip:
            torch.nn.utils.clip_grad_norm_(params, a.clip)
        opt.step()
        losses.append(float(np.mean(ls)))
        accs.append(float(np.mean(acs)))
    # evaluation
    paths = [fixed] if fixed is not None else [[0] * len(net.layers), [L["choices"][-1] for L in net.spec["layers"]], net.random_arch(gen)]
    calib = [xtr[64 * t: 64 * t + 64] for t in range(nbatches - 4, nbatches)]
    vals = []
    for p in paths:
        recalibrate(net, p, calib)
        net.eval()
        with torch.no_grad():
            vals.append((net(xva, p).argmax(1) == yva).float().mean().item())
    w = max(1, a.steps // 5)
    curve = [float(np.mean(losses[i:i + w])) for i in range(0, a.steps, w)]
    out = dict(cfg={k: v for k, v in vars(a).items() if v not in (None, False)}, lnK=math.log(K),
               loss_curve=[round(c, 3) for c in curve], acc_first=round(float(np.mean(accs[:w])), 3),
               acc_last=round(float(np.mean(accs[-w:])), 3), val=[round(v, 3) for v in vals],
               val_mean=round(float(np.mean(vals)), 3), sec=round(time.time() - t0, 1))
    print(json.dumps(out), flush=True)
    return out


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--res", type=int, default=16)
    p.add_argument("--width", type=float, default=0.25)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--mode", default="bn")
    p.add_argument("--init", default="orthogonal")
    p.add_argument("--path", default="uniform", choices=["uniform", "fair", "zeros", "identity", "random"])
    p.add_argument("--train-fc", action="store_true")
    p.add_argument("--fc-lr-mult", type=float, default=1.0)
    p.add_argument("--fc-gain", type=float, default=1.0)
    p.add_argument("--zero-res-gamma", type=float, default=None)
    p.add_argument("--relu-gain", type=float, default=math.sqrt(2))
    p.add_argument("--linear-gain", type=float, default=1.0)
    p.add_argument("--no-identity", action="store_true")
    p.add_argument("--adam", action="store_true")
    p.add_argument("--clip", type=float, default=None)
    p.add_argument("--repeat-batch", action="store_true")
    p.add_argument("--data-tag", default=None)
    p.add_argument("--beta-init", type=float, default=None, help="initial beta of every BN followed by ReLU6 (experiment)")
    p.add_argument("--repeats", default=None, help="layers per stage, e.g. 1,1,1,1,1,1 (experiment only)")
    return p


if __name__ == "__main__":
    torch.set_num_threads(1)
    run(parser().parse_args())
