"""The lab's supernet rebuilt in PyTorch from an exported supernet file alone (`isonas
export-supernet`): the decoded block list in the metadata says what to build, the tensors are the
frozen weights under the lab's names (tfjs layout, permuted here to PyTorch's), and the parameter
and BN names are the lab's (src/core/model/blocks.ts), so a run maps back name for name.

BN as the lab (src/core/model/bn.ts): eps 1e-5, training mode normalises with the batch mean and
biased variance, the running statistics move with momentum `bn_momentum` towards the batch mean
and the unbiased variance (count / (count - 1)), once per path forward. Under torch.distributed the
batch statistics are those of the GLOBAL batch (a sum over ranks inside autograd), so G ranks with
B / G images each compute what one process computes on B images.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from . import safetensors

SUPERNET_FORMAT = "isonas-supernet-file/1"
EPS = 1e-5


def fingerprint(weights: Dict[str, np.ndarray]) -> str:
    """src/core/io/supernetFile.ts fingerprintOf: CRC-32 over name + NUL + float32 LE bytes, sorted names."""
    c = 0
    for name in sorted(weights):
        c = zlib.crc32(name.encode("utf-8") + b"\0", c)
        c = zlib.crc32(np.ascontiguousarray(weights[name], dtype="<f4").tobytes(), c)
    return f"crc32:{c:08x}:{len(weights)}"


def _all_reduce_sum(t: torch.Tensor) -> torch.Tensor:
    """Differentiable sum over ranks (identity without a process group)."""
    if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        from torch.distributed.nn.functional import all_reduce
        return all_reduce(t, op=dist.ReduceOp.SUM)
    return t


@dataclass
class BN:
    name: str
    gamma: torch.Tensor
    beta: torch.Tensor
    running_mean: torch.Tensor
    running_var: torch.Tensor
    trainable: bool
    indicator: bool = False


@dataclass
class Weight:
    name: str
    kind: str  # conv | depthwise | linear | bias
    tensor: torch.Tensor  # PyTorch layout
    trainable: bool


def to_torch(kind: str, a: np.ndarray) -> np.ndarray:
    if kind == "conv":
        return a.transpose(3, 2, 0, 1)  # [k,k,cin,cout] -> [cout,cin,k,k]
    if kind == "depthwise":
        return a.transpose(2, 3, 0, 1)  # [k,k,c,1] -> [c,1,k,k]
    return a


def to_lab(kind: str, t: torch.Tensor) -> np.ndarray:
    a = t.detach().cpu().float().numpy()
    if kind == "conv":
        return np.ascontiguousarray(a.transpose(2, 3, 1, 0))
    if kind == "depthwise":
        return np.ascontiguousarray(a.transpose(2, 3, 0, 1))
    return np.ascontiguousarray(a)


class Supernet:
    def __init__(self, path: str, mode: str = "bn", device: str = "cpu", dtype: torch.dtype = torch.float32):
        tensors, meta = safetensors.load(path)
        if meta.get("format") != SUPERNET_FORMAT:
            raise ValueError(f"{path}: metadata format is {meta.get('format')!r}, expected {SUPERNET_FORMAT!r} (write it with `isonas export-supernet`)")
        fp = fingerprint(tensors)
        if meta.get("fingerprint") != fp:
            raise ValueError(f"{path}: the weights' fingerprint {fp} differs from the metadata's {meta.get('fingerprint')!r} (file altered?)")
        if mode not in ("bn", "last-bn", "all"):
            raise ValueError(f"mode {mode!r} is unknown (bn, last-bn, all)")
        self.path, self.meta, self.mode, self.device, self.dtype = path, meta, mode, torch.device(device), dtype
        self.recipe = json.loads(meta["recipe"])
        self.blocks = json.loads(meta["blocks"])
        self.fingerprint = fp
        self._raw = tensors
        self.bns: Dict[str, BN] = {}
        self.weights: Dict[str, Weight] = {}
        self.prefix = [self._build(b["name"], b["spec"], False) for b in self.blocks["prefix"]]
        self.layers = [{c["choice"]: self._build(c["name"], c["spec"], True) for c in l["candidates"]} for l in self.blocks["layers"]]
        self.suffix = [self._build(b["name"], b["spec"], False) for b in self.blocks["suffix"]]
        unused = set(tensors) - set(self.weights)
        if unused:
            raise ValueError(f"{path}: tensors the block list does not use: {sorted(unused)[:3]}")
        del self._raw
        self.choices: List[List[int]] = [list(l["choices"]) for l in self.blocks["layers"]]
        self.bn_momentum = float(self.recipe.get("bnMomentum", 0.1))

    # ---- building (names as src/core/model/blocks.ts) ----
    def _weight(self, name: str, kind: str) -> torch.Tensor:
        if name not in self._raw:
            raise ValueError(f"{self.path}: missing weight {name!r}")
        t = torch.from_numpy(np.ascontiguousarray(to_torch(kind, self._raw[name]))).to(self.device, self.dtype)
        trainable = self.mode == "all"
        t.requires_grad_(trainable)
        self.weights[name] = Weight(name, kind, t, trainable)
        return t

    def _bn(self, name: str, c: int, indicator: bool) -> BN:
        trainable = self.mode != "last-bn" or indicator
        d, dt = self.device, self.dtype
        bn = BN(name, torch.ones(c, device=d, dtype=dt, requires_grad=trainable), torch.zeros(c, device=d, dtype=dt, requires_grad=trainable),
                torch.zeros(c, device=d, dtype=dt), torch.ones(c, device=d, dtype=dt), trainable, indicator)
        self.bns[name] = bn
        return bn

    def _unit(self, wname, bname, kind, stride, act, cout, indicator=False):
        w = self._weight(wname, kind)
        bn = self._bn(bname, cout, indicator)
        return (w, bn, stride, kind == "depthwise", act)

    def _build(self, name: str, s: dict, candidate: bool):
        t = s["type"]
        if t == "conv":
            return ("seq", [self._unit(f"{name}.conv", f"{name}.bn", "conv", s["stride"], s["act"], s["cout"])], False)
        if t == "ir":
            mid = s["cin"] * s["expand"]
            units = []
            if s["expand"] != 1:
                units.append(self._unit(f"{name}.pw1", f"{name}.bn1", "conv", 1, s["act"], mid))
            units.append(self._unit(f"{name}.dw", f"{name}.bn2", "depthwise", s["stride"], s["act"], mid))
            units.append(self._unit(f"{name}.pw2", f"{name}.bn3", "conv", 1, "none", s["cout"], candidate))
            return ("seq", units, s["stride"] == 1 and s["cin"] == s["cout"])
        if t in ("shuffle", "xception"):
            stride = s["stride"]
            inp = s["cin"] // 2 if stride == 1 else s["cin"]
            outputs, m = s["cout"] - inp, s["mid"]
            if t == "shuffle":
                main = [self._unit(f"{name}.pw1", f"{name}.bn1", "conv", 1, "relu", m),
                        self._unit(f"{name}.dw", f"{name}.bn2", "depthwise", stride, "none", m),
                        self._unit(f"{name}.pw2", f"{name}.bn3", "conv", 1, "relu", outputs, candidate)]
                pk = s["kernel"]
            else:
                main = [self._unit(f"{name}.dw1", f"{name}.bn1", "depthwise", stride, "none", inp),
                        self._unit(f"{name}.pw1", f"{name}.bn2", "conv", 1, "relu", m),
                        self._unit(f"{name}.dw2", f"{name}.bn3", "depthwise", 1, "none", m),
                        self._unit(f"{name}.pw2", f"{name}.bn4", "conv", 1, "relu", m),
                        self._unit(f"{name}.dw3", f"{name}.bn5", "depthwise", 1, "none", m),
                        self._unit(f"{name}.pw3", f"{name}.bn6", "conv", 1, "relu", outputs, candidate)]
                pk = 3
            proj = []
            if stride == 2:
                proj = [self._unit(f"{name}.proj.dw", f"{name}.proj.bn1", "depthwise", stride, "none", inp),
                        self._unit(f"{name}.proj.pw", f"{name}.proj.bn2", "conv", 1, "relu", inp)]
                assert proj[0][0].shape[-1] == pk
            return ("shuffle", main, proj, stride)
        if t == "identity":
            return ("identity", self._bn(f"{name}.bn", s["channels"], candidate))
        if t == "pool":
            return ("pool",)
        if t == "linear":
            w = self._weight(f"{name}.w", "linear")
            b = self._weight(f"{name}.b", "bias") if s["bias"] else None
            return ("linear", w, b, float(s["dropout"]))
        raise ValueError(f"{self.path}: unknown block type {t!r} in the block list")

    # ---- forward ----
    def _bn_apply(self, bn: BN, x: torch.Tensor, ctx: dict) -> torch.Tensor:
        if not ctx["training"]:
            return F.batch_norm(x, bn.running_mean, bn.running_var, bn.gamma, bn.beta, False, 0.0, EPS)
        xf = x if x.dtype == self.dtype else x.to(self.dtype)
        dims = [0, 2, 3] if xf.dim() == 4 else [0]
        per = xf.numel() // xf.shape[1]
        count = per * ctx["world_factor"]
        mean = _all_reduce_sum(xf.sum(dims)) / count
        shape = [1, -1] + [1] * (xf.dim() - 2)
        d = xf - mean.view(shape)
        var = _all_reduce_sum((d * d).sum(dims)) / count
        ctx["stats"].append((bn, mean.detach(), var.detach(), count))
        return d * torch.rsqrt(var + EPS).view(shape) * bn.gamma.view(shape) + bn.beta.view(shape)

    def _run_unit(self, u, x, ctx):
        w, bn, stride, dw, act = u
        k = w.shape[-1]
        y = F.conv2d(x, w, None, stride, k // 2, 1, x.shape[1] if dw else 1)
        y = self._bn_apply(bn, y, ctx)
        if act == "relu":
            return F.relu(y)
        if act == "relu6":
            return F.relu6(y)
        return y

    def _run(self, mod, x, ctx):
        kind = mod[0]
        if kind == "seq":
            h = x
            for u in mod[1]:
                h = self._run_unit(u, h, ctx)
            return h + x if mod[2] else h
        if kind == "shuffle":
            _, main, proj, stride = mod
            def seq(h, units):
                for u in units:
                    h = self._run_unit(u, h, ctx)
                return h
            if stride == 1:
                return torch.cat([x[:, 0::2], seq(x[:, 1::2], main)], 1)
            return torch.cat([seq(x, proj), seq(x, main)], 1)
        if kind == "identity":
            return self._bn_apply(mod[1], x, ctx)
        if kind == "pool":
            return x.mean((2, 3))
        if kind == "linear":
            _, w, b, p = mod
            if ctx["training"] and p > 0 and ctx.get("dropout_mask") is not None:
                x = x * ctx["dropout_mask"](x.shape[1], p)
            y = x.to(w.dtype) @ w
            return y + b if b is not None else y
        raise AssertionError(kind)

    def forward(self, x: torch.Tensor, arch: Sequence[int], ctx: dict) -> torch.Tensor:
        if len(arch) != len(self.layers):
            raise ValueError(f"architecture has {len(arch)} choices; the supernet has {len(self.layers)} searchable layers")
        h = x
        for m in self.prefix:
            h = self._run(m, h, ctx)
        for l, c in enumerate(arch):
            if c not in self.layers[l]:
                raise ValueError(f"layer {l}: choice {c} is not offered ({self.choices[l]})")
            h = self._run(self.layers[l][c], h, ctx)
        for m in self.suffix:
            h = self._run(m, h, ctx)
        return h

    # ---- parameters (keys as the lab's optimizer: "<bn>.gamma", "<bn>.beta", "<weight>") ----
    def path_params(self, arch: Optional[Sequence[int]] = None) -> Dict[str, torch.Tensor]:
        out: Dict[str, torch.Tensor] = {}
        for b in self.bns.values():
            if b.trainable:
                out[f"{b.name}.gamma"] = b.gamma
                out[f"{b.name}.beta"] = b.beta
        for w in self.weights.values():
            if w.trainable:
                out[w.name] = w.tensor
        return out

    def indicator_name(self, layer: int, choice: int) -> str:
        name = self.blocks["layers"][layer]["candidates"][self.choices[layer].index(choice)]["name"]
        spec = self.blocks["layers"][layer]["candidates"][self.choices[layer].index(choice)]["spec"]
        return {"ir": f"{name}.bn3", "shuffle": f"{name}.bn3", "xception": f"{name}.bn6", "identity": f"{name}.bn"}[spec["type"]]

    def indicators(self) -> List[dict]:
        """The indicator table s(l, c) = mean |gamma| of each candidate's last BN (identity included)."""
        return [{"layerIdx": i, "choices": ch, "scores": [float(self.bns[self.indicator_name(i, c)].gamma.detach().abs().mean()) for c in ch]}
                for i, ch in enumerate(self.choices)]
