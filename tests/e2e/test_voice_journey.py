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
from tests.speech import piper_wav

SENTENCE = 'I would like a large coffee with milk, please.'


@pytest.fixture(scope='module')
def spoken_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sentence spoken by Piper, with a second of silence around it (Chromium loops the file)."""
    with wave.open(io.BytesIO(piper_wav(SENTENCE))) as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    silence = b'\0' * params.sampwidth * params.nchannels * params.framerate
    path = tmp_path_factory.mktemp('voice') / 'answer.wav'
    with wave.open(str(path), 'wb') as wav:
        wav.setparams(params)
        wav.writeframes(silence + frames + silence)
    return path


@pytest.fixture
def mic_page(browser_type: BrowserType, spoken_wav: Path, base_url: str) -> Iterator[Page]:
    """A browser whose microphone is the WAV file and whose permission prompt is answered yes."""
    fake_microphone = [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        f'--use-file-for-fake-audio-capture={spoken_wav}',
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
