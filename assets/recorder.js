// Voice answers: record with MediaRecorder, upload to /audio/recordings, report back to the page.
// The page (pages/chat_voice.py) listens for the events 'speakroom_recording' and 'speakroom_transcribed'.
window.speakroom = window.speakroom || {};
window.speakroom.recorder = (() => {
  let recorder = null;
  let chunks = [];
  let roomId = null;

  function preferredType() {
    for (const type of ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4']) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported(type)) return type;
    }
    return '';
  }

  async function upload(blob) {
    emitEvent('speakroom_recording', { state: 'transcribing' });
    try {
      const response = await fetch(`/audio/recordings?room_id=${roomId}`, {
        method: 'POST',
        // X-Requested-With: the server's cross-site check (api/csrf.py) accepts it when a browser sends no Origin.
        headers: { 'Content-Type': blob.type || 'application/octet-stream', 'X-Requested-With': 'SpeakRoom' },
        body: blob,
        credentials: 'same-origin',
      });
      let body = {};
      try { body = await response.json(); } catch (_) { /* not JSON: a proxy error page */ }
      if (!response.ok) {
        emitEvent('speakroom_transcribed', { error: body.error || `Speech recognition failed (HTTP ${response.status}).` });
      } else {
        emitEvent('speakroom_transcribed', body);
      }
    } catch (error) {
      emitEvent('speakroom_transcribed', { error: 'The recording could not be uploaded. Check your connection.' });
    }
  }

  async function start(room) {
    roomId = room;
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      emitEvent('speakroom_transcribed', { error: 'This browser cannot record audio.' });
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      emitEvent('speakroom_transcribed', { error: 'Microphone access was denied. Allow it in the browser to answer by voice.' });
      return;
    }
    const type = preferredType();
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    chunks = [];
    recorder.ondataavailable = (event) => { if (event.data && event.data.size) chunks.push(event.data); };
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      const blob = new Blob(chunks, { type: recorder.mimeType || type || 'audio/webm' });
      recorder = null;
      upload(blob);
    };
    recorder.start(250);
    emitEvent('speakroom_recording', { state: 'recording' });
  }

  function stop() {
    if (recorder && recorder.state !== 'inactive') recorder.stop();
  }

  return {
    toggle(room) { return recorder ? stop() : start(room); },
    stop,
  };
})();
