"""docker-compose.yml and deploy/haproxy.cfg carry what several processes need (read, not run: no Docker here)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy.cluster import TEMPLATE, haproxy_config
from tests.app_process import ROOT


def compose() -> dict:
    return yaml.safe_load((ROOT / 'docker-compose.yml').read_text())


def test_compose_has_a_proxy_replicas_one_database_one_redis_and_a_one_shot_migration() -> None:
    """The apps start after `migrate` succeeded and PostgreSQL and Redis are healthy; there are 2+ replicas."""
    services = compose()['services']
    assert set(services) == {'proxy', 'app', 'migrate', 'postgres', 'redis'}
    app, migrate = services['app'], services['migrate']
    assert app['depends_on'] == {
        'migrate': {'condition': 'service_completed_successfully'},
        'postgres': {'condition': 'service_healthy'},
        'redis': {'condition': 'service_healthy'},
    }
    assert migrate['command'] == ['python', 'manage.py', 'migrate'] and migrate.get('restart') == 'no'
    assert 'migrate' not in ' '.join(app['command'])  # replicas never migrate as they start
    assert app['deploy']['replicas'] >= 2
    assert services['proxy']['depends_on'] == {'app': {'condition': 'service_healthy'}}


def test_every_replica_shares_the_secret_the_database_and_redis() -> None:
    """App and migrate get one environment: SECRET_KEY from outside, PostgreSQL, Redis, the proxy trusted."""
    services = compose()['services']
    environment = services['app']['environment']
    assert environment == services['migrate']['environment']
    assert environment['SECRET_KEY'].startswith('${SECRET_KEY:?')  # required, never a default
    assert '@postgres:5432/' in environment['DATABASE_URL']
    assert environment['NICEGUI_REDIS_URL'] == 'redis://redis:6379/0'
    assert environment['TRUSTED_PROXIES'] == services['proxy']['networks']['default']['ipv4_address']


def test_every_long_running_service_has_a_health_check_and_data_has_volumes() -> None:
    """Proxy, app, PostgreSQL and Redis are health-checked; the app checks /healthz; data lives in volumes."""
    document = compose()
    services = document['services']
    for name in ('proxy', 'app', 'postgres', 'redis'):
        assert services[name]['healthcheck']['test'], name
    assert '/healthz' in ' '.join(services['app']['healthcheck']['test'])
    assert set(document['volumes']) == {'appdata', 'pgdata', 'redisdata'}
    assert './deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro' in services['proxy']['volumes']


def test_haproxy_sticks_by_cookie_checks_health_and_keeps_websockets() -> None:
    """The proxy settings the app relies on are in deploy/haproxy.cfg."""
    config = TEMPLATE.read_text()
    for line in (
        'cookie SRV insert indirect nocache',
        'option redispatch',
        'option forwardfor',
        'timeout tunnel 1h',
        'http-check send meth GET uri /healthz',
    ):
        assert line in config, line
    replicas = int(re.search(r'server-template app 1-(\d+) app:8080', config).group(1))
    assert replicas >= compose()['services']['app']['deploy']['replicas']


def test_the_local_cluster_config_names_each_process_and_is_valid(tmp_path: Path) -> None:
    """deploy/cluster.py's config has one server per process with its own cookie, and HAProxy accepts it."""
    config = haproxy_config(
        TEMPLATE.read_text(), 18080, {'app1': 18081, 'app2': 18082}, tmp_path / 'admin.sock'
    )
    assert '    bind 127.0.0.1:18080' in config
    assert '    server app1 127.0.0.1:18081 cookie app1' in config
    assert '    server app2 127.0.0.1:18082 cookie app2' in config
    assert '    server-template' not in config and f'stats socket {tmp_path / "admin.sock"}' in config
    if shutil.which('haproxy') is None:
        pytest.skip('haproxy not installed: the config was not checked by HAProxy itself')
    (tmp_path / 'haproxy.cfg').write_text(config)
    checked = subprocess.run(
        ['haproxy', '-c', '-f', str(tmp_path / 'haproxy.cfg')], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
