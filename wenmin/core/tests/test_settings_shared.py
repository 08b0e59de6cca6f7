"""The settings of several servers: the shared cache, the read replica, the login lock-out."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import connection

from wenmin.core.apps import cache_table_create
from wenmin.core.tests.test_settings import _production_env, _run

PROBE = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'CACHE': s.CACHES['default'], 'DATABASES': s.DATABASES, "
    "'ROUTERS': s.DATABASE_ROUTERS}, default=str))"
)


def _loaded(tmp_path: Path, **env: str) -> dict[str, dict[str, object]]:
    result = _run(tmp_path, ["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, dict[str, object]] = json.loads(result.stdout)
    return loaded


def test_development_caches_in_local_memory(tmp_path):
    backend = _loaded(tmp_path)["CACHE"]["BACKEND"]
    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_redis_for_every_environment(tmp_path):
    for env in ({}, _production_env()):
        cache = _loaded(tmp_path, REDIS_URL="redis://cache.internal:6379/3", **env)["CACHE"]
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert cache["LOCATION"] == "redis://cache.internal:6379/3"


def test_production_without_redis_shares_the_database_cache_never_local_memory(tmp_path):
    cache = _loaded(tmp_path, **_production_env())["CACHE"]
    assert cache == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wenmin_cache",
    }


def test_migrate_makes_the_database_cache_table(db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wenmin_cache",
        }
    }
    assert "wenmin_cache" not in connection.introspection.table_names()
    cache_table_create(using="default")
    assert "wenmin_cache" in connection.introspection.table_names()
    from django.core.cache import cache

    cache.set("shared", 42)
    assert cache.get("shared") == 42


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests(tmp_path):
    loaded = _loaded(
        tmp_path,
        DATABASE_URL="postgres://wenmin:pw@primary.internal:5432/wenmin",
        DATABASE_REPLICA_URL="postgres://reader:pw@replica.internal:5432/wenmin",
    )
    replica = loaded["DATABASES"]["replica"]
    assert isinstance(replica, dict)
    assert replica["HOST"] == "replica.internal" and replica["USER"] == "reader"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert loaded["ROUTERS"] == ["wenmin.core.replica.ReplicaRouter"]  # type: ignore[comparison-overlap]
    assert "replica" not in _loaded(tmp_path)["DATABASES"]


def test_a_replica_without_its_primary_is_refused(tmp_path):
    result = _run(
        tmp_path, ["-c", PROBE], DATABASE_REPLICA_URL="postgres://reader@replica.internal/wenmin"
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL" in result.stderr


def test_failed_logins_are_counted_in_the_database_shared_by_every_server():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
