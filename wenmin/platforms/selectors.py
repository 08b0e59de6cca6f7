"""Scoped reads of the centres and stations, and the figures on their pages (each with the query
of exactly the records it counts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wenmin.core.lookups import id_or_404
from wenmin.organisation.models import Unit, Volunteer
from wenmin.platforms import access
from wenmin.platforms.models import (
    PLATFORM_KINDS,
    SATISFIED_FROM,
    SERVICE_RESULTS,
    DutyShift,
    Errand,
    PlatformHours,
    QueueTicket,
    Rating,
    Result,
    ServiceItem,
    ServiceRecord,
    StationVisit,
)

PAGE_SIZE = 50


def platforms_all() -> QuerySet[Unit]:
    return Unit.objects.filter(kind__in=PLATFORM_KINDS).select_related("region")


def platforms_visible_to(user: Any) -> QuerySet[Unit]:
    """The centres and stations whose staff pages the viewer may open."""
    units = platforms_all()
    if not access.platforms_user(user):
        return units.none()
    if access.sees_whole_county(user):
        return units
    township = access.township_path(user)
    if township is not None:
        return units.filter(region__path__startswith=township)
    village = access.village_path(user)
    if village is not None:
        return units.filter(region__path__startswith=village)
    return units.filter(pk=getattr(user, "unit_id", None) or 0)


def platform_get_for(user: Any, unit_id: Any) -> Unit:
    """A centre or station the viewer may open, else 404."""
    unit = platforms_visible_to(user).filter(pk=id_or_404(unit_id)).first()
    if unit is None:
        raise Http404
    return unit


def platform_public(unit_id: Any) -> Unit:
    """Any centre or station: their public pages are for everyone."""
    unit = platforms_all().filter(pk=id_or_404(unit_id)).first()
    if unit is None:
        raise Http404
    return unit


def catalogue(unit: Unit, *, offered_only: bool = True) -> QuerySet[ServiceItem]:
    items = ServiceItem.objects.filter(unit=unit)
    return items.filter(active=True) if offered_only else items


def hours_of(unit: Unit) -> str:
    return PlatformHours.objects.filter(unit=unit).values_list("hours", flat=True).first() or ""


def duty_on(unit: Unit, day: dt.date) -> list[DutyShift]:
    return list(
        DutyShift.objects.filter(unit=unit, day=day).select_related("cadre__person", "cadre__unit")
    )


def roster(unit: Unit, start: dt.date, days: int = 14) -> list[DutyShift]:
    return list(
        DutyShift.objects.filter(unit=unit, day__gte=start, day__lt=start + dt.timedelta(days))
        .select_related("cadre__person", "cadre__unit")
        .order_by("day", "cadre__person__name")
    )


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of a month and of the next, in the county's time."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=timezone.get_current_timezone())
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following


def services_in(unit: Unit, month: dt.date) -> QuerySet[ServiceRecord]:
    """The services given (a case opened is not one) at a centre in a month: the one rule the
    figure and its list share."""
    start, end = month_bounds(month)
    return ServiceRecord.objects.filter(
        unit=unit, result__in=SERVICE_RESULTS, started_at__gte=start, started_at__lt=end
    )


def tickets_called_in(unit: Unit, month: dt.date) -> QuerySet[QueueTicket]:
    """The tickets called in a month: those whose waiting time is known."""
    start, end = month_bounds(month)
    return QueueTicket.objects.filter(
        unit=unit, called_at__isnull=False, issued_at__gte=start, issued_at__lt=end
    )


def ratings_in(unit: Unit, month: dt.date) -> QuerySet[Rating]:
    start, end = month_bounds(month)
    return Rating.objects.filter(unit=unit, rated_at__gte=start, rated_at__lt=end)


@dataclass(frozen=True)
class Figures:
    month: dt.date
    services: int
    tickets_called: int
    mean_wait_minutes: float | None
    ratings: int
    satisfied: int

    @property
    def satisfaction(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None


def figures(unit: Unit, month: dt.date) -> Figures:
    """A month's services, mean waiting time (of the tickets called) and satisfaction."""
    waits = tickets_called_in(unit, month).aggregate(
        n=Count("id"), mean=Avg(F("called_at") - F("issued_at"))
    )
    mean = waits["mean"]
    ratings = ratings_in(unit, month).aggregate(
        n=Count("id"), satisfied=Count("id", filter=Q(score__gte=SATISFIED_FROM))
    )
    return Figures(
        month=month,
        services=services_in(unit, month).count(),
        tickets_called=waits["n"],
        mean_wait_minutes=round(_seconds(mean) / 60, 1) if mean is not None else None,
        ratings=ratings["n"],
        satisfied=ratings["satisfied"],
    )


def _seconds(value: Any) -> float:
    # SQLite answers the mean of a difference of date-times in microseconds, PostgreSQL as a
    # timedelta.
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000


def services_by_month(unit: Unit, last: dt.date, months: int = 12) -> list[tuple[dt.date, int]]:
    """The services given in each of the last months (the latest first)."""
    result = []
    month = last.replace(day=1)
    for _i in range(months):
        result.append((month, services_in(unit, month).count()))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return result


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of `first` and of the day after `last`, in the county's time."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def records_between(
    unit: Unit, first: dt.date, last: dt.date, result: str = ""
) -> QuerySet[ServiceRecord]:
    """A centre's service records (a walk-in opened as a case too) that started from `first` to
    `last`, both included; of one result when given."""
    start, end = day_bounds(first, last)
    records = ServiceRecord.objects.filter(unit=unit, started_at__gte=start, started_at__lt=end)
    return records.filter(result=result) if result else records


@dataclass(frozen=True)
class RecordTotals:
    records: int
    services: int
    done: int
    mean_minutes: float | None
    tickets: int
    mean_wait_minutes: float | None
    ratings: int
    satisfied: int

    @property
    def satisfaction(self) -> float | None:
        """The share of ratings that are satisfied (0–1), None without a rating."""
        return self.satisfied / self.ratings if self.ratings else None


def record_totals(records: QuerySet[ServiceRecord]) -> RecordTotals:
    """How many records, services given and done; mean minutes taken and waited (of the tickets
    called); ratings and how many satisfied: one query."""
    called = Q(ticket__called_at__isnull=False)
    row = records.aggregate(
        records=Count("id"),
        services=Count("id", filter=Q(result__in=SERVICE_RESULTS)),
        done=Count("id", filter=Q(result=Result.DONE)),
        taken=Avg(F("ended_at") - F("started_at")),
        tickets=Count("id", filter=called),
        wait=Avg(F("ticket__called_at") - F("ticket__issued_at"), filter=called),
        ratings=Count("rating"),
        satisfied=Count("rating", filter=Q(rating__score__gte=SATISFIED_FROM)),
    )
    return RecordTotals(
        records=row["records"],
        services=row["services"],
        done=row["done"],
        mean_minutes=_minutes(row["taken"]),
        tickets=row["tickets"],
        mean_wait_minutes=_minutes(row["wait"]),
        ratings=row["ratings"],
        satisfied=row["satisfied"],
    )


def _minutes(mean: Any) -> float | None:
    return round(_seconds(mean) / 60, 1) if mean is not None else None


def records_of(unit: Unit) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(unit=unit).select_related("item", "resident", "ticket")


def tickets_today(unit: Unit, day: dt.date) -> QuerySet[QueueTicket]:
    return QueueTicket.objects.filter(unit=unit, day=day).order_by("number")


def visits_of(unit: Unit) -> QuerySet[StationVisit]:
    return StationVisit.objects.filter(unit=unit).select_related("visitor", "case")


def errands_of(unit: Unit) -> QuerySet[Errand]:
    return Errand.objects.filter(unit=unit).select_related("item", "resident", "volunteer__person")


def volunteer_of(user: Any) -> Volunteer | None:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return Volunteer.objects.filter(person_id=person_id).select_related("team__region").first()


def errands_for_volunteer(user: Any) -> tuple[QuerySet[Errand], QuerySet[Errand]]:
    """Errands a volunteer may take (untaken, in their team's township, or their own
    township) and those they carry."""
    volunteer = volunteer_of(user)
    if volunteer is None:
        return Errand.objects.none(), Errand.objects.none()
    mine = errands_of_all().filter(volunteer=volunteer).order_by("step", "-created_at")
    region = volunteer.team.region if volunteer.team is not None else volunteer.person.region
    if region is None:
        return Errand.objects.none(), mine
    township = region.township or region
    open_ = (
        errands_of_all()
        .filter(volunteer__isnull=True, unit__region__path__startswith=township.path)
        .order_by("created_at")
    )
    return open_, mine


def errands_of_all() -> QuerySet[Errand]:
    return Errand.objects.select_related("item", "resident", "unit", "volunteer__person")


def errand_get_for_volunteer(user: Any, errand_id: Any) -> Errand:
    """An errand the volunteer carries or may take, else 404."""
    pk = id_or_404(errand_id)
    open_, mine = errands_for_volunteer(user)
    errand = mine.filter(pk=pk).first() or open_.filter(pk=pk).first()
    if errand is None:
        raise Http404
    return errand


def errand_get_for(user: Any, errand_id: Any) -> Errand:
    """An errand of a centre the viewer may open, else 404."""
    errand = (
        errands_of_all()
        .filter(pk=id_or_404(errand_id), unit__in=platforms_visible_to(user))
        .first()
    )
    if errand is None:
        raise Http404
    return errand
