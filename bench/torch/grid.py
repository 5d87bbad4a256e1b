"""Run many learn.py configurations in one process (one per line of a file, seeds expanded).
Usage: python3 bench/torch/grid.py CONFIGS.txt OUT.jsonl   (each line: learn.py arguments; lines
without --seed run for seeds 0 1 2). Appends one JSON line per run to OUT.jsonl."""
import json
import os
import shlex
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from learn import parser, run  # noqa: E402

if __name__ == "__main__":
    torch.set_num_threads(1)
    lines = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
    with open(sys.argv[2], "a") as f:
        for line in lines:
            seeds = [None] if "--seed" in line else [0, 1, 2]
            for s in seeds:
                args = shlex.split(line) + ([] if s is None else ["--seed", str(s)])
                out = run(parser().parse_args(args))
                out["args"] = " ".join(args)
                f.write(json.dumps(out) + "\n")
                f.flush()
