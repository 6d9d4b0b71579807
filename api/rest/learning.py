"""/api learning routes: feedback on your lines, explanations, translations, word look-ups, hints, help left.

Every helper that asks the model costs one unit of the daily help allowance (apart from replies):
at 0 it answers 429 `help_quota_exceeded` with Retry-After; a model that cannot do a helper answers
503 `helper_unavailable` with the note to show.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.rest.errors import documented
from api.rest.learning_schemas import (
    DismissRequest,
    ExplanationOut,
    FeedbackOut,
    GlossOut,
    GlossRequest,
    HelpOut,
    HintsOut,
    SavedWordOut,
    SaveWordRequest,
    TranslateRequest,
    TranslationOut,
    WordPageOut,
)
from api.rest.params import MAX_ID, Cursor, MessageId, PageSize, RoomId
from api.rest.security import CurrentUser
from services import feedback, help_quota, hints, translation, vocabulary
from services.feedback_explain import explain

router = APIRouter(tags=['learning'], responses=documented(401, 403))
CorrectionId = Annotated[int, Path(ge=1, le=MAX_ID, description='A correction id', examples=[1])]
ReplyId = Annotated[int, Path(ge=1, le=MAX_ID, description="An AI reply's message id", examples=[4])]
FEEDBACK_WAIT_SECONDS = 25.0


@router.get(
    '/messages/{message_id}/feedback',
    summary='The feedback of one of your lines',
    responses=documented(404, 422),
)
async def read_feedback(
    message_id: MessageId,
    user: CurrentUser,
    wait: bool = Query(default=False, description='Wait (up to 25 s) while it is `pending`'),
) -> FeedbackOut:
    """404 for a reply or someone else's message."""
    if wait:
        return FeedbackOut.of(await feedback.wait_feedback(user.id, message_id, FEEDBACK_WAIT_SECONDS))
    return FeedbackOut.of(await feedback.get_feedback(user.id, message_id))


@router.post(
    '/corrections/{correction_id}/dismiss',
    summary='Mark a correction "not a mistake"',
    responses=documented(400, 404, 422),
)
async def dismiss_correction(
    correction_id: CorrectionId, user: CurrentUser, body: DismissRequest | None = None
) -> FeedbackOut:
    """The correction is kept, flagged `dismissed` (and no longer counted); the line's feedback is returned."""
    dismissed = body.dismissed if body is not None else True
    return FeedbackOut.of(await feedback.dismiss_correction(user.id, correction_id, dismissed))


@router.post(
    '/corrections/{correction_id}/explain',
    summary='A longer explanation of a correction',
    responses=documented(404, 422, 429, 503),
)
async def explain_correction(correction_id: CorrectionId, user: CurrentUser) -> ExplanationOut:
    """In your language; the first ask costs one help unit, asking again is free."""
    return ExplanationOut(correction_id=correction_id, text=await explain(user.id, correction_id))


@router.post(
    '/messages/{message_id}/translate',
    summary='Translate an AI reply',
    responses=documented(400, 404, 422, 429, 503),
)
async def translate_reply(
    message_id: ReplyId, user: CurrentUser, body: TranslateRequest | None = None
) -> TranslationOut:
    """Into your language by default; cached, so a second look is free (no help unit)."""
    language = body.language if body is not None else None
    return TranslationOut.of(await translation.translate_reply(user.id, message_id, language))


@router.post(
    '/messages/{message_id}/gloss',
    summary='The meaning of a word of an AI reply',
    responses=documented(400, 404, 422, 429, 503),
)
async def gloss_word(message_id: ReplyId, body: GlossRequest, user: CurrentUser) -> GlossOut:
    """Meaning in context, in your language; the CEFR level of English words is computed offline."""
    return GlossOut.of(await vocabulary.gloss(user.id, message_id, body.word))


@router.post('/words', summary='Save a word', responses=documented(400, 404, 422))
async def save_word(body: SaveWordRequest, user: CurrentUser) -> SavedWordOut:
    """One entry per (language, lemma): saving it again returns the entry unchanged."""
    return SavedWordOut.of(
        await vocabulary.save_word(user.id, body.message_id, body.lemma, body.meaning, body.pos)
    )


@router.get('/words', summary='Your saved words, newest first', responses=documented(422))
async def list_words(user: CurrentUser, before: Cursor = None, limit: PageSize = 50) -> WordPageOut:
    """Start without `before`; then pass the page's `next_cursor` as `before` until it is null."""
    page = await vocabulary.saved_words(user.id, before, limit)
    return WordPageOut(items=[SavedWordOut.of(word) for word in page.items], next_cursor=page.next_cursor)


@router.post(
    '/rooms/{room_id}/hints', summary='Ideas for your next line', responses=documented(404, 422, 429, 503)
)
async def next_line_hints(room_id: RoomId, user: CurrentUser) -> HintsOut:
    """Up to 3 lines at the room's level with their meaning in your language; one help unit."""
    return HintsOut.of(await hints.next_line_hints(user.id, room_id))


@router.get('/help-quota', summary="Today's learning help: used, left, and when the day resets")
async def read_help_quota(user: CurrentUser) -> HelpOut:
    """Feedback, explanations, translations, look-ups and hints; apart from the reply allowance."""
    return HelpOut.of(await help_quota.status(user.id))
