"""The writes of the topics app: one function per write, each audited."""

from __future__ import annotations

from wenmin.topics.services.candidates import candidates_compute, candidates_compute_if_due
from wenmin.topics.services.hotspots import hotspots_detect, hotspots_detect_if_due
from wenmin.topics.services.topics import (
    case_link_matching,
    topic_case_link,
    topic_case_unlink,
    topic_pick,
    topic_project_set,
)

__all__ = [
    "candidates_compute",
    "candidates_compute_if_due",
    "case_link_matching",
    "hotspots_detect",
    "hotspots_detect_if_due",
    "topic_case_link",
    "topic_case_unlink",
    "topic_pick",
    "topic_project_set",
]
