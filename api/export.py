"""The chat page's Export download: the room as a file, streamed as it is read, for its signed-in owner."""

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse
from nicegui import app

from services import accounts, export
from services.errors import RoomNotFound, UserNotFound
from services.export import ExportFile

router = APIRouter()


@router.get('/rooms/{room_id:int}/export', include_in_schema=False)
async def export_download(
    room_id: int, export_format: Literal['markdown', 'json'] = Query(default='markdown', alias='format')
) -> StreamingResponse:
    """The file the Export menu offers; 404 for a missing or someone else's room (or no session)."""
    user_id = app.storage.user.get('user_id')
    try:
        if user_id is None or not (await accounts.get_user(int(user_id))).is_active:
            raise HTTPException(status_code=404)
        exported = await export.export_room(int(user_id), room_id, export_format)
    except (RoomNotFound, UserNotFound):
        raise HTTPException(status_code=404) from None
    return streamed(exported)


def streamed(exported: ExportFile) -> StreamingResponse:
    """The export as an attachment, sent a page of messages at a time (never whole in memory)."""
    # RFC 5987: titles may be Korean or Japanese.
    disposition = f"attachment; filename*=UTF-8''{quote(exported.filename, safe='')}"
    return StreamingResponse(
        exported.chunks,
        media_type=f'{exported.media_type}; charset=utf-8',
        headers={'Content-Disposition': disposition, 'Cache-Control': 'private, no-store'},
    )
