"""The tolerant recipe parser behind the recipe cards."""

from services.recipes import Ingredient, parse_recipe

CLEAN = (
    '{"dish": "Kimchi fried rice", "intro": "Quick and spicy.", '
    '"ingredients": [{"name": "rice", "amount": "200 g"}, {"name": "kimchi", "amount": "100 g"}], '
    '"steps": ["Fry the kimchi.", "Add the rice."]}'
)


def test_clean_json_becomes_a_recipe() -> None:
    """Schema-conforming JSON maps field by field."""
    recipe = parse_recipe(CLEAN)
    assert recipe is not None
    assert recipe.dish == 'Kimchi fried rice'
    assert recipe.ingredients == (Ingredient('rice', '200 g'), Ingredient('kimchi', '100 g'))
    assert recipe.steps == ('Fry the kimchi.', 'Add the rice.')


def test_fences_prose_and_trailing_commas_are_tolerated() -> None:
    """What small models really produce still parses."""
    messy = 'Sure! Here it is:\n```json\n' + CLEAN.replace(']}', '],}').replace('"]', '",]') + '\n```\nEnjoy!'
    recipe = parse_recipe(messy)
    assert recipe is not None
    assert recipe.steps == ('Fry the kimchi.', 'Add the rice.')


def test_loose_shapes_are_accepted() -> None:
    """Plain-string ingredients and alternative key names still make a card."""
    recipe = parse_recipe('{"name": "Tea", "ingredients": ["tea bag", "water"], "steps": "Boil.\\nSteep."}')
    assert recipe is not None
    assert recipe.dish == 'Tea'
    assert recipe.ingredients == (Ingredient('tea bag', ''), Ingredient('water', ''))
    assert recipe.steps == ('Boil.', 'Steep.')


def test_non_recipes_are_none() -> None:
    """Prose, broken JSON or JSON without steps is not a recipe (shown as text instead)."""
    for text in ('Just try pasta!', '{"dish": "x"', '{"dish": "Soup", "steps": []}', '[1, 2]', ''):
        assert parse_recipe(text) is None
