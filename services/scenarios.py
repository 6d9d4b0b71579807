"""The scenario gallery: presets that pre-fill a new room, including the origin systems' assistants."""

from dataclasses import dataclass, replace
from typing import Literal

ScenarioKind = Literal['roleplay', 'assistant', 'recipe']


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    kind: ScenarioKind
    title: str
    icon: str  # a Material icon name
    blurb: str
    language: str
    level: str
    situation: str
    ai_role: str
    my_role: str
    instructions: str = ''
    missions: tuple[str, ...] = ()  # pre-fill the editor's `Missions` (services/missions.py)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        'job-interview', 'roleplay', 'Job interview: backend developer', 'work',
        'A first-round interview for a junior backend developer position.',
        'en', 'B2',
        'A video interview for a junior backend developer position at a mid-sized software company.',
        'Interviewer, an engineering manager', 'Candidate applying for the junior backend developer role',
        'Ask one question at a time: background, a project I built, REST APIs and databases, teamwork. '
        'After each answer, react briefly and ask a follow-up.',
    ),
    Scenario(
        'cafe-order', 'roleplay', 'Ordering at a café', 'local_cafe',
        'Order a drink and a snack, ask about sizes and pay.',
        'en', 'A2', 'A busy café in the morning; I want a drink and something to eat.',
        'Barista', 'Customer',
    ),
    Scenario(
        'airport-check-in', 'roleplay', 'Airport check-in', 'flight_takeoff',
        'Check in for an international flight, baggage and seat questions.',
        'en', 'B1', 'The check-in counter of an international airport, two hours before departure.',
        'Airline check-in agent', 'Passenger with one suitcase and a carry-on bag',
    ),
    Scenario(
        'doctor-visit', 'roleplay', 'At the doctor', 'medical_services',
        'Describe symptoms, answer questions and understand advice.',
        'en', 'B1', "A general practitioner's office; I have had a sore throat and a fever for two days.",
        'Doctor', 'Patient',
    ),
    Scenario(
        'small-talk', 'roleplay', 'Small talk', 'emoji_people',
        'Casual conversation with a new colleague about weekends and hobbies.',
        'en', 'A2', 'The office kitchen on a Monday morning.', 'A friendly new colleague', 'Myself',
    ),
    Scenario(
        'hotel-complaint', 'roleplay', 'Hotel complaint', 'hotel',
        'Complain politely about a noisy room and ask for a solution.',
        'en', 'B2', 'The front desk of a hotel late in the evening; my room is noisy and the air conditioner is broken.',
        'Front desk manager', 'Hotel guest',
    ),
    Scenario(
        'knowledge-assistant', 'assistant', 'Knowledge assistant', 'school',
        'Ask about anything; clear answers you can follow up on.',
        'en', 'B2', 'I ask general knowledge questions.', 'A patient, knowledgeable assistant', 'Learner',
        'Answer accurately and concisely; say when you are not sure.',
    ),
    Scenario(
        'document-writer', 'assistant', 'Document writer', 'description',
        'Drafts emails, cover letters and reports from your notes.',
        'en', 'B2', 'I need help writing documents such as emails, cover letters and reports.',
        'A professional writing assistant', 'Writer',
        'Ask for missing details, then write the draft in Markdown; keep it ready to copy.',
    ),
    Scenario(
        'code-helper', 'assistant', 'Code helper', 'code',
        'Explains and writes code with short examples.',
        'en', 'B2', 'I ask programming questions.', 'A senior software engineer who explains simply', 'Developer',
        'Use fenced code blocks with the language name; explain the code in a few sentences.',
    ),
    Scenario(
        'recipe', 'recipe', 'Recipe recommender', 'restaurant_menu',
        'Tell it what you have or crave; get a recipe card for one person.',
        'en', 'B1', 'I tell you ingredients I have, a cuisine or a mood, and you recommend one dish.',
        'A home cook who recommends recipes', 'Hungry learner',
        'Recommend exactly one dish per reply, for one person.',
    ),
)  # fmt: skip

# Two to four things the learner should manage to say in each conversation scenario.
MISSIONS: dict[str, tuple[str, ...]] = {
    'job-interview': (
        'Introduce your background in two sentences',
        'Describe a project you built',
        'Ask the interviewer a question about the team',
    ),
    'cafe-order': ('Order a drink with a size', 'Ask for the price', 'Order something to eat'),
    'airport-check-in': (
        'Ask for a window or an aisle seat',
        'Ask how much baggage you can take',
        'Ask when boarding starts',
    ),
    'doctor-visit': (
        'Describe your symptoms',
        'Say how long you have been ill',
        'Ask how often to take the medicine',
    ),
    'small-talk': ('Say what you did at the weekend', 'Ask your colleague about a hobby'),
    'hotel-complaint': (
        'Explain what is wrong with the room',
        'Ask for another room',
        'Thank the manager politely',
    ),
}
SCENARIOS = tuple(replace(scenario, missions=MISSIONS.get(scenario.key, ())) for scenario in SCENARIOS)

_BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}


def scenario_by_key(key: str | None) -> Scenario | None:
    return _BY_KEY.get(key) if key else None


def kind_of(key: str | None) -> ScenarioKind:
    scenario = scenario_by_key(key)
    return scenario.kind if scenario else 'roleplay'
