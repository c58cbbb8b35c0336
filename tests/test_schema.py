"""The JSON Schema that editors use to complete and check meeting files."""

from __future__ import annotations

import json
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def schema_output(capsys) -> dict:
    assert main(["schema"]) == 0
    return json.loads(capsys.readouterr().out)


def test_committed_schema_is_current(capsys):
    committed = json.loads((ROOT / "schema" / "meeting.schema.json").read_text(encoding="utf-8"))
    assert schema_output(capsys) == committed, (
        "schema/meeting.schema.json is out of date: run "
        "`python -m generator schema > schema/meeting.schema.json`")


def test_schema_names_fields_and_refuses_unknown_keys(capsys):
    schema = schema_output(capsys)
    assert {"id", "title", "date", "participants", "agenda", "outcome"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"id", "title", "date", "participants", "agenda"}
    # one chair, or several co-chairs: an editor asks for one of them
    assert {"required": ["chair"]} in schema["anyOf"] and {"required": ["co_chairs"]} in schema["anyOf"]
    assert schema["additionalProperties"] is False
    participant = schema["$defs"]["Participant"]
    assert participant["additionalProperties"] is False
    assert "short_name" in participant["properties"]
    assert participant["properties"]["formal_name"]["description"]


def test_example_points_editors_at_the_schema():
    first = (ROOT / "inputs" / "almaty-process-8th-som.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/meeting.schema.json"


def test_every_example_follows_the_schema_editors_check_it_with(capsys):
    """An editor checks a meeting file with the schema: the shorthands the loader accepts (a
    plain text for an enumeration item or a preambular paragraph) must pass there too."""
    import jsonschema

    from generator.source import read_source

    validator = jsonschema.Draft202012Validator(schema_output(capsys))
    for source in sorted((ROOT / "inputs").glob("*.yaml")):
        data = json.loads(json.dumps(read_source(str(source)).data, default=str))
        assert [error.message for error in validator.iter_errors(data)] == [], source.name
