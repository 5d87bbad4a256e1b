"""Train an IsoNAS Lab supernet with PyTorch (docs/scale-out.md).

Modules: safetensors (file format), rng (the lab's seeded RNG), supernet (built from an exported
supernet file), data (ImageFolder / WebDataset / tensor files), train (the torchrun entry point),
torchrun (a shim over torch.distributed.run for installs whose `torchrun` script is broken).
"""
