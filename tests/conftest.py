"""Test-wide setup: the result cache of every scan a test runs lives in a temporary directory."""

from __future__ import annotations

import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_result_cache():
    """Scans started by tests (in-process or as `xborder` subprocesses) never touch the user's cache."""
    with tempfile.TemporaryDirectory(prefix="xborder-test-cache-") as tmp:
        old = os.environ.get("XBORDER_CACHE_DIR")
        os.environ["XBORDER_CACHE_DIR"] = tmp
        yield
        if old is None:
            os.environ.pop("XBORDER_CACHE_DIR", None)
        else:
            os.environ["XBORDER_CACHE_DIR"] = old


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Suppressions with `until=` dates are judged against a fixed day, so tests do not expire."""
    monkeypatch.setenv("XBORDER_TODAY", "2026-06-01")
