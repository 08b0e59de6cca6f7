"""The e-commerce objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

from typing import Any

from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    from wenmin.commerce.tests.conftest import build_shop

    shop = build_shop(desk)
    return {
        "paths": {
            "farmer_id": shop.farmer.pk,
            "produce_id": shop.produce.pk,
            "township_id": desk.county.township_a.pk,
        },
        "form": {
            "branch": desk.county.branch_a.code,
            "person": str(desk.county.resident_a.pk),
            "since": "2026-01-01",
            "name": "土鸡蛋",
            "unit": "枚",
            "quantity": "100",
            "price": "1.5",
            "income": "150",
            "season_from": "1",
            "season_to": "12",
            "kind": "market",
            "url": "https://shop.example-mall.cn/store/8",
            "office_phone": "0793-5551234",
            "outlet": shop.market.pk,
            "month": "2026-04",
        },
    }
