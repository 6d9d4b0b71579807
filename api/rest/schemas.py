"""Request and response bodies of /api. Limits match the services' own (the services check again)."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.rest.params import Email, Password, Username, storable, text
from i18n import SUPPORTED_LANGUAGES, lazy_text
from services import api_tokens, chat, history, missions, quota, rooms, scenarios, validation
from services.accounts import UserInfo

LanguageCode = Literal[tuple(rooms.LANGUAGES)]  # type: ignore[valid-type]
LevelCode = Literal[tuple(rooms.LEVELS)]  # type: ignore[valid-type]
ScenarioKey = Literal[tuple(scenario.key for scenario in scenarios.SCENARIOS)]  # type: ignore[valid-type]
FeedbackMode = Literal[tuple(rooms.FEEDBACK_MODES)]  # type: ignore[valid-type]
UiLanguageCode = Literal[SUPPORTED_LANGUAGES]  # type: ignore[valid-type]
UI_LANGUAGE_DESCRIPTION = "'Interface language' of the pages; null: the browser's (API: Accept-Language)"
LIMITS = rooms.FIELD_LIMITS
TOKEN_MAX = api_tokens.MAX_TOKEN_LENGTH
# Room text: the editor's limits; the four fields it requires are refused blank in its words.
Title = text(LIMITS['title'], required=lazy_text('Title is required.'))
Situation = text(LIMITS['situation'], required=lazy_text('Situation is required.'))
AiRole = text(LIMITS['ai_role'], required=lazy_text('AI role is required.'))
MyRole = text(LIMITS['my_role'], required=lazy_text('My role is required.'))
Instructions = text(LIMITS['instructions'])
Login = text(validation.LOGIN_MAX_LENGTH)
LoginPassword = text(1000)
Token = text(TOKEN_MAX)
Nickname = text(validation.NICKNAME_MAX_LENGTH)
Bio = text(validation.BIO_MAX_LENGTH)
MESSAGE_EMPTY = lazy_text('The message is empty.')
MessageText = text(chat.MESSAGE_MAX_LENGTH, required=MESSAGE_EMPTY)
Mission = text(missions.MISSION_MAX_LENGTH, required=lazy_text('A mission must not be blank.'))
Missions = Annotated[
    list[Mission],
    Field(
        max_length=missions.MAX_MISSIONS,
        description='None, or two to four goals for the conversation',
        # "None or two to four": a single mission is refused (422), so the document says so too.
        json_schema_extra={
            'anyOf': [{'maxItems': 0}, {'minItems': missions.MIN_MISSIONS}],
            'uniqueItems': True,  # the same goal twice counts once
        },
    ),
]


class Strict(BaseModel):
    """Unknown fields are refused (a typo in a field name is an error, not a silent no-op), and so is
    text that could not be stored: a 422 here instead of a database error later. Values are taken as the
    schema types them (strict): `0` is not `false` and `"5"` is not `5`."""

    model_config = ConfigDict(extra='forbid', strict=True)

    @field_validator('*')
    @classmethod
    def _storable(cls, value: object) -> object:
        return storable(value) if isinstance(value, str) else value


# -- accounts -----------------------------------------------------------------------------------------
class RegisterRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            'examples': [{'username': 'mina', 'email': 'mina@example.com', 'password': 'amber-kettle-58'}]
        }
    )
    username: Username = Field(description='3-30 of a-z, 0-9 and _ (stored lowercase)')
    email: Email = Field(
        description='A plain ASCII address (stored lowercase); reserved domains such as .test are refused'
    )
    password: Password = Field(
        description=(
            '8-64 ASCII characters, or 8-18 when any is not ASCII (bcrypt reads 72 bytes at most); '
            'not easy to guess (zxcvbn score 3+), which no pattern can state: a password this schema '
            'allows may still be refused with a 422 giving the reason'
        )
    )


class TokenRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={'examples': [{'username': 'mina', 'password': 'amber-kettle-58'}]}
    )
    username: Login = Field(description='Username or email')
    password: LoginPassword


class RefreshRequest(Strict):
    refresh_token: Token = Field(examples=['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...'])


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal['bearer'] = 'bearer'  # noqa: S105 (the OAuth 2 token type, not a secret)
    expires_in: int = Field(description='Seconds the access token is valid', examples=[900])
    refresh_expires_in: int = Field(description='Seconds the refresh token is valid', examples=[604800])

    @classmethod
    def of(cls, pair: api_tokens.TokenPair) -> 'TokenResponse':
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            expires_in=pair.access_expires_in,
            refresh_expires_in=pair.refresh_expires_in,
        )


class UserOut(BaseModel):
    id: int
    username: str
    email: str
    nickname: str
    bio: str
    display_name: str
    is_admin: bool
    has_password: bool
    created_at: datetime
    native_language: str = Field(description="'My language': explanations and translations come in it")
    ui_language: UiLanguageCode | None = Field(description=UI_LANGUAGE_DESCRIPTION)

    @classmethod
    def of(cls, user: UserInfo) -> 'UserOut':
        return cls(
            id=user.id, username=user.username, email=user.email, nickname=user.nickname, bio=user.bio,
            display_name=user.display_name, is_admin=user.is_admin, has_password=user.has_password,
            created_at=user.created_at, native_language=user.native_language, ui_language=user.ui_language,
        )  # fmt: skip


class ProfileUpdate(Strict):
    model_config = ConfigDict(
        json_schema_extra={'examples': [{'nickname': 'Mina', 'bio': 'Learning English.'}]}
    )
    nickname: Nickname | None = None
    bio: Bio | None = None
    native_language: LanguageCode | None = Field(default=None, description="'My language'")
    ui_language: UiLanguageCode | None = Field(default=None, description=UI_LANGUAGE_DESCRIPTION)


class QuotaOut(BaseModel):
    day: date
    used: int
    limit: int
    remaining: int
    unlimited: bool
    resets_at: datetime

    @classmethod
    def of(cls, status: quota.QuotaStatus) -> 'QuotaOut':
        return cls(
            day=status.day, used=status.used, limit=status.limit, remaining=status.remaining,
            unlimited=status.unlimited, resets_at=status.resets_at,
        )  # fmt: skip


# -- rooms --------------------------------------------------------------------------------------------
ROOM_EXAMPLE = {
    'title': 'Café', 'language': 'en', 'situation': 'Ordering coffee at a busy café.',
    'ai_role': 'Barista', 'my_role': 'Customer', 'level': 'A2',
}  # fmt: skip


class RoomCreate(Strict):
    model_config = ConfigDict(json_schema_extra={'examples': [ROOM_EXAMPLE]})
    title: Title
    language: LanguageCode
    situation: Situation
    ai_role: AiRole
    my_role: MyRole
    level: LevelCode
    instructions: Instructions = ''
    scenario: ScenarioKey | None = Field(default=None, description='The gallery preset the room comes from')
    feedback_mode: FeedbackMode = Field(default='gentle', description='Corrections of your lines')
    use_due_words: bool = Field(
        default=False, strict=True, description='The partner uses up to three of your due words'
    )
    missions: Missions = []


class RoomUpdate(Strict):
    """Only the fields sent change; `scenario: null` clears the preset."""

    model_config = ConfigDict(json_schema_extra={'examples': [{'title': 'Morning café', 'level': 'B1'}]})
    title: Title | None = None
    language: LanguageCode | None = None
    situation: Situation | None = None
    ai_role: AiRole | None = None
    my_role: MyRole | None = None
    level: LevelCode | None = None
    instructions: Instructions | None = None
    scenario: ScenarioKey | None = None
    listening_mode: bool | None = None
    slow_speech: bool | None = None
    feedback_mode: FeedbackMode | None = None
    use_due_words: bool | None = Field(default=None, strict=True)
    missions: Missions | None = None


class RoomOut(BaseModel):
    id: int
    title: str
    language: str
    language_name: str
    situation: str
    ai_role: str
    my_role: str
    level: str
    instructions: str
    scenario: str | None
    created_at: datetime
    last_activity_at: datetime
    listening_mode: bool
    slow_speech: bool
    feedback_mode: FeedbackMode
    use_due_words: bool = False
    missions: list[str] = []

    @classmethod
    def of(cls, room: rooms.RoomInfo) -> 'RoomOut':
        return cls(
            missions=list(room.missions),
            id=room.id, title=room.title, language=room.language, language_name=room.language_name,
            situation=room.situation, ai_role=room.ai_role, my_role=room.my_role, level=room.level,
            instructions=room.instructions, scenario=room.scenario, created_at=room.created_at,
            last_activity_at=room.last_activity_at, listening_mode=room.listening_mode,
            slow_speech=room.slow_speech, feedback_mode=room.feedback_mode, use_due_words=room.use_due_words,
        )  # fmt: skip


class RoomSummary(RoomOut):
    message_count: int

    @classmethod
    def of(cls, room: rooms.RoomInfo) -> 'RoomSummary':
        return cls(**RoomOut.of(room).model_dump(), message_count=room.message_count)


class RoomPage(BaseModel):
    items: list[RoomSummary] = Field(description='In the order asked for')
    next_cursor: str | None = Field(description='`cursor` for the next page; null on the last')


# -- messages -----------------------------------------------------------------------------------------
class MessageOut(BaseModel):
    id: int
    room_id: int
    role: Literal['user', 'assistant']
    content: str
    status: Literal['complete', 'pending', 'failed', 'stopped']
    error: str | None
    model: str | None
    created_at: datetime
    recording_id: int | None
    speech_score: float | None
    hard_words: list[str]

    @classmethod
    def of(cls, message: chat.MessageInfo) -> 'MessageOut':
        return cls(
            id=message.id, room_id=message.room_id, role=message.role, content=message.content,
            status=message.status, error=message.error, model=message.model, created_at=message.created_at,
            recording_id=message.recording_id, speech_score=message.speech_score,
            hard_words=list(message.hard_words),
        )  # fmt: skip


class MessagePage(BaseModel):
    items: list[MessageOut] = Field(description='Newest first')
    next_cursor: int | None = Field(description='`before` for the next (older) page; null on the last')


class SendRequest(Strict):
    model_config = ConfigDict(json_schema_extra={'examples': [{'text': 'One latte, please.'}]})
    text: MessageText


class TurnOut(BaseModel):
    user_message: MessageOut
    reply: MessageOut = Field(description="The AI's reply: `complete`, or `failed` with `error` (refunded)")
    quota: QuotaOut


class ReplyTurnOut(BaseModel):
    reply: MessageOut = Field(
        description='The reply written again: `complete`, or `failed` with `error` (refunded)'
    )
    quota: QuotaOut


class DeletedOut(BaseModel):
    deleted: list[int] = Field(description='The ids of the messages deleted, oldest first')


class ClearedOut(BaseModel):
    deleted_count: int


class SearchHitOut(BaseModel):
    id: int
    room_id: int
    room_title: str
    role: Literal['user', 'assistant']
    content: str
    created_at: datetime

    @classmethod
    def of(cls, hit: history.SearchHit) -> 'SearchHitOut':
        return cls(
            id=hit.id, room_id=hit.room_id, room_title=hit.room_title, role=hit.role, content=hit.content,
            created_at=hit.created_at,
        )  # fmt: skip


class SearchPage(BaseModel):
    items: list[SearchHitOut] = Field(description='Newest first')
    next_cursor: int | None = Field(description='`cursor` for the next (older) page; null on the last')
