"""The deterministic demo county generator behind `wenmin seed`."""

from __future__ import annotations

from wenmin.organisation.seed.load import (
    SCALES,
    SeedResult,
    county_plans,
    organisation_exists,
    seed_load,
)

__all__ = ["SCALES", "SeedResult", "county_plans", "organisation_exists", "seed_load"]
