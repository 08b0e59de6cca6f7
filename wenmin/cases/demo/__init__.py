"""The demo county's dispatch catalogue and a year of realistic case history (`wenmin seed`)."""

from __future__ import annotations

from wenmin.cases.demo.load import CasesResult, cases_seed

__all__ = ["CasesResult", "cases_seed"]
