"""Reading the project's YAML files so that every problem names the file, the line or entry,
and the field.

PyYAML's safe loader turns anything that looks like a date into a ``datetime.date`` while it
parses, so ``from: 2024-13-01`` stopped the parser with a bare ``ValueError`` (no file, no
entry). Here dates stay text, for the validators to parse and report with the entry and field
they belong to; and a key given twice in one mapping (which YAML resolves silently, keeping the
last) is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bricsai.errors import DataError

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """The safe loader, without implicit dates and with duplicate keys refused."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found the key {key!r} twice (first on line {seen[key].line + 1})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def load(path: str | Path) -> Any:
    """Parse the YAML file at ``path``; raise DataError naming the file and the line on any
    problem. Dates are returned as text."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot be read: {exc}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(path, f"not valid YAML: {_where(exc)}{problem}") from None


def kind(value: Any) -> str:
    """A reader's word for a YAML value's type, for messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
