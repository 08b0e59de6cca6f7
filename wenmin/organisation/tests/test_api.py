"""The organisation API: regions, units and people through the staff pages' selectors; phone and
ID numbers never leave in clear; keyset pages walk every row once."""

from __future__ import annotations

import pytest

from wenmin.core.services_tokens import api_token_create


def _api(client, user, scopes=("organisation:read",)):  # type: ignore[no-untyped-def]
    _token, plain = api_token_create(actor=None, user=user, name="test", scopes=scopes)
    headers = {"Authorization": f"Bearer {plain}"}

    def get(path: str, **params):  # type: ignore[no-untyped-def]
        return client.get(f"/api/v1{path}", params, headers=headers)

    return get


def _codes(response, key: str = "code") -> list:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["items"]]


def _walk(get, path: str, key: str, limit: int, **params) -> list:  # type: ignore[no-untyped-def]
    seen: list = []
    cursor = None
    for _page in range(50):
        response = get(path, limit=limit, **params, **({"cursor": cursor} if cursor else {}))
        seen += _codes(response, key)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ended")


def test_regions_follow_the_viewers_scope(client, county):
    everything = _codes(_api(client, county.administrator)("/regions"))
    assert len(everything) == 6 and everything == sorted(everything)
    qingshi = _codes(_api(client, county.township_clerk)("/regions"))
    assert qingshi == [county.township_a.code, county.village_a.code, county.group_a.code]
    get = _api(client, county.other_township_clerk)
    assert get(f"/regions/{county.township_b.code}").json()["name"] == "白沙乡"
    response = get(f"/regions/{county.village_a.code}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_region_filters_and_their_bad_values(client, county):
    get = _api(client, county.administrator)
    assert _codes(get("/regions", level="township")) == [
        county.township_a.code,
        county.township_b.code,
    ]
    assert _codes(get("/regions", parent=county.township_a.code)) == [county.village_a.code]
    assert _codes(get("/regions", q="白沙")) == [county.township_b.code, county.village_b.code]
    for params, field in (
        ({"level": "planet"}, "level"),
        ({"parent": "000"}, "parent"),
        ({"limit": 0}, "limit"),
        ({"cursor": "%%%"}, "cursor"),
    ):
        response = get("/regions", **params)
        assert response.status_code == 400, params
        assert field in response.json()["error"]["fields"]


def test_units_follow_the_viewers_scope(client, county):
    qingshi = set(_codes(_api(client, county.township_clerk)("/units")))
    assert qingshi == {"T1-PC", "T1-GOV", "T1-B1", "T1-VT1", "T1-WX1"}
    department = set(_codes(_api(client, county.department_clerk)("/units")))
    assert department == {"D-ZJ"}
    get = _api(client, county.administrator)
    assert _codes(get("/units", kind="party_branch", region=county.township_a.code)) == ["T1-B1"]
    assert _codes(get("/units", parent="C-PC")) == ["C-JG", "T1-PC", "T2-PC"]
    unit = get("/units/T1-WX1").json()
    assert (unit["region"], unit["parent"], unit["member_count"]) == (
        county.township_a.code,
        "T1-GOV",
        5200,
    )
    assert _api(client, county.other_township_clerk)("/units/T1-GOV").status_code == 404
    assert get("/units", parent="NOPE").status_code == 400


def test_people_are_masked_and_scoped(client, county):
    response = _api(client, county.administrator)("/people", limit=200)
    assert response.status_code == 200
    text = response.content.decode()
    for clear in ("13812345678", "18600003333", "369901198001010019"):
        assert clear not in text
    people = {row["name"]: row for row in response.json()["items"]}
    assert people["张伟"]["phone"] == "137****1111"
    assert people["张伟"]["id_number"] == "3699**********0019"
    assert (people["张伟"]["cadre_unit"], people["张伟"]["party_branch"]) == ("D-ZJ", "B-ZJ")
    assert people["刘芳"]["volunteer_team"] == "T1-VT1"
    qingshi = {
        row["name"] for row in _api(client, county.township_clerk)("/people").json()["items"]
    }
    assert qingshi == {"李秀英", "刘芳", "陈明"}


def test_people_search_by_phone_role_and_township(client, county):
    get = _api(client, county.administrator)
    assert _codes(get("/people", q="13812345678"), "name") == ["李秀英"]
    assert _codes(get("/people", role="volunteer"), "name") == ["刘芳"]
    assert set(_codes(get("/people", township=county.township_b.code), "name")) == {
        "王建国",
        "赵丽",
    }
    assert get("/people", township=county.village_a.code).status_code == 400  # not a township
    assert get("/people", role="king").status_code == 400


def test_pages_walk_every_row_once(client, county):
    get = _api(client, county.administrator)
    assert _walk(get, "/regions", "code", 4) == _codes(get("/regions"))
    assert _walk(get, "/units", "code", 5) == _codes(get("/units"))
    assert _walk(get, "/people", "id", 2) == _codes(get("/people"), "id")


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_the_organisation_is_for_staff_only(client, county, role):
    get = _api(client, getattr(county, role))
    for path in ("/regions", "/units", "/people", f"/regions/{county.county.code}"):
        response = get(path)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "staff_only"


def test_the_organisation_needs_its_scope(client, county):
    get = _api(client, county.administrator, scopes=("cases:read",))
    response = get("/units")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"
