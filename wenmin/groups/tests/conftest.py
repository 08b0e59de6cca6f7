from __future__ import annotations

import pytest

from wenmin.groups.testing import Groups, build_groups
from wenmin.testing import CaseDesk


@pytest.fixture
def groups(desk: CaseDesk) -> Groups:
    return build_groups(desk)
