"""For admins: which structured-output rung each learning helper uses with the configured model.

The rungs (LEARNING.md): A, JSON-schema output; B, the schema written into the prompt; C, a plain
rewrite the app diffs; D, off for this model. services/llm_tasks.py remembers the rung that worked per
(server, model, task); an admin sees it here and can make every helper start from A again (after the
server or model was upgraded).
"""

from dataclasses import dataclass
from datetime import datetime

from db.engine import sessionmaker
from i18n import catalogue_text, lazy_text
from services import llm_tasks
from services.admin import require_admin
from services.llm.provider import get_backend

RUNG_MEANINGS = {
    'A': lazy_text('JSON schema (structured output)'),
    'B': lazy_text('JSON asked for in the prompt'),
    'C': lazy_text('plain rewrite, diffed by the app'),
    'D': lazy_text('off for this model'),
}


@dataclass(frozen=True, slots=True)
class HelperTier:
    task: str
    feature: str  # e.g. 'Feedback', in the language being served
    rung: str  # the rung the next call starts from (A until a lower one was needed)
    meaning: str  # in the language being served
    updated_at: datetime | None  # when a lower rung was remembered (None: none was)


async def helper_tiers(admin_id: int) -> tuple[str, list[HelperTier]]:
    """(the model in use, each helper's rung with it); NotAnAdmin for anyone else. Names and meanings are
    in the language being served."""
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
    backend = get_backend()
    server, model = backend.server, await backend.model_name()
    remembered = {
        info.task: info
        for info in await llm_tasks.helper_rungs()
        if (info.server, info.model) == (server, model)
    }
    tiers = []
    for task, feature in llm_tasks.FEATURE_NAMES.items():
        if (note := await llm_tasks.unavailable_note(task)) and task not in remembered:
            tiers.append(HelperTier(task, str(feature), 'D', catalogue_text(note), None))
            continue
        info = remembered.get(task)  # nothing remembered: A works, or was not needed yet
        rung = info.rung if info else 'A'
        meaning = str(RUNG_MEANINGS[rung])
        tiers.append(HelperTier(task, str(feature), rung, meaning, info.updated_at if info else None))
    return f'{model} · {server}', tiers


async def reset_helper_tiers(admin_id: int) -> int:
    """Forget every remembered rung; returns how many. NotAnAdmin for anyone else."""
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
    return await llm_tasks.forget_rungs()
