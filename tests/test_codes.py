"""``_core/codes.pxd`` mirrors :mod:`cranesim.codes`: every enum there has the same value here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cranesim.codes as codes

PXD = Path(__file__).resolve().parents[1] / "_core" / "codes.pxd"


def _pxd_enums(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    in_enum = False
    for line in text.splitlines():
        if line.startswith("cdef enum"):
            in_enum = True
            continue
        if in_enum and (m := re.fullmatch(r"\s+([A-Z][A-Z0-9_]*)\s*=\s*(-?\d+)\s*", line)):
            out[m.group(1)] = int(m.group(2))
        elif line.strip() and not line.startswith((" ", "#")):
            in_enum = False
    return out


@pytest.mark.skipif(not PXD.is_file(), reason="no checkout: _core/codes.pxd is not installed")
def test_pxd_mirrors_codes():
    enums = _pxd_enums(PXD.read_text())
    assert len(enums) >= 25
    for name, value in enums.items():
        assert getattr(codes, name) == value, name


def test_codes_are_consistent():
    assert [codes.LIFT_KIND_CODES[k] for k in codes.LIFT_KINDS] == [0, 1, 2]
    assert codes.POLICY_NAMES[codes.POLICY_FCFS_NEAREST] == "fcfs_nearest"
    assert codes.OBJECTIVE_NAMES[codes.OBJ_MIX] == "mix"
    p_names = {v: k for k, v in vars(codes).items() if k.startswith("P_")}
    assert sorted(p_names) == sorted(codes.PARAM_NAMES)  # every index has a name, no gaps named
    assert max(p_names) < codes.N_PARAMS
    assert set(codes.STAGE_CODES) <= set(codes.RECORD_KINDS)
    assert codes.AXIS_NAMES[codes.HOIST] == "hoist" and codes.TAG_NAMES[codes.TAG_JOG] == "jog"
