"""services/errors.py: each message is put into words when shown, in the language being served then."""

from datetime import datetime
from zoneinfo import ZoneInfo

from i18n import using_language
from services import llm_tasks
from services.errors import (
    HelperUnavailable,
    HelpQuotaExceeded,
    InvalidCredentials,
    LoginThrottled,
    QuotaExceeded,
    RoomCreationThrottled,
    RoomLimitReached,
    RoomNotFound,
    SignUpThrottled,
    wait_text,
)

MIDNIGHT = datetime(2026, 11, 30, 0, 0, tzinfo=ZoneInfo('Asia/Seoul'))


def test_one_error_speaks_the_language_of_each_reader() -> None:
    """Made once, shown to a Korean and an English reader: each reads it in their own language."""
    missing = RoomNotFound()
    with using_language('ko'):
        assert str(missing) == '대화방을 찾을 수 없어요'
    with using_language('ja'):
        assert str(missing) == 'ルームが見つかりません'
    with using_language('en'):
        assert str(missing) == 'Room not found'


def test_korean_messages() -> None:
    """Waits follow the count, the reset time is written the Korean way, values are filled in."""
    with using_language('ko'):
        assert str(InvalidCredentials()) == '아이디 또는 비밀번호가 틀렸어요'
        assert str(LoginThrottled(30)) == '비밀번호를 너무 많이 틀렸어요. 30초 후에 다시 시도해 주세요.'
        assert str(SignUpThrottled(125)) == (
            '이 네트워크에서 회원가입이 너무 많았어요. 3분 후에 다시 시도해 주세요.'
        )
        assert str(QuotaExceeded(5, MIDNIGHT)) == (
            '하루 한도에 도달했어요: 답변 5개를 모두 사용했어요. 오전 12:00(KST)부터 다시 쓸 수 있어요.'
        )
        assert str(HelpQuotaExceeded(50, MIDNIGHT)).startswith('하루 학습 도움 한도에 도달했어요: 50회를')
        assert str(RoomLimitReached(50)).startswith('대화방이 50개로')
        assert (
            str(RoomCreationThrottled(10))
            == '짧은 시간에 대화방을 너무 많이 만들었어요. 1분 후에 다시 시도해 주세요.'
        )
        assert str(HelperUnavailable(llm_tasks.BUSY_NOTE)) == (
            '지금은 도우미가 답할 수 없어요. 잠시 후에 다시 시도해 주세요.'
        )
        assert str(HelperUnavailable(llm_tasks.off_note('translate', llm_tasks.EMBEDDED_SERVER))) == (
            '번역은 내장 모델에서 사용할 수 없어요.'
        )


def test_japanese_reset_time() -> None:
    """Japanese writes the reset time its own way too."""
    with using_language('ja'):
        assert str(QuotaExceeded(5, MIDNIGHT)) == (
            '1日の上限に達しました。返信5件をすべて使いました。0:00（KST）から再び使えます。'
        )


def test_english_is_unchanged() -> None:
    """English keeps its words, its plurals and the 24-hour reset time."""
    with using_language('en'):
        assert [str(wait_text(seconds)) for seconds in (1, 30, 60, 61, 240)] == [
            '1 second', '30 seconds', '1 minute', '2 minutes', '4 minutes',
        ]  # fmt: skip
        assert str(QuotaExceeded(5, MIDNIGHT)) == (
            'Daily limit reached: 5 of 5 replies used. More at 00:00 (KST).'
        )
        assert (
            str(RoomCreationThrottled(130)) == 'You made many rooms in a short time. Try again in 3 minutes.'
        )
        assert str(HelperUnavailable(llm_tasks.off_note('next_line_hints', 'https://llm.example'))) == (
            'Hints are not available with this model.'
        )
