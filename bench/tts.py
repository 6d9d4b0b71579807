"""Text-to-speech: first synthesis vs cached replay, and the real-time factor of each offline engine.

Run: `.venv/bin/python -m bench.tts` (prints a Markdown table; results go to bench/RESULTS.md).
Cached replay is `tts.synthesize` answered from the audio cache (a SQLite file), i.e. the server
time of a replay. RTF = seconds to synthesize / seconds of audio (lower is faster; 0.1 = 10x real time).
"""

import asyncio
import io
import os
import statistics
import tempfile
import time
import wave

from db import engine
from db.migrate import upgrade
from services import tts
from services.settings import load_settings
from services.tts.engines import ENGINES

SENTENCES = {
    'en': [
        'Good morning! What can I get for you today?',
        'We have a special on blueberry muffins, and the coffee of the day is a light roast from Ethiopia.',
        'Would you like your latte hot or iced, and should I make it with oat milk?',
    ],
    'ko': [
        '안녕하세요. 오늘 무엇을 드릴까요?',
        '블루베리 머핀이 오늘 할인 중이에요. 따뜻한 라테로 드릴까요?',
    ],
}
REPLAYS = 50


async def main() -> str:
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        database = f'sqlite:///{workdir}/bench.db'
        os.environ.update(DATABASE_URL=database, DATA_DIR=workdir, SECRET_KEY='bench')
        for name, language in (('piper', 'en'), ('espeak', 'en'), ('espeak', 'ko')):
            os.environ['TTS_ENGINE'] = name
            load_settings()
            await upgrade(database)
            await engine.connect(database)
            if ENGINES[name].voice_for(language) is None:
                rows.append(f'| {name} | {language} | not available on this machine | | | | |')
                continue
            await tts.synthesize('Warming up.', language)  # model loading is not synthesis
            first, audio_seconds = [], []
            for sentence in SENTENCES[language]:
                started = time.perf_counter()
                speech = await tts.synthesize(sentence, language)
                first.append(time.perf_counter() - started)
                audio_seconds.append(_wav_seconds(speech.data))
            replays = []
            for _ in range(REPLAYS):
                started = time.perf_counter()
                await tts.synthesize(SENTENCES[language][1], language)
                replays.append(time.perf_counter() - started)
            rtf = sum(first) / sum(audio_seconds)
            rows.append(
                f'| {name} | {language} | {statistics.median(first) * 1000:.0f} | {sum(audio_seconds):.1f} '
                f'| {rtf:.3f} | {statistics.median(replays) * 1000:.1f} / {sorted(replays)[int(REPLAYS * 0.95)] * 1000:.1f} |'
            )
            await engine.dispose()
    header = (
        '| engine | language | first synthesis p50 ms | audio s (all clips) | RTF | cached replay p50/p95 ms |\n'
        '|---|---|---|---|---|---|'
    )
    return header + '\n' + '\n'.join(rows)


def _wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getnframes() / wav.getframerate()


if __name__ == '__main__':
    print(asyncio.run(main()))
