from __future__ import annotations

import pytest

from wenmin.insight.tests.history import History, catalogue
from wenmin.testing import CaseDesk


@pytest.fixture
def history(desk: CaseDesk) -> History:
    return catalogue(desk)
