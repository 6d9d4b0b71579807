"""Voice input in Chromium: a WAV file plays as the microphone; Record, stop, the transcript fills Message."""

import io
import re
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserType, Page, expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer
from tests.speech import espeak_wav, piper_wav

SENTENCE = 'I would like a large coffee with milk, please.'
KOREAN_SENTENCE = '안녕하세요. 저는 커피를 좋아해요.'


@pytest.fixture(scope='module')
def spoken_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sentence spoken by Piper, with a second of silence around it (Chromium loops the file)."""
    return padded_wav(piper_wav(SENTENCE), tmp_path_factory.mktemp('voice') / 'answer.wav')


@pytest.fixture(scope='module')
def korean_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Korean sentence spoken by espeak-ng, with a second of silence around it."""
    return padded_wav(espeak_wav(KOREAN_SENTENCE, 'ko'), tmp_path_factory.mktemp('voice') / 'korean.wav')


def padded_wav(speech: bytes, path: Path) -> Path:
    with wave.open(io.BytesIO(speech)) as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    silence = b'\0' * params.sampwidth * params.nchannels * params.framerate
    with wave.open(str(path), 'wb') as wav:
        wav.setparams(params)
        wav.writeframes(silence + frames + silence)
    return path


@pytest.fixture
def mic_page(browser_type: BrowserType, spoken_wav: Path, base_url: str) -> Iterator[Page]:
    """A browser whose microphone is the English WAV file and whose permission prompt is answered yes."""
    yield from microphone_page(browser_type, spoken_wav, base_url)


@pytest.fixture
def korean_mic_page(browser_type: BrowserType, korean_wav: Path, base_url: str) -> Iterator[Page]:
    """A browser whose microphone speaks Korean."""
    yield from microphone_page(browser_type, korean_wav, base_url)


def microphone_page(browser_type: BrowserType, wav: Path, base_url: str) -> Iterator[Page]:
    fake_microphone = [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        f'--use-file-for-fake-audio-capture={wav}',
    ]
    options = {'args': CHROMIUM_ARGS + fake_microphone}
    if Path(CHROMIUM).exists():
        options['executable_path'] = CHROMIUM
    browser = browser_type.launch(**options)
    context = browser.new_context(base_url=base_url)
    yield context.new_page()
    context.close()
    browser.close()


def test_record_transcribe_send_and_replay(mic_page: Page, llm: FakeLLMServer, shot) -> None:
    """Record an answer, see it in the Message input, send it, and replay one's own recording."""
    page = mic_page
    sign_up(page, 'voice')
    gallery_room(page, 'cafe-order')

    page.get_by_role('button', name='Record').click()
    expect(page.get_by_role('button', name='Stop recording')).to_be_visible()
    page.wait_for_timeout(5500)  # the file: one second of silence, the sentence, one second of silence
    shot('recording', page)
    page.get_by_role('button', name='Stop recording').click()
    message = page.get_by_label('Message')
    expect(message).to_have_value(re.compile(r'coffee', re.IGNORECASE), timeout=60_000)
    heard = message.input_value().lower()
    assert all(word in heard for word in ('large', 'coffee', 'milk')), heard
    shot('transcribed', page)

    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text(llm.reply)).to_be_visible()
    page.get_by_role('button', name='Play my recording').click()
    page.wait_for_function(
        'document.querySelector("audio") && document.querySelector("audio").readyState >= 1'
    )
    assert '/audio/recordings/' in page.evaluate('document.querySelector("audio").currentSrc')
    expect(page.get_by_text('4 of 5 replies left today')).to_be_visible()  # only the AI reply cost quota
    shot('sent', page)


def test_korean_room_transcribes_korean_speech(korean_mic_page: Page, shot) -> None:
    """In a Korean room the offline recogniser writes what it heard in Hangul (not "English only")."""
    page = korean_mic_page
    sign_up(page, 'voice_ko')
    gallery_room(page, 'cafe-order')
    page.get_by_role('button', name='Edit').click()
    page.get_by_label('Language').click()
    page.get_by_role('option', name='Korean').click()
    page.get_by_role('button', name='Save').click()
    expect(page).to_have_url(re.compile(r'/rooms/\d+$'))

    page.get_by_role('button', name='Record').click()
    expect(page.get_by_role('button', name='Stop recording')).to_be_visible()
    page.wait_for_timeout(5500)  # one second of silence, the sentence, one second of silence
    page.get_by_role('button', name='Stop recording').click()
    message = page.get_by_label('Message')
    # Hangul in the box: the room's language reached the multilingual recogniser. Which words come out of
    # espeak-ng's robot Korean after Chromium's microphone resampling varies (the exact words are checked
    # on the same speech, unresampled, in tests/services/test_stt_languages.py).
    expect(message).to_have_value(re.compile('[가-힣]{2,}'), timeout=60_000)
    shot('korean-transcribed', page)
