"""Fake GitHub and Kakao OAuth 2.0 providers: real HTTP on 127.0.0.1, built on Authlib's server side.

The app's Authlib client talks to one exactly as to github.com or kauth.kakao.com: a real authorization-code
flow (single-use codes bound to the client and redirect_uri, client authentication checked, bearer tokens
issued and required by the user-info API). The authorize endpoint has no login form: it approves at once
as the account given to `set_user()`, or refuses after `deny_next()`. Every request is recorded.
"""

import argparse
import contextlib
import json
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

from authlib.oauth2.rfc6749 import (
    AuthorizationCodeMixin,
    AuthorizationServer,
    ClientMixin,
    OAuth2Error,
    OAuth2Request,
    ResourceProtector,
    TokenMixin,
    grants,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.threaded import ThreadedServer

Kind = Literal['github', 'kakao']
CODE_LIFETIME = 600  # seconds: RFC 6749 §4.1.2 recommends at most 10 minutes
PATHS = {  # (authorize, token) as on github.com and kauth.kakao.com
    'github': ('/login/oauth/authorize', '/login/oauth/access_token'),
    'kakao': ('/oauth/authorize', '/oauth/token'),
}
DEFAULT_USERS: dict[str, dict[str, Any]] = {
    'github': {'id': 583231, 'login': 'octocat', 'name': 'The Octocat', 'email': 'octocat@example.com'},
    'kakao': {'id': 4100000001, 'nickname': 'ryan', 'email': 'ryan@example.com'},
}
UNAUTHORIZED = {  # the bodies of GitHub's and Kakao's own 401 answers
    'github': {'message': 'Bad credentials', 'documentation_url': 'https://docs.github.com/rest'},
    'kakao': {'msg': 'this access token does not exist', 'code': -401},
}
PROFILE_FIELDS = {
    'github': {'id', 'login', 'name', 'email', 'emails'},
    'kakao': {'id', 'nickname', 'email', 'is_email_verified', 'is_email_valid'},
}


def _profile(kind: Kind, given: dict[str, Any]) -> dict[str, Any]:
    """A complete profile: unknown fields are an error (a typo must not pass silently), the rest defaulted."""
    if unknown := set(given) - PROFILE_FIELDS[kind]:
        raise TypeError(f'unknown {kind} profile fields: {sorted(unknown)}')
    if kind == 'kakao':  # an address Kakao shows is nearly always verified; a test says when not
        has_email = given.get('email') is not None
        return {'email': None, 'is_email_verified': has_email, 'is_email_valid': True} | given
    profile = {'name': given.get('login'), 'email': None, 'emails': None} | given
    if profile['emails'] is None:  # GitHub lets only a verified address be public: it is the primary one
        public = {'email': profile['email'], 'primary': True, 'verified': True, 'visibility': 'public'}
        profile['emails'] = [public] if profile['email'] else []
    return profile


@dataclass
class _Client(ClientMixin):
    """The app's registration at the provider: any http(s) callback, code flow only, no refresh tokens."""

    client_id: str
    client_secret: str
    auth_methods: tuple[str, ...]  # accepted at the token endpoint

    def get_default_redirect_uri(self) -> None:
        return None  # no registered callback: the app's port differs per run, so it must send redirect_uri

    def get_allowed_scope(self, scope: str | None) -> str:
        return scope or ''

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri.startswith(('http://', 'https://'))

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in self.auth_methods

    def check_response_type(self, response_type: str) -> bool:
        return response_type == 'code'

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == 'authorization_code'


@dataclass
class _Issued(AuthorizationCodeMixin, TokenMixin):
    """An authorization code or an access token: what Authlib asks of either, kept in memory."""

    value: str
    redirect_uri: str | None
    scope: str
    user: dict[str, Any]  # the profile as it was when the user approved
    expires_at: float | None

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def is_expired(self) -> bool:
        return self.expires_at is not None and time.time() > self.expires_at

    def is_revoked(self) -> bool:
        return False


class _CodeGrant(grants.AuthorizationCodeGrant):
    """Codes live in the server's memory; Authlib checks the client, expiry (ours) and redirect_uri."""

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        expires_at = time.time() + CODE_LIFETIME
        self.server.codes[code] = _Issued(
            code, request.payload.redirect_uri, request.scope, request.user, expires_at
        )

    def query_authorization_code(self, code: str, client: _Client) -> _Issued | None:
        item = self.server.codes.get(code)  # there is one client, so a known code is always its own
        return item if item is not None and not item.is_expired() else None

    def delete_authorization_code(self, authorization_code: _Issued) -> None:
        self.server.codes.pop(authorization_code.value, None)  # single use: a replay gets invalid_grant

    def authenticate_user(self, authorization_code: _Issued) -> dict[str, Any]:
        return authorization_code.user


class _BearerValidator(BearerTokenValidator):
    """Looks the bearer token up among those issued; Authlib then refuses missing and expired ones."""

    def __init__(self, tokens: dict[str, _Issued]) -> None:
        super().__init__()
        self.tokens = tokens

    def authenticate_token(self, token_string: str) -> _Issued | None:
        return self.tokens.get(token_string)


class _AuthServer(AuthorizationServer):
    """Authlib's framework-agnostic server, wired to memory; responses stay (status, body, headers)."""

    def __init__(self, client: _Client, expires_in: int) -> None:
        super().__init__()
        self.client, self.expires_in = client, expires_in
        self.codes: dict[str, _Issued] = {}
        self.tokens: dict[str, _Issued] = {}
        self.register_grant(_CodeGrant)
        # expires_in 0 leaves the field out, as GitHub's OAuth App tokens never expire.
        generator = BearerTokenGenerator(lambda **_: secrets.token_urlsafe(30), None, expires_in)
        self.register_token_generator('default', generator)
        self.protector = ResourceProtector()
        self.protector.register_token_validator(_BearerValidator(self.tokens))

    def query_client(self, client_id: str) -> _Client | None:
        return self.client if client_id == self.client.client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        expires_at = time.time() + self.expires_in if self.expires_in else None
        value = token['access_token']
        self.tokens[value] = _Issued(value, None, token.get('scope', ''), request.user, expires_at)

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request  # the handlers build it, since reading a Starlette body needs an await

    def handle_response(self, status: int, body: Any, headers: list) -> tuple[int, Any, list]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass  # the base raises NotImplementedError; nobody listens here


class _Payload(BasicOAuth2Payload):
    """The query string and then the form body, like Flask's `request.values` in Authlib's integration."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__(dict(pairs))
        self._datalist = defaultdict(list)  # every value, so Authlib can refuse repeated parameters
        for key, value in pairs:
            self._datalist[key].append(value)


class _StarletteOAuth2Request(OAuth2Request):
    """What Authlib's Flask integration builds, from a Starlette request whose body was already read."""

    def __init__(self, request: Request, form: list[tuple[str, str]]) -> None:
        # Starlette's Headers are case-insensitive, as Authlib's `headers.get('Authorization')` needs.
        super().__init__(request.method, str(request.url), headers=request.headers)
        self._form = dict(form)
        self.payload = _Payload([*request.query_params.multi_items(), *form])

    @property
    def form(self) -> dict[str, str]:
        return self._form


def _response(status: int, body: Any, headers: list, form_encoded: bool = False) -> Response:
    header_map = dict(headers)
    if isinstance(body, dict) and form_encoded:  # GitHub's token answer without `Accept: application/json`
        body, header_map['Content-Type'] = urlencode(body), 'application/x-www-form-urlencoded; charset=utf-8'
    elif isinstance(body, dict):
        body = json.dumps(body)
    return Response(body, status_code=status, headers=header_map)


class FakeOAuthProvider(ThreadedServer):
    """`with FakeOAuthProvider('github') as provider:` — give the app `provider.settings` as env vars."""

    thread_name = 'fake-oauth'

    def __init__(self, kind: Kind) -> None:
        super().__init__()
        if kind not in PATHS:
            raise ValueError(f'kind must be github or kakao, not {kind!r}')
        self.kind: Kind = kind
        self.client_id = f'{kind}-{secrets.token_hex(10)}'
        self.client_secret = secrets.token_hex(20)
        # GitHub takes the secret in the body or as HTTP Basic; Kakao only in the body.
        methods = (
            ('client_secret_post', 'client_secret_basic') if kind == 'github' else ('client_secret_post',)
        )
        self._client = _Client(self.client_id, self.client_secret, methods)
        self._lock = threading.Lock()
        self.reset()

    # -- configuration -------------------------------------------------------------------------
    def reset(self) -> None:
        """The default user, no pending denial or failure, no codes, tokens or records."""
        with self._lock:
            # Not `_server`: ThreadedServer keeps its uvicorn server under that name.
            self._auth = _AuthServer(self._client, 0 if self.kind == 'github' else 21599)
            self._user = _profile(self.kind, DEFAULT_USERS[self.kind])
            self._deny = False
            self._token_failures: list[int] = []
            self.authorize_requests: list[dict[str, str]] = []
            self.token_requests: list[dict[str, dict[str, str]]] = []  # {'form': ..., 'headers': ...}
            self.userinfo_requests: list[dict[str, Any]] = []  # {'path': ..., 'headers': ...}

    def set_user(self, **profile: Any) -> None:
        """The account signed in at the provider from now on (see PROFILE_FIELDS; id and login/nickname)."""
        with self._lock:
            self._user = _profile(self.kind, profile)

    def deny_next(self) -> None:
        """The next authorize request redirects back with error=access_denied (consent refused)."""
        with self._lock:
            self._deny = True

    def fail_token_next(self, status: int = 500) -> None:
        """The next token request answers `status` with an OAuth error body (the code stays valid)."""
        with self._lock:
            self._token_failures.append(status)

    @property
    def base_url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    @property
    def settings(self) -> dict[str, str]:
        """The app's environment variables for this provider (GITHUB_* or KAKAO_*)."""
        prefix, (authorize, token) = self.kind.upper(), PATHS[self.kind]
        return {
            f'{prefix}_CLIENT_ID': self.client_id,
            f'{prefix}_CLIENT_SECRET': self.client_secret,
            f'{prefix}_AUTHORIZE_URL': self.base_url + authorize,
            f'{prefix}_TOKEN_URL': self.base_url + token,
            f'{prefix}_API_BASE_URL': self.base_url + '/',
        }

    @property
    def github_settings(self) -> dict[str, str]:
        return self._settings_of('github')

    @property
    def kakao_settings(self) -> dict[str, str]:
        return self._settings_of('kakao')

    def _settings_of(self, kind: Kind) -> dict[str, str]:
        if kind != self.kind:  # the app would silently get no such provider
            raise ValueError(f'this fake provider is {self.kind}, not {kind}')
        return self.settings

    # -- HTTP -----------------------------------------------------------------------------------
    def routes(self) -> list[Route]:
        authorize, token = PATHS[self.kind]
        routes = [Route(authorize, self._authorize), Route(token, self._token, methods=['POST'])]
        if self.kind == 'kakao':
            return [*routes, Route('/v2/user/me', self._api(_kakao_me), methods=['GET', 'POST'])]
        return [*routes, Route('/user', self._api(_github_user)), Route('/user/emails', self._api(_emails))]

    async def _authorize(self, request: Request) -> Response:
        oauth_request = _StarletteOAuth2Request(request, [])
        with self._lock:
            self.authorize_requests.append(dict(request.query_params))
            deny, self._deny, user = self._deny, False, dict(self._user)
            try:
                grant = self._auth.get_consent_grant(oauth_request, end_user=user)
            except OAuth2Error as error:  # redirects back if redirect_uri was valid, else a 400 here
                return _response(*self._auth.handle_error_response(oauth_request, error))
            # No consent page: approve as the signed-in user at once, or refuse (grant_user=None).
            granted = None if deny else user
            return _response(*self._auth.create_authorization_response(oauth_request, granted, grant))

    async def _token(self, request: Request) -> Response:
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        with self._lock:
            self.token_requests.append({'form': dict(form), 'headers': dict(request.headers)})
            if self._token_failures:
                status = self._token_failures.pop(0)
                error = {400: 'invalid_request', 401: 'invalid_client'}.get(status, 'server_error')
                return JSONResponse({'error': error, 'error_description': f'fake failure {status}'}, status)
            result = self._auth.create_token_response(_StarletteOAuth2Request(request, form))
        # GitHub answers form-encoded unless asked for JSON (Authlib's client always asks).
        wants_json = 'application/json' in request.headers.get('accept', '')
        return _response(*result, form_encoded=self.kind == 'github' and not wants_json)

    def _api(self, render: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            with self._lock:
                self.userinfo_requests.append({'path': request.url.path, 'headers': dict(request.headers)})
                try:
                    token = self._auth.protector.validate_request(None, request)
                except OAuth2Error as error:  # missing, unknown or expired token: 401 with WWW-Authenticate
                    status, _, headers = error()
                    extra = {k: v for k, v in headers if k == 'WWW-Authenticate'}
                    return JSONResponse(UNAUTHORIZED[self.kind], status, headers=extra)
                return JSONResponse(render(token.user))

        return endpoint


def _github_user(user: dict[str, Any]) -> dict[str, Any]:
    avatar, page = (
        f'https://avatars.githubusercontent.com/u/{user["id"]}',
        f'https://github.com/{user["login"]}',
    )
    fields = {key: user[key] for key in ('login', 'id', 'name', 'email')}
    return fields | {'avatar_url': avatar, 'html_url': page, 'type': 'User'}


def _emails(user: dict[str, Any]) -> list[dict[str, Any]]:
    return user['emails']


def _kakao_me(user: dict[str, Any]) -> dict[str, Any]:
    account: dict[str, Any] = {
        'profile': {'nickname': user['nickname']},
        'has_email': user['email'] is not None,
    }
    if user['email'] is not None:  # as Kakao: without an address, the email fields are absent
        account |= {k: user[k] for k in ('email', 'is_email_verified', 'is_email_valid')}
    return {'id': user['id'], 'properties': {'nickname': user['nickname']}, 'kakao_account': account}


def main() -> None:
    parser = argparse.ArgumentParser(description='Serve a fake OAuth provider until killed.')
    parser.add_argument('kind', choices=sorted(PATHS))
    parser.add_argument('--user', type=json.loads, help='the profile that signs in, as a JSON object')
    arguments = parser.parse_args()
    with FakeOAuthProvider(arguments.kind) as provider, contextlib.suppress(KeyboardInterrupt):
        if arguments.user:
            provider.set_user(**arguments.user)
        for name, value in provider.settings.items():
            print(f'{name}={value}', flush=True)
        threading.Event().wait()  # until killed


if __name__ == '__main__':
    main()
