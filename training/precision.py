"""Whether a training loop computes in bfloat16 on this processor.

bfloat16 is a speed setting, not a modelling choice: on validation FixMatch scored 97.2 % with it
and 97.0 % without (docs/study.md). Where the processor has bfloat16 instructions (AVX512-BF16
or AMX, on the machines the study was first run on) a training step ran about 2.7 times faster.
Where it has not, PyTorch emulates them, and a step ran about ten times *slower* than in float32
(a small CNN, one thread, AMD EPYC with AVX2 only: 2.0 s against 0.2 s a step): a study that
asked for bfloat16 there would take days. So a config's ``bfloat16`` asks for it, and a loop uses
it only where the processor computes it natively; elsewhere it trains in float32.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

# The x86 flags of native bfloat16 arithmetic, as Linux lists them in /proc/cpuinfo.
NATIVE_BFLOAT16_FLAGS = ("avx512_bf16", "amx_bf16")
# "1" or "0" forces the answer (a machine whose flags are hidden, or a check of both paths).
OVERRIDE_VARIABLE = "PARADIGM_LAB_BFLOAT16"


def bfloat16_in_cpuinfo(cpuinfo: str) -> bool:
    """True when a ``flags`` line of /proc/cpuinfo names a native bfloat16 instruction set."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags" and set(value.split()) & set(NATIVE_BFLOAT16_FLAGS):
            return True
    return False


@functools.cache
def native_bfloat16() -> bool:
    override = os.environ.get(OVERRIDE_VARIABLE, "").strip()
    if override in ("0", "1"):
        return override == "1"
    try:
        return bfloat16_in_cpuinfo(Path("/proc/cpuinfo").read_text(errors="replace"))
    except OSError:  # not Linux: float32, which is never the slow path
        return False


def use_bfloat16(config) -> bool:
    """The config asks for bfloat16 and this processor computes it natively."""
    return bool(getattr(config, "bfloat16", False)) and native_bfloat16()
