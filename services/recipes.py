"""Recipe cards: the structured reply of the recipe recommender, parsed tolerantly."""

import json
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ingredient:
    name: str
    amount: str


@dataclass(frozen=True, slots=True)
class Recipe:
    dish: str
    intro: str
    ingredients: tuple[Ingredient, ...]
    steps: tuple[str, ...]


def parse_recipe(text: str) -> Recipe | None:
    """A Recipe from the model's reply, or None when it is not one.

    Small models wrap JSON in code fences, add prose around it or leave trailing commas; all of
    that is tolerated. Anything that still lacks a dish and some steps is not a recipe.
    """
    data = _json_object(text)
    if not isinstance(data, dict):
        return None
    dish = str(data.get('dish') or data.get('name') or '').strip()
    steps = tuple(str(step).strip() for step in _as_list(data.get('steps')) if str(step).strip())
    if not dish or not steps:
        return None
    ingredients = tuple(_ingredient(item) for item in _as_list(data.get('ingredients')))
    return Recipe(
        dish=dish,
        intro=str(data.get('intro') or data.get('description') or '').strip(),
        ingredients=tuple(item for item in ingredients if item.name),
        steps=steps,
    )


def _json_object(text: str) -> object:
    start, end = text.find('{'), text.rfind('}')
    if start < 0 or end <= start:
        return None
    candidate = text[start : end + 1]
    for attempt in (candidate, re.sub(r',\s*([}\]])', r'\1', candidate)):
        try:
            return json.loads(attempt)
        except json.JSONDecodeError:
            continue
    return None


def _as_list(value: object) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.strip():
        return [line for line in value.splitlines() if line.strip()]
    return []


def _ingredient(item: object) -> Ingredient:
    if isinstance(item, dict):
        name = str(item.get('name') or item.get('ingredient') or '').strip()
        amount = str(item.get('amount') or item.get('quantity') or '').strip()
        return Ingredient(name, amount)
    return Ingredient(str(item).strip(), '')
