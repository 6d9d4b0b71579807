"""The scenario gallery: presets that pre-fill a new room, including the origin systems' assistants.

Titles, descriptions and missions are catalogue texts: the gallery shows them in the reader's language.
A room made from a preset stores them in English (`english()`), like its situation and roles, which
are what the AI partner reads; the chat page shows stored missions through `catalogue_text`.
"""

from dataclasses import dataclass, replace
from typing import Literal

from i18n import LazyText, lazy_text, using_language

ScenarioKind = Literal['roleplay', 'assistant', 'recipe']


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    kind: ScenarioKind
    title: LazyText
    icon: str  # a Material icon name
    blurb: LazyText
    language: str
    level: str
    situation: str
    ai_role: str
    my_role: str
    instructions: str = ''
    missions: tuple[str, ...] = ()  # pre-fill the editor's `Missions` (services/missions.py), in English


def english(text: LazyText) -> str:
    """A gallery text in English: what a room made from the gallery stores (the AI partner reads it)."""
    with using_language('en'):
        return str(text)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        'job-interview', 'roleplay', lazy_text('Job interview: backend developer'), 'work',
        lazy_text('A first-round interview for a junior backend developer position.'),
        'en', 'B2',
        'A video interview for a junior backend developer position at a mid-sized software company.',
        'Interviewer, an engineering manager', 'Candidate applying for the junior backend developer role',
        'Ask one question at a time: background, a project I built, REST APIs and databases, teamwork. '
        'After each answer, react briefly and ask a follow-up.',
    ),
    Scenario(
        'cafe-order', 'roleplay', lazy_text('Ordering at a café'), 'local_cafe',
        lazy_text('Order a drink and a snack, ask about sizes and pay.'),
        'en', 'A2', 'A busy café in the morning; I want a drink and something to eat.',
        'Barista', 'Customer',
    ),
    Scenario(
        'airport-check-in', 'roleplay', lazy_text('Airport check-in'), 'flight_takeoff',
        lazy_text('Check in for an international flight, baggage and seat questions.'),
        'en', 'B1', 'The check-in counter of an international airport, two hours before departure.',
        'Airline check-in agent', 'Passenger with one suitcase and a carry-on bag',
    ),
    Scenario(
        'doctor-visit', 'roleplay', lazy_text('At the doctor'), 'medical_services',
        lazy_text('Describe symptoms, answer questions and understand advice.'),
        'en', 'B1', "A general practitioner's office; I have had a sore throat and a fever for two days.",
        'Doctor', 'Patient',
    ),
    Scenario(
        'small-talk', 'roleplay', lazy_text('Small talk'), 'emoji_people',
        lazy_text('Casual conversation with a new colleague about weekends and hobbies.'),
        'en', 'A2', 'The office kitchen on a Monday morning.', 'A friendly new colleague', 'Myself',
    ),
    Scenario(
        'hotel-complaint', 'roleplay', lazy_text('Hotel complaint'), 'hotel',
        lazy_text('Complain politely about a noisy room and ask for a solution.'),
        'en', 'B2', 'The front desk of a hotel late in the evening; my room is noisy and the air conditioner is broken.',
        'Front desk manager', 'Hotel guest',
    ),
    Scenario(
        'knowledge-assistant', 'assistant', lazy_text('Knowledge assistant'), 'school',
        lazy_text('Ask about anything; clear answers you can follow up on.'),
        'en', 'B2', 'I ask general knowledge questions.', 'A patient, knowledgeable assistant', 'Learner',
        'Answer accurately and concisely; say when you are not sure.',
    ),
    Scenario(
        'document-writer', 'assistant', lazy_text('Document writer'), 'description',
        lazy_text('Drafts emails, cover letters and reports from your notes.'),
        'en', 'B2', 'I need help writing documents such as emails, cover letters and reports.',
        'A professional writing assistant', 'Writer',
        'Ask for missing details, then write the draft in Markdown; keep it ready to copy.',
    ),
    Scenario(
        'code-helper', 'assistant', lazy_text('Code helper'), 'code',
        lazy_text('Explains and writes code with short examples.'),
        'en', 'B2', 'I ask programming questions.', 'A senior software engineer who explains simply', 'Developer',
        'Use fenced code blocks with the language name; explain the code in a few sentences.',
    ),
    Scenario(
        'recipe', 'recipe', lazy_text('Recipe recommender'), 'restaurant_menu',
        lazy_text('Tell it what you have or crave; get a recipe card for one person.'),
        'en', 'B1', 'I tell you ingredients I have, a cuisine or a mood, and you recommend one dish.',
        'A home cook who recommends recipes', 'Hungry learner',
        'Recommend exactly one dish per reply, for one person.',
    ),
)  # fmt: skip

# Two to four things the learner should manage to say in each conversation scenario. Marked for the
# catalogue but kept in English: a room stores them so, and the chat page translates them when shown.
MISSIONS: dict[str, tuple[LazyText, ...]] = {
    'job-interview': (
        lazy_text('Introduce your background in two sentences'),
        lazy_text('Describe a project you built'),
        lazy_text('Ask the interviewer a question about the team'),
    ),
    'cafe-order': (
        lazy_text('Order a drink with a size'),
        lazy_text('Ask for the price'),
        lazy_text('Order something to eat'),
    ),
    'airport-check-in': (
        lazy_text('Ask for a window or an aisle seat'),
        lazy_text('Ask how much baggage you can take'),
        lazy_text('Ask when boarding starts'),
    ),
    'doctor-visit': (
        lazy_text('Describe your symptoms'),
        lazy_text('Say how long you have been ill'),
        lazy_text('Ask how often to take the medicine'),
    ),
    'small-talk': (
        lazy_text('Say what you did at the weekend'),
        lazy_text('Ask your colleague about a hobby'),
    ),
    'hotel-complaint': (
        lazy_text('Explain what is wrong with the room'),
        lazy_text('Ask for another room'),
        lazy_text('Thank the manager politely'),
    ),
}
SCENARIOS = tuple(
    replace(scenario, missions=tuple(english(mission) for mission in MISSIONS.get(scenario.key, ())))
    for scenario in SCENARIOS
)

_BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}


def scenario_by_key(key: str | None) -> Scenario | None:
    return _BY_KEY.get(key) if key else None


def kind_of(key: str | None) -> ScenarioKind:
    scenario = scenario_by_key(key)
    return scenario.kind if scenario else 'roleplay'
