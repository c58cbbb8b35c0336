"""Generated meetings for scale tests and the benchmark."""

from __future__ import annotations


def large_meeting(participants: int = 1000, items: int = 200, paragraphs: int = 100) -> dict:
    """Return a generated meeting with the given numbers of participants, items and paragraphs."""
    people = [{"id": f"p{n}", "name": f"Person Number{n} Ünal", "title": "Director of Migration",
               "head": True} for n in range(participants)]
    return {
        "id": "large", "process": "Large Process", "ordinal": "99th",
        "meeting_type": "Senior Officials' Meeting", "title": "99th Meeting of the Large Process",
        "date": "2024-06-03", "end_date": "2024-06-07", "city": "Almaty", "country": "Kazakhstan",
        "chair": "S0",
        "participants": [
            {"id": f"S{n}", "short_name": f"State {n:04d} Türkiye-Азərbaycan",
             "formal_name": f"Republic of State {n:04d}", "delegation": [people[n]]}
            for n in range(participants)],
        "agenda": [{"title": f"Session {s + 1}", "items": [
            {"id": f"i{s}-{n}", "time": f"{9 + n % 8:02d}:00", "title": f"Agenda item {s}.{n} on "
             "regular migration, remittances and the Regional Training Center",
             "kind": "presentation", "speakers": [f"p{(s * 20 + n * 3 + k) % participants}"
                                                  for k in range(3)]}
            for n in range(20)]} for s in range(items // 20)],
        "outcome": {"status": "draft", "version": "0.9",
                    "preamble": ["The participating States, meeting in Almaty,"] * 3,
                    "paragraphs": [{"text": f"Operative paragraph {n}: the participating States "
                                            "agree to deepen cooperation on migration. " * 3,
                                    "paragraphs": [{"text": "A sub-paragraph."}] if n % 5 == 0
                                    else []} for n in range(paragraphs)],
                    "done_at": {"originals": 2, "languages": ["en"]}},
        "briefing": {"classification": "Restricted",
                     "items": [{"item": f"i{s}-{n}", "points_to_make": ["A point to make."] * 3,
                                "background": "Background. " * 40}
                               for s in range(items // 20) for n in range(20)]},
    }
