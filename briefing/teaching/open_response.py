"""The open-response part of a scenario file: intelligence reports, team questions, instructor notes, timing.

Everything here is optional in a scenario (``docs/scenario_format.md``, "Open response"), so a
multiple-choice file stays valid; the same file drives both modes. :data:`STAGE_SCHEMA` and
:data:`TIMING_SCHEMA` are the JSON schemas ``SCENARIO_SCHEMA`` takes in; :func:`check_references`
checks what a schema cannot (ids that must exist in the data, a precedent described that the notes
name), naming the file, the place and the problem.
"""

from __future__ import annotations

from briefing import law

#: The legal rules a stage's notes may name, and how each reads (the kit's one table of rules,
#: :data:`briefing.law.LEGAL_RULE_LABELS`, less the claim that names no one rule). The kit resolves
#: each to the national positions that code it (``position_stances``) and to the incidents said to
#: breach it (``incident_norms``), where those tables have it (see :mod:`briefing.teaching.notes`).
LEGAL_RULES = {rule: label for rule, label in law.LEGAL_RULE_LABELS.items() if rule != law.GENERAL_RULE}
CONFIDENCE = ("low", "moderate", "high")

_ID = {"type": "string", "pattern": "^[a-z0-9_]+$"}
_TEXT = {"type": "string", "minLength": 1}
_TEXTS = {"type": "array", "items": _TEXT}
_IDS = {"type": "array", "items": _ID}

STAGE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "report": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "known": _TEXTS,
                "unknown": _TEXTS,
                "assessments": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["claim", "confidence"],
                        "additionalProperties": False,
                        "properties": {"claim": _TEXT, "confidence": {"enum": list(CONFIDENCE)}},
                    },
                },
            },
        },
        "team_question": _TEXT,
        "notes": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "norms": _IDS,
                "legal_rules": {"type": "array", "items": {"enum": list(LEGAL_RULES)}},
                "precedents": _IDS,
                "forums": _IDS,
                "options": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["option"],
                        "additionalProperties": False,
                        "properties": {"option": _TEXT, "pros": _TEXTS, "cons": _TEXTS},
                    },
                },
                "what_states_did": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["precedent", "text"],
                        "additionalProperties": False,
                        "properties": {"precedent": _ID, "text": _TEXT},
                    },
                },
            },
        },
    },
}

_SLOTS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["minutes", "activity"],
        "additionalProperties": False,
        "properties": {"minutes": {"type": "integer", "minimum": 1}, "activity": _TEXT},
    },
}
TIMING_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"minutes_90": _SLOTS, "half_day": _SLOTS},
}
#: How long each plan may run in all, in minutes (a half day: three and a half hours at most).
PLAN_LIMITS = {"minutes_90": 90, "half_day": 210}

_TABLES = {"norms": "norms.csv", "precedents": "events.csv or incidents.csv", "forums": "forums.csv"}


def check_references(spec: dict, known: dict[str, set], label: str, error: type[Exception]) -> None:
    """Refuse an open-response id the data lacks, a ``what_states_did`` precedent the notes do not
    name, and a timing plan longer than its session; each problem with file and place."""
    for number, stage in enumerate(spec["stages"]):
        notes = stage.get("open_response", {}).get("notes", {})
        place = f"stages/{number} ({stage['id']})/open_response/notes"
        for key, table in _TABLES.items():
            unknown = [ref for ref in notes.get(key, []) if ref not in known[key]]
            if unknown:
                raise error(f"{label}: at {place}: {key} {unknown} not found in the kit's {table}")
        for item, told in enumerate(notes.get("what_states_did", [])):
            if told["precedent"] not in notes.get("precedents", []):
                raise error(
                    f"{label}: at {place}/what_states_did/{item}: precedent {told['precedent']!r} is not among "
                    f"this stage's notes precedents {notes.get('precedents', [])}; list it there too"
                )
    for plan, slots in spec.get("timing", {}).items():
        total = sum(slot["minutes"] for slot in slots)
        if total > PLAN_LIMITS[plan]:
            raise error(
                f"{label}: at timing/{plan}: the activities add up to {total} minutes, more than {PLAN_LIMITS[plan]}"
            )
