"""GET /audio/messages/{id}: a reply read aloud, for the signed-in owner only (the chat page's player)."""

from fastapi import APIRouter, HTTPException, Request, Response
from nicegui import app

from services import tts
from services.errors import MessageNotFound

router = APIRouter()


@router.get('/audio/messages/{message_id}', include_in_schema=False)
async def message_audio(message_id: int, request: Request, slow: bool | None = None) -> Response:
    """The audio bytes with their type; 404 for a missing or someone else's message, 503 when no voice works."""
    user_id = app.storage.user.get('user_id')
    if user_id is None:
        raise HTTPException(status_code=404)
    try:
        speech = await tts.message_audio(int(user_id), message_id, slow)
    except MessageNotFound:
        raise HTTPException(status_code=404) from None
    except tts.TTSUnavailable as unavailable:
        raise HTTPException(status_code=503, detail=str(unavailable)) from None
    etag = f'"{speech.cache_key[:32]}"'
    headers = {'ETag': etag, 'Cache-Control': 'private, max-age=86400'}
    if request.headers.get('if-none-match') == etag:
        return Response(status_code=304, headers=headers)
    return Response(speech.data, media_type=speech.mime_type, headers=headers)
