"""REST routes (FastAPI routers) over the same services the pages use."""

from fastapi import APIRouter

from api import audio, browser_session, export, health, oauth, rest, vocabulary_files

router = APIRouter()
router.include_router(health.router)
router.include_router(audio.router)
router.include_router(export.router)
router.include_router(oauth.router)
router.include_router(browser_session.router)
router.include_router(rest.router)
router.include_router(vocabulary_files.router)
