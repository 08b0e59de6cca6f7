from __future__ import annotations

from collections.abc import Iterator

import pytest

from wenmin.tallies.registry import SOURCES
from wenmin.tallies.testing import toy_source_register


@pytest.fixture
def toy_source() -> Iterator[None]:
    """The toy source registered for one test, the registry as it was afterwards."""
    kept = dict(SOURCES)
    toy_source_register()
    yield
    SOURCES.clear()
    SOURCES.update(kept)
