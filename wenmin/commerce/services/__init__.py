"""The only door for writes to the branches' e-commerce."""

from __future__ import annotations

from wenmin.commerce.services.records import (
    contact_set,
    farmer_add,
    outlet_add,
    produce_record,
    sale_record,
)

__all__ = ["contact_set", "farmer_add", "outlet_add", "produce_record", "sale_record"]
