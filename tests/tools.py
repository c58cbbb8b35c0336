"""Outside tools the tests use: skipped when missing, unless CHANCERY_REQUIRE_TOOLS says not."""

from __future__ import annotations

import os

import pytest

REQUIRE = "CHANCERY_REQUIRE_TOOLS"
"""The environment variable that makes a missing tool a failure (CI sets it to 1)."""

_YES = {"1", "true", "yes", "on"}
_NO = {"", "0", "false", "no", "off"}


def tools_required() -> bool:
    """Return whether CHANCERY_REQUIRE_TOOLS asks for every outside tool: "1", "true", "yes" or
    "on" do; unset, empty, "0", "false", "no" or "off" do not; any other value is an error."""
    value = os.environ.get(REQUIRE, "").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise pytest.UsageError(f"{REQUIRE}={os.environ[REQUIRE]!r}: say 1 (tools are required) "
                            "or 0 (a missing tool skips its tests)")


def missing_tool(message: str) -> None:
    """Skip the test for a tool that is missing, or fail it when tools are required."""
    if tools_required():
        pytest.fail(f"{message}. {REQUIRE} is set, so a missing tool is a failure "
                    "(.ci/run installs every tool)", pytrace=False)
    pytest.skip(f"{message}; set {REQUIRE}=1 to make this a failure")


TYPST_ONLY = frozenset({"meridian-forum-1st-consultation"})
"""Examples with Arabic or Chinese editions, whose PDFs the reportlab writer refuses (they need
--pdf-engine typst); tests/test_scripts.py checks their DOCX files and other PDFs."""


def reportlab_examples(root) -> list:
    """Return the example meeting files under root/inputs whose every edition the reportlab
    PDF writer can set, in order."""
    return sorted(path for path in (root / "inputs").glob("*.yaml") if path.stem not in TYPST_ONLY)
