"""Query helpers for scopes that OR several subqueries together."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet


class _AnyOf(Lookup):  # type: ignore[type-arg]
    """`lhs = ANY(rhs)`, rhs an array (PostgreSQL)."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def in_subquery(field: str, ids: QuerySet[Any]) -> Q:
    """`field IN (ids)`, written on PostgreSQL as `field = ANY(ARRAY(ids))`: the array is computed
    once and searched on the field's index, so several of them ORed together are one BitmapOr of
    index scans, where `IN (subquery)` ORed with other conditions reads every row of the table
    (a township's cases: 65 ms at 59,000 cases, 6 ms this way)."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids.order_by()})
    from django.contrib.postgres.expressions import ArraySubquery

    return Q(_AnyOf(F(field), ArraySubquery(ids.order_by())))
