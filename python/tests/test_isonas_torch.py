"""isonas_torch on CPU, tiny shapes: the safetensors module; 2 gloo processes under torchrun equal
one process on the same global batch (test a); a resumed run equals an uninterrupted one (test d).
The lab's side (same steps in the TypeScript engine, test b; the lab reading the run, test c) is
src/cli/torchBridge.test.ts. The supernet and data come from the lab's CLI (export-supernet,
export-data), as a user would make them."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PY = os.path.dirname(HERE)
ROOT = os.path.dirname(PY)
sys.path.insert(0, PY)

from isonas_torch import safetensors  # noqa: E402
from isonas_torch import train  # noqa: E402

TSX = os.path.join(ROOT, "node_modules", ".bin", "tsx")


def lab(*args):
    subprocess.run([TSX, os.path.join(ROOT, "src", "cli", "index.ts"), *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


class SafetensorsTest(unittest.TestCase):
    def test_layout_and_round_trip(self):
        a = np.array([[1, -2, 3.5], [np.nan, 0, -0.0]], dtype=np.float32)
        raw = safetensors.encode({"a.w": a, "b": np.array([7], np.float32)}, {"recipe": '{"x":1}'})
        n = int.from_bytes(raw[:8], "little")
        self.assertEqual(n % 8, 0)
        head = json.loads(raw[8:8 + n])
        self.assertEqual(head["a.w"], {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]})
        self.assertEqual(head["b"]["data_offsets"], [24, 28])
        self.assertEqual(np.frombuffer(raw[8 + n + 8:8 + n + 12], "<f4")[0], 3.5)
        t, m = safetensors.decode(raw)
        self.assertEqual(m, {"recipe": '{"x":1}'})
        self.assertEqual(t["a.w"].tobytes(), a.tobytes())

    def test_refusals_name_the_file(self):
        raw = safetensors.encode({"b": np.ones(4, np.float32)})
        with self.assertRaisesRegex(ValueError, r"x\.st: tensor 'b': data \[0, 16\] runs past"):
            safetensors.decode(raw[:-4], "x.st")
        with self.assertRaisesRegex(ValueError, r"y: tensors cover 16 of 20 data bytes"):
            safetensors.decode(raw + b"\0" * 4, "y")


@unittest.skipUnless(os.path.exists(TSX), "the lab's node_modules are needed to export the supernet")
class TrainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="isonas-torch-")
        cls.sn = os.path.join(cls.dir, "sn.safetensors")
        lab("export-supernet", "--space", "micro-mbv2", "--res", "16", "--width", "0.25", "--classes", "4", "--out", cls.sn)
        lab("export-data", "--format", "webdataset", "--res", "16", "--classes", "4", "--train", "32", "--val", "4", "--shard-size", "16", "--out", os.path.join(cls.dir, "data"))
        cls.data = os.path.join(cls.dir, "data", "train")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def args(self, out, *extra):
        return ["--supernet", self.sn, "--data", self.data, "--batch", "8", "--out", os.path.join(self.dir, out), "--threads", "1", *extra]

    def load(self, name):
        return safetensors.load(os.path.join(self.dir, name))

    def test_a_two_gloo_processes_equal_one(self):
        """Global-batch BN and one summed all-reduce a step: 2 x 4 images == 1 x 8 (float64, so
        what remains is the algorithm, not float32 summation order)."""
        one = self.args("one.safetensors", "--steps", "3", "--dtype", "float64")
        self.assertEqual(train.main(one), 0)
        env = dict(os.environ, PYTHONPATH=PY, OMP_NUM_THREADS="1")
        with socket.socket() as s:  # a free port for the rendezvous
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        two = [sys.executable, "-m", "isonas_torch.torchrun", "--nproc_per_node=2", "--master_addr=127.0.0.1", f"--master_port={port}", "-m", "isonas_torch.train",
               *self.args("two.safetensors", "--steps", "3", "--dtype", "float64")]
        p = subprocess.run(two, env=env, capture_output=True, text=True, timeout=240)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        lines = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        self.assertEqual(lines[0]["start"]["worldSize"], 2)
        a, ma = self.load("one.safetensors")
        b, mb = self.load("two.safetensors")
        self.assertEqual(sorted(a), sorted(b))
        bn = [k for k in a if k.startswith("bn/") and (k.endswith(".gamma") or k.endswith(".beta"))]
        self.assertGreater(len(bn), 20)
        moved = max(float(np.abs(a[k] - (1.0 if k.endswith("gamma") else 0.0)).max()) for k in bn)
        self.assertGreater(moved, 1e-3)  # training moved them, so equality means something
        for k in a:
            np.testing.assert_allclose(a[k], b[k], atol=1e-5, rtol=0, err_msg=k)
        self.assertEqual(ma["samplerRng"], mb["samplerRng"])
        self.assertEqual(ma["step"], "3")

    def test_d_resumed_equals_uninterrupted(self):
        self.assertEqual(train.main(self.args("full.safetensors", "--steps", "3")), 0)
        self.assertEqual(train.main(self.args("part.safetensors", "--steps", "3", "--stop-at", "2")), 0)
        _, mp = self.load("part.safetensors")
        self.assertEqual(mp["step"], "2")
        part = os.path.join(self.dir, "part.safetensors")
        self.assertEqual(train.main(self.args("part.safetensors", "--steps", "3", "--resume", part)), 0)
        a, ma = self.load("full.safetensors")
        b, mb = self.load("part.safetensors")
        self.assertEqual(sorted(a), sorted(b))
        for k in a:
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)
        for k in ("step", "samplerRng", "recipe", "history"):
            self.assertEqual(ma[k], mb[k], k)

    def test_refuses_a_run_of_other_weights(self):
        other = os.path.join(self.dir, "other.safetensors")
        lab("export-supernet", "--space", "micro-mbv2", "--res", "16", "--width", "0.25", "--classes", "4", "--seed", "1", "--out", other)
        self.assertEqual(train.main(self.args("x.safetensors", "--steps", "1")), 0)
        argv = self.args("x2.safetensors", "--steps", "1", "--resume", os.path.join(self.dir, "x.safetensors"))
        argv[1] = other
        with self.assertRaisesRegex(ValueError, "frozen-weight fingerprint .* differs"):
            train.main(argv)


if __name__ == "__main__":
    unittest.main()
