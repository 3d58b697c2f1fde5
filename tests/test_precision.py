"""A training loop computes in bfloat16 only where the processor has it natively: emulated, a step
ran ten times slower than in float32 (training/precision.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from training import precision

WITH_BF16 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\n\nprocessor\t: 1\n"
AVX2_ONLY = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma\n"


@dataclass(frozen=True)
class AsksForIt:
    bfloat16: bool = True


@pytest.fixture
def fresh_answer():
    precision.native_bfloat16.cache_clear()
    yield
    precision.native_bfloat16.cache_clear()


def test_the_flags_of_native_bfloat16_are_read_from_cpuinfo():
    assert precision.bfloat16_in_cpuinfo(WITH_BF16)
    assert precision.bfloat16_in_cpuinfo("flags : sse2 amx_bf16 amx_tile\n")
    assert not precision.bfloat16_in_cpuinfo(AVX2_ONLY)
    # A flag's name elsewhere on the page (a model name, a bug list) is not the flag.
    assert not precision.bfloat16_in_cpuinfo("model name : avx512_bf16 edition\nflags : sse2\n")
    assert not precision.bfloat16_in_cpuinfo("")


def test_a_config_gets_bfloat16_only_where_the_processor_has_it(monkeypatch, fresh_answer):
    monkeypatch.setenv(precision.OVERRIDE_VARIABLE, "0")
    assert not precision.use_bfloat16(AsksForIt())
    precision.native_bfloat16.cache_clear()
    monkeypatch.setenv(precision.OVERRIDE_VARIABLE, "1")
    assert precision.use_bfloat16(AsksForIt())
    assert not precision.use_bfloat16(AsksForIt(bfloat16=False))  # a config that asks for float32 keeps it


def test_the_training_benchmark_cuts_steps_but_keeps_the_readings_of_the_pool():
    # scripts/bench_training.py estimates a point from two short runs: what is not a step (the
    # readings of the pool, the ramp's share of the run) must stay as in the full config, or the
    # estimate would charge it to the steps.
    from scripts.bench_training import shortened
    from training.families.semi_supervised import fixmatch, mean_teacher

    full = fixmatch.Config()
    short = shortened(full, 120)
    assert short.steps == 120
    assert short.steps // short.log_every == full.steps // full.log_every
    assert {k: v for k, v in vars(short).items() if k not in ("steps", "log_every")} == \
        {k: v for k, v in vars(full).items() if k not in ("steps", "log_every")}
    teacher = mean_teacher.Config()
    cut = shortened(teacher, teacher.steps // 10)
    assert cut.rampup_steps / cut.steps == pytest.approx(teacher.rampup_steps / teacher.steps, rel=0.05)
