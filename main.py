"""Composition root: settings, database, routes and pages, then ui.run. Safe to execute repeatedly."""

from nicegui import app, ui

import api
import pages.admin
import pages.chat
import pages.history
import pages.login
import pages.profile
import pages.progress
import pages.room_editor
import pages.rooms
import pages.signup
import pages.vocabulary  # noqa: F401 (importing a page module registers its route)
from db import engine
from pages.session import AuthMiddleware
from services import chat, feedback, generation, recordings
from services.settings import load_settings
from ui.theme import ASSETS, serve_assets

settings = load_settings()


async def _start_up() -> None:
    await engine.connect(settings.database_url)
    await chat.recover_interrupted()
    await chat.warm_up()  # the first learner should not wait for imports or the model file
    await recordings.warm_up()


async def _shut_down() -> None:
    await generation.shutdown()  # replies being written are saved as stopped, with their text so far
    await feedback.shutdown()
    await engine.dispose()


app.on_startup(_start_up)
app.on_shutdown(_shut_down)
app.add_middleware(AuthMiddleware)
app.include_router(api.router)
serve_assets()

if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host=settings.host,
        port=settings.port,
        title='SpeakRoom',
        favicon=ASSETS / 'favicon.svg',
        storage_secret=settings.resolved_secret_key(),
        session_middleware_kwargs={'https_only': settings.https_only_cookies, 'same_site': 'lax'},
        reload=False,
        show=False,
        reconnect_timeout=30.0,
    )
