"""The zh-hans message catalogue: complete, placeholders intact, compiled, and used by the pages."""

from __future__ import annotations

import re
from pathlib import Path

import polib  # type: ignore[import-untyped]  # no stubs in the dev dependencies
import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(CATALOGUE / "django.po"))


def _translations(catalogue: polib._BaseFile) -> dict[tuple[str, str, str], tuple[str, ...]]:
    return {
        (e.msgctxt or "", e.msgid, e.msgid_plural): tuple(
            e.msgstr_plural[k] for k in sorted(e.msgstr_plural)
        )
        if e.msgid_plural
        else (e.msgstr,)
        for e in catalogue
        if e.msgid and not e.obsolete
    }


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_placeholders_are_kept(po):
    wrong = [
        (e.msgid, msgstr)
        for e in po
        for msgstr in (e.msgstr_plural.values() if e.msgid_plural else [e.msgstr])
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_source(po):
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    assert _translations(mo) == _translations(po)


def test_the_login_page_is_in_chinese_by_default_and_english_on_request(client, db):
    assert "登录问民" in client.get("/accounts/login/").content.decode()
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    page = response.content.decode()
    assert "Log in to Wenmin" in page and "登录问民" not in page


THIRD_PARTY = CATALOGUE.parents[2] / "locale_thirdparty" / "zh_Hans" / "LC_MESSAGES"


def test_the_third_party_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(THIRD_PARTY / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    mo = polib.mofile(str(THIRD_PARTY / "django.mo"))
    assert _translations(mo) == _translations(po)


def test_the_admin_index_names_the_lock_out_and_task_tables_in_chinese(county):
    from django.test import Client

    client = Client()
    client.force_login(county.administrator)
    page = client.get("/admin/").content.decode()
    for chinese in ("登录锁定", "登录尝试", "后台任务"):
        assert chinese in page
    for english in ("Axes", "Access attempts", "Tasks Database Backend", "Task Results"):
        assert english not in page
    tasks = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "入队时间" in tasks or "后台任务" in tasks
