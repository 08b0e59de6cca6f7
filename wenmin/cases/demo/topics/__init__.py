"""The demo county's 12345 topics: ten groups of two to five, with routing and extra fields."""

from __future__ import annotations

from wenmin.cases.demo.topics import city, people
from wenmin.cases.demo.topics.base import GOVERNMENT, HOTLINE, Group, Topic

GROUPS: tuple[Group, ...] = city.GROUPS + people.GROUPS
TOPICS: dict[str, Topic] = {topic.code: topic for group in GROUPS for topic in group.topics}

__all__ = ["GOVERNMENT", "GROUPS", "HOTLINE", "TOPICS", "Group", "Topic"]
