"""Text a person edits, read as checked YAML: errors name the file, the place in it and the problem.

Scenarios (``briefing/scenarios/``) and quizzes (``briefing/quizzes/``) are both read here: a
shipped file by its name, an instructor's own by its path; then a JSON schema checks the structure
before each kind checks its references into the data.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def where(error) -> str:
    """The place of a jsonschema error as a path into the file ("stages/1/choices/0")."""
    return "/".join(str(part) for part in error.absolute_path) or "(top level)"


def shipped(folder: str) -> list[str]:
    """Names of the YAML files the kit ships in ``briefing/<folder>/``."""
    found = resources.files("briefing").joinpath(folder)
    return sorted(item.name.removesuffix(".yaml") for item in found.iterdir() if item.name.endswith(".yaml"))


def read(path_or_name: str | Path, *, folder: str, what: str, error: type[Exception]) -> tuple[dict, str]:
    """The parsed mapping of a shipped file (by name) or of a file on disk (by path), and its label.

    Raises ``error`` naming the file (and, for bad YAML, the line and column) and the problem.
    """
    import yaml

    candidate = Path(path_or_name)
    if not candidate.suffix:
        found = resources.files("briefing").joinpath(f"{folder}/{path_or_name}.yaml")
        if not found.is_file():
            raise error(f"no {what} named {path_or_name!r}; the kit ships: {', '.join(shipped(folder))}")
        text, label = found.read_text(encoding="utf-8"), f"{path_or_name}.yaml"
    else:
        try:
            text, label = candidate.read_text(encoding="utf-8"), str(candidate)
        except (OSError, UnicodeDecodeError) as exc:
            raise error(f"{candidate}: cannot read the file ({exc})") from exc
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(f"{label}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from exc
    return spec, label


def check_schema(spec: object, schema: dict, *, label: str, error: type[Exception], place: str = "") -> None:
    """Raise ``error`` naming the file, the place and the problem of the first schema error (and how many)."""
    import jsonschema

    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(spec), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        inner = where(first)
        at = f"{place}/{inner}" if place and inner != "(top level)" else place or inner
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise error(f"{label}: at {at}: {first.message}{more}")
