"""问政: county leaders' reception days, field visits and mailboxes."""

from __future__ import annotations
