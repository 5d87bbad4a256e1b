"""Training data for isonas_torch.train: ImageFolder directories (class subdirectories, sorted
names = class indices, as the lab), WebDataset tar shards (`key.png|jpg` + `key.cls`), and tensor
files (safetensors with `images` NHWC float32, already normalised, and `labels`). Images are
decoded on demand (PNG by the small decoder below; JPEG and others through Pillow when it is
installed), resized to the supernet's resolution when they differ, and normalised with the
ImageNet mean / std as the lab does. Batches are a pure function of (seed, step), so every rank
and every restart agrees on them without any state."""
from __future__ import annotations

import io
import math
import os
import struct
import tarfile
import zlib
from typing import List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from . import safetensors
from .rng import derive_seed

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
IMAGE_EXTS = ("png", "jpg", "jpeg", "webp")


def decode_png(data: bytes, source: str = "png") -> np.ndarray:
    """8-bit non-interlaced PNG (grey, grey+alpha, RGB, RGBA) -> uint8 [H, W, 3]."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{source}: not a PNG")
    pos, idat, w = 8, [], None
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace != 0 or ctype not in (0, 2, 4, 6):
                raise ValueError(f"{source}: PNG depth {depth} / colour type {ctype} / interlace {interlace} is not supported (8-bit, non-interlaced)")
        elif typ == b"IDAT":
            idat.append(body)
        elif typ == b"IEND":
            break
        pos += 12 + n
    ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = w * ch
    out = np.zeros((h, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int32)
        if f == 0:
            cur = line
        elif f == 2:
            cur = (line + prev) & 255
        else:
            cur = line.copy()
            for i in range(stride):
                a = cur[i - ch] if i >= ch else 0
                if f == 1:
                    cur[i] = (cur[i] + a) & 255
                elif f == 3:
                    cur[i] = (cur[i] + ((a + prev[i]) >> 1)) & 255
                elif f == 4:
                    b, c = prev[i], prev[i - ch] if i >= ch else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                else:
                    raise ValueError(f"{source}: bad PNG filter {f}")
        out[y] = cur
        prev = cur
    img = out.reshape(h, w, ch)
    if ch in (1, 2):
        img = np.repeat(img[:, :, :1], 3, axis=2)
    return np.ascontiguousarray(img[:, :, :3])


def decode_image(data: bytes, source: str) -> np.ndarray:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return decode_png(data, source)
    try:
        from PIL import Image  # optional
    except ImportError:
        raise ValueError(f"{source}: only PNG decodes without Pillow (install python3-pil for JPEG / WebP)") from None
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


class Dataset:
    """Samples as (reader, label); `load(i)` gives a normalised CHW float32 image at `res`."""

    def __init__(self, paths: Sequence[str], res: int):
        self.res = res
        self.items: List[Tuple[object, int]] = []
        self.tensor_images = None
        for p in paths:
            if os.path.isdir(p):
                subdirs = sorted(d for d in os.listdir(p) if os.path.isdir(os.path.join(p, d)) and not d.startswith("."))
                if subdirs:
                    self._folder(p, subdirs)
                else:
                    for f in sorted(os.listdir(p)):
                        if f.endswith(".tar"):
                            self._tar(os.path.join(p, f))
            elif p.endswith(".safetensors"):
                t, _ = safetensors.load(p)
                if "images" not in t or "labels" not in t:
                    raise ValueError(f"{p}: a tensor file needs 'images' (NHWC float32) and 'labels'")
                base = len(self.items)
                imgs = torch.from_numpy(t["images"].astype(np.float32)).permute(0, 3, 1, 2).contiguous()
                self.tensor_images = imgs if self.tensor_images is None else torch.cat([self.tensor_images, imgs])
                self.items += [(("tensor", base + i), int(l)) for i, l in enumerate(t["labels"].reshape(-1))]
            elif os.path.isfile(p):
                self._tar(p)
            else:
                raise ValueError(f"--data {p}: no such file or directory")
        if not self.items:
            raise ValueError(f"--data {' '.join(paths)}: no samples found")

    def _folder(self, root, classes):
        for ci, c in enumerate(classes):
            for f in sorted(os.listdir(os.path.join(root, c))):
                if f.rsplit(".", 1)[-1].lower() in IMAGE_EXTS:
                    self.items.append((("file", os.path.join(root, c, f)), ci))

    def _tar(self, path):
        groups = {}
        with tarfile.open(path) as tf:
            for m in tf:
                if not m.isfile() or "." not in os.path.basename(m.name):
                    continue
                base = os.path.basename(m.name)
                key = os.path.join(os.path.dirname(m.name), base.split(".", 1)[0])
                ext = base.split(".", 1)[1].lower()
                g = groups.setdefault(key, {})
                if ext == "cls":
                    g["cls"] = int(tf.extractfile(m).read().decode("ascii").strip())
                elif ext in IMAGE_EXTS:
                    g["img"] = (m.offset_data, m.size)
        for key in sorted(groups):
            g = groups[key]
            if "img" in g and "cls" in g:
                self.items.append((("tar", path, *g["img"]), g["cls"]))

    def __len__(self):
        return len(self.items)

    def load(self, i: int) -> Tuple[torch.Tensor, int]:
        ref, label = self.items[i]
        if ref[0] == "tensor":
            return self.tensor_images[ref[1]], label
        if ref[0] == "file":
            with open(ref[1], "rb") as f:
                data, src = f.read(), ref[1]
        else:
            with open(ref[1], "rb") as f:
                f.seek(ref[2])
                data, src = f.read(ref[3]), f"{ref[1]}:{i}"
        img = decode_image(data, src).astype(np.float32) / 255.0
        x = torch.from_numpy(((img - MEAN) / STD).transpose(2, 0, 1).copy())
        if x.shape[1] != self.res or x.shape[2] != self.res:
            x = F.interpolate(x[None], size=(self.res, self.res), mode="bilinear", align_corners=False)[0]
        return x, label

    def global_indices(self, step: int, batch: int, seed: int, shuffle: bool = True) -> List[int]:
        """Sample indices of global batch `step`: positions step*B .. step*B+B-1 of the endless
        sequence of epoch permutations (epoch e permuted by a generator seeded from (seed, 'data', e))."""
        n, out = len(self.items), []
        for pos in range(step * batch, step * batch + batch):
            e, j = divmod(pos, n)
            if shuffle:
                if getattr(self, "_perm", (None,))[0] != (seed, e):
                    g = torch.Generator().manual_seed(derive_seed(seed, "data", e))
                    self._perm = ((seed, e), torch.randperm(n, generator=g).tolist())
                out.append(self._perm[1][j])
            else:
                out.append(j)
        return out

    def batch(self, indices: Sequence[int]) -> Tuple[torch.Tensor, torch.Tensor]:
        xs, ys = zip(*(self.load(i) for i in indices))
        return torch.stack(xs), torch.tensor(ys, dtype=torch.long)
