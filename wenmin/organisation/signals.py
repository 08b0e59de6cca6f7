"""What the organisation tells the apps above it: its structure changed.

The counts of other modules attribute each record to places looked up in the organisation when
they were counted (a member's branch, a cadre's unit, a unit's township). A service that changes
what such a lookup gives calls `structure_changed` inside its transaction; apps above add their
hook to STRUCTURE_CHANGED in their AppConfig.ready() (as they do to the cases' AFTER_EVENT), so
the organisation imports none of them. A hook runs in the write's transaction: it must be cheap
(note the change, do the work later).
"""

from __future__ import annotations

from collections.abc import Callable

# The kinds of change, each a code a hook may keep (a recount's reason).
PARTY_MEMBER, CADRE, VOLUNTEER, POSITION, UNIT, IMPORT = (
    "party_member",
    "cadre",
    "volunteer",
    "position",
    "unit",
    "import",
)

# Called with the kind of change, inside the transaction of the write.
STRUCTURE_CHANGED: list[Callable[[str], None]] = []

# The fields of a unit that decide what its records count for: its region (the township) and
# its parent (a service window's department), its kind (a department or not). Its name or
# member count move no count. (A region's code and place are fixed — region_update changes its
# name, kind, population or location, none of which a count reads — so it tells no one.)
UNIT_PLACE_FIELDS = frozenset({"region", "parent", "kind"})


def structure_changed(*, kind: str) -> None:
    """Tell the hooks that records may now count for other places (in the caller's transaction)."""
    for hook in STRUCTURE_CHANGED:
        hook(kind)
