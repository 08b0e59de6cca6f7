"""The comparison across all the work (又比又看) against one hand-written SQL per group over the
raw tables.

With `wenmin seed --scale city` loaded (ten counties; every app's demo data, counted into the
daily counts by the seed's finishing steps), for each group (township, department, branch,
cadre, member), each county and two periods (the last full month and its year) it times, in
the same process and run:

- standing: `overall.standing(group=…, period=…, county=…)`, the full ranking with all sources:
  the tree in force, the group's subjects, every source's figures read through
  `wenmin.tallies.readers.totals` (the cases' from the scoreboard's `DailyStat`), the scoring;
- sql: ONE hand-written statement per group (a UNION ALL of per-source sub-selects) over the
  RAW tables — cases_caseevent (and cases_case), projects_planitem/projects_report,
  branchlife_meeting/meetingcredit/attendance, volunteers_participation, deeds_deed,
  platforms_rating/servicerecord, surveys_need/visit, councils_proposal, with the appeals'
  exclusions — computing for every subject of the group in the county the numerator and the
  denominator of every indicator of the group's default tree, for the same period: no daily
  count, no ledger. The one thing computed in Python is the default deadline of each required
  branch meeting (the N-th working day of the official calendar, which is not in the
  database), sent as a VALUES list, as the compliance grid computes it once too.

Both count the days of the period that have happened (the year: to today), as the standing
does. The two are compared subject by subject and indicator by indicator (amount and base;
1e-6 apart at most, the daily counts being floating sums); every difference is listed with
its subject. Medians of several runs (each run: every group, county and period, standing and
SQL interleaved); ratio standing/sql, for the first county (the demo county, the only one
with projects and service centres) and summed over every county. SQLite in a temporary
directory, then PostgreSQL in a temporary database (created with `createdb -h 127.0.0.1 -U
postgres`, dropped after) when the server is reachable. Not a test: it prints what it
measured and asserts nothing.

    .venv/bin/python bench/scoreboard_overall.py [--scale city|county] [--runs 5]
        [--sqlite-only|--postgresql-only] [--counties N]
    WENMIN_DATA_DIR=… [DATABASE_URL=…] .venv/bin/python bench/scoreboard_overall.py --reuse
        (measure a database already seeded, as it is)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
from bench.serverload import throwaway_postgres  # noqa: E402
from bench.serverload import wenmin as _wenmin  # noqa: E402

GROUPS = ("township", "department", "branch", "cadre", "member")
TOLERANCE = 1e-6

# The few expressions SQLite and PostgreSQL spell differently: a case event's data (JSON) and
# the days between two dates. `e` is the event.
DIALECTS: dict[str, dict[str, str]] = {
    "sqlite": {
        "int": "json_extract(e.data, '$.{key}')",
        "true": "json_extract(e.data, '$.{key}') = 1",
        "text": "json_extract(e.data, '$.{key}')",
        "days": "CAST(julianday({a}) - julianday({b}) AS INTEGER)",
        "month": "substr({day}, 1, 7)",
    },
    "postgresql": {
        "int": "(e.data->>'{key}')::bigint",
        "true": "(e.data->>'{key}') = 'true'",
        "text": "(e.data->>'{key}')",
        "days": "({a} - {b})",
        "month": "date_trunc('month', {day})",
    },
}

# Each group's subjects in the county, as `overall.subjects_of` lists them: pk (the subject's
# id on the pages), and the ids the sources count it under. A township: its region and its
# first government by code; a branch: the village branch (k = 1: the village's first branch
# by code, the one its needs and decisions count for).
SUBJECTS = {
    "township": """
subj AS (
  SELECT r.id AS pk, r.id AS region_id, g.id AS unit_id
    FROM organisation_unit g JOIN organisation_region r ON r.id = g.region_id
   WHERE g.kind = 'township_government' AND r.level = 'township' AND r.path LIKE @path
     AND g.code = (SELECT MIN(g2.code) FROM organisation_unit g2
                    WHERE g2.region_id = r.id AND g2.kind = 'township_government')
)""",
    "department": """
subj AS (
  SELECT u.id AS pk, u.id AS unit_id
    FROM organisation_unit u JOIN organisation_region r ON r.id = u.region_id
   WHERE u.kind = 'department' AND r.path LIKE @path
)""",
    "branch": """
subj AS (
  SELECT u.id AS pk, u.id AS unit_id, u.region_id,
         CASE WHEN u.code = (SELECT MIN(u2.code) FROM organisation_unit u2
                              WHERE u2.region_id = u.region_id AND u2.kind = 'party_branch')
              THEN 1 ELSE 0 END AS k
    FROM organisation_unit u JOIN organisation_region r ON r.id = u.region_id
   WHERE u.kind = 'party_branch' AND r.level = 'village' AND r.path LIKE @path
)""",
    "cadre": """
subj AS (
  SELECT c.person_id AS pk
    FROM organisation_cadre c JOIN organisation_unit u ON u.id = c.unit_id
    JOIN organisation_region r ON r.id = u.region_id
   WHERE r.path LIKE @path
)""",
    "member": """
subj AS (
  SELECT m.person_id AS pk
    FROM organisation_partymember m JOIN organisation_unit b ON b.id = m.branch_id
    JOIN organisation_region r ON r.id = b.region_id
   WHERE r.path LIKE @path
)""",
}


def _excluded(source: str, record: str, unit: str, region: str = "") -> str:
    """An accepted appeal took this record away from this unit (tallies' exclusions); from a
    region's figures (`region`: the subject's region) only when the unit is that region's own."""
    own = f" AND xu.region_id = {region}" if region else ""
    join = " JOIN organisation_unit xu ON xu.id = x.unit_id" if region else ""
    return (
        f"EXISTS (SELECT 1 FROM tallies_exclusion x{join} WHERE x.source = '{source}'"  # noqa: S608  (constants)
        f" AND x.record = {record} AND x.unit_id = {unit}{own})"
    )


# The cases: what `scoreboard.contributions` adds for each event, summed over the period. A
# dispatch and a callback count on their day; a sign-for on the day of the dispatch it answers
# (its data's dispatched_on), and never before it, hence `e.at >= @t0` for every event. The
# events of the county's subjects (their data's lead unit) are summed by unit, then joined to
# the subjects: the unit is in the event's JSON, so no index leads from a subject to its events.
CASES_UNIT = """
cases_u AS (
  SELECT s.pk, t.* FROM (
    SELECT {lead} AS unit_id,
      SUM(CASE WHEN e.action = 'dispatch' AND e.at < @t1 THEN 1 ELSE 0 END) AS dispatched,
      SUM(CASE WHEN e.action = 'sign_for' AND {on_time} AND ({dispatched_on} BETWEEN @s0 AND @s1
                    OR ({dispatched_on} IS NULL AND e.at < @t1))
               THEN 1 ELSE 0 END) AS signed_on_time,
      SUM(CASE WHEN e.action IN ('callback_resolved', 'callback_rework') AND e.at < @t1
               THEN 1 ELSE 0 END) AS callbacks,
      SUM(CASE WHEN e.action IN ('callback_resolved', 'callback_rework') AND e.at < @t1
                AND {resolved} THEN 1 ELSE 0 END) AS resolved,
      SUM(CASE WHEN e.action IN ('callback_resolved', 'callback_rework') AND e.at < @t1
                AND COALESCE({satisfaction}, 0) >= 4 THEN 1 ELSE 0 END) AS satisfied,
      SUM(CASE WHEN e.action = 'callback_resolved' AND e.at < @t1 THEN 1 ELSE 0 END) AS closed,
      SUM(CASE WHEN e.action = 'callback_resolved' AND e.at < @t1 AND {on_time}
               THEN 1 ELSE 0 END) AS closed_on_time
      FROM cases_caseevent e
     WHERE e.at >= @t0
       AND e.action IN ('dispatch', 'sign_for', 'callback_resolved', 'callback_rework')
       AND {lead} IN (SELECT unit_id FROM subj)
       AND NOT EXISTS (SELECT 1 FROM scoreboard_exclusion x
                        WHERE x.case_id = e.case_id AND x.unit_id = {lead})
     GROUP BY {lead}
  ) t JOIN subj s ON s.unit_id = t.unit_id
)"""
# A person: their own sign-fors (as the event's actor) and the callbacks of their replies.
CASES_PERSON = """
cases_p AS (
  SELECT s.pk, t.* FROM (
    SELECT CASE WHEN e.action = 'sign_for' THEN us.person_id ELSE {replier} END AS person_id,
      SUM(CASE WHEN e.action = 'sign_for' AND ({dispatched_on} BETWEEN @s0 AND @s1
                    OR ({dispatched_on} IS NULL AND e.at < @t1))
               THEN 1 ELSE 0 END) AS signed,
      SUM(CASE WHEN e.action = 'sign_for' AND {on_time} AND ({dispatched_on} BETWEEN @s0 AND @s1
                    OR ({dispatched_on} IS NULL AND e.at < @t1))
               THEN 1 ELSE 0 END) AS signed_on_time,
      SUM(CASE WHEN e.action <> 'sign_for' AND e.at < @t1 THEN 1 ELSE 0 END) AS callbacks,
      SUM(CASE WHEN e.action <> 'sign_for' AND e.at < @t1 AND {resolved}
               THEN 1 ELSE 0 END) AS resolved,
      SUM(CASE WHEN e.action <> 'sign_for' AND e.at < @t1
                AND COALESCE({satisfaction}, 0) >= 4 THEN 1 ELSE 0 END) AS satisfied,
      SUM(CASE WHEN e.action = 'callback_resolved' AND e.at < @t1 THEN 1 ELSE 0 END) AS closed,
      SUM(CASE WHEN e.action = 'callback_resolved' AND e.at < @t1 AND {on_time}
               THEN 1 ELSE 0 END) AS closed_on_time
      FROM cases_caseevent e
      LEFT JOIN core_user us ON us.id = e.actor_id
     WHERE e.at >= @t0 AND e.action IN ('sign_for', 'callback_resolved', 'callback_rework')
       AND CASE WHEN e.action = 'sign_for' THEN us.person_id ELSE {replier} END
           IN (SELECT pk FROM subj)
       AND NOT EXISTS (SELECT 1 FROM scoreboard_exclusion x
                        WHERE x.case_id = e.case_id AND x.unit_id = {lead})
     GROUP BY CASE WHEN e.action = 'sign_for' THEN us.person_id ELSE {replier} END
  ) t JOIN subj s ON s.pk = t.person_id
)"""
# A village (the branch group reads the cases of its village): the callbacks of the cases
# located in it; no appeal takes a region's figure away.
CASES_REGION = """
cases_r AS (
  SELECT s.pk, COUNT(*) AS callbacks,
         SUM(CASE WHEN {resolved} THEN 1 ELSE 0 END) AS resolved,
         SUM(CASE WHEN COALESCE({satisfaction}, 0) >= 4 THEN 1 ELSE 0 END) AS satisfied
    FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
    JOIN subj s ON s.region_id = c.region_id
   WHERE e.at >= @t0 AND e.at < @t1 AND e.action IN ('callback_resolved', 'callback_rework')
   GROUP BY s.pk
)"""
CASES_SELECTS = {
    "cases_u": """
SELECT pk, 'cases.response', signed_on_time, dispatched FROM cases_u
UNION ALL SELECT pk, 'cases.resolution', resolved, callbacks FROM cases_u
UNION ALL SELECT pk, 'cases.satisfaction', satisfied, callbacks FROM cases_u
UNION ALL SELECT pk, 'cases.on_time_closure', closed_on_time, closed FROM cases_u""",
    "cases_p": """
SELECT pk, 'cases.response', signed_on_time, signed FROM cases_p
UNION ALL SELECT pk, 'cases.resolution', resolved, callbacks FROM cases_p
UNION ALL SELECT pk, 'cases.satisfaction', satisfied, callbacks FROM cases_p
UNION ALL SELECT pk, 'cases.on_time_closure', closed_on_time, closed FROM cases_p""",
    "cases_r": """
SELECT pk, 'cases.resolution', resolved, callbacks FROM cases_r
UNION ALL SELECT pk, 'cases.satisfaction', satisfied, callbacks FROM cases_r""",
}

# The projects of the counted statuses, and who their records count for in each group.
PROJECTS_COUNTED = "pr.status IN ('approved', 'under_construction', 'completed', 'accepted')"
PROJECT_SUBJECT = {
    "township": "JOIN organisation_region prr ON prr.id = pr.region_id"
    " JOIN subj s ON s.region_id = prr.township_id",
    "department": "JOIN subj s ON s.unit_id = pr.owner_id",
    "cadre": "JOIN subj s ON s.pk IN (pr.responsible_id, pr.patron_id)",
}
# A milestone (a top-level item) counts on its planned finish: due, and on time when done by
# then (a milestone with tasks is done when its last task is, once all are).
MILESTONES = """
SELECT s.pk, 'projects.milestones_on_time',
       SUM(CASE WHEN (CASE WHEN k.n IS NULL THEN i.finished_on
                           WHEN k.n = k.done THEN k.last END) <= i.planned_finish
                THEN 1 ELSE 0 END),
       COUNT(*)
  FROM projects_planitem i
  LEFT JOIN (SELECT t.parent_id, COUNT(*) AS n, COUNT(t.finished_on) AS done,
                    MAX(t.finished_on) AS last
               FROM projects_planitem t WHERE t.parent_id IS NOT NULL GROUP BY t.parent_id
            ) k ON k.parent_id = i.id
  JOIN projects_project pr ON pr.id = i.project_id AND {counted}
  {subject}
 WHERE i.parent_id IS NULL AND i.planned_finish BETWEEN @d0 AND @d1
   AND NOT {excluded}
 GROUP BY s.pk"""
# The month's last report of a project counts its pace on its date: the plan's progress just
# after it (each task at its latest report by then, weighted by the plan, rounded half up to
# 0.1) over the share of the normal duration gone, capped at 5, rounded half up to 0.01. In
# integers: weights × 100, percents × 10, progress × 10, pace × 100.
SPEED = """
last_reports AS (
  SELECT id, project_id, reported_on FROM (
    SELECT r.id, r.project_id, r.reported_on,
           ROW_NUMBER() OVER (PARTITION BY r.project_id, {month}
                              ORDER BY r.reported_on DESC, r.id DESC) AS k
      FROM projects_report r WHERE r.reported_on BETWEEN @d0 AND @d1
  ) x WHERE k = 1
),
leaves AS (
  SELECT i.id, i.project_id,
         CAST(ROUND(COALESCE(pa.weight, 100) * 100) AS BIGINT)
         * CAST(ROUND(i.weight * 100) AS BIGINT) AS ww
    FROM projects_planitem i LEFT JOIN projects_planitem pa ON pa.id = i.parent_id
   WHERE NOT EXISTS (SELECT 1 FROM projects_planitem ch WHERE ch.parent_id = i.id)
),
progress AS (
  SELECT lr.id, lr.project_id, lr.reported_on,
         (CAST(SUM(l.ww * COALESCE((
            SELECT CASE WHEN x.percent < 0 THEN 0 WHEN x.percent > 100 THEN 1000
                        ELSE CAST(ROUND(x.percent * 10) AS BIGINT) END
              FROM projects_report x
             WHERE x.item_id = l.id
               AND (x.reported_on < lr.reported_on
                    OR (x.reported_on = lr.reported_on AND x.id <= lr.id))
             ORDER BY x.reported_on DESC, x.id DESC LIMIT 1), 0)) AS BIGINT)
          + 50000000) / 100000000 AS p10
    FROM last_reports lr JOIN leaves l ON l.project_id = lr.project_id
   GROUP BY lr.id, lr.project_id, lr.reported_on
),
spans AS (
  SELECT g.id, g.project_id, g.p10,
         CASE WHEN {normal} < 0 THEN 1 ELSE {normal} + 1 END AS normal,
         CASE WHEN {gone} < 0 THEN 1 ELSE {gone} + 1 END AS gone
    FROM progress g JOIN projects_project p ON p.id = g.project_id
),
paces AS (
  SELECT id, project_id,
         CASE WHEN (p10 * normal + 5 * gone) / (10 * gone) > 500 THEN 500
              ELSE (p10 * normal + 5 * gone) / (10 * gone) END AS pace
    FROM spans
)"""
SPEED_SELECT = """
SELECT s.pk, 'projects.speed', SUM(pc.pace) / 100.0, COUNT(*)
  FROM paces pc JOIN projects_project pr ON pr.id = pc.project_id AND {counted}
  {subject}
 WHERE NOT {excluded}
 GROUP BY s.pk"""

# Branch meetings. A held meeting counts its attendance on its day: for its branch and
# township the meeting's typed figures, for each member on its list (leave excused) one
# expected and, present or online, one attended.
MEETINGS = """
SELECT s.pk, 'branchlife.attendance', SUM(m.present + m.online), SUM(m.expected)
  FROM branchlife_meeting m
  {subject}
 WHERE m.state IN ('held', 'closed') AND m.held_on BETWEEN @d0 AND @d1
   AND NOT {excluded}
 GROUP BY s.pk"""
MEETINGS_SUBJECT = {"branch": "JOIN subj s ON s.unit_id = m.branch_id"}
ATTENDANCE = """
SELECT pm.person_id, 'branchlife.attendance',
       SUM(CASE WHEN a.status IN ('present', 'online') THEN 1 ELSE 0 END), COUNT(*)
  FROM branchlife_attendance a JOIN branchlife_meeting m ON m.id = a.meeting_id
  JOIN organisation_partymember pm ON pm.id = a.member_id
 WHERE a.member_id IN (SELECT pm2.id FROM organisation_partymember pm2
                         JOIN subj s ON s.pk = pm2.person_id)
   AND a.status <> 'leave' AND m.state IN ('held', 'closed')
   AND m.held_on BETWEEN @d0 AND @d1
   AND NOT {excluded}
 GROUP BY pm.person_id"""
# A required meeting of a branch in a period counts on its deadline (the N-th working day of
# the period, from `judged`; the branch's fixed day for a monthly life day), due, and on time
# when the branch's first credit of that type in the period is by then; a month's
# obligations count once a meeting of that month is recorded anywhere. Deadlines as yyyymmdd.
OBLIGATIONS = """
judged(type_id, judged_key, m_from, m_to, due_key, life) AS (VALUES {judged}),
obligations AS (
  SELECT s.pk, b.id AS branch_id, j.type_id, j.judged_key,
         CASE WHEN j.life = 1 AND fd.day IS NOT NULL THEN j.m_from * 100 + fd.day
              ELSE j.due_key END AS due_key,
         (SELECT MIN(c.month_key * 100 + c.day) FROM branchlife_meetingcredit c
           WHERE c.branch_id = b.id AND c.type_id = j.type_id
             AND c.month_key BETWEEN j.m_from AND j.m_to) AS first_key
    FROM organisation_unit b JOIN organisation_region br ON br.id = b.region_id
    {subject}
    CROSS JOIN judged j
    LEFT JOIN branchlife_branchlifeday fd ON fd.branch_id = b.id
   WHERE b.kind = 'party_branch'
     AND EXISTS (SELECT 1 FROM branchlife_meetingcredit c WHERE c.month_key = j.judged_key)
)"""
OBLIGATIONS_SUBJECT = {
    "branch": "JOIN subj s ON s.unit_id = b.id",
    "township": "JOIN subj s ON s.region_id = br.township_id",
}
OBLIGATIONS_SELECT = """
SELECT o.pk, 'branchlife.on_time',
       SUM(CASE WHEN o.first_key <= o.due_key THEN 1 ELSE 0 END), COUNT(*)
  FROM obligations o
 WHERE o.due_key BETWEEN @k0 AND @k1
   AND NOT {excluded}
 GROUP BY o.pk"""

# Volunteering: confirmed hours (more than none) on the activity's day, for the volunteer and
# their branch (a party member); an appeal of the activity's team takes them away.
HOURS = """
SELECT {key}, 'volunteers.hours', SUM(pa.hours), 0
  FROM volunteers_participation pa
  JOIN volunteers_activity ac ON ac.id = pa.activity_id
  JOIN volunteers_profile pf ON pf.id = pa.profile_id
  JOIN organisation_volunteer v ON v.id = pf.volunteer_id
  {subject}
 WHERE pa.profile_id IN (SELECT pf2.id FROM volunteers_profile pf2
                           JOIN organisation_volunteer v ON v.id = pf2.volunteer_id {subject})
   AND pa.confirmed_at IS NOT NULL AND pa.hours > 0
   AND ac.starts_at >= @t0 AND ac.starts_at < @t1
   AND NOT EXISTS (SELECT 1 FROM tallies_exclusion x
                     JOIN volunteers_team t ON t.unit_id = x.unit_id
                    WHERE x.source = 'volunteers' AND x.record = pa.id AND t.id = ac.team_id)
 GROUP BY {key}"""
# (the key, the join to the group's subjects), also used as the filter of the profiles: the
# county's volunteers first, their participations then.
HOURS_SUBJECT = {
    "branch": (
        "pm.branch_id",
        "JOIN organisation_partymember pm ON pm.person_id = v.person_id"
        " JOIN subj s ON s.unit_id = pm.branch_id",
    ),
    "person": ("v.person_id", "JOIN subj s ON s.pk = v.person_id"),
}
# Deeds: confirmed, on the day done, for the doer and the deed's branch; an appeal of the
# unit responsible (the branch, else the team, else the doer's or the author's department).
DEED_RESPONSIBLE = """COALESCE(d.branch_id, d.team_id,
  (SELECT cu.id FROM organisation_cadre ca JOIN organisation_unit cu ON cu.id = ca.unit_id
    WHERE ca.person_id = d.person_id AND cu.kind = 'department'),
  (SELECT au.id FROM core_user au_user JOIN organisation_unit au ON au.id = au_user.unit_id
    WHERE au_user.id = d.author_id AND au.kind = 'department'))"""
DEEDS = """
SELECT s.pk, 'deeds.count', COUNT(*), 0
  FROM deeds_deed d
  JOIN subj s ON s.{column} = d.{field}
 WHERE d.state = 'confirmed' AND d.done_on BETWEEN @d0 AND @d1
   AND NOT {excluded}
 GROUP BY s.pk"""
# Needs surveys: each need on the day it was raised, met when resolved or its case closed;
# for the village's township and the village's (first) branch.
NEEDS = """
SELECT s.pk, 'surveys.needs_met',
       SUM(CASE WHEN n.state = 'resolved' OR c.state = 'closed' THEN 1 ELSE 0 END), COUNT(*)
  FROM surveys_need n JOIN surveys_visit vi ON vi.id = n.visit_id
  JOIN organisation_region nr ON nr.id = n.village_id
  LEFT JOIN cases_case c ON c.id = n.case_id
  {subject}
 WHERE vi.visited_at >= @t0 AND vi.visited_at < @t1 {extra}
 GROUP BY s.pk"""
VILLAGE_OF = "CASE {r}.level WHEN 'village' THEN {r}.id WHEN 'group' THEN {r}.parent_id END"
NEEDS_SUBJECT = {
    "township": ("JOIN subj s ON s.region_id = nr.township_id", ""),
    "branch": (
        "JOIN subj s ON s.k = 1 AND s.region_id = " + VILLAGE_OF.format(r="nr"),
        "AND NOT " + _excluded("surveys", "n.id", "s.unit_id"),
    ),
}
# Councils: each standing decision on its day, carried out once its result is public.
DECISIONS = """
SELECT s.pk, 'councils.carried_out',
       SUM(CASE WHEN p.state = 'result_published' THEN 1 ELSE 0 END), COUNT(*)
  FROM councils_proposal p JOIN organisation_region pr ON pr.id = p.region_id
  {subject}
 WHERE p.decided_at >= @t0 AND p.decided_at < @t1 AND p.state <> 'set_aside' {extra}
 GROUP BY s.pk"""
DECISIONS_SUBJECT = {
    "township": ("JOIN subj s ON s.region_id = pr.township_id", ""),
    "branch": (
        "JOIN subj s ON s.k = 1 AND s.region_id = " + VILLAGE_OF.format(r="pr"),
        "AND NOT " + _excluded("councils", "p.id", "s.unit_id"),
    ),
}
# Centres and stations: ratings on the day rated, satisfied from 4, for the centre's township.
RATINGS = """
SELECT s.pk, 'platforms.satisfaction',
       SUM(CASE WHEN ra.score >= 4 THEN 1 ELSE 0 END), COUNT(*)
  FROM platforms_rating ra JOIN platforms_servicerecord sr ON sr.id = ra.record_id
  JOIN organisation_unit u ON u.id = sr.unit_id
  JOIN organisation_region ur ON ur.id = u.region_id
  JOIN subj s ON s.region_id = ur.township_id
 WHERE ra.rated_at >= @t0 AND ra.rated_at < @t1
   AND NOT {excluded}
 GROUP BY s.pk"""

# What each group's statement computes: (its CTEs, its sub-selects), in the tree's order.
PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "township": (
        ("cases_u", "speed", "obligations"),
        ("cases_u", "milestones", "speed", "needs", "ratings", "obligations", "decisions"),
    ),
    "department": (("cases_u", "speed"), ("cases_u", "milestones", "speed")),
    "branch": (
        ("cases_r", "obligations"),
        ("cases_r", "hours", "deeds", "needs", "obligations", "meetings", "decisions"),
    ),
    "cadre": (("cases_p", "speed"), ("cases_p", "milestones", "speed", "hours")),
    "member": ((), ("hours", "deeds", "attendance")),
}
# The indicators each sub-select gives.
GIVES = {
    "cases_u": (
        "cases.response",
        "cases.resolution",
        "cases.satisfaction",
        "cases.on_time_closure",
    ),
    "cases_p": (
        "cases.response",
        "cases.resolution",
        "cases.satisfaction",
        "cases.on_time_closure",
    ),
    "cases_r": ("cases.resolution", "cases.satisfaction"),
    "milestones": ("projects.milestones_on_time",),
    "speed": ("projects.speed",),
    "needs": ("surveys.needs_met",),
    "ratings": ("platforms.satisfaction",),
    "obligations": ("branchlife.on_time",),
    "meetings": ("branchlife.attendance",),
    "attendance": ("branchlife.attendance",),
    "decisions": ("councils.carried_out",),
    "hours": ("volunteers.hours",),
    "deeds": ("deeds.count",),
}


def group_sql(group: str, vendor: str, judged: str, only: tuple[str, ...] = ()) -> str:
    """The one statement of a group: (subject pk, indicator, amount, base) rows (`only`: just
    these sub-selects, to see what each costs)."""
    d = DIALECTS[vendor]
    data = {
        "lead": d["int"].format(key="lead_unit_id"),
        "on_time": d["true"].format(key="on_time"),
        "resolved": d["true"].format(key="resolved"),
        "satisfaction": d["int"].format(key="satisfaction"),
        "replier": d["int"].format(key="replied_by_person_id"),
        "dispatched_on": d["text"].format(key="dispatched_on"),
    }
    person = group in ("cadre", "member")
    # The township group reads the sources' figures of its region.
    region = "s.region_id" if group == "township" else ""
    ctes_of = {
        "cases_u": lambda: CASES_UNIT.format(**data),
        "cases_p": lambda: CASES_PERSON.format(**data),
        "cases_r": lambda: CASES_REGION.format(**data),
        "speed": lambda: SPEED.format(
            month=d["month"].format(day="r.reported_on"),
            normal=d["days"].format(a="p.planned_finish", b="p.planned_start"),
            gone=d["days"].format(a="g.reported_on", b="COALESCE(p.started_on, p.planned_start)"),
        ),
        "obligations": lambda: OBLIGATIONS.format(
            judged=judged, subject=OBLIGATIONS_SUBJECT[group]
        ),
    }
    selects_of: dict[str, Callable[[], str]] = {
        "cases_u": lambda: CASES_SELECTS["cases_u"],
        "cases_p": lambda: CASES_SELECTS["cases_p"],
        "cases_r": lambda: CASES_SELECTS["cases_r"],
        "milestones": lambda: MILESTONES.format(
            counted=PROJECTS_COUNTED,
            subject=PROJECT_SUBJECT[group],
            excluded=_excluded("projects", "2 * i.id", "pr.owner_id", region),
        ),
        "speed": lambda: SPEED_SELECT.format(
            counted=PROJECTS_COUNTED,
            subject=PROJECT_SUBJECT[group],
            excluded=_excluded("projects", "2 * pc.id + 1", "pr.owner_id", region),
        ),
        "needs": lambda: NEEDS.format(
            subject=NEEDS_SUBJECT[group][0], extra=NEEDS_SUBJECT[group][1]
        ),
        "ratings": lambda: RATINGS.format(
            excluded=_excluded("platforms", "sr.id", "sr.unit_id", region)
        ),
        "obligations": lambda: OBLIGATIONS_SELECT.format(
            excluded=_excluded(
                "branchlife",
                "(CAST(o.judged_key AS BIGINT) * 10000 + o.type_id) * 100000000 + o.branch_id",
                "o.branch_id",
                "o.pk" if region else "",
            )
        ),
        "meetings": lambda: MEETINGS.format(
            subject=MEETINGS_SUBJECT[group],
            excluded=_excluded("branchlife", "m.id", "m.branch_id"),
        ),
        "attendance": lambda: ATTENDANCE.format(
            excluded=_excluded("branchlife", "m.id", "m.branch_id")
        ),
        "decisions": lambda: DECISIONS.format(
            subject=DECISIONS_SUBJECT[group][0], extra=DECISIONS_SUBJECT[group][1]
        ),
        "hours": lambda: HOURS.format(
            key=HOURS_SUBJECT["person" if person else group][0],
            subject=HOURS_SUBJECT["person" if person else group][1],
        ),
        "deeds": lambda: DEEDS.format(
            column="pk" if person else "unit_id",
            field="person_id" if person else "branch_id",
            excluded=_excluded("deeds", "d.id", DEED_RESPONSIBLE),
        ),
    }
    ctes, selects = PARTS[group]
    if only:
        selects = tuple(s for s in selects if s in only)
        ctes = tuple(c for c in ctes if c in selects)
    return (
        "WITH "
        + ",".join([SUBJECTS[group], *(ctes_of[c]() for c in ctes)])
        + "\n"
        + "\nUNION ALL".join(selects_of[s]() for s in selects)
    )


def bind(sql: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
    """@name placeholders to the driver's %s and the parameters in their order."""
    return re.sub(r"@\w+", "%s", sql), [values[name] for name in re.findall(r"@(\w+)", sql)]


def judged_values(start: Any, end: Any) -> str:
    """Every period of a required meeting type overlapping start…end: (type, judged month,
    first and last month, the county's deadline as yyyymmdd, whether a branch's fixed life day
    replaces it) — the deadline from the official working-day calendar, in Python."""
    import datetime as dt

    from wenmin.branchlife import rules
    from wenmin.branchlife.models import MeetingType
    from wenmin.branchlife.tallies import _working_day

    working = _working_day()

    def month_key(day: dt.date) -> int:
        return day.year * 100 + day.month

    rows = []
    for meeting_type in MeetingType.objects.filter(required=True).order_by("pk"):
        rule = rules.Rule(
            meeting_type.pk, meeting_type.code, meeting_type.frequency, meeting_type.due_working_day
        )
        life = int(meeting_type.code == rules.LIFE_DAY and meeting_type.frequency == rules.MONTHLY)
        day = start
        while day <= end:
            period = rules.period_of(meeting_type.frequency, day)
            due = rules.deadline(rule, period, working)
            rows.append(
                f"({meeting_type.pk}, {month_key(period[1])}, {month_key(period[0])}, "
                f"{month_key(period[1])}, {month_key(due) * 100 + due.day}, {life})"
            )
            day = period[1] + dt.timedelta(days=1)
    return ", ".join(rows) or "(0, 0, 0, 0, 0, 0)"


# The measuring process (run with --measure, inside the prepared environment) -----------------


def _figures_standing(found: Any) -> dict[tuple[int, str], tuple[float, float]]:
    return {
        (row.pk, key): (value.amount, value.base)
        for row in found.rows
        for key, value in row.values.items()
        if value.available and (value.amount or value.base)
    }


def _figures_sql(rows: list[tuple[Any, ...]]) -> dict[tuple[int, str], tuple[float, float]]:
    found = {}
    for pk, key, amount, base in rows:
        figure = (float(amount or 0), float(base or 0))
        if figure != (0.0, 0.0):
            found[(int(pk), key)] = figure
    return found


def _data(counties: list[Any]) -> dict[str, dict[str, int]]:
    """What the seed wrote in each county: cases, and each source's records counted for its
    townships (not timed)."""
    from django.db.models import Count

    from wenmin.cases.models import Case
    from wenmin.organisation.models import Region, RegionLevel
    from wenmin.tallies.models import Entry

    found: dict[str, dict[str, int]] = {}
    for county in counties:
        townships = list(
            Region.objects.filter(
                level=RegionLevel.TOWNSHIP, path__startswith=county.path
            ).values_list("pk", flat=True)
        )
        row = {"cases": Case.objects.filter(region__path__startswith=county.path).count()}
        for item in (
            Entry.objects.filter(subject_type="region", subject_id__in=townships)
            .values("source")
            .annotate(n=Count("record", distinct=True))
            .order_by("source")
        ):
            row[item["source"]] = item["n"]
        found[county.name] = row
    return found


def measure(runs: int, counties_wanted: int) -> dict[str, Any]:
    """Time standing and the SQL for every group, county and period; medians in ms."""
    import datetime as dt

    import django

    django.setup()
    gc.freeze()  # as the server's workers do once loaded (wenmin/wsgi.py)
    from django.db import connection
    from django.utils import timezone

    from wenmin.core.workdays import SHANGHAI
    from wenmin.organisation.models import Region, RegionLevel
    from wenmin.scoreboard.overall import standing
    from wenmin.scoreboard.periods import Period

    vendor = connection.vendor
    today = timezone.localdate()
    month = Period.month(today.year, today.month).previous()
    periods = [month, Period.year(month.start.year)]
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    counties = counties[: counties_wanted or None]

    def values(period: Any, county: Any) -> dict[str, Any]:
        # The days of the period that have happened, as the standing counts them (a deadline
        # or a planned finish still ahead is not missed yet).
        start, end = period.start, min(period.end, today)
        moment = connection.ops.adapt_datetimefield_value
        return {
            "path": f"{county.path}%",
            "t0": moment(dt.datetime.combine(start, dt.time(0), SHANGHAI)),
            "t1": moment(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), SHANGHAI)),
            "d0": start.isoformat(),
            "d1": end.isoformat(),
            "s0": start.isoformat(),
            "s1": end.isoformat(),
            "k0": int(start.strftime("%Y%m%d")),
            "k1": int(end.strftime("%Y%m%d")),
        }

    def by_sql(group: str, period: Any, county: Any) -> list[tuple[Any, ...]]:
        end = min(period.end, today)
        judged = judged_values(period.start, end) if group in ("township", "branch") else ""
        sql, params = bind(group_sql(group, vendor, judged), values(period, county))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def by_standing(group: str, period: Any, county: Any) -> Any:
        return standing(group=group, period=period, county=county)

    scopes = [(g, p, c) for p in periods for g in GROUPS for c in counties]
    # The check (and a warm-up): both ways' figures, subject by subject.
    checked: dict[str, dict[str, Any]] = {}
    for group, period, county in scopes:
        found = by_standing(group, period, county)
        a = _figures_standing(found)
        b = _figures_sql(by_sql(group, period, county))
        names = {row.pk: str(row.subject) for row in found.rows}
        covered = {m for part in PARTS[group][1] for m in GIVES[part]}
        entry = checked.setdefault(
            f"{group} {period.label}",
            {"figures": 0, "mismatches": 0, "examples": [], "not_in_sql": [], "subjects": 0},
        )
        entry["not_in_sql"] = sorted(set(found.measures) - covered)
        entry["subjects"] += len(found.rows)
        for key in sorted(set(a) | set(b)):
            entry["figures"] += 1
            mine, theirs = a.get(key, (0.0, 0.0)), b.get(key, (0.0, 0.0))
            if all(abs(x - y) <= TOLERANCE for x, y in zip(mine, theirs, strict=True)):
                continue
            entry["mismatches"] += 1
            if len(entry["examples"]) < 6:
                entry["examples"].append(
                    {
                        "county": county.name,
                        "subject": key[0],
                        "name": names.get(key[0], "(not a subject)"),
                        "indicator": key[1],
                        "standing": mine,
                        "sql": theirs,
                    }
                )
    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for group, period, county in scopes:  # interleaved: drift hits both alike
            for way, call in (("standing", by_standing), ("sql", by_sql)):
                started = time.perf_counter()
                call(group, period, county)
                timings[f"{group}|{period.label}|{county.pk}|{way}"].append(
                    time.perf_counter() - started
                )
    ms: dict[str, dict[str, float]] = {}
    first = counties[0]
    for period in periods:
        for group in GROUPS:
            for way in ("standing", "sql"):
                one = timings[f"{group}|{period.label}|{first.pk}|{way}"]
                every = [
                    sum(timings[f"{group}|{period.label}|{c.pk}|{way}"][run] for c in counties)
                    for run in range(runs)
                ]
                scope = ms.setdefault(f"{group} {period.label}", {})
                scope[f"first_{way}"] = 1000 * statistics.median(one)
                scope[f"all_{way}"] = 1000 * statistics.median(every)
    return {
        "month": month.label,
        "counties": len(counties),
        "first_county": first.name,
        "runs": runs,
        "ms": ms,
        "checked": checked,
        "data": _data(counties),
    }


# The driver -------------------------------------------------------------------------------


def bench_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    print(f"-- {name}: migrate, seed --scale {args.scale} …", flush=True)
    started = time.perf_counter()
    _wenmin(env, "migrate", "--no-input", "-v", "0")
    seeded = time.perf_counter()
    # Every app's demo data; the seed's finishing steps count it into the daily counts (the
    # tallies' rebuild of every source, the scoreboard's of the cases) and ANALYZE.
    _wenmin(env, "seed", "--scale", args.scale, "--no-input")
    seed_seconds = time.perf_counter() - seeded
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return measure_in(name, env, args, seed_seconds)


def measure_in(
    name: str, env: dict[str, str], args: argparse.Namespace, seed_seconds: float | None
) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603  (this script)
        [
            PYTHON,
            __file__,
            "--measure",
            "--runs",
            str(args.runs),
            "--counties",
            str(args.counties),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"measuring on {name} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["backend"] = name
    result["seed_seconds"] = seed_seconds
    return result


def _postgres(base: dict[str, str], work: Path, args: argparse.Namespace) -> dict[str, Any] | None:
    with throwaway_postgres(f"wenmin_bench_overall_{os.getpid()}") as url:
        if url is None:
            return None
        env = {**base, "WENMIN_DATA_DIR": str(work / "pg"), "DATABASE_URL": url}
        return bench_backend("postgresql", env, args)


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    scale = "the database as it is" if args.reuse else f"scale {args.scale}"
    for r in results:
        seed = f"seeded in {r['seed_seconds']:.0f} s; " if r.get("seed_seconds") else ""
        print(
            f"\n{r['backend']}: {scale}, {seed}month {r['month']} and its year (to today), "
            f"{r['counties']} counties, medians of {r['runs']} runs"
        )
        print("   records per county (cases; each source's records counted for its townships):")
        for county, row in r["data"].items():
            print(f"   {county}: " + ", ".join(f"{k} {v:,}" for k, v in row.items()))
    print(
        f"\nStanding (all sources) vs one SQL per group over the raw tables, {scale}; "
        "'first': the first county alone, 'all': the sum over every county"
    )
    print(
        f"{'backend':<11} {'scope':<22} {'county':<6} {'standing ms':>12} {'SQL ms':>9} "
        f"{'ratio':>7}  figures  mismatches"
    )
    for r in results:
        for scope, ms in r["ms"].items():
            check = r["checked"][scope]
            for which in ("first", "all"):
                a, b = ms[f"{which}_standing"], ms[f"{which}_sql"]
                tail = (
                    f"  {check['figures']:>7}  {check['mismatches']:>10}" if which == "all" else ""
                )
                print(
                    f"{r['backend']:<11} {scope:<22} {which:<6} {a:>12.1f} {b:>9.1f} "
                    f"{a / b:>7.2f}{tail}"
                )
    for r in results:
        for scope, check in r["checked"].items():
            if check["not_in_sql"]:
                print(f"{r['backend']} {scope}: not computed by the SQL: {check['not_in_sql']}")
            for example in check["examples"]:
                print(f"{r['backend']} {scope} MISMATCH {example}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["county", "city"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--counties", type=int, default=0, help="only the first N counties")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgresql-only", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database of the environment (WENMIN_DATA_DIR, DATABASE_URL) as it is",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs, args.counties), default=str))
        return 0
    base = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "wenmin.settings",
        "WENMIN_ENV": "development",
        "WENMIN_DEBUG": "false",
        "WENMIN_LOG_LEVEL": "ERROR",
    }
    # Stopped (SIGTERM): leave through the `finally`s, which drop the temporary databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    results = []
    if args.reuse:
        env = {
            **base,
            **(
                {"DATABASE_URL": os.environ["DATABASE_URL"]} if "DATABASE_URL" in os.environ else {}
            ),
        }
        name = "postgresql" if "DATABASE_URL" in env else "sqlite"
        results.append(measure_in(name, env, args, None))
        report(results, args)
        return 0
    work = Path(tempfile.mkdtemp(prefix="wenmin-bench-"))
    try:
        if not args.postgresql_only:
            results.append(
                bench_backend("sqlite", {**base, "WENMIN_DATA_DIR": str(work / "sqlite")}, args)
            )
            report(results, args)  # at once: the PostgreSQL load takes as long again
        if not args.sqlite_only:
            pg = _postgres(base, work, args)
            if pg is not None:
                results.append(pg)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"scoreboard-overall-{args.scale}.json").write_text(
        json.dumps(results, indent=2, default=str)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
