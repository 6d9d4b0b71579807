"""Speech-recognition speed of the embedded model: latency and real-time factor on Piper speech.

Two recordings, about 5 s and 20 s of several sentences spoken by Piper's offline US English voice, are
transcribed through `services.stt.transcribe` (the app's path: decode, VAD, Whisper with word timestamps)
three times each after the model is loaded; the p50 is reported with the real-time factor (transcribe
seconds / audio seconds, lower is faster) and the word error rate. Run: `.venv/bin/python -m bench.stt`.
"""

import asyncio
import os
import statistics
import tempfile
import time

from services import stt
from services.settings import load_settings
from tests.speech import piper_wav, wer

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
    header = '| audio s | transcribe s p50 (3 runs) | RTF | WER |\n|---|---|---|---|'
    cores = os.cpu_count()
    footer = (
        f'\nModel load (once per process): {load_seconds:.2f} s. {cores} cores, {stt.THREADS} threads, '
        f'{stt.COMPUTE_TYPE}, beam {stt.BEAM_SIZE}.'
    )
    return header + '\n' + '\n'.join(rows) + '\n' + footer


if __name__ == '__main__':
    print(asyncio.run(main()))
