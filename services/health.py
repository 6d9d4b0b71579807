"""Liveness and readiness facts for /healthz."""

from dataclasses import dataclass

from db import engine


@dataclass(frozen=True, slots=True)
class Health:
    database_reachable: bool

    @property
    def ok(self) -> bool:
        return self.database_reachable


async def check() -> Health:
    return Health(database_reachable=await engine.ping())
