"""Train an IsoNAS Lab supernet with the lab's method, on one process or under torchrun.

    torchrun --nproc_per_node=G -m isonas_torch.train --supernet sn.safetensors --data PATH \\
        [--data PATH ...] --steps N --batch B --out run.safetensors [--lr --epochs --resume ...]

(`python3 -m isonas_torch.torchrun` is the same launcher where the `torchrun` script is broken.)
One step: the sampler draws the step's paths from the lab's seeded RNG (the same sequence on every
rank and in the lab); each path runs forward / backward on the same global batch (each rank holds
B / G images; BN statistics are those of the global batch), the gradients of the m paths are
summed (or averaged: recipe gradAccumulation), all-reduced across ranks ONCE as one flat bucket,
optionally clipped, and applied by one SGD-momentum update (PyTorch convention, buffers keyed by
the lab's parameter names). Cosine learning rate over the recipe's totalSteps, label smoothing and
BN running statistics as the lab. Rank 0 prints one JSON line per step and writes the run file
(safetensors: bn/*, w/*, opt/*, recipe / step / sampler state / fingerprint / indicators in the
metadata) every --save-every steps, at the end, and on SIGTERM. `--resume FILE` continues from FILE
when it exists (so a torchrun elastic restart with the same arguments picks up the last save).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import time
from typing import Dict, List, Optional

import numpy as np
import torch
import torch.distributed as dist

from . import safetensors
from .data import Dataset
from .rng import derive_seed, sample_paths, sampler_rng
from .supernet import Supernet, to_lab, to_torch

RUN_FORMAT = "isonas-run-file/1"


def cosine_lr(step: int, total: int, lr: float, lr_min: float) -> float:
    if total <= 0:
        return lr
    t = min(max(step, 0), total) / total
    return lr_min + 0.5 * (lr - lr_min) * (1 + math.cos(math.pi * t))


class Run:
    """Supernet + optimizer state + sampler + step: everything a run file holds."""

    def __init__(self, sn_path: str, recipe: dict, device: str, dtype: torch.dtype = torch.float32):
        self.net = Supernet(sn_path, mode=recipe["mode"], device=device, dtype=dtype)
        self.recipe = recipe
        self.params = self.net.path_params()
        self.decayed = {n for n, w in self.net.weights.items() if w.trainable}
        self.buffers = {k: torch.zeros_like(p) for k, p in self.params.items()}
        self.rng = sampler_rng(recipe["seed"])
        self.step = 0
        self.history = {"loss": [], "acc": [], "lr": []}  # one entry per step (the lab's metrics history)

    # ---- run file ----
    def state(self) -> Dict[str, np.ndarray]:
        out: Dict[str, np.ndarray] = {}
        for name, b in self.net.bns.items():
            for part, t in (("gamma", b.gamma), ("beta", b.beta), ("running_mean", b.running_mean), ("running_var", b.running_var)):
                out[f"bn/{name}.{part}"] = t.detach().cpu().float().numpy()
        for name, w in self.net.weights.items():
            if w.trainable:
                out[f"w/{name}"] = to_lab(w.kind, w.tensor)
        for key, buf in self.buffers.items():
            kind = self.net.weights[key].kind if key in self.net.weights else "bn"
            out[f"opt/{key}"] = to_lab(kind, buf)
        return out

    def save(self, path: str, extra: Optional[dict] = None) -> None:
        meta = {
            "format": RUN_FORMAT,
            "recipe": json.dumps(self.recipe),
            "step": str(self.step),
            "samplerRng": json.dumps(self.rng.get_state()),
            "fingerprint": self.net.fingerprint,
            "blocks": self.net.meta["blocks"],
            "indicators": json.dumps(self.net.indicators()),
            "history": json.dumps(self.history),
            "trainer": f"isonas_torch (pytorch {torch.__version__})",
            **{k: json.dumps(v) if not isinstance(v, str) else v for k, v in (extra or {}).items()},
        }
        safetensors.save(path, self.state(), meta)

    def restore(self, path: str) -> None:
        tensors, meta = safetensors.load(path)
        if meta.get("format") != RUN_FORMAT:
            raise ValueError(f"{path}: metadata format is {meta.get('format')!r}, expected {RUN_FORMAT!r}")
        if meta.get("fingerprint") != self.net.fingerprint:
            raise ValueError(f"{path}: frozen-weight fingerprint {meta.get('fingerprint')} differs from the supernet file's {self.net.fingerprint}")
        left = dict(tensors)

        def take(name, like: torch.Tensor, kind="bn"):
            if name not in left:
                raise ValueError(f"{path}: missing tensor {name}")
            a = to_torch(kind, left.pop(name))
            if tuple(a.shape) != tuple(like.shape):
                raise ValueError(f"{path}: tensor {name} has shape {list(a.shape)}, the supernet needs {list(like.shape)}")
            with torch.no_grad():
                like.copy_(torch.from_numpy(np.ascontiguousarray(a)))
        for name, b in self.net.bns.items():
            for part in ("gamma", "beta", "running_mean", "running_var"):
                take(f"bn/{name}.{part}", getattr(b, part))
        for name, w in self.net.weights.items():
            if w.trainable:
                take(f"w/{name}", w.tensor, w.kind)
        for key, buf in self.buffers.items():
            take(f"opt/{key}", buf, self.net.weights[key].kind if key in self.net.weights else "bn")
        if left:
            raise ValueError(f"{path}: unexpected tensors {sorted(left)[:3]}")
        self.rng.set_state(json.loads(meta["samplerRng"]))
        self.step = int(meta["step"])
        h = json.loads(meta.get("history", "{}"))
        self.history = {k: list(h.get(k, []))[:self.step] for k in ("loss", "acc", "lr")}


def world() -> tuple:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def train_step(run: Run, x: torch.Tensor, y: torch.Tensor, global_batch: int, amp: bool = False) -> dict:
    """One step on this rank's slice (x, y) of the global batch; returns loss / top-1 over the global batch."""
    r, rank_world = run.recipe, world()
    rank, ws = rank_world
    net, step = run.net, run.step
    paths = sample_paths(net.choices, r["sampler"], run.rng)
    lr = cosine_lr(step, r["totalSteps"], r["lr"], r["lrMin"])
    eps, mom = r["labelSmoothing"], r["bnMomentum"]
    keys = list(run.params)
    grads: Dict[str, torch.Tensor] = {}
    loss_sum = torch.zeros((), device=x.device, dtype=net.dtype)
    correct = torch.zeros((), device=x.device, dtype=net.dtype)
    b = x.shape[0]
    for i, path in enumerate(paths):
        def mask(c, p, _i=i):
            g = torch.Generator().manual_seed(derive_seed(r["seed"], "dropout", step, _i))
            m = (torch.rand(global_batch, c, generator=g) >= p).float() / (1 - p)
            return m[rank * b:(rank + 1) * b].to(x.device, net.dtype)
        ctx = {"training": True, "world_factor": ws, "stats": [], "dropout_mask": mask}
        if amp:
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
                logits = net.forward(x, path, ctx)
        else:
            logits = net.forward(x, path, ctx)
        logp = torch.log_softmax(logits.to(net.dtype), 1)
        k = logits.shape[1]
        target = torch.full_like(logp, eps / k)
        target.scatter_(1, y.view(-1, 1), 1 - eps + eps / k)
        per = -(target * logp).sum(1)
        loss = per.sum() / global_batch
        gs = torch.autograd.grad(loss, [run.params[k_] for k_ in keys], allow_unused=True)
        for k_, g in zip(keys, gs):
            if g is not None:
                grads[k_] = grads[k_] + g if k_ in grads else g
        with torch.no_grad():
            for bn, mean, var, count in ctx["stats"]:
                bn.running_mean.mul_(1 - mom).add_(mean, alpha=mom)
                bn.running_var.mul_(1 - mom).add_(var * (count / (count - 1) if count > 1 else 1.0), alpha=mom)
            loss_sum += per.sum().detach()
            correct += (logits.argmax(1) == y).sum().to(net.dtype)
    names = sorted(grads)
    summary = torch.stack([loss_sum, correct, torch.tensor(float(STOP["flag"]), device=x.device, dtype=net.dtype)])
    if ws > 1:
        flat = torch.cat([grads[n].reshape(-1) for n in names] + [summary])
        dist.all_reduce(flat)  # the step's one gradient all-reduce (with the loss / top-1 / stop flag)
        at = 0
        for n in names:
            grads[n] = flat[at:at + grads[n].numel()].view_as(grads[n])
            at += grads[n].numel()
        summary = flat[at:]
    with torch.no_grad():
        if r["gradAccumulation"] == "mean" and len(paths) > 1:
            for n in names:
                grads[n] = grads[n] / len(paths)
        if r.get("gradClipNorm") is not None and names:
            norm = torch.sqrt(sum((grads[n] ** 2).sum() for n in names))
            scale = torch.clamp(r["gradClipNorm"] / (norm + 1e-6), max=1.0)
            for n in names:
                grads[n] = grads[n] * scale
        for n in names:
            p, g = run.params[n], grads[n]
            if r["weightDecay"] > 0 and n in run.decayed:
                g = g + r["weightDecay"] * p
            run.buffers[n] = run.buffers[n] * r["momentum"] + g
            p.sub_(run.buffers[n] * lr)
    run.step = step + 1
    m = len(paths) * global_batch
    s = summary.tolist()
    for k, v in (("loss", s[0] / m), ("acc", s[1] / m), ("lr", lr)):
        run.history[k].append(v)
    return {"step": step, "loss": s[0] / m, "acc": s[1] / m, "lr": lr, "paths": paths, "stop": s[2] > 0}


STOP = {"flag": 0}


def parse(argv: Optional[List[str]] = None):
    ap = argparse.ArgumentParser(prog="isonas_torch.train", description=__doc__.splitlines()[0])
    ap.add_argument("--supernet", required=True, help="supernet file from `isonas export-supernet`")
    ap.add_argument("--data", action="append", required=True, help="ImageFolder dir, WebDataset tar (or dir of tars), or tensor .safetensors; repeatable")
    ap.add_argument("--out", required=True, help="run file (safetensors) written every --save-every steps, at the end and on SIGTERM")
    ap.add_argument("--steps", type=int, help="total steps (the cosine horizon)")
    ap.add_argument("--epochs", type=float, help="instead of --steps: epochs over the data")
    ap.add_argument("--batch", type=int, help="GLOBAL batch size (divisible by the number of processes); default: the recipe's")
    for name, typ in (("lr", float), ("lr-min", float), ("momentum", float), ("weight-decay", float), ("bn-momentum", float), ("label-smoothing", float), ("clip", float)):
        ap.add_argument(f"--{name}", type=typ)
    ap.add_argument("--mode", choices=["bn", "last-bn", "all"])
    ap.add_argument("--sampler", choices=["fair", "uniform"])
    ap.add_argument("--accumulate", choices=["sum", "mean"])
    ap.add_argument("--resume", help="continue from this run file when it exists (torchrun restarts: pass --resume OUT)")
    ap.add_argument("--save-every", type=int, default=100)
    ap.add_argument("--stop-at", type=int, help="save and stop after this many steps (a planned interruption)")
    ap.add_argument("--shuffle", choices=["on", "off"], default="on")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    ap.add_argument("--amp", action="store_true", help="bfloat16 autocast on CUDA")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32", help="float64: reference runs (equivalence checks); the run file stores float32")
    ap.add_argument("--threads", type=int, help="torch.set_num_threads per process")
    return ap.parse_args(argv)


def make_recipe(base: dict, a, n_data: int) -> dict:
    r = dict(base)
    over = {"lr": a.lr, "lrMin": a.lr_min, "momentum": a.momentum, "weightDecay": a.weight_decay, "bnMomentum": a.bn_momentum,
            "labelSmoothing": a.label_smoothing, "mode": a.mode, "sampler": a.sampler, "gradAccumulation": a.accumulate, "batchSize": a.batch}
    r.update({k: v for k, v in over.items() if v is not None})
    if a.clip is not None:
        r["gradClipNorm"] = a.clip
    if a.steps is not None:
        r["totalSteps"] = a.steps
    elif a.epochs is not None:
        r["totalSteps"] = max(1, math.ceil(a.epochs * n_data / r["batchSize"]))
    else:
        raise SystemExit("isonas_torch.train: give --steps or --epochs")
    return r


def main(argv: Optional[List[str]] = None) -> int:
    a = parse(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    cuda = a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available())
    ws_env = int(os.environ.get("WORLD_SIZE", "1"))
    if ws_env > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if cuda else "gloo")
    rank, ws = world()
    local = int(os.environ.get("LOCAL_RANK", "0"))
    device = f"cuda:{local}" if cuda else "cpu"
    if cuda:
        torch.cuda.set_device(local)
    _, sn_meta = safetensors.load(a.supernet)
    if "recipe" not in sn_meta:
        raise SystemExit(f"{a.supernet}: no recipe in the metadata (write it with `isonas export-supernet`)")
    resuming = a.resume is not None and os.path.exists(a.resume)
    data = Dataset(a.data, json.loads(sn_meta["recipe"])["config"]["resolution"])
    if resuming:
        _, rmeta = safetensors.load(a.resume)
        recipe = json.loads(rmeta["recipe"])
        if a.steps is not None and a.steps != recipe["totalSteps"]:
            raise SystemExit(f"--steps {a.steps}: {a.resume} keeps its recipe's horizon {recipe['totalSteps']}")
    else:
        recipe = make_recipe(json.loads(sn_meta["recipe"]), a, len(data))
    B = recipe["batchSize"]
    if B % ws:
        raise SystemExit(f"--batch {B} is not divisible by the {ws} processes")
    dtype = torch.float64 if a.dtype == "float64" else torch.float32
    run = Run(a.supernet, recipe, device, dtype)
    if resuming:
        run.restore(a.resume)
    prev = signal.signal(signal.SIGTERM, lambda *_: STOP.__setitem__("flag", 1))
    stop_at = min(a.stop_at, recipe["totalSteps"]) if a.stop_at is not None else recipe["totalSteps"]
    extra = {"worldSize": ws, "data": [os.path.basename(p.rstrip("/")) for p in a.data]}
    if rank == 0:
        print(json.dumps({"start": {"step": run.step, "totalSteps": recipe["totalSteps"], "worldSize": ws, "device": device, "samples": len(data),
                                    "pathsPerStep": len(sample_paths(run.net.choices, recipe["sampler"], type(run.rng)(0))), "resumed": resuming}}), flush=True)
    b = B // ws
    try:
        while run.step < stop_at:
            t0, c0 = time.perf_counter(), time.process_time()
            idx = data.global_indices(run.step, B, recipe["seed"], a.shuffle == "on")[rank * b:(rank + 1) * b]
            x, y = data.batch(idx)
            res = train_step(run, x.to(device, dtype), y.to(device), B, amp=a.amp and cuda)
            ms, cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            if rank == 0:
                print(json.dumps({"step": res["step"], "loss": res["loss"], "acc": res["acc"], "lr": res["lr"], "ms": round(ms, 1), "cpuMs": round(cpu_ms, 1),
                                  "imagesPerSec": round(B * 1000 / ms, 1), "paths": res["paths"]}), flush=True)
            done = run.step >= stop_at
            if res["stop"] or done or run.step % a.save_every == 0:
                if rank == 0:
                    run.save(a.out, extra)
            if res["stop"]:
                if rank == 0:
                    print(json.dumps({"stopped": "SIGTERM", "step": run.step, "out": a.out}), flush=True)
                return 143
        if rank == 0:
            if run.step == 0 or not os.path.exists(a.out):
                run.save(a.out, extra)
            print(json.dumps({"done": {"step": run.step, "out": a.out}}), flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, prev)
        if ws > 1:
            dist.barrier()
            dist.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
