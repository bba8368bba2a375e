"""Text a person edits, read as checked YAML: errors name the file, the place in it and the problem.

Scenarios (``briefing/scenarios/``) and quizzes (``briefing/quizzes/``) are both read here: a
shipped file by its name, an instructor's own by its path; then a JSON schema checks the structure
before each kind checks its references into the data.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: Bounds on a file a person writes (the shipped ones are far inside them): its size in bytes, how
#: deeply lists and mappings nest, and how many values it holds once aliases are expanded (a YAML
#: "billion laughs" of 14 KB expands to hundreds of millions).
MAX_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_VALUES = 50_000
#: The only tags a file may carry: YAML's own for text, numbers, true/false, nothing, lists, mappings.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "seq", "map")}


def where(error) -> str:
    """The place of a jsonschema error as a path into the file ("stages/1/choices/0")."""
    return "/".join(str(part) for part in error.absolute_path) or "(top level)"


def shipped(folder: str) -> list[str]:
    """Names of the YAML files the kit ships in ``briefing/<folder>/``."""
    found = resources.files("briefing").joinpath(folder)
    return sorted(item.name.removesuffix(".yaml") for item in found.iterdir() if item.name.endswith(".yaml"))


def read(path_or_name: str | Path, *, folder: str, what: str, error: type[Exception]) -> tuple[dict, str]:
    """The parsed mapping of a shipped file (by name) or of a file on disk (by path), and its label.

    Raises ``error`` naming the file (and, for bad YAML, the line and column) and the problem: not
    UTF-8, too large, not valid YAML, nested too deeply, too many values once aliases are expanded,
    a tag that would make a Python object, a key given twice, or not a mapping at the top.
    """
    import yaml

    candidate = Path(path_or_name)
    if not candidate.suffix:
        found = resources.files("briefing").joinpath(f"{folder}/{path_or_name}.yaml")
        if not found.is_file():
            raise error(f"no {what} named {path_or_name!r}; the kit ships: {', '.join(shipped(folder))}")
        raw, label = found.read_bytes(), f"{path_or_name}.yaml"
    else:
        label = str(candidate)
        try:
            if candidate.stat().st_size > MAX_BYTES:
                raise error(f"{label}: {candidate.stat().st_size:,} bytes; a {what} file holds at most {MAX_BYTES:,}")
            raw = candidate.read_bytes()
        except OSError as exc:
            raise error(f"{label}: cannot read the file ({exc.strerror or exc})") from exc
    text = _text(raw, label, error)
    # libyaml's parser where PyYAML has it (its wheels do): the same events and values, about ten
    # times faster than the pure-Python one, which spent ~0.5 s of the tabletop notebook's run.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_shape(yaml.parse(text, Loader=loader), label, error)
        spec = yaml.load(text, Loader=loader)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", exc))
        if mark and "maximum nesting depth" in problem:  # libyaml stops at 1,000 levels, reading ahead of our check
            raise error(
                f"{label}: at line {mark.line + 1}: lists and mappings nest more than {MAX_DEPTH} deep"
            ) from None
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(f"{label}: not valid YAML{at}: {problem}") from exc
    if not isinstance(spec, dict):
        got = "an empty file" if spec is None else f"a {type(spec).__name__}"
        raise error(f"{label}: expected a mapping (key: value lines) at the top; got {got}")
    return spec, label


def _text(raw: bytes, label: str, error: type[Exception]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = raw.count(b"\n", 0, bad.start) + 1
        raise error(f"{label}: not UTF-8 text (byte 0x{raw[bad.start]:02x} on line {line}); save it as UTF-8") from None


def _check_shape(events, label: str, error: type[Exception]) -> None:
    """Walk the parser's events (no objects made yet): refuse deep nesting, alias bombs, tags that
    would make Python objects and keys given twice, each at its line."""
    import yaml

    sizes: dict[str, int] = {}  # how many values each anchor (&name) stands for
    stack: list[dict] = []  # the lists and mappings open at this point, outermost first
    done = 0  # values in finished top-level nodes
    for event in events:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionStartEvent):
            _node_start(event, stack, sizes, label, error, line)
            mapping = isinstance(event, yaml.MappingStartEvent)
            stack.append({"anchor": event.anchor, "size": 1, "mapping": mapping, "expect_key": True, "keys": set()})
            if len(stack) > MAX_DEPTH:
                raise error(f"{label}: at line {line}: lists and mappings nest more than {MAX_DEPTH} deep")
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            closed = stack.pop()
            size = closed["size"]
            if closed["anchor"]:
                sizes[closed["anchor"]] = size
        elif isinstance(event, yaml.NodeEvent):  # a scalar or an alias
            size = _node_start(event, stack, sizes, label, error, line)
        else:
            continue
        if stack:
            stack[-1]["size"] += size
        else:
            done += size
        if done + sum(frame["size"] for frame in stack) > MAX_VALUES:
            raise error(f"{label}: at line {line}: more than {MAX_VALUES:,} values once aliases (*name) are expanded")


def _node_start(event, stack: list[dict], sizes: dict[str, int], label: str, error: type[Exception], line: int) -> int:
    """Check one value where it starts: its tag, its key (in a mapping), its alias; its size if known."""
    import yaml

    tag = getattr(event, "tag", None)
    if tag and tag not in _PLAIN_TAGS and tag != "!":
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise error(
            f"{label}: at line {line}: the tag {shown} is not allowed; the file holds plain text, numbers, "
            "lists and mappings (a tag such as !!python/object would make a Python object)"
        )
    parent = stack[-1] if stack else None
    if parent and parent["mapping"]:
        if parent["expect_key"] and isinstance(event, yaml.ScalarEvent):
            if event.value in parent["keys"]:
                raise error(f"{label}: at line {line}: the key {event.value!r} is given twice in one mapping")
            parent["keys"].add(event.value)
        parent["expect_key"] = not parent["expect_key"]
    if isinstance(event, yaml.AliasEvent):
        if any(frame["anchor"] == event.anchor for frame in stack):
            raise error(f"{label}: at line {line}: the alias *{event.anchor} refers to a list or mapping it is inside")
        return sizes.get(event.anchor or "", 1)
    if isinstance(event, yaml.ScalarEvent) and event.anchor:
        sizes[event.anchor] = 1
    return 1


def check_schema(spec: object, schema: dict, *, label: str, error: type[Exception], place: str = "") -> None:
    """Raise ``error`` naming the file, the place and the problem of the first schema error (and how many)."""
    import jsonschema

    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(spec), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        inner = where(first)
        at = f"{place}/{inner}" if place and inner != "(top level)" else place or inner
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        said = first.message if len(first.message) <= 300 else first.message[:300] + " ..."
        raise error(f"{label}: at {at}: {said}{more}")
