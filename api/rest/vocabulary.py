"""/api/vocabulary and /api/progress: the notebook, its FSRS review, exports and the progress figures."""

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from api.rest.errors import documented
from api.rest.learning_schemas import Lemma, Meaning, PartOfSpeech, ReplyId
from api.rest.params import MAX_ID, Cursor, PageSize, text, whole_number
from api.rest.schemas import Strict
from api.rest.security import CurrentUser
from api.vocabulary_files import attachment
from services import notebook, progress, vocabulary, vocabulary_review
from services.vocabulary import WORD_MAX_LENGTH
from services.vocabulary_review import ReviewRating
from services.word_entries import NotebookEntry

router = APIRouter(tags=['vocabulary'], responses=documented(401, 403))
WordId = Annotated[int, Path(ge=1, le=MAX_ID, description='A notebook entry id', examples=[1])]
CorrectionId = Annotated[int, Path(ge=1, le=MAX_ID, description='A correction id', examples=[1])]
Rating = Literal['again', 'hard', 'good', 'easy']
SearchText = text(notebook.SEARCH_MAX_LENGTH)
DAY_MS = 86_400_000


class WordOut(BaseModel):
    id: int
    language: str
    lemma: str
    form: str = Field(description='The word as it stood in the sentence ("" when it is the lemma)')
    pos: str
    meaning: str
    level: str | None = Field(description='CEFR level, computed offline (English only)')
    origin: Literal['reply', 'correction', 'report']
    source_sentence: str | None
    source_message_id: int | None = Field(description='null once the message was deleted')
    source_room_id: int | None
    message_deleted: bool
    due: datetime
    created_at: datetime

    @classmethod
    def of(cls, entry: NotebookEntry) -> 'WordOut':
        return cls(
            id=entry.id, language=entry.language, lemma=entry.lemma, form=entry.form, pos=entry.pos,
            meaning=entry.meaning, level=entry.level, origin=entry.origin,  # type: ignore[arg-type]
            source_sentence=entry.source_sentence, source_message_id=entry.source_message_id,
            source_room_id=entry.source_room_id, message_deleted=entry.message_deleted, due=entry.due,
            created_at=entry.created_at,
        )  # fmt: skip


class NotebookPageOut(BaseModel):
    items: list[WordOut]
    next_cursor: int | None


class WordSave(Strict):
    """A word of an AI reply (as the word popup's `Save word`)."""

    message_id: ReplyId = Field(description='The AI reply the word is from')
    lemma: Lemma
    meaning: Meaning = ''
    pos: PartOfSpeech = ''
    word: text(WORD_MAX_LENGTH) = Field(default='', description='The form as it stood in the reply')


class ReportWordSave(Strict):
    """A word from a session report, with the line (the learner's or the partner's) it came from."""

    message_id: whole_number(1, MAX_ID)
    word: Lemma
    meaning: Meaning = ''


class ReviewCardOut(BaseModel):
    word: WordOut
    cloze: str | None = Field(description='The source sentence with the answer blanked as _____')
    cue: str
    answer: str


class DueOut(BaseModel):
    due_count: int
    cards: list[ReviewCardOut]


class ReviewIn(Strict):
    rating: Rating
    duration_ms: whole_number(0, DAY_MS) | None = Field(default=None, description='Time spent on the card')


class ReviewOut(BaseModel):
    word_id: int
    rating: Rating
    due: datetime
    stability: float
    difficulty: float
    state: Literal['learning', 'review', 'relearning']
    due_count: int = Field(description='Entries still due now')


class WeekOut(BaseModel):
    week_start: date
    turns: int
    speaking_minutes: float
    checked_lines: int
    error_free_lines: int
    error_free_share: float | None
    categories: dict[str, int]


class DayOut(BaseModel):
    day: date
    turns: int


class ProgressOut(BaseModel):
    today: date
    days_practised_last_7: int
    days_practised_last_28: int
    calendar: list[DayOut]
    weeks: list[WeekOut]
    top_categories: dict[str, int]
    words_saved: int
    words_learned: int
    words_due: int


@router.get('/vocabulary/words', summary='Your saved words', responses=documented(422))
async def list_notebook_words(
    user: CurrentUser,
    q: Annotated[SearchText, Query(description='In the word or its meaning')] = '',
    cursor: Cursor = None,
    limit: PageSize = 20,
) -> NotebookPageOut:
    """Newest first; pass `next_cursor` as `cursor` for older ones."""
    page = await notebook.entries(user.id, q, cursor, limit)
    return NotebookPageOut(items=[WordOut.of(entry) for entry in page.items], next_cursor=page.next_cursor)


@router.post(
    '/vocabulary/words',
    status_code=201,
    summary='Save a word of a reply',
    responses=documented(400, 404, 422),
)
async def save_notebook_word(body: WordSave, user: CurrentUser) -> WordOut:
    """One entry per (language, lemma): saving it again returns the existing entry unchanged."""
    saved = await vocabulary.save_word(
        user.id, body.message_id, body.lemma, body.meaning, body.pos, word=body.word
    )
    return WordOut.of(await notebook.get_entry(user.id, saved.id))


@router.post(
    '/vocabulary/report-words', status_code=201, summary='Save a word from a session report',
    responses=documented(400, 404, 422),
)  # fmt: skip
async def save_report_word(body: ReportWordSave, user: CurrentUser) -> WordOut:
    return WordOut.of(await notebook.save_report_word(user.id, body.message_id, body.word, body.meaning))


@router.post(
    '/corrections/{correction_id}/save-word', status_code=201, summary="Save a correction's replacement",
    responses=documented(404, 422),
)  # fmt: skip
async def save_correction_word(correction_id: CorrectionId, user: CurrentUser) -> WordOut:
    """The replacement goes into the notebook with the corrected sentence and the correction's explanation."""
    return WordOut.of(await notebook.save_correction_word(user.id, correction_id))


@router.get('/vocabulary/words/{word_id}', summary='One saved word', responses=documented(404, 422))
async def read_word(word_id: WordId, user: CurrentUser) -> WordOut:
    return WordOut.of(await notebook.get_entry(user.id, word_id))


@router.delete(
    '/vocabulary/words/{word_id}', status_code=204, response_class=Response, summary='Delete a saved word',
    responses=documented(404, 422),
)  # fmt: skip
async def delete_word(word_id: WordId, user: CurrentUser) -> Response:
    await notebook.delete_word(user.id, word_id)
    return Response(status_code=204)


@router.get('/vocabulary/due', summary='Cards due for review', responses=documented(422))
async def due_cards(user: CurrentUser, limit: PageSize = 20) -> DueOut:
    """Most overdue first: the sentence with the word blanked, the meaning as the cue, and the answer."""
    cards = await vocabulary_review.due_cards(user.id, limit=limit)
    return DueOut(
        due_count=await vocabulary_review.due_count(user.id),
        cards=[
            ReviewCardOut(word=WordOut.of(card.entry), cloze=card.cloze, cue=card.cue, answer=card.answer)
            for card in cards
        ],
    )


@router.post('/vocabulary/words/{word_id}/review', summary='Rate a card', responses=documented(400, 404, 422))
async def review_word(word_id: WordId, body: ReviewIn, user: CurrentUser) -> ReviewOut:
    """FSRS (the `fsrs` package) computes the next due date from the rating; the rating is logged."""
    outcome = await vocabulary_review.review(
        user.id, word_id, ReviewRating[body.rating], duration_ms=body.duration_ms
    )
    return ReviewOut(
        word_id=outcome.word_id, rating=body.rating, due=outcome.due, stability=outcome.stability,
        difficulty=outcome.difficulty, state=('learning', 'review', 'relearning')[outcome.state - 1],
        due_count=await vocabulary_review.due_count(user.id),
    )  # fmt: skip


@router.get(
    '/vocabulary/export',
    summary='Download the notebook as CSV or an Anki deck',
    response_class=Response,
    responses={
        200: {
            'description': 'The file, as an attachment (never cached)',
            'content': {'text/csv': {'schema': {'type': 'string'}}, 'application/octet-stream': {}},
        },
        **documented(422),
    },
)
async def export_words(
    user: CurrentUser,
    export_format: Literal['csv', 'anki'] = Query(default='csv', alias='format', description='File format'),
) -> Response:
    exported = await (notebook.export_csv if export_format == 'csv' else notebook.export_anki)(user.id)
    return attachment(exported)


@router.get('/progress', summary='Your progress figures')
async def read_progress(user: CurrentUser) -> ProgressOut:
    """Days practised, weekly lines and speaking minutes, error-free share, mistakes by kind and words learned
    (the last 52 weeks; days in QUOTA_TIMEZONE; computed by the app)."""
    figures = await progress.progress(user.id)
    return ProgressOut(
        today=figures.today, days_practised_last_7=figures.days_practised(7),
        days_practised_last_28=figures.days_practised(28),
        calendar=[DayOut(day=mark.day, turns=mark.turns) for mark in figures.calendar],
        weeks=[
            WeekOut(
                week_start=week.week_start, turns=week.turns, speaking_minutes=week.speaking_minutes,
                checked_lines=week.checked_lines, error_free_lines=week.error_free_lines,
                error_free_share=week.error_free_share, categories=week.categories,
            )
            for week in figures.weeks
        ],
        top_categories=dict(figures.top_categories), words_saved=figures.words_saved,
        words_learned=figures.words_learned, words_due=figures.words_due,
    )  # fmt: skip
