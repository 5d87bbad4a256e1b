"""PyTorch replica of the IsoNAS Lab `bnnas-mbv2` supernet (src/core/space, src/core/model).

No side effects on import. Used by bench/torch/learn.py (learnability study, docs/learnability.md)
and by the PyTorch speed peer. What it mirrors:

- space (docs/method.md, src/core/space/spaces.ts): stem conv3x3 s2 3->40 BN ReLU6; fixed IR e1 k3
  40->24; 21 searchable layers, stages (c, n, s) = (32,4,2) (56,4,2) (112,4,2) (128,4,1)
  (256,4,2) (432,1,1); head conv1x1 ->1728 BN ReLU6, global average pool, dropout, linear.
- choice order 0=k3e3 1=k3e6 2=k5e3 3=k5e6 4=k7e3 5=k7e6, -1 = identity + BN (normal layers only:
  stride 1 and cin = cout in the width-1 table and after the width multiplier).
- width rounding (src/core/space/width.ts): make_divisible(c * w, 8), never below 90 %; the head is
  make_divisible(1728 * max(1, w), 8) (never narrowed).
- IR block: [1x1 cin->cin*e BN ReLU6] (absent when e = 1), dw kxk stride s BN ReLU6, 1x1 -> cout BN;
  residual add when stride 1 and cin = cout. Convs bias-free, padding k // 2.
- BN: eps 1e-5, momentum 0.1, affine, gamma 1 beta 0 at init.
- frozen conv / linear weights (requires_grad False); modes: `bn` every BN affine trains,
  `last-bn` only candidates' last BN (identity BN included), `all` every weight.
- classifier: bias zero, frozen unless mode `all` (or train_classifier=True, an experiment knob).

Initialisers (statistically the same as src/core/init; not bit-identical to the TypeScript RNG;
use load_tf_weights for bit-identical weights exported from TypeScript):
- `orthogonal`: Haar semi-orthogonal [fan_in, fan_out] x gain (QR with sign fix); depthwise: a
  unit-norm random k*k direction per channel x gain. gain = relu_gain (sqrt 2) when a ReLU/ReLU6
  follows, linear_gain (1) otherwise (1x1 projections, classifier).
- `he-normal`: N(0, sqrt(2 / (k*k*cout))) for conv and depthwise (PyTorch fan_out), N(0, 0.01) linear.
"""
from __future__ import annotations

import math
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

CANDIDATES = [(3, 3), (3, 6), (5, 3), (5, 6), (7, 3), (7, 6)]  # (kernel, expand) by choice index
IDENTITY = -1
STEM = 40
FIXED = dict(kernel=3, expand=1, cout=24, stride=1)
STAGES = [(32, 4, 2), (56, 4, 2), (112, 4, 2), (128, 4, 1), (256, 4, 2), (432, 1, 1)]
HEAD = 1728
DIVISOR = 8
MODES = ("bn", "last-bn", "all")
# BN-NAS's searched net (docs/method.md), a handy fixed path.
BNNAS_ARCH = [3, -1, 0, 4, 0, -1, -1, 0, 4, -1, 4, 4, 1, 4, 2, 0, 0, 4, 0, 2, 2]


def make_divisible(value: float, divisor: int = DIVISOR, min_value: Optional[int] = None) -> int:
    if min_value is None:
        min_value = divisor
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * value:
        rounded += divisor
    return rounded


def conv_out(size: int, k: int, s: int) -> int:
    return (size + 2 * (k // 2) - k) // s + 1


# The lab's `demo-mbv2` space (the `tiny` preset): bnnas-mbv2's stem and fixed block, ONE stage of
# two layers (32 channels, stride 2 then 1), the expand-3 candidates only (0=k3e3 1=k5e3 2=k7e3)
# and a 128-channel head. Pass as Supernet(..., space=DEMO).
DEMO = dict(stages=[(32, 2, 2)], candidates=[(3, 3), (5, 3), (7, 3)], head=128)


def resolve(res: int, width: float, classes: int, identity: bool = True,
            repeats: Optional[Sequence[int]] = None, space: Optional[dict] = None) -> dict:
    """Channels, strides, input sizes and choices of every layer (as src/core/space/decode.ts).
    `repeats` (an experiment knob, not a lab option) overrides the number of layers per stage;
    `space` (DEMO) replaces the stages, candidates and head of bnnas-mbv2."""
    stages = space["stages"] if space else STAGES
    candidates = space["candidates"] if space else CANDIDATES
    head_c = space["head"] if space else HEAD
    stem = make_divisible(STEM * width)
    size = conv_out(res, 3, 2)
    fixed_cout = make_divisible(FIXED["cout"] * width)
    size = conv_out(size, FIXED["kernel"], FIXED["stride"])
    cin, table_cin = fixed_cout, FIXED["cout"]
    layers = []
    for si, (c, n, s) in enumerate(stages):
        if repeats is not None:
            n = repeats[si]
        for i in range(n):
            stride = s if i == 0 else 1
            cout = make_divisible(c * width)
            normal = stride == 1 and table_cin == c and cin == cout
            choices = ([IDENTITY] if normal and identity else []) + list(range(len(candidates)))
            layers.append(dict(idx=len(layers), cin=cin, cout=cout, stride=stride, normal=normal,
                               choices=choices, input_size=size))
            size = conv_out(size, 3, stride)
            cin, table_cin = cout, c
    head = make_divisible(head_c * max(1.0, width))
    return dict(res=res, width=width, classes=classes, stem=stem, fixed=fixed_cout, layers=layers,
                last=cin, head=head, final_size=size, candidates=candidates)


# ----------------------------------------------------------------------------- initialisers

def _orthogonal(fan_in: int, fan_out: int, gain: float, gen: torch.Generator) -> torch.Tensor:
    """[fan_in, fan_out] Haar semi-orthogonal x gain."""
    rows, cols = max(fan_in, fan_out), min(fan_in, fan_out)
    g = torch.randn(rows, cols, generator=gen, dtype=torch.float64)
    q, r = torch.linalg.qr(g)
    d = torch.sign(torch.diagonal(r))
    d[d == 0] = 1
    q = q * d
    if fan_in < fan_out:
        q = q.t()
    return (q * gain).float()


def init_conv_weight(kind: str, k: int, cin: int, cout: int, init: str, gain: float,
                     gen: torch.Generator) -> torch.Tensor:
    """Weight in PyTorch layout: conv [cout, cin, k, k], depthwise [c, 1, k, k], linear [cout, cin]."""
    if init == "he-normal":
        if kind == "linear":
            return torch.randn(cout, cin, generator=gen) * 0.01
        std = math.sqrt(2.0 / (k * k * cout))
        shape = (cout, 1, k, k) if kind == "depthwise" else (cout, cin, k, k)
        return torch.randn(*shape, generator=gen) * std
    if init != "orthogonal":
        raise ValueError(f"init must be 'orthogonal' or 'he-normal', got {init!r}")
    if kind == "depthwise":
        w = torch.randn(cout, k * k, generator=gen, dtype=torch.float64)
        w = w / w.norm(dim=1, keepdim=True) * gain
        return w.float().reshape(cout, 1, k, k)
    if kind == "linear":
        return _orthogonal(cin, cout, gain, gen).t().contiguous()  # [cout, cin]
    m = _orthogonal(k * k * cin, cout, gain, gen)  # rows in [k, k, cin] order (tfjs)
    return m.reshape(k, k, cin, cout).permute(3, 2, 0, 1).contiguous()


# ----------------------------------------------------------------------------- modules

class ConvBn(nn.Module):
    def __init__(self, kind: str, k: int, cin: int, cout: int, stride: int, act: bool):
        super().__init__()
        self.kind, self.k, self.cin, self.cout, self.stride, self.act = kind, k, cin, cout, stride, act
        shape = (cout, 1, k, k) if kind == "depthwise" else (cout, cin, k, k)
        self.weight = nn.Parameter(torch.zeros(shape), requires_grad=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)

    def forward(self, x):
        groups = self.cout if self.kind == "depthwise" else 1
        y = self.bn(F.conv2d(x, self.weight, None, self.stride, self.k // 2, 1, groups))
        return F.relu6(y) if self.act else y


class IR(nn.Module):
    def __init__(self, cin: int, cout: int, k: int, e: int, stride: int):
        super().__init__()
        mid = cin * e
        self.pw1 = ConvBn("conv", 1, cin, mid, 1, True) if e != 1 else None
        self.dw = ConvBn("depthwise", k, mid, mid, stride, True)
        self.pw2 = ConvBn("conv", 1, mid, cout, 1, False)
        self.residual = stride == 1 and cin == cout

    def units(self):
        return [u for u in (self.pw1, self.dw, self.pw2) if u is not None]

    @property
    def indicator(self):
        return self.pw2.bn

    def forward(self, x):
        h = x
        for u in self.units():
            h = u(h)
        return h + x if self.residual else h


class IdentityBn(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.bn = nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)

    @property
    def indicator(self):
        return self.bn

    def forward(self, x):
        return self.bn(x)


class Supernet(nn.Module):
    """The weight-sharing supernet (or, with only_arch, just the modules one path uses).

    forward(x, arch) runs one path; x is NCHW float32 (use nhwc_to_nchw for the lab's NHWC).
    """

    def __init__(self, res: int, width: float, classes: int, init: str = "orthogonal", seed: int = 0,
                 mode: str = "bn", identity: bool = True, dropout: float = 0.0,
                 relu_gain: float = math.sqrt(2), linear_gain: float = 1.0,
                 only_arch: Optional[Sequence[int]] = None, train_classifier: bool = False,
                 repeats: Optional[Sequence[int]] = None, space: Optional[dict] = None):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.spec = rs = resolve(res, width, classes, identity, repeats, space)
        self.mode, self.dropout = mode, dropout
        self.stem = ConvBn("conv", 3, 3, rs["stem"], 2, True)
        self.fixed0 = IR(rs["stem"], rs["fixed"], FIXED["kernel"], FIXED["expand"], FIXED["stride"])
        self.layers = nn.ModuleList()
        for L in rs["layers"]:
            keep = L["choices"] if only_arch is None else [only_arch[L["idx"]]]
            cands = nn.ModuleDict()
            for c in keep:
                if c not in L["choices"]:
                    raise ValueError(f"layer {L['idx']}: choice {c} is not offered (choices {L['choices']})")
                cands[str(c)] = IdentityBn(L["cin"]) if c == IDENTITY else IR(L["cin"], L["cout"], *rs["candidates"][c], L["stride"])
            self.layers.append(cands)
        self.head = ConvBn("conv", 1, rs["last"], rs["head"], 1, True)
        self.fc = nn.Linear(rs["head"], classes, bias=True)
        nn.init.zeros_(self.fc.bias)
        self.init_weights(init, seed, relu_gain, linear_gain)
        self.set_mode(mode, train_classifier)

    # -- weights
    def conv_units(self):
        """(name, ConvBn) for every conv unit, names as the TypeScript supernet (e.g. L3.c2.pw1)."""
        out = [("stem.conv", self.stem)]
        out += [(f"fixed0.{n}", u) for n, u in (("dw", self.fixed0.dw), ("pw2", self.fixed0.pw2))]
        for l, cands in enumerate(self.layers):
            for c, m in cands.items():
                if isinstance(m, IR):
                    for n in ("pw1", "dw", "pw2"):
                        u = getattr(m, n)
                        if u is not None:
                            out.append((f"L{l}.{'id' if int(c) < 0 else 'c' + c}.{n}", u))
        out.append(("head.conv", self.head))
        return out

    def bn_named(self) -> Dict[str, nn.BatchNorm2d]:
        """Every BN by its TypeScript name (stem.bn, fixed0.bn2, L3.c2.bn3, L1.id.bn, head.bn)."""
        bn_of = {"conv": "bn", "pw1": "bn1", "dw": "bn2", "pw2": "bn3"}
        out = {}
        for name, u in self.conv_units():
            prefix, part = name.rsplit(".", 1)
            out[f"{prefix}.{bn_of[part]}"] = u.bn
        for l, cands in enumerate(self.layers):
            if str(IDENTITY) in cands:
                out[f"L{l}.id.bn"] = cands[str(IDENTITY)].bn
        return out

    @torch.no_grad()
    def init_weights(self, init: str, seed: int, relu_gain: float, linear_gain: float):
        gen = torch.Generator().manual_seed(seed)
        for _, u in self.conv_units():
            gain = relu_gain if u.act else linear_gain
            u.weight.copy_(init_conv_weight(u.kind, u.k, u.cin, u.cout, init, gain, gen))
        self.fc.weight.copy_(init_conv_weight("linear", 1, self.fc.in_features, self.fc.out_features, init, linear_gain, gen))

    @torch.no_grad()
    def load_tf_weights(self, weights: Dict[str, "object"]):
        """Load frozen weights in tfjs layouts by TypeScript name (conv [k,k,cin,cout], depthwise
        [k,k,c,1], linear fc.w [cin,cout], fc.b [cout]). Units absent from `weights` are left."""
        for name, u in self.conv_units():
            if name not in weights:
                continue
            w = torch.as_tensor(weights[name], dtype=torch.float32)
            w = w.permute(2, 3, 0, 1) if u.kind == "depthwise" else w.permute(3, 2, 0, 1)
            u.weight.copy_(w.reshape(u.weight.shape))
        if "fc.w" in weights:
            self.fc.weight.copy_(torch.as_tensor(weights["fc.w"], dtype=torch.float32).t())
        if "fc.b" in weights:
            self.fc.bias.copy_(torch.as_tensor(weights["fc.b"], dtype=torch.float32))

    def set_mode(self, mode: str, train_classifier: bool = False):
        for p in self.parameters():
            p.requires_grad_(False)
        indicators = set()
        for cands in self.layers:
            for m in cands.values():
                indicators.add(id(m.indicator))
        for bn in self.bn_named().values():
            on = mode != "last-bn" or id(bn) in indicators
            bn.weight.requires_grad_(on)
            bn.bias.requires_grad_(on)
        if mode == "all":
            for p in self.parameters():
                p.requires_grad_(True)
        if train_classifier:
            self.fc.weight.requires_grad_(True)
            self.fc.bias.requires_grad_(True)

    # -- forward
    def path_modules(self, arch: Sequence[int]):
        if len(arch) != len(self.layers):
            raise ValueError(f"architecture has {len(arch)} choices; this supernet has {len(self.layers)} searchable layers")
        mids = []
        for l, c in enumerate(arch):
            key = str(int(c))
            if key not in self.layers[l]:
                raise ValueError(f"layer {l}: choice {c} is not built/offered")
            mids.append(self.layers[l][key])
        return [self.stem, self.fixed0, *mids, self.head]

    def features(self, x, arch, depth: Optional[int] = None):
        """Output of the first `depth` modules of the path (stem=1, fixed0=2, ...; None = head)."""
        mods = self.path_modules(arch)
        for m in mods[: depth if depth is not None else len(mods)]:
            x = m(x)
        return x

    def forward(self, x, arch):
        h = self.features(x, arch).mean((2, 3))
        if self.training and self.dropout > 0:
            h = F.dropout(h, self.dropout, True)
        return self.fc(h)

    def random_arch(self, gen: Optional[torch.Generator] = None) -> List[int]:
        return [L["choices"][int(torch.randint(len(L["choices"]), (1,), generator=gen))] for L in self.spec["layers"]]

    def trainable(self):
        return [p for p in self.parameters() if p.requires_grad]


class Path(nn.Module):
    """One fixed path of the supernet as a plain module: forward(x) -> logits."""

    def __init__(self, net: Supernet, arch: Sequence[int]):
        super().__init__()
        self.net, self.arch = net, list(arch)

    def forward(self, x):
        return self.net(x, self.arch)


def build_supernet(res: int, width: float, classes: int, init: str = "orthogonal", seed: int = 0,
                   mode: str = "bn", **kw) -> Supernet:
    return Supernet(res, width, classes, init, seed, mode, **kw)


def build_path(arch: Sequence[int], res: int, width: float, classes: int, init: str = "orthogonal",
               seed: int = 0, mode: str = "bn", **kw) -> Path:
    """A standalone module for one path (only that path's candidates are built)."""
    return Path(Supernet(res, width, classes, init, seed, mode, only_arch=arch, **kw), arch)


@torch.no_grad()
def set_beta(net: Supernet, beta: float):
    """Experiment knob: initial beta of every BN followed by ReLU6 (stem, pw1, dw, head)."""
    for _, u in net.conv_units():
        if u.act:
            u.bn.bias.fill_(beta)


def nhwc_to_nchw(x) -> torch.Tensor:
    return torch.as_tensor(x, dtype=torch.float32).permute(0, 3, 1, 2).contiguous()


def smoothed_ce(logits, labels, eps: float = 0.1):
    """Cross-entropy against (1 - eps) onehot + eps / K, batch mean (= src/core/train/loss.ts)."""
    return F.cross_entropy(logits, labels, label_smoothing=eps)
