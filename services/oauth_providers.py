"""The GitHub and Kakao clients (Authlib's Starlette integration): configuration, consent, profile."""

from dataclasses import dataclass

from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import Response

from i18n import LazyText, lazy_text
from services.errors import ServiceError
from services.settings import Settings, get_settings

PROVIDER_NAMES = {'github': 'GitHub', 'kakao': 'Kakao'}


class OAuthFailed(ServiceError):
    """The provider said no (consent refused), the round trip was tampered with, or it is unreachable."""

    def __init__(self, code: str, message: LazyText) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Profile:
    subject: str
    login: str
    nickname: str
    verified_email: str | None


def enabled_providers(settings: Settings | None = None) -> list[str]:
    """Providers whose client id and secret are both configured (their buttons appear)."""
    settings = settings or get_settings()
    return [name for name in PROVIDER_NAMES if _client_settings(settings, name)[0]]


async def start_login(provider: str, request: Request, redirect_uri: str) -> Response:
    """The redirect to the provider's consent page; Authlib keeps `state` in the signed session."""
    return await _client(provider).authorize_redirect(request, redirect_uri)


async def fetch_profile(provider: str, request: Request) -> Profile:
    """The profile of the login that just consented; OAuthFailed with a readable code otherwise."""
    client = _client(provider)
    try:
        token = await client.authorize_access_token(request)
        return await (
            _github_profile(client, token) if provider == 'github' else _kakao_profile(client, token)
        )
    except OAuthError as error:
        if error.error == 'mismatching_state' or 'state' in (error.error or ''):
            raise OAuthFailed(
                'state', lazy_text('The login could not be verified (it expired or was tampered with).')
            ) from None
        raise OAuthFailed(
            'failed', lazy_text('{name} refused the login.', name=PROVIDER_NAMES[provider])
        ) from None
    except Exception as error:  # HTTP errors, unexpected JSON: a clear message, never a stack trace
        raise OAuthFailed(
            'failed', lazy_text('{name} could not be reached.', name=PROVIDER_NAMES[provider])
        ) from error


async def _github_profile(client, token: dict) -> Profile:
    response = await client.get('user', token=token)
    response.raise_for_status()
    user = response.json()
    email = None
    emails = await client.get('user/emails', token=token)  # the public email may be empty or unverified
    if emails.status_code == 200:
        email = next(
            (item['email'] for item in emails.json() if item.get('primary') and item.get('verified')), None
        )
    return Profile(
        str(user['id']), str(user.get('login') or ''), str(user.get('name') or user.get('login') or ''), email
    )


async def _kakao_profile(client, token: dict) -> Profile:
    response = await client.get('v2/user/me', token=token)
    response.raise_for_status()
    me = response.json()
    account = me.get('kakao_account') or {}
    nickname = str(
        (account.get('profile') or {}).get('nickname') or (me.get('properties') or {}).get('nickname') or ''
    )
    # Kakao says whether the address is verified and still valid; only then may it link accounts.
    verified = (
        account.get('email')
        if account.get('is_email_verified') and account.get('is_email_valid', True)
        else None
    )
    return Profile(str(me['id']), nickname or f'kakao{me["id"]}', nickname, verified)


_registry: tuple[tuple, OAuth] | None = None


def _client(provider: str):
    global _registry
    settings = get_settings()
    key = tuple(_client_settings(settings, name) for name in PROVIDER_NAMES)
    if _registry is None or _registry[0] != key:
        oauth = OAuth()
        for name in enabled_providers(settings):
            client_id, secret, authorize_url, token_url, api_base_url = _client_settings(settings, name)
            oauth.register(
                name=name, client_id=client_id, client_secret=secret, authorize_url=authorize_url,
                access_token_url=token_url, api_base_url=api_base_url,
                client_kwargs={
                    'scope': 'user:email' if name == 'github' else 'profile_nickname account_email',
                    # Kakao accepts the secret only in the form body; GitHub takes either.
                    'token_endpoint_auth_method': 'client_secret_post',
                },
            )  # fmt: skip
        _registry = (key, oauth)
    client = _registry[1].create_client(provider)
    if client is None:
        raise OAuthFailed(
            'disabled',
            lazy_text('Login with {name} is not configured.', name=PROVIDER_NAMES.get(provider, provider)),
        )
    return client


def _client_settings(settings: Settings, provider: str) -> tuple:
    client_id = getattr(settings, f'{provider}_client_id')
    secret = getattr(settings, f'{provider}_client_secret')
    if not client_id or secret is None or not secret.get_secret_value():
        return (None, None, None, None, None)
    return (
        client_id,
        secret.get_secret_value(),
        getattr(settings, f'{provider}_authorize_url'),
        getattr(settings, f'{provider}_token_url'),
        getattr(settings, f'{provider}_api_base_url'),
    )
