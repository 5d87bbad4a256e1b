"""The safetensors format: 8-byte little-endian u64 header length H, H bytes of UTF-8 JSON
{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the raw
little-endian tensor bytes (offsets from the end of the header). The writer pads the header with
spaces to a multiple of 8 and writes tensors in the order given; the same bytes as the lab's
src/core/io/safetensors.ts. Only F32 / I32 / I64 (what the lab and this package store)."""
from __future__ import annotations

import json
import struct
from typing import Dict, Mapping, Tuple

import numpy as np

_DTYPES = {"F32": np.dtype("<f4"), "I32": np.dtype("<i4"), "I64": np.dtype("<i8")}
_NAMES = {v: k for k, v in _DTYPES.items()}
MAX_HEADER = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    pass


def encode(tensors: Mapping[str, np.ndarray], metadata: Mapping[str, str] | None = None) -> bytes:
    header: Dict[str, object] = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(v, str):
                raise SafetensorsError(f"safetensors: metadata {k!r} must be a string")
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name, arr in tensors.items():
        if not name or name == "__metadata__":
            raise SafetensorsError(f"safetensors: bad tensor name {name!r}")
        a = np.asarray(arr)
        dt = a.dtype.newbyteorder("<") if a.dtype.byteorder not in "<|=" else a.dtype
        key = np.dtype(dt).newbyteorder("<")
        if key not in _NAMES:
            raise SafetensorsError(f"safetensors: tensor {name!r} has unsupported dtype {a.dtype}")
        raw = np.ascontiguousarray(a, dtype=key).tobytes()
        header[name] = {"dtype": _NAMES[key], "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * (-len(js) % 8)
    return struct.pack("<Q", len(js)) + js + b"".join(chunks)


def decode(data: bytes, source: str = "safetensors") -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    """(tensors, metadata); every error names `source` and what is wrong."""
    def fail(msg: str):
        raise SafetensorsError(f"{source}: {msg}")
    if len(data) < 8:
        fail(f"truncated: {len(data)} bytes, a safetensors file starts with an 8-byte header length")
    (n,) = struct.unpack_from("<Q", data, 0)
    if n > MAX_HEADER or 8 + n > len(data):
        fail(f"header length {n} runs past the end of the file ({len(data)} bytes)")
    try:
        head = json.loads(bytes(data[8:8 + n]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        fail(f"header is not UTF-8 JSON ({e})")
    if not isinstance(head, dict):
        fail("header is not a JSON object")
    start = 8 + n
    total = len(data) - start
    meta = head.pop("__metadata__", {}) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        fail("__metadata__ must map strings to strings")
    out: Dict[str, np.ndarray] = {}
    covered = 0
    for name, e in head.items():
        if not isinstance(e, dict) or e.get("dtype") not in _DTYPES:
            fail(f"tensor {name!r}: dtype {e.get('dtype') if isinstance(e, dict) else e!r} is not supported (F32, I32, I64)")
        shape, off = e.get("shape"), e.get("data_offsets")
        if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
            fail(f"tensor {name!r}: bad shape")
        if not isinstance(off, list) or len(off) != 2 or not all(isinstance(d, int) and d >= 0 for d in off) or off[1] < off[0]:
            fail(f"tensor {name!r}: bad data_offsets")
        if off[1] > total:
            fail(f"tensor {name!r}: data {off} runs past the end of the data ({total} bytes)")
        dt = _DTYPES[e["dtype"]]
        size = int(np.prod(shape)) if shape else 1
        if off[1] - off[0] != size * dt.itemsize:
            fail(f"tensor {name!r}: shape {shape} needs {size * dt.itemsize} bytes, data_offsets hold {off[1] - off[0]}")
        out[name] = np.frombuffer(data, dtype=dt, count=size, offset=start + off[0]).reshape(shape).astype(dt.newbyteorder("="))
        covered += off[1] - off[0]
    if covered != total:
        fail(f"tensors cover {covered} of {total} data bytes (overlapping, gaps or trailing bytes)")
    return out, dict(meta)


def load(path: str):
    with open(path, "rb") as f:
        return decode(f.read(), path)


def save(path: str, tensors: Mapping[str, np.ndarray], metadata: Mapping[str, str] | None = None) -> None:
    """Atomic: written to PATH.partial, then renamed."""
    import os
    tmp = f"{path}.partial"
    with open(tmp, "wb") as f:
        f.write(encode(tensors, metadata))
    os.replace(tmp, path)
