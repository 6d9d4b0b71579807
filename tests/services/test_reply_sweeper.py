"""The abandoned-reply sweeper across app start-ups in one interpreter (as the tests start many apps)."""

import asyncio

from services import reply_recovery


def test_a_sweeper_left_by_an_ended_event_loop_is_replaced_and_stops_cleanly() -> None:
    """An app started after another's loop has closed gets a sweeper of its own, and its shut-down does not
    wait on the old one ('Event loop is closed' failed a later test's teardown)."""

    async def start() -> asyncio.Task:
        reply_recovery.start_sweeper()
        return reply_recovery._sweeper

    async def start_and_stop() -> asyncio.Task:
        reply_recovery.start_sweeper()
        mine = reply_recovery._sweeper
        await reply_recovery.stop_sweeper()
        return mine

    ended = asyncio.new_event_loop()
    old = ended.run_until_complete(start())
    ended.close()  # as a test's loop is closed: its sweeper is left pending, never done
    new = asyncio.run(start_and_stop())
    assert new is not old and new.done()
