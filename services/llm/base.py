"""The one interface every language-model backend implements, and its typed errors."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from services.errors import ServiceError


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
        super().__init__('The AI partner cannot be reached right now.' + (f' ({detail})' if detail else ''))


class LLMRateLimited(LLMError):
    def __init__(self) -> None:
        super().__init__('The AI service is busy (rate limited). Please try again in a moment.')


class LLMTimeout(LLMError):
    def __init__(self) -> None:
        super().__init__('The AI partner took too long to answer.')


class LLMBadResponse(LLMError):
    def __init__(self, detail: str = '') -> None:
        super().__init__('The AI service answered with an error.' + (f' ({detail})' if detail else ''))


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
