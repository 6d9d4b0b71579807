"""What the learning helpers ask the model: the system instructions and user text per task.

Each instruction is the system message after its `TASK: <name>` line (added by services/llm_tasks.py).
Explanations, glosses and translations are asked for in the learner's own language ('My language').
"""

from collections.abc import Sequence

from services.missions import OpenMission, missions_instruction
from services.rooms import LANGUAGES, LEVELS


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def feedback_prompt(
    text: str,
    partner_line: str | None,
    language: str,
    level: str,
    native: str,
    missions: Sequence[OpenMission] = (),
) -> tuple[str, str]:
    """(system, user) of `turn_feedback` for one learner line (with the room's open missions, if any)."""
    system = (
        f'You are a careful {language_name(language)} teacher. A learner at level {level} '
        f'({LEVELS.get(level, level)}) wrote one line in a role-play. Find real mistakes only '
        '(grammar, word choice, spelling); do not rewrite for style and do not correct what is already '
        'correct. For each mistake give "original": the exact words from the learner\'s line, copied '
        'character for character; "replacement": the fix; "category"; "severity" (high: it blocks '
        'understanding, medium: clearly wrong, low: minor); "explanation": one short sentence in '
        f'{language_name(native)}. "corrected" is the learner\'s line with the fewest changes that fix the '
        'mistakes; "natural_alternative" is how a native speaker might say the same thing. With no mistakes: '
        'has_errors false, corrected the line unchanged, corrections [].'
    )
    if missions:
        system += '\n' + missions_instruction(missions)
    context = f'The partner said: {partner_line}\n' if partner_line else ''
    return system, f'{context}The learner wrote: {text}'


def rewrite_prompt(text: str, language: str) -> tuple[str, str]:
    """(system, user) of rung C for `turn_feedback`: a plain rewrite the app diffs into edits."""
    system = (
        f"Rewrite the learner's {language_name(language)} sentence with the fewest changes that make it "
        'correct. If it is already correct, repeat it unchanged. Output only the sentence.'
    )
    return system, text


def explain_prompt(text: str, original: str, replacement: str, language: str, native: str) -> tuple[str, str]:
    """(system, user) of `explain`: why one correction is needed, in the learner's language, plain text."""
    system = (
        f'You are a patient {language_name(language)} teacher. Explain in {language_name(native)}, in at most '
        'four short sentences, why the correction is needed, with one more example sentence. Plain text only.'
    )
    return system, f'Sentence: {text}\nOriginal: {original}\nCorrection: {replacement}'


def translate_prompt(text: str, source: str, target: str) -> tuple[str, str]:
    """(system, user) of `translate`: a reply into the learner's language, plain text."""
    system = (
        f'Translate the {language_name(source)} text into natural {language_name(target)}. '
        'Output only the translation.'
    )
    return system, text


def gloss_prompt(word: str, sentence: str, language: str, native: str) -> tuple[str, str]:
    """(system, user) of `word_gloss`: the word's dictionary form and its meaning in this sentence."""
    system = (
        f'For a learner of {language_name(language)}: give the dictionary form ("lemma") of the word or '
        f'phrase, its part of speech ("pos", in English), its meaning in this sentence ("meaning", in '
        f'{language_name(native)}, a few words) and a short usage note ("note", in {language_name(native)}, '
        'may be empty).'
    )
    return system, f'Word: {word}\nSentence: {sentence}'


def hints_prompt(
    situation: str,
    my_role: str,
    ai_role: str,
    recent: list[tuple[str, str]],
    language: str,
    level: str,
    native: str,
) -> tuple[str, str]:
    """(system, user) of `next_line_hints`: what the learner could say next, at the room's level."""
    system = (
        f'A learner is practising {language_name(language)} at level {level} ({LEVELS.get(level, level)}) in a '
        f'role-play. Situation: {situation}. The learner is: {my_role}. The partner is: {ai_role}. Help the '
        f'learner say their next line: "idea" (one sentence in {language_name(native)}: what they could say), '
        f'"keywords" (up to 5 useful {language_name(language)} words), and "lines": up to 3 short '
        f'{language_name(language)} lines at level {level} they could say next, each with "gloss" (its '
        f'meaning in {language_name(native)}).'
    )
    conversation = '\n'.join(f'{who}: {line}' for who, line in recent) or '(the conversation has not started)'
    return system, f'The conversation so far:\n{conversation}'
