"""A new meeting file: every section present with short comments, ready to validate and build."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import yaml

CARRIED = ("process", "meeting_type", "chair", "host", "secretariat", "issued_by", "languages",
           "bilingual", "style", "paper", "house_style", "participants")
"""What --from carries over from an earlier meeting: the process, its participants and house
style. Dates, places, the agenda, the outcome and versions belong to one meeting."""

PLACEHOLDER = "[{}]"
"""How a text still to be written is shown: in square brackets, printed as it stands."""


def _id(path: Path) -> str:
    """Return a meeting id from a file name: "Baku 9th SOM.yaml" -> "baku-9th-som"."""
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-._").lower()
    return text[:64] or "meeting"


class _Dumper(yaml.SafeDumper):
    """Writes short lists and mappings of words on one line, longer ones a line an entry."""


def _short(value: Any) -> bool:
    """Return whether a list or mapping of plain values fits on one line."""
    items = value.values() if isinstance(value, dict) else value
    return (all(isinstance(item, (str, int, float, bool)) or item is None for item in items)
            and len(str(value)) < 64)


_Dumper.add_representer(dict, lambda dumper, value: dumper.represent_mapping(
    "tag:yaml.org,2002:map", value.items(), flow_style=_short(value)))
_Dumper.add_representer(list, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=_short(value)))


def _dump(key: str, value: Any) -> str:
    """Return "key: value" as YAML, a long list or mapping indented under the key."""
    options = dict(Dumper=_Dumper, allow_unicode=True, sort_keys=False, indent=2)
    if isinstance(value, (dict, list)) and value and not _short(value):
        body = yaml.dump(value, width=96, **options)
        return f"{key}:\n" + "".join(f"  {line}\n" for line in body.rstrip("\n").split("\n"))
    text = yaml.dump(value, width=10**6, **options).rstrip("\n")
    return f"{key}: {text.removesuffix(chr(10) + '...')}\n"


def _comment(text: str) -> str:
    """Return text as YAML comment lines, each paragraph (a line of text) wrapped."""
    import textwrap

    lines = [wrapped for paragraph in text.strip("\n").split("\n")
             for wrapped in textwrap.wrap(paragraph, 94) or [""]]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def _commented(key: str, value: Any, note: str = "") -> str:
    """Return "key: value" as YAML, commented out, with a note after a one-line value."""
    lines = _dump(key, value).rstrip("\n").split("\n")
    if note and len(lines) == 1:
        lines[0] = f"{lines[0]:<30} # {note}"
    return "".join(f"# {line}\n" for line in lines)


def _schema_line(target: Path) -> str:
    """Return the line that points editors (VS Code's YAML extension) at the JSON Schema."""
    schema = Path(__file__).resolve().parent.parent / "schema" / "meeting.schema.json"
    if not schema.is_file():
        return ""
    try:
        where = os.path.relpath(schema, Path(os.path.abspath(target)).parent).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        where = schema.as_uri()
    return f"# yaml-language-server: $schema={where}\n"


def meeting_text(target: Path, earlier: dict | None = None, process: str | None = None,
                 title: str | None = None, date: dt.date | None = None, city: str | None = None,
                 country: str | None = None, languages: list[str] | None = None,
                 earlier_name: str | None = None) -> str:
    """Return the text of a new meeting file: the facts given filled in, what an earlier
    meeting's data (earlier, as read) carries over (see CARRIED), and a visible placeholder
    in square brackets for every other text a meeting must have. date is required: a meeting
    file cannot be without its first day, and chancery never guesses one."""
    earlier = earlier or {}
    carried = {key: earlier[key] for key in CARRIED if key in earlier}
    if languages:
        carried["languages"] = languages
    languages = carried.get("languages") or ["en"]
    out = [_schema_line(target), "#\n"]
    what = (f"Started from {earlier_name} by `chancery new --from`: the participants, the "
            "process and the house style are carried over; dates, places, the agenda and the "
            "outcome are not." if earlier else "Started by `chancery new`.")
    out.append(_comment(what + "\nEvery text in [square brackets] is a placeholder and is printed "
                        "as it stands: replace it. `chancery validate` checks the file, "
                        "`chancery watch` rebuilds on save."))
    out.append("\n")
    out.append(_comment("The meeting: names the output folder (outputs/<id>)."))
    out.append(_dump("id", _id(target)))
    out.append(_dump("process", process or carried.get("process") or
                     PLACEHOLDER.format("name of the process, e.g. Almaty Process")))
    out.append(_dump("ordinal", PLACEHOLDER.format("ordinal, e.g. 9th")))
    out.append(_dump("meeting_type", carried.get("meeting_type") or
                     PLACEHOLDER.format("meeting type, e.g. Senior Officials' Meeting")))
    out.append(_dump("title", title or PLACEHOLDER.format("full title of the meeting")))
    out.append(_commented("symbol", "[document symbol, if the secretariat gives one]"))
    out.append(_dump("date", date))
    out.append(_commented("end_date", "YYYY-MM-DD", "the last day, for a meeting of several days"))
    out.append(_dump("city", city or PLACEHOLDER.format("city")))
    out.append(_dump("country", country or PLACEHOLDER.format("country")))
    out.append(_commented("venue", "[venue]"))
    out.append("\n" + _comment("Who chairs, hosts and serves as secretariat: ids of participants."))
    out.append(_dump("chair", carried.get("chair", "CHAIR")))
    out.append(_commented("previous_chair", "[id]"))
    out.append(_dump("host", carried["host"]) if "host" in carried else _commented("host", "[id]"))
    out.append(_dump("secretariat", carried["secretariat"]) if carried.get("secretariat")
               else _commented("secretariat", ["[id]"]))
    out.append("\n" + _comment("Working languages and house style."))
    out.append(_dump("languages", languages))
    for key in ("issued_by", "bilingual", "style", "paper", "house_style"):
        if key in carried:
            out.append(_dump(key, carried[key]))
    if not any(key in carried for key in ("bilingual", "style", "paper")):
        out.append(_commented("paper", "A4", "or Letter"))
    out.append("\n" + _comment("Participants: states, organizations and observers, each with "
                               "its delegation (head of delegation first)."))
    if "participants" in carried:
        out.append(_dump("participants", carried["participants"]))
    else:
        out.append(_dump("participants", [{
            "id": "CHAIR", "short_name": PLACEHOLDER.format("short name, e.g. Azerbaijan"),
            "formal_name": PLACEHOLDER.format("formal name, e.g. Republic of Azerbaijan"),
            "role": PLACEHOLDER.format("role, e.g. Participating State, Chair")}]))
    out.append("\n" + _comment(
        "Delegates from the registration system's export (CSV or XLSX), one row a person, with "
        "columns such as Country, Title, First name, Last name, Function, Head of delegation, "
        "E-mail; see docs/spreadsheets.md."))
    out.append(_commented("registrations", [{"file": "delegates.xlsx"}]))
    out.append("\n" + _comment("The programme, by session."))
    out.append(_dump("agenda", [{"title": PLACEHOLDER.format("Opening session"), "items": [
        {"title": PLACEHOLDER.format("Opening of the meeting"), "kind": "opening", "time": "TBC"}]}]))
    out.append(_commented("agenda_version", "1", "a new version for each changed programme"))
    out.append("\n" + _comment("Optional sections; see the examples in inputs/ for their fields."))
    out.append(_commented("side_events", [{"title": "[title]", "time": "TBC"}]))
    out.append(_commented("agenda_pack", {"invitation": "[invitation]",
                                          "concept_note": "[concept note]"}))
    outcome = earlier.get("outcome") if isinstance(earlier.get("outcome"), dict) else {}
    out.append(_commented("outcome", {
        **{key: outcome[key] for key in ("type", "adoption") if key in outcome},
        "status": "draft", "version": "0.1",
        "paragraphs": [{"text": "[operative paragraph]"}]}))
    briefing = earlier.get("briefing") if isinstance(earlier.get("briefing"), dict) else {}
    out.append(_commented("briefing", {
        **{key: briefing[key] for key in ("classification", "audience", "languages")
           if key in briefing}, "version": "0.1", "objectives": ["[objective]"]}))
    return "".join(out)

