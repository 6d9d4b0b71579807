"""Speech-recognition speed of the embedded model: latency and real-time factor on Piper speech.

Two recordings, about 5 s and 20 s of several sentences spoken by Piper's offline US English voice, are
transcribed through `services.stt.transcribe` (the app's path: decode, VAD, Whisper with word timestamps)
three times each after the model is loaded; the p50 is reported with the real-time factor (transcribe
seconds / audio seconds, lower is faster) and the word error rate. A second table compares, per room
language, the model the app uses there (tiny.en for English, the multilingual base otherwise) with
base on English too, on espeak-ng's Korean and Japanese voices (poor voices: the error rates say more
about them than about Whisper). Run: `.venv/bin/python -m bench.stt`.
"""

import asyncio
import os
import statistics
import tempfile
import time

from services import stt, stt_models
from services.settings import load_settings
from tests.speech import cer, espeak_wav, piper_wav, wer

RUNS = 3
TEXTS = {
    'short': 'Good morning. Could I have a cup of tea and a piece of chocolate cake, please?',
    'long': (
        'Good evening. I would like to book a table for two people tonight. Do you have anything near the '
        'window? My friend is vegetarian, so we would like to see the menu first. Could you also tell me '
        'whether you accept credit cards? We will probably stay for a long time, because it is her '
        'birthday. Is it possible to bring our own cake, or should we order one from you? '
        'Thank you very much for your help, and see you later.'
    ),
}


async def main() -> str:
    with tempfile.TemporaryDirectory() as workdir:
        os.environ.update(DATA_DIR=workdir, SECRET_KEY='bench')
        for name in ('STT_BASE_URL', 'STT_MODEL_PATH'):
            os.environ.pop(name, None)  # the embedded model, whatever the shell says
        load_settings()
        started = time.perf_counter()
        await stt.preload()
        load_seconds = time.perf_counter() - started
        rows = []
        for text in TEXTS.values():
            audio = piper_wav(text)
            timings, transcript = [], None
            for _ in range(RUNS):
                started = time.perf_counter()
                transcript = await stt.transcribe(audio, 'en')
                timings.append(time.perf_counter() - started)
            assert transcript is not None
            p50 = statistics.median(timings)
            seconds = transcript.duration_seconds
            rows.append(
                f'| {seconds:.1f} | {p50:.2f} | {p50 / seconds:.3f} | {wer(text, transcript.text):.1%} |'
            )
        languages = await _per_language()
    header = '| audio s | transcribe s p50 (3 runs) | RTF | WER |\n|---|---|---|---|'
    cores = os.cpu_count()
    footer = (
        f'\nModel load (once per process): {load_seconds:.2f} s. {cores} cores, {stt.THREADS} threads, '
        f'{stt.COMPUTE_TYPE}, beam {stt.BEAM_SIZE}.'
    )
    return header + '\n' + '\n'.join(rows) + '\n' + footer + '\n\n' + languages


LANGUAGE_SAMPLES = (
    # (room language, model, voice, text)
    ('en', 'tiny.en', 'piper', TEXTS['short']),
    ('en', 'base', 'piper', TEXTS['short']),
    ('ko', 'base', 'espeak-ng ko', '안녕하세요. 저는 커피를 좋아해요. 오늘 날씨가 정말 좋네요.'),
    ('ja', 'base', 'espeak-ng ja', 'コーヒーをください。ありがとうございます。きょうはいいてんきですね。'),
)


async def _per_language() -> str:
    """RTF, WER and CER per room language with the model the app picks (and base on English)."""
    started = time.perf_counter()
    base = await asyncio.to_thread(stt_models.multilingual_model)
    join_seconds = time.perf_counter() - started
    rows = []
    for language, model, voice, text in LANGUAGE_SAMPLES:
        audio = piper_wav(text) if voice == 'piper' else espeak_wav(text, language)
        if model == 'base':
            os.environ['STT_MODEL_PATH'] = str(base)
        load_settings()
        await stt.transcribe(audio, language)  # loads the model: not part of the timing
        timings, transcript = [], None
        for _ in range(RUNS):
            started = time.perf_counter()
            transcript = await stt.transcribe(audio, language)
            timings.append(time.perf_counter() - started)
        os.environ.pop('STT_MODEL_PATH', None)
        assert transcript is not None
        p50 = statistics.median(timings)
        rows.append(
            f'| {language} | {model} | {voice} | {transcript.duration_seconds:.1f} | {p50:.2f} '
            f'| {p50 / transcript.duration_seconds:.3f} | {wer(text, transcript.text):.0%} '
            f'| {cer(text, transcript.text):.0%} | {transcript.text} |'
        )
    header = (
        '| room | model | voice | audio s | s p50 | RTF | WER | CER | heard |\n'
        '|---|---|---|---|---|---|---|---|---|'
    )
    return (
        header + '\n' + '\n'.join(rows) + f'\n\nJoining the multilingual model: {join_seconds:.2f} s (once).'
    )


if __name__ == '__main__':
    print(asyncio.run(main()))
