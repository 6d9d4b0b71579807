"""NiceGUI's simulated user, patient enough for a loaded CI machine.

`User.should_see` looks 3 times, 0.1 s apart, unless told otherwise. A page reached through a log-in's or
a sign-up's hops (bcrypt, the session hop, the new page's reads) takes longer than 0.3 s when the
machine's two cores are shared (a clean-clone CI run failed so, the page showing what was awaited a
moment later). Every `should_see` now waits at least PATIENCE tries; one that passes does so at its first.
"""

from nicegui.testing import User

PATIENCE = 20  # tries, 0.1 s apart

_should_see = User.should_see


async def _patient_should_see(
    self: User, target=None, *, kind=None, marker=None, content=None, retries=3
) -> None:
    await _should_see(self, target, kind=kind, marker=marker, content=content, retries=max(retries, PATIENCE))


User.should_see = _patient_should_see  # type: ignore[method-assign]
