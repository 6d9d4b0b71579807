"""The fake OAuth providers speak real OAuth 2.0: Authlib's own client completes the code flow against them."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.httpx_client import OAuth2Client, OAuthError

from tests.fakes.oauth_provider import FakeOAuthProvider

REDIRECT_URI = 'http://127.0.0.1:9/auth/callback'  # never visited: the tests read the redirect themselves


@pytest.fixture(scope='module')
def github_server() -> Iterator[FakeOAuthProvider]:
    with FakeOAuthProvider('github') as provider:
        yield provider


@pytest.fixture(scope='module')
def kakao_server() -> Iterator[FakeOAuthProvider]:
    with FakeOAuthProvider('kakao') as provider:
        yield provider


@pytest.fixture
def github(github_server: FakeOAuthProvider) -> FakeOAuthProvider:
    github_server.reset()
    return github_server


@pytest.fixture
def kakao(kakao_server: FakeOAuthProvider) -> FakeOAuthProvider:
    kakao_server.reset()
    return kakao_server


def client_for(provider: FakeOAuthProvider, auth_method: str = 'client_secret_post') -> OAuth2Client:
    """Authlib's client, configured as the app configures its Starlette one."""
    return OAuth2Client(
        provider.client_id,
        provider.client_secret,
        scope='user:email' if provider.kind == 'github' else 'profile_nickname account_email',
        redirect_uri=REDIRECT_URI,
        token_endpoint_auth_method=auth_method,
        base_url=provider.base_url,
    )


def authorize(provider: FakeOAuthProvider, client: OAuth2Client) -> str:
    """The browser's visit to the consent page: returns the redirect back to the app (code or error)."""
    url, _state = client.create_authorization_url(provider.settings[f'{provider.kind.upper()}_AUTHORIZE_URL'])
    consent = httpx.get(url, follow_redirects=False)
    assert consent.status_code == 302
    location = consent.headers['location']
    assert location.startswith(REDIRECT_URI)
    return location


def code_in(location: str) -> str:
    return parse_qs(urlsplit(location).query)['code'][0]


def token_url(provider: FakeOAuthProvider) -> str:
    return provider.settings[f'{provider.kind.upper()}_TOKEN_URL']


def exchange(provider: FakeOAuthProvider, code: str, **overrides: str) -> httpx.Response:
    """A raw client_secret_post token request, so a test can see the status and body as they are."""
    form = {
        'grant_type': 'authorization_code',
        'code': code,
        'redirect_uri': REDIRECT_URI,
        'client_id': provider.client_id,
        'client_secret': provider.client_secret,
    } | overrides
    return httpx.post(token_url(provider), data=form, headers={'Accept': 'application/json'})


def test_github_full_flow_with_client_secret_post(github: FakeOAuthProvider) -> None:
    """authorize → code → token (secret in the body) → /user and /user/emails as the set user."""
    github.set_user(id=42, login='alice', name='Alice', email=None, emails=[
        {'email': 'alice@example.com', 'primary': True, 'verified': True, 'visibility': None},
    ])  # fmt: skip
    client = client_for(github)
    token = client.fetch_token(token_url(github), authorization_response=authorize(github, client))
    assert token['token_type'] == 'Bearer' and token['scope'] == 'user:email' and 'expires_in' not in token
    user = client.get('user').json()
    assert (user['id'], user['login'], user['name'], user['email']) == (42, 'alice', 'Alice', None)
    assert client.get('user/emails').json()[0]['email'] == 'alice@example.com'
    assert github.authorize_requests[-1]['client_id'] == github.client_id
    assert github.token_requests[-1]['form']['client_secret'] == github.client_secret
    assert 'authorization' not in github.token_requests[-1]['headers']
    assert github.userinfo_requests[-1]['headers']['authorization'] == f'Bearer {token["access_token"]}'


def test_github_accepts_client_secret_basic(github: FakeOAuthProvider) -> None:
    """GitHub also takes the secret as HTTP Basic (not in the body)."""
    client = client_for(github, 'client_secret_basic')
    token = client.fetch_token(token_url(github), authorization_response=authorize(github, client))
    assert client.get('user').json()['login'] == 'octocat'
    assert token['access_token']
    assert github.token_requests[-1]['headers']['authorization'].startswith('Basic ')
    assert 'client_secret' not in github.token_requests[-1]['form']


def test_github_answers_form_encoded_without_accept_json(github: FakeOAuthProvider) -> None:
    """Like GitHub, the token answer is form-encoded unless the client asks for JSON."""
    code = code_in(authorize(github, client_for(github)))
    form = {'code': code, 'redirect_uri': REDIRECT_URI, 'grant_type': 'authorization_code'}
    response = httpx.post(token_url(github), data=form, auth=(github.client_id, github.client_secret))
    assert response.headers['content-type'].startswith('application/x-www-form-urlencoded')
    assert parse_qs(response.text)['token_type'] == ['Bearer']


def test_kakao_full_flow(kakao: FakeOAuthProvider) -> None:
    """Kakao's code flow with client_secret_post, and /v2/user/me in Kakao's shape."""
    kakao.set_user(id=4242, nickname='민수', email='minsu@example.com', is_email_verified=False)
    client = client_for(kakao)
    token = client.fetch_token(token_url(kakao), authorization_response=authorize(kakao, client))
    assert token['expires_in'] > 0
    me = client.get('v2/user/me').json()
    assert me['id'] == 4242 and me['properties']['nickname'] == '민수'
    assert me['kakao_account'] == {
        'profile': {'nickname': '민수'},
        'has_email': True,
        'email': 'minsu@example.com',
        'is_email_verified': False,
        'is_email_valid': True,
    }
    kakao.set_user(id=5, nickname='noemail')
    client = client_for(kakao)
    client.fetch_token(token_url(kakao), authorization_response=authorize(kakao, client))
    assert client.get('v2/user/me').json()['kakao_account'] == {
        'profile': {'nickname': 'noemail'},
        'has_email': False,
    }


def test_kakao_rejects_client_secret_basic(kakao: FakeOAuthProvider) -> None:
    """Kakao wants the secret in the body: HTTP Basic gets 401 invalid_client."""
    code = code_in(authorize(kakao, client_for(kakao)))
    form = {'code': code, 'redirect_uri': REDIRECT_URI, 'grant_type': 'authorization_code'}
    response = httpx.post(token_url(kakao), data=form, auth=(kakao.client_id, kakao.client_secret))
    assert response.status_code == 401 and response.json()['error'] == 'invalid_client'
    client = client_for(kakao, 'client_secret_basic')
    callback = authorize(kakao, client)
    with pytest.raises(OAuthError, match='invalid_client'):
        client.fetch_token(token_url(kakao), authorization_response=callback)
    assert exchange(kakao, code).status_code == 200  # the code survived the refused attempt


def test_deny_next_redirects_with_access_denied(github: FakeOAuthProvider) -> None:
    """deny_next: the next authorize redirects back with error=access_denied and the client's state."""
    github.deny_next()
    client = client_for(github)
    params = parse_qs(urlsplit(authorize(github, client)).query)
    assert params['error'] == ['access_denied'] and params['error_description'][0]
    assert params['state'] == [github.authorize_requests[-1]['state']] and 'code' not in params
    assert 'code' in parse_qs(urlsplit(authorize(github, client)).query)  # only the next one


def test_wrong_secret_reused_code_and_other_redirect_uri_fail(github: FakeOAuthProvider) -> None:
    """A wrong secret is invalid_client; a code works once and only with its own redirect_uri."""
    code = code_in(authorize(github, client_for(github)))
    wrong = exchange(github, code, client_secret='not-the-secret')
    assert wrong.status_code == 401 and wrong.json()['error'] == 'invalid_client'
    elsewhere = exchange(github, code, redirect_uri='http://127.0.0.1:9/elsewhere')
    assert elsewhere.status_code == 400 and elsewhere.json()['error'] == 'invalid_grant'
    assert exchange(github, code).status_code == 200
    reused = exchange(github, code)
    assert reused.status_code == 400 and reused.json()['error'] == 'invalid_grant'


def test_fail_token_next(kakao: FakeOAuthProvider) -> None:
    """fail_token_next: one token request fails with the status; the code still works afterwards."""
    kakao.fail_token_next(503)
    code = code_in(authorize(kakao, client_for(kakao)))
    assert exchange(kakao, code).status_code == 503
    assert exchange(kakao, code).status_code == 200
    assert len(kakao.token_requests) == 2


@pytest.mark.parametrize('path', ['user', 'user/emails'])
def test_github_api_needs_a_valid_bearer_token(github: FakeOAuthProvider, path: str) -> None:
    """Without a token, or with an unknown one, the API answers 401 with WWW-Authenticate."""
    url = f'{github.base_url}/{path}'
    for headers in ({}, {'Authorization': 'Bearer made-up'}):
        response = httpx.get(url, headers=headers)
        assert response.status_code == 401 and response.json()['message'] == 'Bad credentials'
        assert response.headers['www-authenticate'].lower().startswith('bearer')


def test_kakao_api_needs_a_valid_bearer_token(kakao: FakeOAuthProvider) -> None:
    """Kakao's /v2/user/me without a token answers 401 in Kakao's error shape."""
    response = httpx.get(f'{kakao.base_url}/v2/user/me')
    assert response.status_code == 401 and response.json()['code'] == -401


def test_reset_forgets_codes_and_records(github: FakeOAuthProvider) -> None:
    """reset(): issued codes stop working, records empty, the default user is back."""
    github.set_user(id=1, login='someone')
    code = code_in(authorize(github, client_for(github)))
    github.reset()
    assert github.authorize_requests == []
    assert exchange(github, code).json()['error'] == 'invalid_grant'
    with pytest.raises(TypeError, match='logn'):
        github.set_user(id=1, logn='typo')
