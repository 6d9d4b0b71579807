"""/api sessions and mistakes: end a session (its report is made and stored), read reports, the mistake log.

Every figure of a report is computed by the app; `note` and `focus_next` come from the model
(`note_from_model` false: the plain note, the model could not write one). Making a report costs at
most one help unit (plus, in `End only` rooms, one per line checked then).
"""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from api.rest.errors import documented
from api.rest.learning_schemas import Category
from api.rest.params import MAX_ID, Cursor, PageSize, RoomId
from api.rest.schemas import LanguageCode, Strict
from api.rest.security import CurrentUser
from services import mistakes, practice_sessions
from services.mistakes import Mistake
from services.practice_sessions import ReportSummary
from services.session_report import SessionReport, markdown

router = APIRouter(tags=['reports'], responses=documented(401, 403))
SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description='A session (report) id', examples=[1])]
CorrectionId = Annotated[int, Path(ge=1, le=MAX_ID, description='A correction id', examples=[1])]


class ExampleOut(BaseModel):
    message_id: int
    said: str = Field(description='Your whole line')
    original: str
    replacement: str
    explanation: str


class CategoryErrorsOut(BaseModel):
    category: Category
    count: int
    examples: list[ExampleOut] = Field(description='Up to three of your own, with their fixes')


class BetterPairOut(BaseModel):
    said: str
    better: str
    why: str


class NewWordOut(BaseModel):
    word: str
    level: str | None = Field(description='CEFR level, computed offline (English only)')
    source: Literal['partner', 'looked_up', 'saved'] = Field(
        description="partner: above the room's level; looked_up: you looked it up in a reply; saved: you saved it"
    )


class FocusOut(BaseModel):
    topic: str
    why: str


class FiguresOut(BaseModel):
    learner_turns: int
    words: int
    mean_words_per_turn: float
    distinct_words: int
    checked_turns: int = Field(description='Your lines whose feedback is ready')
    error_free_turns: int
    error_free_share: float | None = Field(description='Of the checked lines; null when none was checked')
    errors: list[CategoryErrorsOut] = Field(description='Most frequent first; dismissed corrections excluded')
    better: list[BetterPairOut] = Field(description='Up to five "say it better" pairs')
    new_words: list[NewWordOut]
    hints_used: int
    spoken_turns: int
    words_per_minute: float | None = Field(description="From the recordings' durations")
    hard_words: list[str] = Field(description='Words the recogniser found hard (a signal, not a grade)')


class SessionReportOut(BaseModel):
    id: int
    room_id: int
    room_title: str
    language: str
    level: str
    started_at: datetime
    ended_at: datetime
    figures: FiguresOut
    note: str
    note_from_model: bool
    focus_next: list[FocusOut]

    @classmethod
    def of(cls, report: SessionReport) -> 'SessionReportOut':
        return cls.model_validate(report, from_attributes=True)


class ReportSummaryOut(BaseModel):
    id: int
    room_id: int
    room_title: str
    started_at: datetime
    ended_at: datetime
    learner_turns: int
    error_free_share: float | None

    @classmethod
    def of(cls, item: ReportSummary) -> 'ReportSummaryOut':
        return cls.model_validate(item, from_attributes=True)


class ReportPageOut(BaseModel):
    items: list[ReportSummaryOut]
    next_cursor: int | None


class MistakeOut(BaseModel):
    correction_id: int
    message_id: int
    room_id: int
    room_title: str
    language: str
    said: str = Field(description='Your whole line')
    original: str
    replacement: str
    category: Category
    explanation: str
    said_at: datetime

    @classmethod
    def of(cls, item: Mistake) -> 'MistakeOut':
        return cls.model_validate(item, from_attributes=True)


class MistakePageOut(BaseModel):
    items: list[MistakeOut]
    next_cursor: int | None


class LearnedRequest(Strict):
    learned: bool = Field(default=True, description='false puts the mistake back in the log')


class LearnedOut(BaseModel):
    correction_id: int
    learned: bool


@router.post(
    '/rooms/{room_id}/sessions/end',
    status_code=201,
    summary="End the room's current session and make its report",
    responses=documented(404, 409, 422),
)
async def end_session(room_id: RoomId, user: CurrentUser) -> SessionReportOut:
    """409 `conflict` when you said nothing since the last session ended. Can take a while (the coach note)."""
    return SessionReportOut.of(await practice_sessions.end_session(user.id, room_id))


@router.get('/sessions', summary='Your session reports', responses=documented(422))
async def list_reports(user: CurrentUser, cursor: Cursor = None, limit: PageSize = 20) -> ReportPageOut:
    """Newest first; pass `next_cursor` as `cursor` for older ones."""
    page = await practice_sessions.list_reports(user.id, cursor, limit)
    return ReportPageOut(
        items=[ReportSummaryOut.of(item) for item in page.items], next_cursor=page.next_cursor
    )


@router.get('/sessions/{session_id}', summary='One session report', responses=documented(404, 422))
async def read_report(session_id: SessionId, user: CurrentUser) -> SessionReportOut:
    """As it was stored when the session ended. 404 for someone else's."""
    return SessionReportOut.of(await practice_sessions.get_report(user.id, session_id))


@router.get(
    '/sessions/{session_id}/markdown',
    summary='One session report as a Markdown file',
    response_class=Response,
    responses={
        200: {
            'description': 'The report, as an attachment',
            'content': {'text/markdown': {'schema': {'type': 'string'}}},
        },
        **documented(404, 422),
    },
)
async def export_report(session_id: SessionId, user: CurrentUser) -> Response:
    report = await practice_sessions.get_report(user.id, session_id)
    return Response(
        markdown(report),
        media_type='text/markdown; charset=utf-8',
        headers={
            'Content-Disposition': f'attachment; filename="session-{report.id}.md"',
            'Cache-Control': 'no-store',
        },
    )


@router.get('/mistakes', summary='Your mistake log', responses=documented(422))
async def list_mistakes(
    user: CurrentUser,
    category: Category | None = Query(default=None, description='Only this category'),
    language: LanguageCode | None = Query(default=None, description='Only rooms of this language'),
    cursor: Cursor = None,
    limit: PageSize = 20,
) -> MistakePageOut:
    """Corrections of your lines in every room, newest first; not the dismissed ones nor those marked learned."""
    page = await mistakes.mistake_log(
        user.id, category=category, language=language, before_id=cursor, limit=limit
    )
    return MistakePageOut(items=[MistakeOut.of(item) for item in page.items], next_cursor=page.next_cursor)


@router.post(
    '/mistakes/{correction_id}/learned', summary='Mark a mistake learned', responses=documented(400, 404, 422)
)
async def mark_learned(correction_id: CorrectionId, user: CurrentUser, body: LearnedRequest) -> LearnedOut:
    """It leaves the mistake log; the reports made before keep it. Send `{}` (or `{"learned": false}`)."""
    await mistakes.mark_learned(user.id, correction_id, body.learned)
    return LearnedOut(correction_id=correction_id, learned=body.learned)
