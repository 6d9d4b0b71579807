"""Audio for the chat page, for the signed-in, enabled owner only: replies read aloud, the learner's recordings.

Anything else (signed out, a disabled account, an id that names no row) is a 404: an audio element cannot
follow a redirect to /login anyway. Nothing here is cached by the browser (readable after Log out otherwise).
"""

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from nicegui import app

from i18n import _
from services import accounts, notebook, recordings, stt, tts
from services.errors import MessageNotFound, RoomNotFound, UserNotFound, WordNotFound
from services.stt_errors import AudioTooLarge, STTError, STTUnavailable, TranscriptionBusy

router = APIRouter()

MAX_ROW_ID = 2_147_483_647  # ids are INTEGER columns (32-bit on PostgreSQL): a larger number names nothing
NO_STORE = {'Cache-Control': 'private, no-store'}


@router.get('/audio/messages/{message_id}', include_in_schema=False)
async def message_audio(message_id: int, slow: bool | None = None) -> Response:
    """The audio bytes with their type; 404 for a missing or someone else's message, 503 when no voice works."""
    user_id = await _enabled_user_id()
    try:
        speech = await tts.message_audio(user_id, _row_id(message_id), slow)
    except MessageNotFound:
        raise HTTPException(status_code=404) from None
    except tts.TTSUnavailable as unavailable:
        raise HTTPException(status_code=503, detail=str(unavailable)) from None
    return Response(speech.data, media_type=speech.mime_type, headers=NO_STORE)


@router.get('/audio/messages/{message_id}/phrase', include_in_schema=False)
async def phrase_audio(message_id: int, text: str, slow: bool = False) -> Response:
    """A word or short phrase of the owner's reply read aloud (the chat page's word pop-up)."""
    user_id = await _enabled_user_id()
    try:
        speech = await tts.phrase_audio(user_id, _row_id(message_id), text, slow)
    except MessageNotFound:
        raise HTTPException(status_code=404) from None
    except tts.TTSUnavailable as unavailable:
        raise HTTPException(status_code=503, detail=str(unavailable)) from None
    return Response(speech.data, media_type=speech.mime_type, headers=NO_STORE)


@router.post('/audio/recordings', include_in_schema=False)
async def upload_recording(room_id: int, request: Request) -> JSONResponse:
    """Transcribe a spoken answer for a room: JSON with the recording id, text and hard words, or an error."""
    user_id = await _enabled_user_id()
    declared = _declared_length(request)
    if declared > stt.MAX_AUDIO_BYTES:  # refused before reading a byte of the body
        return _error(AudioTooLarge(declared, stt.MAX_AUDIO_BYTES), 413)
    try:
        result = await recordings.transcribe(  # reads the body itself, stopping at the size limit
            user_id,
            _row_id(room_id),
            request.stream(),
            request.headers.get('content-type', 'application/octet-stream'),
        )
    except RoomNotFound:
        raise HTTPException(status_code=404) from None
    except TranscriptionBusy as problem:
        return _error(problem, 429)
    except STTUnavailable as problem:
        return _error(problem, 503)
    except AudioTooLarge as problem:
        return _error(problem, 413)
    except STTError as problem:  # not audio, silence, too long, a language the model cannot hear
        return _error(problem, 422)
    return JSONResponse(
        {
            'id': result.id,
            'text': result.text,
            'hard_words': list(result.hard_words),
            'duration_seconds': result.duration_seconds,
        },
        headers=NO_STORE,
    )


@router.get('/audio/recordings/{recording_id}', include_in_schema=False)
async def recording(recording_id: int) -> Response:
    """The learner's own recording, to hear themselves next to the AI's voice."""
    user_id = await _enabled_user_id()
    try:
        data, mime_type = await recordings.recording_audio(user_id, _row_id(recording_id))
    except recordings.RecordingNotFound:
        raise HTTPException(status_code=404) from None
    return Response(data, media_type=mime_type, headers=NO_STORE)


@router.get('/audio/words/{word_id}', include_in_schema=False)
async def word_audio(word_id: int) -> Response:
    """A notebook word read aloud (the review card's `Play word`)."""
    user_id = await _enabled_user_id()
    try:
        speech = await notebook.word_audio(user_id, _row_id(word_id))
    except WordNotFound:
        raise HTTPException(status_code=404) from None
    except tts.TTSUnavailable as unavailable:
        raise HTTPException(status_code=503, detail=str(unavailable)) from None
    return Response(speech.data, media_type=speech.mime_type, headers=NO_STORE)


async def _enabled_user_id() -> int:
    """The signed-in account's id; 404 (and the session ends) when it is gone or disabled."""
    user_id = app.storage.user.get('user_id')
    if user_id is None:
        raise HTTPException(status_code=404)
    try:
        active = (await accounts.get_user(int(user_id))).is_active
    except UserNotFound:
        active = False
    if not active:
        app.storage.user.clear()
        raise HTTPException(status_code=404)
    return int(user_id)


def _row_id(value: int) -> int:
    """`value` when it can be a row id; 404 otherwise (a huge number would overflow the database driver)."""
    if not 1 <= value <= MAX_ROW_ID:
        raise HTTPException(status_code=404)
    return value


def _declared_length(request: Request) -> int:
    try:
        return max(0, int(request.headers.get('content-length') or 0))
    except ValueError:
        raise HTTPException(status_code=400, detail=_('Invalid Content-Length')) from None


def _error(problem: STTError, status: int) -> JSONResponse:
    return JSONResponse({'error': str(problem)}, status_code=status, headers=NO_STORE)
