"""Audio for the chat page, for the signed-in owner only: replies read aloud, the learner's recordings."""

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from nicegui import app

from services import notebook, recordings, stt, tts
from services.errors import MessageNotFound, RoomNotFound, WordNotFound
from services.stt_errors import AudioTooLarge, STTError, STTUnavailable

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


@router.post('/audio/recordings', include_in_schema=False)
async def upload_recording(room_id: int, request: Request) -> JSONResponse:
    """Transcribe a spoken answer for a room: JSON with the recording id, text and hard words, or an error."""
    user_id = app.storage.user.get('user_id')
    if user_id is None:
        raise HTTPException(status_code=404)
    declared = int(request.headers.get('content-length') or 0)
    if declared > stt.MAX_AUDIO_BYTES:  # refuse before reading the body into memory
        return JSONResponse({'error': str(AudioTooLarge(declared, stt.MAX_AUDIO_BYTES))}, status_code=413)
    audio = await request.body()
    try:
        result = await recordings.transcribe(
            int(user_id), room_id, audio, request.headers.get('content-type', 'application/octet-stream')
        )
    except RoomNotFound:
        raise HTTPException(status_code=404) from None
    except STTUnavailable as problem:
        return JSONResponse({'error': str(problem)}, status_code=503)
    except AudioTooLarge as problem:
        return JSONResponse({'error': str(problem)}, status_code=413)
    except STTError as problem:  # not audio, silence, too long, a language the model cannot hear
        return JSONResponse({'error': str(problem)}, status_code=422)
    return JSONResponse(
        {
            'id': result.id,
            'text': result.text,
            'hard_words': list(result.hard_words),
            'duration_seconds': result.duration_seconds,
        }
    )


@router.get('/audio/recordings/{recording_id}', include_in_schema=False)
async def recording(recording_id: int) -> Response:
    """The learner's own recording, to hear themselves next to the AI's voice."""
    user_id = app.storage.user.get('user_id')
    if user_id is None:
        raise HTTPException(status_code=404)
    try:
        data, mime_type = await recordings.recording_audio(int(user_id), recording_id)
    except recordings.RecordingNotFound:
        raise HTTPException(status_code=404) from None
    return Response(data, media_type=mime_type, headers={'Cache-Control': 'private, max-age=86400'})


@router.get('/audio/words/{word_id}', include_in_schema=False)
async def word_audio(word_id: int) -> Response:
    """A notebook word read aloud (the review card's `Play word`)."""
    user_id = app.storage.user.get('user_id')
    if user_id is None:
        raise HTTPException(status_code=404)
    try:
        speech = await notebook.word_audio(int(user_id), word_id)
    except WordNotFound:
        raise HTTPException(status_code=404) from None
    except tts.TTSUnavailable as unavailable:
        raise HTTPException(status_code=503, detail=str(unavailable)) from None
    return Response(
        speech.data, media_type=speech.mime_type, headers={'Cache-Control': 'private, max-age=86400'}
    )
