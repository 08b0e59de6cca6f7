"""The points' writes: the county's rules, a member's bonuses and penalties."""

from __future__ import annotations

from wenmin.points.services.adjustments import adjustment_add, adjustment_withdraw
from wenmin.points.services.rules import (
    rule_add,
    rule_remove,
    rule_update,
    year_copy,
    year_set,
)

__all__ = [
    "adjustment_add",
    "adjustment_withdraw",
    "rule_add",
    "rule_remove",
    "rule_update",
    "year_copy",
    "year_set",
]
