"""Helper requests (feedback, translation, look-ups, hints): the structured-output ladder of LEARNING.md.

Every helper request is one non-streamed call whose system message starts with `TASK: <name>`.
A structured task climbs down a ladder until a rung gives a valid answer:
  A. `response_format` json_schema with the task's schema, named after the task;
  B. on a 400 or an unparsable answer: no response_format, the schema in the prompt, a tolerant parse;
  C. a simpler plain-text task where the caller has one (e.g. "rewrite with the fewest changes");
  D. off for this model: HelperUnavailable with a note fit to show.
The rung that worked is remembered per (server, model, task) in the database (shared by every
process, kept across restarts, listed for the admin by `helper_rungs()`); an 'off' is tried again
after a day. Network trouble (timeouts, 5xx) is never remembered: that call is just unavailable.

The embedded SmolLM2-135M was measured on a handful of sentences (bench/EMBEDDED_HELPERS.md): its
feedback (JSON or plain rewrite), translations, glosses, hints and explanations were mostly wrong,
so every helper is off on it, with a note the UI shows.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import HelperRung, utcnow
from db.upsert import session_insert
from i18n import lazy_text
from services.errors import HelperUnavailable
from services.llm.base import ChatTurn, LLMBackend, LLMError, StructuredOutputRefused
from services.llm.provider import get_backend
from services.llm_json import parse_model

Rung = Literal['A', 'B', 'C', 'D']
Model = TypeVar('Model', bound=BaseModel)

HELPER_TIMEOUT_SECONDS = 20.0  # a helper never makes the learner wait longer than this, all rungs included
OFF_RETRY_AFTER = timedelta(days=1)
EMBEDDED_SERVER = 'embedded'
FEATURE_NAMES = {
    'turn_feedback': lazy_text('Feedback'),
    'explain': lazy_text('Explanations'),
    'translate': lazy_text('Translation'),
    'word_gloss': lazy_text('Word look-up'),
    'next_line_hints': lazy_text('Hints'),
    'session_report': lazy_text('Coach notes'),
    'mission_check': lazy_text('Mission checks'),
}
# Measured (see the module docstring): nothing useful from the 135M model for any helper.
EMBEDDED_OFF = frozenset(FEATURE_NAMES)
_SCHEMAS: dict[type[BaseModel], dict[str, Any]] = {}  # pydantic builds one anew on every call (~1 ms)
# Notes stay English catalogue messages rather than lazy texts, because feedback stores them
# (message_feedback.note): whoever shows one passes it through i18n.catalogue_text (HelperUnavailable does).
BUSY_NOTE = lazy_text('The helper could not answer right now. Please try again later.').singular
# Each helper's note when it is off: (with this model, with the built-in model), whole sentences.
OFF_NOTES = {
    'turn_feedback': (
        lazy_text('Feedback is not available with this model.'),
        lazy_text('Feedback is not available with the built-in model.'),
    ),
    'explain': (
        lazy_text('Explanations are not available with this model.'),
        lazy_text('Explanations are not available with the built-in model.'),
    ),
    'translate': (
        lazy_text('Translation is not available with this model.'),
        lazy_text('Translation is not available with the built-in model.'),
    ),
    'word_gloss': (
        lazy_text('Word look-up is not available with this model.'),
        lazy_text('Word look-up is not available with the built-in model.'),
    ),
    'next_line_hints': (
        lazy_text('Hints are not available with this model.'),
        lazy_text('Hints are not available with the built-in model.'),
    ),
    'session_report': (
        lazy_text('Coach notes are not available with this model.'),
        lazy_text('Coach notes are not available with the built-in model.'),
    ),
    'mission_check': (
        lazy_text('Mission checks are not available with this model.'),
        lazy_text('Mission checks are not available with the built-in model.'),
    ),
}
OTHER_OFF_NOTES = (
    lazy_text('This helper is not available with this model.'),
    lazy_text('This helper is not available with the built-in model.'),
)


@dataclass(frozen=True, slots=True)
class PlainFallback:
    """Rung C: a simpler request answered in plain text; `accept` says whether an answer is usable."""

    system: str
    user: str
    accept: Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Answer(Generic[Model]):
    """What a helper call produced: `data` (rungs A and B) or `text` (rung C, or a plain task)."""

    rung: Rung
    data: Model | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class RungInfo:
    """One remembered rung, for the admin page."""

    server: str
    model: str
    task: str
    rung: Rung
    updated_at: datetime


async def structured(
    task: str,
    schema: type[Model],
    system: str,
    user: str,
    *,
    max_tokens: int,
    plain: PlainFallback | None = None,
    start: Rung | None = None,
) -> Answer[Model]:
    """Ask `task` for a JSON answer validated by the pydantic model `schema`, down the ladder.

    `system` is the instruction without the TASK line (added here); `start` what ladder_start said. Raises
    HelperUnavailable (its message is the note to show) when no rung gives a usable answer or the server
    cannot be reached.
    """
    backend = get_backend()
    server, model = backend.server, await _model_name(backend)
    start = start or await _starting_rung(server, model, task)
    deadline = time.monotonic() + HELPER_TIMEOUT_SECONDS
    json_schema = _SCHEMAS.get(schema) or _SCHEMAS.setdefault(schema, schema.model_json_schema())
    ladder: list[Rung] = ['A', 'B', 'C'] if plain is not None else ['A', 'B']
    for rung in ladder[ladder.index(start) :] if start in ladder else []:
        try:
            if rung == 'A':
                text = await _complete(backend, task, system, user, max_tokens, deadline, json_schema)
            elif rung == 'B':
                prompt = f'{system}\n\n{schema_instruction(json_schema)}'
                text = await _complete(backend, task, prompt, user, max_tokens, deadline)
            else:
                assert plain is not None
                text = await _complete(backend, task, plain.system, plain.user, max_tokens, deadline)
        except StructuredOutputRefused:
            continue
        except LLMError as problem:
            raise HelperUnavailable(BUSY_NOTE) from problem
        if rung == 'C':
            assert plain is not None
            answer: Answer[Model] | None = Answer('C', text=text.strip()) if plain.accept(text) else None
        else:
            data = parse_model(text, schema)
            answer = Answer(rung, data=data) if data is not None else None
        if answer is not None:
            if rung != start:
                await _remember(server, model, task, rung)
            return answer
    await _remember(server, model, task, 'D')
    raise HelperUnavailable(off_note(task, server))


async def plain_text(task: str, system: str, user: str, *, max_tokens: int) -> str:
    """A plain-text task (translate, explain): the answer's text; HelperUnavailable when it is off or fails."""
    backend = get_backend()
    server, model = backend.server, await _model_name(backend)
    if await _starting_rung(server, model, task) == 'D':
        raise HelperUnavailable(off_note(task, server))
    try:
        text = await _complete(
            backend, task, system, user, max_tokens, time.monotonic() + HELPER_TIMEOUT_SECONDS
        )
    except LLMError as problem:
        raise HelperUnavailable(BUSY_NOTE) from problem
    if not text.strip():
        raise HelperUnavailable(BUSY_NOTE)
    return text.strip()


async def unavailable_note(task: str) -> str | None:
    """The note to show when `task` is off for the current model (None: it may be tried); no model call."""
    return (await ladder_start(task))[1]


async def ladder_start(task: str) -> tuple[Rung, str | None]:
    """The rung `task` starts from on the current model (for `structured`), and unavailable_note's note."""
    backend = get_backend()
    server = backend.server
    embedded_off = server == EMBEDDED_SERVER and task in EMBEDDED_OFF
    start = 'D' if embedded_off else await _starting_rung(server, await _model_name(backend), task)
    return start, off_note(task, server) if start == 'D' else None


async def ladder_model() -> tuple[str, str]:
    """The current model's server and name, by which rungs are remembered (for ladder_start_in)."""
    backend = get_backend()
    return backend.server, await _model_name(backend)


async def ladder_start_in(
    session: AsyncSession, task: str, model: tuple[str, str]
) -> tuple[Rung, str | None]:
    """ladder_start inside the caller's transaction, for the model ladder_model() named (resolved before
    the transaction: it may ask the model server)."""
    server, name = model
    start = await _starting_rung_in(session, server, name, task)
    return start, off_note(task, server) if start == 'D' else None


def off_note(task: str, server: str) -> str:
    """The English note (a catalogue message, see BUSY_NOTE) saying `task` is off with the server's model."""
    with_this_model, with_the_built_in_model = OFF_NOTES.get(task, OTHER_OFF_NOTES)
    return (with_the_built_in_model if server == EMBEDDED_SERVER else with_this_model).singular


async def helper_rungs() -> list[RungInfo]:
    """Every remembered rung (server, model, task), for the admin page."""
    async with sessionmaker().begin() as session:
        rows = (
            await session.execute(select(HelperRung).order_by(HelperRung.server, HelperRung.model))
        ).scalars()
        return [RungInfo(row.server, row.model, row.task, row.rung, row.updated_at) for row in rows]  # type: ignore[arg-type]


async def forget_rungs() -> int:
    """Forget every remembered rung (admin: a server was upgraded); the next calls start from A again."""
    async with sessionmaker().begin() as session:
        return (await session.execute(delete(HelperRung))).rowcount or 0


def schema_instruction(json_schema: dict[str, Any]) -> str:
    """Rung B's prompt addition: the schema written out (the fake server and proxies look for 'JSON schema')."""
    return 'Answer with one JSON object matching this JSON schema, and nothing else:\n' + json.dumps(
        json_schema, ensure_ascii=False
    )


async def _complete(
    backend: LLMBackend,
    task: str,
    system: str,
    user: str,
    max_tokens: int,
    deadline: float,
    json_schema: dict[str, Any] | None = None,
) -> str:
    left = deadline - time.monotonic()
    if left <= 0.5:
        raise HelperUnavailable(BUSY_NOTE)
    turns = [ChatTurn('system', f'TASK: {task}\n{system}'), ChatTurn('user', user)]
    return await backend.complete(
        turns, max_tokens=max_tokens, json_schema=json_schema, schema_name=task, timeout_seconds=left
    )


async def _model_name(backend: LLMBackend) -> str:
    try:
        return await backend.model_name()
    except LLMError as problem:
        raise HelperUnavailable(BUSY_NOTE) from problem


async def _starting_rung(server: str, model: str, task: str) -> Rung:
    if server == EMBEDDED_SERVER and task in EMBEDDED_OFF:
        return 'D'
    async with sessionmaker().begin() as session:
        return await _starting_rung_in(session, server, model, task)


async def _starting_rung_in(session: AsyncSession, server: str, model: str, task: str) -> Rung:
    if server == EMBEDDED_SERVER and task in EMBEDDED_OFF:
        return 'D'
    row = await session.get(HelperRung, (server[:300], model[:120], task))
    if row is None or (row.rung == 'D' and utcnow() - row.updated_at > OFF_RETRY_AFTER):
        return 'A'
    return row.rung  # type: ignore[return-value]


async def _remember(server: str, model: str, task: str, rung: Rung) -> None:
    async with sessionmaker().begin() as session:
        insert = session_insert(session)(HelperRung)
        statement = insert.values(
            server=server[:300], model=model[:120], task=task, rung=rung, updated_at=utcnow()
        )
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=['server', 'model', 'task'],
                set_={'rung': statement.excluded.rung, 'updated_at': statement.excluded.updated_at},
            )
        )
