"""The one interface every language-model backend implements, and its typed errors."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from i18n import lazy_text
from services.errors import ServiceError
from services.stored_text import filled

# Messages with a technical detail for the administrator (kept in English inside the sentence).
UNREACHABLE_BECAUSE = lazy_text('The AI partner cannot be reached right now. ({detail})')
BAD_RESPONSE_BECAUSE = lazy_text('The AI service answered with an error. ({detail})')
DETAILED_MESSAGES = (UNREACHABLE_BECAUSE, BAD_RESPONSE_BECAUSE)


@dataclass(frozen=True, slots=True)
class ChatTurn:
    role: Literal['system', 'user', 'assistant']
    content: str


class CutShort(str):
    """The empty last piece a backend yields when the reply stopped at `max_tokens`, mid-thought."""


CUT_SHORT = CutShort('')


class LLMError(ServiceError):
    """The model could not answer; `str()` is a message fit for the learner, `retryable` says if retry may help."""

    retryable: bool = True


class LLMUnavailable(LLMError):
    def __init__(self, detail: str = '') -> None:
        super().__init__(
            filled(UNREACHABLE_BECAUSE, detail=detail)
            if detail
            else lazy_text('The AI partner cannot be reached right now.')
        )


class LLMRateLimited(LLMError):
    def __init__(self) -> None:
        super().__init__(lazy_text('The AI service is busy (rate limited). Please try again in a moment.'))


class LLMTimeout(LLMError):
    def __init__(self) -> None:
        super().__init__(lazy_text('The AI partner took too long to answer.'))


class LLMBadResponse(LLMError):
    def __init__(self, detail: str = '') -> None:
        super().__init__(
            filled(BAD_RESPONSE_BECAUSE, detail=detail)
            if detail
            else lazy_text('The AI service answered with an error.')
        )


class StructuredOutputRefused(LLMBadResponse):
    """The server answered 400 to a request with `response_format` (it cannot do JSON-schema output)."""

    retryable = False


class LLMBackend(Protocol):
    """A chat model that streams text. Implementations never block the event loop."""

    @property
    def label(self) -> str:
        """Shown in the page header, e.g. 'gpt-4o-mini' or 'SmolLM2-135M (on this computer)'."""
        ...

    @property
    def context_tokens(self) -> int:
        """How many tokens prompt plus reply may use."""
        ...

    def stream(
        self, turns: Sequence[ChatTurn], *, max_tokens: int, json_schema: dict[str, Any] | None = None
    ) -> AsyncIterator[str]:
        """Yield the reply's text pieces as they are generated; raise an LLMError on failure.

        `json_schema` asks for a JSON reply matching the schema where the backend supports it.
        A reply that ran into `max_tokens` ends with CUT_SHORT (an empty piece, harmless to append).
        Closing the iterator early (the learner pressed Stop) ends generation promptly.
        """
        ...

    @property
    def server(self) -> str:
        """Which server answers (its base URL, or 'embedded'), so what works can be remembered per server."""
        ...

    async def model_name(self) -> str:
        """The model's name on that server (resolved from the server's list when not configured)."""
        ...

    async def complete(
        self,
        turns: Sequence[ChatTurn],
        *,
        max_tokens: int,
        json_schema: dict[str, Any] | None = None,
        schema_name: str = 'reply',
        timeout_seconds: float = 20.0,
    ) -> str:
        """The whole reply at once (not streamed), for helper tasks; raises an LLMError on failure.

        With `json_schema` it asks for `response_format` = json_schema named `schema_name`; a server that
        answers 400 to that raises StructuredOutputRefused (no silent retry: the caller picks the next
        rung). Never waits longer than `timeout_seconds` in all (no retries).
        """
        ...
