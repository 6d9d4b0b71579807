"""Prebuilt Core statements for a reply's final write (services/generation.finish), compiled once each.

Every reply ends with one of these; building them anew (and through the ORM) for each reply was CPU on the
event loop that a burst of learners shares.
"""

from functools import cache

from sqlalchemy import Executable, bindparam, select, update

from db.models import Message

_MESSAGES = Message.__table__
UNCHARGE = update(_MESSAGES).where(_MESSAGES.c.id == bindparam('b_reply_id')).values(charged_day=None)


@cache
def final_write(with_attempt: bool) -> Executable:
    """The final state of a reply still pending (in `attempt` when given); RETURNING the day it was charged to.

    Built once per shape (with or without the attempt), so SQLAlchemy compiles it once."""
    pending = [_MESSAGES.c.id == bindparam('b_reply_id'), _MESSAGES.c.status == 'pending']
    if with_attempt:
        pending.append(_MESSAGES.c.attempt == bindparam('b_attempt'))
    return (
        update(_MESSAGES)
        .where(*pending)
        .values(content=bindparam('b_text'), status=bindparam('b_status'), error=bindparam('b_error'))
        .returning(_MESSAGES.c.charged_day)
    )


@cache
def locked_pending(with_attempt: bool) -> Executable:
    """The reply's id if it is still pending (in `attempt`), locked until the transaction ends."""
    query = select(_MESSAGES.c.id).where(
        _MESSAGES.c.id == bindparam('b_reply_id'), _MESSAGES.c.status == 'pending'
    )
    if with_attempt:
        query = query.where(_MESSAGES.c.attempt == bindparam('b_attempt'))
    return query.with_for_update()
