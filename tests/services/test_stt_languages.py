"""Speech recognition per room language: tiny.en for English, the multilingual base joined from its packages."""

import hashlib
from collections.abc import Iterator
from pathlib import Path

import ctranslate2
import pytest

from services import stt, stt_models
from services.settings import get_settings, load_settings
from services.stt_errors import STTUnavailable
from tests.speech import espeak_wav

KOREAN = '안녕하세요. 저는 커피를 좋아해요.'
JAPANESE = 'コーヒーをください。ありがとうございます。'


@pytest.fixture(scope='module')
def joined_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The multilingual model joined once for this module (each test links it into its data folder)."""
    folder = tmp_path_factory.mktemp('stt-models')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv('DATA_DIR', str(folder))
        load_settings()
        yield stt_models.multilingual_model()


@pytest.fixture
def multilingual(joined_model: Path) -> Path:
    """This test's data folder holds the joined model (a link: no 145 MB copy per test)."""
    target = get_settings().data_dir / 'models' / stt_models.FOLDER_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(joined_model, target_is_directory=True)
    return target


def test_joined_model_matches_the_pinned_checksum(joined_model: Path) -> None:
    """The two halves join into a loadable folder whose model.bin has the pinned SHA-256."""
    digest = hashlib.sha256(Path(joined_model / 'model.bin').read_bytes()).hexdigest()
    assert digest == stt_models.MULTILINGUAL_SHA256
    assert {'config.json', 'tokenizer.json', 'vocabulary.txt'} <= {
        child.name for child in joined_model.iterdir()
    }


def test_a_mismatching_checksum_is_refused_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that does not match the pinned checksum is never kept or loaded."""
    monkeypatch.setattr(stt_models, 'MULTILINGUAL_SHA256', '0' * 64)
    with pytest.raises(STTUnavailable, match='checksum'):
        stt_models.multilingual_model()
    models = get_settings().data_dir / 'models'
    assert not any(models.iterdir())


def test_join_happens_once(multilingual: Path) -> None:
    """A second call finds the joined model and does not write it again."""
    before = (multilingual / 'model.bin').stat().st_mtime_ns
    assert stt_models.multilingual_model() == multilingual
    assert (multilingual / 'model.bin').stat().st_mtime_ns == before


def test_english_rooms_keep_tiny_en_and_others_use_the_multilingual_model(multilingual: Path) -> None:
    """English uses the small English model; Korean and Japanese the multilingual one."""
    assert stt_models.model_for_language('en') == stt.find_embedded_model()
    assert stt_models.model_for_language('ko') == multilingual
    assert stt_models.model_for_language('ja') == multilingual


def test_stt_model_path_overrides_every_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An operator's STT_MODEL_PATH is used for every room language."""
    monkeypatch.setenv('STT_MODEL_PATH', str(tmp_path))
    load_settings()
    assert stt_models.model_for_language('en') == tmp_path
    assert stt_models.model_for_language('ko') == tmp_path


@pytest.fixture
def seeded_sampling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whisper falls back to sampling (temperatures 0.2 … 1.0) when its plain decoding of espeak-ng's poor
    voice looks like a loop, as it does for these lines, so a run now and then heard other words (a
    clean-clone run got no 커피). CTranslate2 seeds each of a model's threads once, from the seed set when
    the thread first samples: a fixed seed and a model loaded afresh make every run decode the same."""
    ctranslate2.set_random_seed(1)
    monkeypatch.setattr(stt, '_models', {})


@pytest.mark.usefixtures('multilingual', 'seeded_sampling')
async def test_korean_speech_is_transcribed_offline() -> None:
    """espeak-ng's (poor) Korean voice is still heard as Korean words, in Hangul."""
    transcript = await stt.transcribe(espeak_wav(KOREAN, 'ko'), 'ko')
    assert transcript.language == 'ko'
    assert '커피' in transcript.text


@pytest.mark.usefixtures('multilingual', 'seeded_sampling')
async def test_japanese_speech_is_transcribed_offline() -> None:
    """espeak-ng's Japanese is heard as Japanese text."""
    transcript = await stt.transcribe(espeak_wav(JAPANESE, 'ja'), 'ja')
    assert transcript.language == 'ja'
    assert 'ありがとう' in transcript.text
