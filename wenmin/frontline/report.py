"""The yearly evaluation report (年度考核) of a cadre and of a unit, as organisation departments
lay it out: basic information, posts held, the year's work by section, the field inspections,
the year's comparison scores (a unit's also its own place in the comparison, a section the
scoreboard registers), and a blank for the department's assessment, signature and date.
The page prints it; `cadre_workbook` and `unit_workbook` write the same as Excel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wenmin.core import dossier
from wenmin.core.excel import StreamedWorkbook, Styled
from wenmin.frontline.dossier import KEY as INSPECTIONS
from wenmin.frontline.links import figure_url
from wenmin.frontline.selectors import Post, posts_of, unit_cadres, year_bounds
from wenmin.organisation.models import Person, Region, Unit

SCORES = "scores"  # the year's comparison scores: a section the scoreboard registers
GRADES = ("优秀", "称职", "基本称职", "不称职")  # the four grades of 年度考核
UNIT_CADRES_MAX = 200


@dataclass(frozen=True)
class ReportSection:
    """A section as the report shows it: each figure with the page of its records."""

    section: dossier.Section
    figures: list[tuple[dossier.Figure, str]]

    @property
    def key(self) -> str:
        return self.section.key


@dataclass
class CadreReport:
    person: Person
    county: Region
    year: int
    start: dt.date
    end: dt.date
    posts: list[Post]
    work: list[ReportSection]
    inspections: ReportSection | None
    scores: ReportSection | None
    generated: dt.datetime = field(default_factory=timezone.now)


def split(sections: list[ReportSection]) -> tuple[list[ReportSection], Any, Any]:
    """The work sections, the inspections and the scores, apart (the form's order)."""
    work = [s for s in sections if s.key not in (INSPECTIONS, SCORES)]
    inspections = next((s for s in sections if s.key == INSPECTIONS), None)
    scores = next((s for s in sections if s.key == SCORES), None)
    return work, inspections, scores


def cadre_report(*, viewer: Any, person: Person, county: Region, year: int) -> CadreReport:
    """A cadre's report for a year: every registered section over its days."""
    start, end = year_bounds(year)
    sections = [
        ReportSection(s, [(f, figure_url(person.pk, s.key, f, year)) for f in s.figures])
        for s in dossier.dossier_sections(person=person, start=start, end=end, viewer=viewer)
    ]
    work, inspections, scores = split(sections)
    return CadreReport(
        person=person,
        county=county,
        year=year,
        start=start,
        end=end,
        posts=posts_of(person),
        work=work,
        inspections=inspections,
        scores=scores,
    )


@dataclass
class SectionTable:
    """One section across a unit's cadres: a row of its figures for each."""

    key: str
    title: Any
    labels: list[Any]
    rows: list[tuple[Person, list[tuple[dossier.Value, str]]]]  # each figure's value and link


@dataclass
class UnitReport:
    unit: Unit
    county: Region
    year: int
    start: dt.date
    end: dt.date
    cadres: list[Person]
    tables: list[SectionTable]
    sections: list[dossier.Section] = field(default_factory=list)  # the unit's own (registered)
    left_out: int = 0  # cadres beyond UNIT_CADRES_MAX, not in the report
    generated: dt.datetime = field(default_factory=timezone.now)

    @property
    def work(self) -> list[SectionTable]:
        return [t for t in self.tables if t.key not in (INSPECTIONS, SCORES)]

    @property
    def inspections(self) -> SectionTable | None:
        return next((t for t in self.tables if t.key == INSPECTIONS), None)

    @property
    def scores(self) -> SectionTable | None:
        return next((t for t in self.tables if t.key == SCORES), None)


def unit_report(*, viewer: Any, unit: Unit, county: Region, year: int) -> UnitReport:
    """A unit's report for a year: each section's figures for each of its cadres."""
    start, end = year_bounds(year)
    everyone = unit_cadres(unit)
    cadres = everyone[:UNIT_CADRES_MAX]
    tables: dict[str, SectionTable] = {}
    for registered in dossier.sections_registered():
        for person in cadres:
            section = dossier.section_build(
                registered, person=person, start=start, end=end, viewer=viewer
            )
            table = tables.setdefault(
                registered.key,
                SectionTable(registered.key, section.title, [f.label for f in section.figures], []),
            )
            cells = [
                (f.value, figure_url(person.pk, section.key, f, year)) for f in section.figures
            ]
            table.rows.append((person, cells))
    return UnitReport(
        unit=unit,
        county=county,
        year=year,
        start=start,
        end=end,
        cadres=cadres,
        tables=list(tables.values()),
        sections=dossier.unit_sections(unit=unit, start=start, end=end, viewer=viewer),
        left_out=len(everyone) - len(cadres),
    )


# Excel ------------------------------------------------------------------------------------------


def _title(sheet: Any, text: str) -> None:
    sheet.append([Styled(text, bold=True, size=14)])


def _heading(sheet: Any, text: Any) -> None:
    sheet.append([])
    sheet.append([Styled(str(text), bold=True, size=12)])


def _assessment(sheet: Any) -> None:
    _heading(sheet, _("Assessment by the organisation department"))
    sheet.append([_("Grade"), " / ".join(GRADES), ""])
    sheet.append([_("Opinion"), ""])
    sheet.append([_("Signature"), "", _("Date"), ""])


def _section_rows(sheet: Any, shown: ReportSection) -> None:
    section = shown.section
    _heading(sheet, section.title)
    for figure in section.figures:
        sheet.append([str(figure.label), figure.value, str(figure.unit)])
    rows = section.listed
    if rows:
        sheet.header([pgettext("a record behind a figure", "Record"), _("Date"), _("Detail")])
        for row in rows:
            sheet.append([row.label, row.day, row.detail])
    elif section.is_empty:
        sheet.append([str(section.empty)])


def _unit_section_rows(sheet: Any, section: dossier.Section) -> None:
    """A unit's own section: its figures, then its table with each sample beside its value."""
    _heading(sheet, section.title)
    if section.note:
        sheet.append([str(section.note)])
    for figure in section.figures:
        sheet.append([str(figure.label), figure.value, str(figure.unit)])
    table = section.table
    if table is not None and table.rows:
        headers = [_("Period")]
        for column in table.columns:
            headers.append(str(column.label))
            if column.sampled:
                headers.append(_("%(indicator)s: sample") % {"indicator": column.label})
        sheet.header(headers)
        for row, pairs in table.lines:
            values: list[Any] = [row.label]
            for column, cell in pairs:
                values.append(cell.value)
                if column.sampled:
                    values.append(cell.sample)
            sheet.append(values)
    if section.is_empty:
        sheet.append([str(section.empty)])


def cadre_workbook(report: CadreReport, target: IO[bytes]) -> None:
    """The cadre's report as one sheet, in the form's order."""
    book = StreamedWorkbook()
    sheet = book.sheet(_("Annual assessment"), widths={"A": 34, "B": 16, "C": 60, "D": 16})
    person, cadre = report.person, getattr(report.person, "cadre", None)
    _title(sheet, _("Annual assessment of a cadre, %(year)s") % {"year": report.year})
    _heading(sheet, _("Basic information"))
    sheet.append([_("Name"), person.name])
    sheet.append([_("Gender"), person.get_gender_display()])
    sheet.append([_("Birth year"), person.birth_year])
    sheet.append([_("Unit"), cadre.unit.name if cadre else ""])
    sheet.append([_("Position"), cadre.position if cadre else ""])
    sheet.append([_("Rank"), cadre.get_rank_display() if cadre else ""])
    _heading(sheet, _("Posts held"))
    sheet.header([_("Post"), _("From"), _("Where"), _("Until")])
    for post in report.posts:
        until = post.end or (_("now") if post.current else "")
        sheet.append([post.title, post.start, post.where, until])
    for section in report.work:
        _section_rows(sheet, section)
    if report.inspections is not None:
        _section_rows(sheet, report.inspections)
    if report.scores is not None:
        _section_rows(sheet, report.scores)
    _assessment(sheet)
    book.save(target)


def unit_workbook(report: UnitReport, target: IO[bytes]) -> None:
    """The unit's report as one sheet: each section a table of its cadres."""
    book = StreamedWorkbook()
    sheet = book.sheet(_("Annual assessment"), widths={"A": 16, "B": 24})
    _title(
        sheet,
        _("Annual assessment of %(unit)s, %(year)s")
        % {"unit": report.unit.name, "year": report.year},
    )
    _heading(sheet, _("Basic information"))
    sheet.append([_("Unit"), report.unit.name])
    sheet.append([_("Cadres"), len(report.cadres)])
    tables = [*report.work, report.inspections, report.scores]
    for table in tables:
        if table is None:
            continue
        _heading(sheet, table.title)
        sheet.header([_("Name"), _("Position"), *[str(label) for label in table.labels]])
        for person, cells in table.rows:
            sheet.append([person.name, person.cadre.position, *[value for value, _url in cells]])
    for section in report.sections:
        _unit_section_rows(sheet, section)
    _heading(sheet, _("Grades"))
    sheet.header([_("Name"), _("Position"), _("Grade")])
    for person in report.cadres:
        sheet.append([person.name, person.cadre.position, ""])
    _assessment(sheet)
    book.save(target)


def report_filename(kind: str, name: str, year: int) -> str:
    return f"{year}-{kind}-{name}.xlsx"
