"""The Docker image keeps everything it writes in its data volume (checked by reading: no Docker engine here)."""

import json
import re
import shlex
from pathlib import PurePosixPath

from tests.app_process import ROOT


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    lines = [
        line for line in (ROOT / 'Dockerfile').read_text().splitlines() if not line.lstrip().startswith('#')
    ]
    joined = re.sub(r'\\\n', ' ', '\n'.join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else '')
        for line in joined.splitlines()
        if (parts := line.strip().split(None, 1))
    ]


def test_nicegui_sessions_are_stored_in_the_data_volume() -> None:
    """NICEGUI_STORAGE_PATH is set and names a folder inside a VOLUME, which the app user owns."""
    environment: dict[str, str] = {}
    volumes: list[str] = []
    for instruction, arguments in dockerfile_instructions():
        if instruction == 'ENV':
            environment |= dict(pair.split('=', 1) for pair in shlex.split(arguments))
        elif instruction == 'VOLUME':
            volumes += json.loads(arguments) if arguments.startswith('[') else arguments.split()
    storage = PurePosixPath(environment['NICEGUI_STORAGE_PATH'])
    assert storage.is_absolute()
    assert any(storage.is_relative_to(volume) and storage != PurePosixPath(volume) for volume in volumes)
    assert PurePosixPath(environment['DATA_DIR']) in {PurePosixPath(volume) for volume in volumes}
