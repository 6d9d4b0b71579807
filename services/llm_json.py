"""JSON objects out of a model's text answer: tolerant of prose, code fences and trailing commas around
them (the structured-output ladder's rung B, services/llm_tasks.py)."""

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar('Model', bound=BaseModel)
TRAILING_COMMA = re.compile(r',\s*([}\]])')


def parse_model(text: str, schema: type[Model]) -> Model | None:
    """The first balanced JSON object in `text` that validates as `schema`, or None."""
    for candidate in json_objects(text):
        try:
            return schema.model_validate(candidate)
        except ValidationError:
            continue
    return None


def json_objects(text: str) -> list[dict[str, Any]]:
    """Every balanced top-level `{…}` in `text` that parses as JSON (code fences and prose around ignored)."""
    found: list[dict[str, Any]] = []
    depth, start, in_string, escaped = 0, -1, False, False
    for index, char in enumerate(text):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == '\\', char != '"')
            continue
        if char == '"' and depth:
            in_string = True
        elif char == '{':
            depth, start = depth + 1, index if depth == 0 else start
        elif char == '}' and depth:
            depth -= 1
            if depth == 0 and isinstance(value := _loads(text[start : index + 1]), dict):
                found.append(value)
    return found


def _loads(candidate: str) -> object:
    for attempt in (candidate, TRAILING_COMMA.sub(r'\1', candidate)):  # small models leave trailing commas
        try:
            return json.loads(attempt)
        except json.JSONDecodeError:
            continue
    return None
