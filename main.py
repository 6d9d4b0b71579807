"""Composition root: settings, database, routes and pages, then ui.run. Safe to execute repeatedly."""

import gc
import os

from nicegui import app, ui
from nicegui.storage import Storage

import api
import pages.admin
import pages.chat
import pages.history
import pages.login
import pages.mistakes
import pages.profile
import pages.progress
import pages.report
import pages.room_editor
import pages.rooms
import pages.signup
import pages.vocabulary  # noqa: F401 (importing a page module registers its route)
from api import csrf, health, precompressed, security_headers
from db import engine
from i18n import set_language_source
from pages.session import AuthMiddleware
from services import chat, feedback, generation, lease_keeper, recordings, reply_recovery, roles
from services.llm import provider
from services.settings import load_settings
from ui import speedups
from ui.language import client_language
from ui.theme import ASSETS, configure_quasar, install_theme, serve_assets

settings = load_settings()
RECORDING_CLEANUP_SECONDS = 3600.0
DEFAULT_GC_THRESHOLDS = gc.get_threshold()  # (700, 10, 10)
GC_YOUNG, GC_MIDDLE, GC_FULL_EVERY = 700, 10, 100
if 'NICEGUI_STORAGE_PATH' not in os.environ:  # NiceGUI's session store lives with the other data
    Storage.path = (settings.data_dir / 'nicegui').resolve()
Storage.path.mkdir(parents=True, exist_ok=True)  # NiceGUI creates only the last folder


async def _start_up() -> None:
    await engine.connect(settings.database_url, settings.database_pool_size, settings.database_max_overflow)
    await roles.promote_configured()  # ADMIN_USERNAMES: only accounts that exist now, once per start
    await chat.recover_interrupted()
    reply_recovery.start_sweeper()  # replies of a process that crashed end failed and refunded within ~20 s
    await chat.warm_up()  # the first learner should not wait for imports or the model file
    await recordings.warm_up()
    app.timer(RECORDING_CLEANUP_SECONDS, recordings.delete_expired)  # now, then hourly
    # What start-up built (modules, models, the voice) lives as long as the process: out of the
    # collector's sight, full collections walk only what requests make (they were the long pauses
    # other learners' requests waited behind while a big page rendered). With so little left in the
    # oldest generation, Python's default (a full collection every 10 middle ones) ran one per page
    # opened, ~100 ms each with a few dozen pages alive: every 100 middle ones instead (bench/pages.py).
    gc.freeze()
    gc.set_threshold(GC_YOUNG, GC_MIDDLE, GC_FULL_EVERY)


async def _shut_down() -> None:
    gc.unfreeze()  # an app started again in the same interpreter (tests) must not pile up frozen objects
    gc.set_threshold(*DEFAULT_GC_THRESHOLDS)
    await reply_recovery.stop_sweeper()
    # uvicorn takes no new requests by now: running replies get DRAIN_SECONDS to finish, then are stopped
    await generation.shutdown(settings.drain_seconds)
    await lease_keeper.stop()  # every reply is saved by now: the heartbeats' own connection closes
    await feedback.shutdown()
    await provider.close_backend()  # the model server's connections belong to this event loop
    await engine.dispose()


app.on_startup(_start_up)
app.on_shutdown(_shut_down)
app.add_middleware(AuthMiddleware)
app.add_middleware(csrf.SameOriginOnly)
precompressed.install(app)
health.install(app)  # /healthz answered ahead of NiceGUI's middlewares…
security_headers.install(app)  # …and this layer outside everything
app.include_router(api.router)
serve_assets()
configure_quasar()
install_theme()
speedups.install()  # NiceGUI's callback check, cached (ui/speedups.py)
speedups.use_websockets_sansio()  # websocket frames built in C, not pure Python
speedups.quiet_tick()  # uvicorn's housekeeping twice a second, not ten times
speedups.quick_binary_check()  # socketio's walk of every message for bytes, without a list per level
speedups.quiet_outbox()  # an open page's outbox waits without waking every second
set_language_source(client_language)  # an event handler speaks the language its page was built in

if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host=settings.host,
        port=settings.port,
        title='SpeakRoom',
        language='en-US',  # <html lang>: screen readers pick their voice by it (per page: ui/language.py)
        tailwind=False,  # precompiled into assets/tailwind.css instead of compiled in each browser
        favicon=ASSETS / 'favicon.svg',
        storage_secret=settings.resolved_secret_key(),
        session_middleware_kwargs={'https_only': settings.https_only_cookies, 'same_site': 'lax'},
        reload=False,
        proxy_headers=True,  # X-Forwarded-For/-Proto, from TRUSTED_PROXIES only (none by default)
        forwarded_allow_ips=settings.trusted_proxy_list,
        show=False,
        # No permessage-deflate: nearly every websocket message is a small update or a streamed piece, for
        # which compressing cost the server ~5 ms of CPU per streamed turn (39 → 34 ms, bench harness) and
        # the browser its inflating, and each connection kept ~50 KiB of zlib state. Pages come compressed
        # over HTTP (GZip); only a long page of older messages arrives bigger.
        ws_per_message_deflate=False,
        # One keepalive per connection: socket.io's (a ping every 24 s, answered within 12 s, from
        # reconnect_timeout) notices a dead connection; uvicorn's websocket pings (every 20 s) were a second
        # wake-up of the app and the browser per idle page (10 idle chat tabs: 1.68 → 1.38 ms/s of CPU).
        ws_ping_interval=None,
        reconnect_timeout=30.0,
    )
