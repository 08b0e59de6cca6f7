from __future__ import annotations

import pytest

from wenmin.inquiry.testing import Office, build_office
from wenmin.testing import CaseDesk


@pytest.fixture
def office(desk: CaseDesk) -> Office:
    """The county party secretary, her office's clerk, a reception day tomorrow, her mailbox."""
    return build_office(desk)
