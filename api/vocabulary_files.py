"""The notebook's downloads for the signed-in browser session: CSV and an Anki deck (never cached)."""

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Response
from nicegui import app

from services import notebook

router = APIRouter()
NO_STORE = {'Cache-Control': 'private, no-store'}


@router.get('/vocabulary/export.csv', include_in_schema=False)
async def vocabulary_csv() -> Response:
    return await _download('csv')


@router.get('/vocabulary/export.apkg', include_in_schema=False)
async def vocabulary_anki() -> Response:
    return await _download('anki')


async def _download(kind: str) -> Response:
    user_id = app.storage.user.get('user_id')
    if user_id is None:
        raise HTTPException(status_code=404)
    exported = await (notebook.export_csv if kind == 'csv' else notebook.export_anki)(int(user_id))
    return attachment(exported)


def attachment(exported: notebook.ExportFile) -> Response:
    """The file as a download, private to its owner and kept by no cache."""
    disposition = f"attachment; filename*=UTF-8''{quote(exported.filename, safe='')}"
    media_type = exported.media_type + ('; charset=utf-8' if exported.media_type.startswith('text/') else '')
    return Response(
        exported.content, media_type=media_type, headers={**NO_STORE, 'Content-Disposition': disposition}
    )
