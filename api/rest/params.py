"""Path and query parameters shared by the /api routes, bounded so no value can overflow a column."""

from typing import Annotated

from fastapi import Path, Query

# Ids are INTEGER columns (32-bit on PostgreSQL): a larger number cannot name anything, so it is a 422.
MAX_ID = 2_147_483_647

RoomId = Annotated[int, Path(ge=1, le=MAX_ID, description='A room id', examples=[1])]
MessageId = Annotated[int, Path(ge=1, le=MAX_ID, description='A message id', examples=[2])]
Cursor = Annotated[int | None, Query(ge=1, le=MAX_ID, description='`next_cursor` of the previous page')]
PageSize = Annotated[int, Query(ge=1, le=100, description='Items per page')]
