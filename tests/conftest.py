"""Shared fixtures for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_CANDIDATES = (
    os.environ.get("FOURESS_REFERENCE_DIR", ""),
    Path(__file__).resolve().parents[2] / "shared" / "reference",  # ../shared/reference of the checkout
    "/work/shared/reference",  # the shared folder of this workplace, for clones made elsewhere
)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The shared reference data folder (``../shared/reference``; ``FOURESS_REFERENCE_DIR`` overrides)."""
    for candidate in _CANDIDATES:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    pytest.skip("reference data folder ../shared/reference is absent (set FOURESS_REFERENCE_DIR)")
