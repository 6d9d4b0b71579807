"""How good is the feedback on learner lines? The app's whole feedback path, scored with ERRANT (F0.5).

Data: bench/data/learner_sentences.tsv, 158 English learner sentences (121 with errors typical of
Korean learners, 37 correct ones that must stay untouched), written for SpeakRoom and released as
CC0; bench/data/gold.m2 is their gold correction in M2, made from the TSV by ERRANT
(bench/errant_m2.py). Each sentence goes through what a learner's line goes through: the
`turn_feedback` ladder (services/llm_tasks.py) and the guards (services/corrections.py, Full mode),
and the hypothesis is the line with the accepted edits applied. ERRANT turns the hypotheses into M2
and `errant_compare` scores them against the gold (span-based correction, F0.5, as in BEA-2019).

ERRANT needs spaCy and an English pipeline, which the app does not: they live in their own virtual
environment (`make bench-feedback-env` makes `.venv-errant`). Run against the configured model
(LLM_BASE_URL, LLM_MODEL, LLM_API_KEY), or `--fake` to check the harness itself (a fake server that
rewrites every line into its gold correction: the score must be near 1.0):
`.venv/bin/python -m bench.feedback_quality [--fake] [--limit N] [--errant-python .venv-errant/bin/python]`.
"""

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from db import engine
from db.migrate import upgrade
from services import llm_tasks
from services.corrections import (
    TurnFeedback,
    apply_edits,
    edits_from_rewrite,
    guarded_edits,
    plausible_rewrite,
)
from services.errors import HelperUnavailable
from services.feedback_prompts import feedback_prompt, rewrite_prompt
from services.llm.provider import get_backend
from services.settings import load_settings

DATA = Path(__file__).parent / 'data'
SENTENCES = DATA / 'learner_sentences.tsv'
GOLD = DATA / 'gold.m2'
CONCURRENCY = 4
SCORE_LINE = re.compile(r'^(\d+)\t(\d+)\t(\d+)\t([\d.]+)\t([\d.]+)\t([\d.]+)$', re.MULTILINE)


async def main(limit: int | None, errant_python: Path | None, fake: bool) -> str:
    """The table row; without `errant_python` (the CI plumbing run) the ERRANT columns say "-"."""
    pairs = read_pairs()[:limit]
    with tempfile.TemporaryDirectory() as workdir:
        database = f'sqlite:///{workdir}/bench.db'
        os.environ.update(DATABASE_URL=database, DATA_DIR=workdir, SECRET_KEY='bench')
        server = _fake_server(dict(pairs)) if fake else None
        if server is not None:
            os.environ.update(LLM_BASE_URL=server.base_url, LLM_MODEL='fake-model')
        load_settings()
        await upgrade(database)
        await engine.connect(database)
        try:
            limiter = asyncio.Semaphore(CONCURRENCY)
            results = await asyncio.gather(*(_corrected(text, limiter) for text, _ in pairs))
            rungs = {rung.task: rung.rung for rung in await llm_tasks.helper_rungs()}
        finally:
            await engine.dispose()
            if server is not None:
                server.stop()
        hypotheses = [text for text, _ in results]
        unavailable = sum(1 for _, available in results if not available)
        if errant_python is None:
            score, categories = ['-'] * 6, ''
        else:
            score, categories = _score(
                workdir, [text for text, _ in pairs], hypotheses, errant_python, limit is not None
            )
    model = 'fake server (gold rewrites)' if fake else get_backend().label
    alarms = false_alarms(pairs, hypotheses)
    return (
        f'| model | sentences | unavailable | rung | TP | FP | FN | P | R | F0.5 | false alarms on correct lines |\n'
        f'|---|---|---|---|---|---|---|---|---|---|---|\n'
        f'| {model} | {len(pairs)} | {unavailable} | {rungs.get("turn_feedback", "A")} | '
        + ' | '.join(score)
        + f' | {alarms[0]} of {alarms[1]} |'
        + (
            f'\n\nPer ERRANT category (`errant_compare -cat 2`):\n\n```\n{categories}\n```'
            if categories
            else ''
        )
    )


def false_alarms(pairs: list[tuple[str, str]], hypotheses: list[str]) -> tuple[int, int]:
    """(changed, of): how many already-correct lines (gold = the line itself) the app changed anyway."""
    correct = [index for index, (line, gold) in enumerate(pairs) if line == gold]
    return sum(1 for index in correct if hypotheses[index] != pairs[index][0]), len(correct)


def read_pairs() -> list[tuple[str, str]]:
    lines = SENTENCES.read_text(encoding='utf-8').splitlines()
    return [tuple(line.split('\t')) for line in lines if line.strip() and not line.startswith('#')]  # type: ignore[misc]


async def _corrected(text: str, limiter: asyncio.Semaphore) -> tuple[str, bool]:
    """The line as the app would show it corrected (`Better:`), and whether feedback was available."""
    system, user = feedback_prompt(text, None, 'en', 'B1', 'ko')
    plain = llm_tasks.PlainFallback(
        *rewrite_prompt(text, 'en'), accept=lambda answer: plausible_rewrite(text, answer)
    )
    async with limiter:
        try:
            answer = await llm_tasks.structured(
                'turn_feedback', TurnFeedback, system, user, max_tokens=700, plain=plain
            )
        except HelperUnavailable:
            return text, False
    if answer.data is not None:
        edits = guarded_edits(text, answer.data, mode='full', spoken=False)
    else:
        edits = edits_from_rewrite(text, answer.text or '', mode='full', spoken=False)
    return apply_edits(text, edits), True


def _score(
    workdir: str, originals: list[str], hypotheses: list[str], errant_python: Path, partial: bool
) -> tuple[list[str], str]:
    """ERRANT's overall span-based scores (TP, FP, FN, P, R, F0.5) and its per-category table."""
    folder = Path(workdir)
    (folder / 'orig.txt').write_text('\n'.join(originals) + '\n', encoding='utf-8')
    (folder / 'hyp.txt').write_text('\n'.join(hypotheses) + '\n', encoding='utf-8')
    script = Path(__file__).parent / 'errant_m2.py'
    subprocess.run(
        [
            str(errant_python),
            str(script),
            str(folder / 'orig.txt'),
            str(folder / 'hyp.txt'),
            str(folder / 'hyp.m2'),
        ],
        check=True,
    )
    reference = GOLD
    if partial:  # --limit: the gold's first blocks only
        blocks = GOLD.read_text(encoding='utf-8').strip().split('\n\n')[: len(originals)]
        reference = folder / 'gold.m2'
        reference.write_text('\n\n'.join(blocks) + '\n', encoding='utf-8')
    compare = errant_python.with_name('errant_compare')
    output = subprocess.run(
        [str(compare), '-hyp', str(folder / 'hyp.m2'), '-ref', str(reference), '-cat', '2'],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = SCORE_LINE.search(output)
    if found is None:
        raise SystemExit(f'errant_compare printed no score:\n{output}')
    # With -cat 2 a per-category table comes first, then the overall block SCORE_LINE reads.
    table = output[: output.rfind('=========== Span-Based Correction')]
    categories = '\n'.join(line for line in table.strip().splitlines() if not line.startswith('='))
    return list(found.groups()), categories


def _fake_server(gold: dict[str, str]):
    """The fake OpenAI-compatible server answering rung C with each line's gold correction."""
    from tests.fakes.openai_server import FakeLLMServer  # a test fake, only for --fake

    server = FakeLLMServer()
    server.start()
    server.refuse_response_format = True

    def rewrite(body: dict) -> str:
        if 'JSON schema' in body['messages'][0]['content']:
            return 'No JSON from this server.'
        return gold.get(body['messages'][-1]['content'], body['messages'][-1]['content'])

    server.task_replies['turn_feedback'] = rewrite
    return server


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--limit', type=int, default=None, help='only the first N sentences')
    parser.add_argument('--errant-python', type=Path, default=Path('.venv-errant/bin/python'))
    parser.add_argument(
        '--fake', action='store_true', help='a fake server answering the gold (harness check)'
    )
    parser.add_argument('--no-errant', action='store_true', help='skip the ERRANT scoring (plumbing check)')
    arguments = parser.parse_args()
    if not arguments.no_errant and not arguments.errant_python.exists():
        sys.exit(f'{arguments.errant_python} not found: run `make bench-feedback-env` first')
    errant = None if arguments.no_errant else arguments.errant_python
    print(asyncio.run(main(arguments.limit, errant, arguments.fake)))
