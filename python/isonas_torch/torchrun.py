"""`python3 -m isonas_torch.torchrun ...` = `torchrun ...` (torch.distributed.run), for installs
whose `torchrun` script fails to start. Every argument is torchrun's.

Why: torch 1.13's elastic launcher parses --redirects / --tee with `Std.from_str`, which looks the
value up by iterating the IntFlag `Std`; from Python 3.11 on, iterating a flag yields only its
single-bit members, so "0" (NONE) finds nothing and the launcher dies with
"'NoneType' object has no attribute 'get'" (Debian bookworm: python3-torch 1.13 on Python 3.11).
This shim replaces the lookup by `Std(int(v))` before handing over to torch.distributed.run."""
import re
import sys

from torch.distributed.elastic.multiprocessing import api as _api


def _from_str(vm: str):
    if re.match(_api._VALUE_REGEX, vm):
        return _api.Std(int(vm))
    if re.match(_api._MAPPING_REGEX, vm):
        return {int(i): _api.Std(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError(f"{vm} does not match: <{_api._VALUE_REGEX}> or <{_api._MAPPING_REGEX}>")


if _api.Std.from_str("0") is None:  # only where broken
    _api.Std.from_str = staticmethod(_from_str)

from torch.distributed.run import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
