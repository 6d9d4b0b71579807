"""/api/history/search: keyword search over one's own messages in every room."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.rest.errors import documented
from api.rest.params import Cursor, PageSize, text
from api.rest.schemas import SearchHitOut, SearchPage
from api.rest.security import CurrentUser
from i18n import lazy_text
from services import history

SearchWords = text(history.QUERY_MAX_LENGTH, required=lazy_text('Enter a word to search for.'))
router = APIRouter(prefix='/history', tags=['history'], responses=documented(401, 403))


@router.get('/search', summary='Search your messages', responses=documented(422))
async def search_history(
    user: CurrentUser,
    q: Annotated[SearchWords, Query(description='Words to find', examples=['latte'])],
    cursor: Cursor = None,
    limit: PageSize = 20,
) -> SearchPage:
    """Case-insensitive and literal (`%` and `_` are plain characters); any language; newest first."""
    page = await history.search_messages(user.id, q, cursor, limit)
    return SearchPage(items=[SearchHitOut.of(hit) for hit in page.hits], next_cursor=page.next_cursor)
