"""Request and response bodies of the learning routes (feedback, translation, words, hints, help)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.rest.params import MAX_ID, text, whole_number
from api.rest.schemas import LanguageCode, MessageOut, QuotaOut, Strict
from i18n import lazy_text
from services import corrections, feedback, hints, translation, vocabulary

Category = Literal[tuple(corrections.CATEGORIES)]  # type: ignore[valid-type]
# The services' limits and refusals (they strip and check again).
GlossWord = text(
    vocabulary.WORD_MAX_LENGTH,
    required=lazy_text(
        'Choose a word or phrase of at most {max} characters.', max=vocabulary.WORD_MAX_LENGTH
    ),
)
Lemma = text(
    vocabulary.LEMMA_MAX_LENGTH,
    required=lazy_text('A word of 1 to {max} characters is required.', max=vocabulary.LEMMA_MAX_LENGTH),
)
Meaning = text(vocabulary.MEANING_MAX_LENGTH)
PartOfSpeech = text(vocabulary.POS_MAX_LENGTH)
ReplyId = whole_number(1, MAX_ID)


class DiffPartOut(BaseModel):
    kind: Literal['same', 'removed', 'added']
    text: str = Field(description='Words with their spacing')


class CorrectionOut(BaseModel):
    id: int
    original: str = Field(description='Exactly as you wrote it: the message text at [start, end)')
    replacement: str
    category: Category
    severity: Literal['high', 'medium', 'low']
    explanation: str = Field(description='In your language (My language); empty from a plain rewrite')
    start: int
    end: int
    dismissed: bool = Field(description='You marked it "not a mistake"')
    long_explanation: str | None = Field(description='From POST …/explain, once asked')
    diff: list[DiffPartOut]

    @classmethod
    def of(cls, item: feedback.CorrectionInfo) -> 'CorrectionOut':
        return cls(
            id=item.id, original=item.original, replacement=item.replacement, category=item.category,
            severity=item.severity, explanation=item.explanation, start=item.start, end=item.end,
            dismissed=item.dismissed, long_explanation=item.long_explanation,
            diff=[DiffPartOut(kind=part.kind, text=part.text) for part in item.diff],
        )  # fmt: skip


class FeedbackOut(BaseModel):
    message_id: int
    status: Literal['pending', 'ready', 'unavailable', 'off']
    mode: str = Field(description="The room's feedback mode when the line was sent ('' while starting)")
    has_errors: bool
    corrected: str | None = Field(description='Your line with the corrections applied; null without errors')
    natural_alternative: str | None
    tier: Literal['A', 'B', 'C'] | None = Field(description='How the model answered (structured-output rung)')
    note: str | None = Field(description='Why it is unavailable, fit to show')
    corrections: list[CorrectionOut] = Field(description='Highest severity first')
    diff: list[DiffPartOut] = Field(description='Your line → corrected, word by word')

    @classmethod
    def of(cls, info: feedback.FeedbackInfo) -> 'FeedbackOut':
        return cls(
            message_id=info.message_id, status=info.status, mode=info.mode, has_errors=info.has_errors,
            corrected=info.corrected, natural_alternative=info.natural_alternative, tier=info.tier,  # type: ignore[arg-type]
            note=info.note, corrections=[CorrectionOut.of(item) for item in info.corrections],
            diff=[DiffPartOut(kind=part.kind, text=part.text) for part in info.diff],
        )  # fmt: skip


class MessageDetailOut(MessageOut):
    feedback: FeedbackOut | None = Field(description='For your own lines; null for replies')


class DismissRequest(Strict):
    dismissed: bool = Field(default=True, description='false takes the "not a mistake" back')


class ExplanationOut(BaseModel):
    correction_id: int
    text: str = Field(description='In your language')


class TranslateRequest(Strict):
    model_config = ConfigDict(json_schema_extra={'examples': [{'language': 'ko'}]})
    language: LanguageCode | None = Field(default=None, description='Default: your My language')


class TranslationOut(BaseModel):
    message_id: int
    language: str
    text: str
    cached: bool = Field(description='true: from the cache, free')

    @classmethod
    def of(cls, info: translation.TranslationInfo) -> 'TranslationOut':
        return cls(message_id=info.message_id, language=info.language, text=info.text, cached=info.cached)


class GlossRequest(Strict):
    model_config = ConfigDict(json_schema_extra={'examples': [{'word': 'meet'}]})
    word: GlossWord = Field(description='A word or phrase of the reply (404 when the reply does not have it)')


class GlossOut(BaseModel):
    message_id: int
    word: str
    language: str
    lemma: str
    pos: str
    meaning: str = Field(description='In your language')
    note: str
    level: str | None = Field(description='CEFR level (English words), computed offline')

    @classmethod
    def of(cls, found: vocabulary.Gloss) -> 'GlossOut':
        return cls(
            message_id=found.message_id, word=found.word, language=found.language, lemma=found.lemma,
            pos=found.pos, meaning=found.meaning, note=found.note, level=found.level,
        )  # fmt: skip


class SaveWordRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            'examples': [{'message_id': 2, 'lemma': 'leave', 'meaning': '출발하다', 'pos': 'verb'}]
        }
    )
    message_id: ReplyId = Field(description='The AI reply the word comes from')
    lemma: Lemma
    meaning: Meaning = ''
    pos: PartOfSpeech = ''


class SavedWordOut(BaseModel):
    id: int
    language: str
    lemma: str
    pos: str
    meaning: str
    level: str | None
    source_message_id: int | None
    created_at: datetime

    @classmethod
    def of(cls, word: vocabulary.SavedWordInfo) -> 'SavedWordOut':
        return cls(
            id=word.id, language=word.language, lemma=word.lemma, pos=word.pos, meaning=word.meaning,
            level=word.level, source_message_id=word.source_message_id, created_at=word.created_at,
        )  # fmt: skip


class WordPageOut(BaseModel):
    items: list[SavedWordOut] = Field(description='Newest first')
    next_cursor: int | None = Field(description='`before` for the next (older) page; null on the last')


class HintLineOut(BaseModel):
    text: str = Field(description="In the room's language")
    gloss: str = Field(description='In your language')


class HintsOut(BaseModel):
    idea: str
    keywords: list[str]
    lines: list[HintLineOut] = Field(description='Up to 3')

    @classmethod
    def of(cls, found: hints.Hints) -> 'HintsOut':
        return cls(
            idea=found.idea,
            keywords=list(found.keywords),
            lines=[HintLineOut(text=line.text, gloss=line.gloss) for line in found.lines],
        )


class HelpOut(QuotaOut):
    """Today's learning help: the same figures as the reply allowance's."""
