"""The `desk` fixture lives in the root conftest.py; its builder is wenmin.testing.build_case_desk."""

from __future__ import annotations

from wenmin.testing import CaseDesk, build_case_desk

__all__ = ["CaseDesk", "build_case_desk"]
