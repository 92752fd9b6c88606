"""The demo sales' calendar: the days of the sales window, their seasons (Ramadan, the Aïds, summer, the rentrée,
winter, December), how busy each day is, and each family's and season-tagged product's weight on each day.

Ramadan moves about eleven days earlier each year (from `services.demo.catalogue.RAMADAN_ANCHOR`); the sales are
placed on a "busy time" axis (the cumulative daily intensity) and mapped back to days by `SalesGenerator`.
"""

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from services.demo import catalogue as vocabulary

HOLIDAYS = ('ramadan', 'before_fitr', 'fitr', 'adha', 'adha_day')
# A day of several seasons takes the factor of the last one listed here: the later, the stronger.
BUSY_ORDER = ('august', 'december', 'rentree', 'ramadan', 'adha', 'before_fitr', 'adha_day', 'fitr')


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def ramadan_starts(first: date, last: date) -> list[date]:
    """First days of Ramadan (approximate, ±1 day) from a year before `first` to `last`."""
    anchor = date(*vocabulary.RAMADAN_ANCHOR)
    starts = []
    for k in range(-40, 40):
        start = anchor + timedelta(days=round(k * vocabulary.LUNAR_YEAR))
        if first - timedelta(days=400) <= start <= last:
            starts.append(start)
    return starts


def _holidays(first: date, last: date, days: int) -> dict[str, np.ndarray]:
    """Ramadan, the days before Aïd el-Fitr and the Aïd, the ten days before Aïd el-Adha and the Aïd."""
    flags = {name: np.zeros(days, dtype=bool) for name in HOLIDAYS}

    def mark(name: str, start: int, end: int) -> None:
        flags[name][max(start, 0):max(end, 0)] = True

    for start in ramadan_starts(first, last):
        offset = (start - first).days
        adha = offset + vocabulary.ADHA_AFTER_RAMADAN
        mark('ramadan', offset, offset + 30)
        mark('before_fitr', offset + 20, offset + 30)
        mark('fitr', offset + 30, offset + 32)
        mark('adha', adha - 10, adha)
        mark('adha_day', adha, adha + 2)
    return flags


def _seasons(first: date, last: date, dates: list[date]) -> dict[str, np.ndarray]:
    """Each season's days, as a boolean array over the window."""
    month = np.array([day.month for day in dates])
    day_of_month = np.array([day.day for day in dates])
    flags = _holidays(first, last, len(dates))
    flags['summer'] = (month >= 6) & (month <= 8)
    flags['winter'] = (month == 12) | (month <= 2)
    flags['rentree'] = ((month == 8) & (day_of_month >= 20)) | (month == 9)
    flags['december'] = month == 12
    flags['august'] = month == 8
    flags['other'] = ~flags['rentree']
    return flags


def _busy_time(flags: dict[str, np.ndarray], dates: list[date]) -> np.ndarray:
    """Busy time at the start of each day (and after the last): the cumulative daily intensity, scaled to the
    number of days."""
    days = len(dates)
    weekday = np.array([day.weekday() for day in dates])
    factor = np.ones(days)
    for name in BUSY_ORDER:
        factor[flags[name]] = vocabulary.DAY_FACTORS[name]
    growth = (1 + vocabulary.YEARLY_GROWTH) ** (np.arange(days) / 365)
    intensity = factor * np.array(vocabulary.WEEKDAY_FACTORS)[weekday] * growth
    busy = np.cumsum(intensity)
    return np.concatenate(([0.0], busy * (days / busy[-1])))


def _family_weights(flags: dict[str, np.ndarray], days: int) -> np.ndarray:
    families = [name for name, _, _ in vocabulary.FAMILIES]
    weights = np.ones((len(families), days))
    for index, name in enumerate(families):
        for season, weight in vocabulary.FAMILY_SEASONS[name].items():
            weights[index, flags[season]] *= weight
    return weights


def _season_combos(flags: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The combinations of season tags that occur, and each day's combination (an index into them)."""
    tag_seasons = {'summer': flags['summer'], 'winter': flags['winter'], 'rentree': flags['rentree'],
                   'ramadan': flags['ramadan'], 'aid': flags['before_fitr'] | flags['adha']}
    codes = sum(tag_seasons[tag].astype(int) << bit for bit, tag in enumerate(vocabulary.SEASON_TAGS))
    return np.unique(codes, return_inverse=True)


class Calendar:
    """The days of the sales window (`months` months up to `last`), their seasons, how busy each is, and each
    family's and season-tagged product's weight on each day."""

    def __init__(self, last: date, months: int, zone: ZoneInfo) -> None:
        self.first = months_before(last, months) + timedelta(days=1)
        self.last = last
        self.days = (last - self.first).days + 1
        dates = [self.first + timedelta(days=offset) for offset in range(self.days)]
        self.iso = [day.isoformat() for day in dates]
        self.flags = _seasons(self.first, last, dates)
        self.busy = _busy_time(self.flags, dates)
        self.family_weights = _family_weights(self.flags, self.days)
        self.combos, self.combo = _season_combos(self.flags)  # season combination of each day
        self.deflator = (1 + vocabulary.YEARLY_INFLATION) ** (-(self.days - 1 - np.arange(self.days)) / 365)
        self.midnight = np.array([datetime.combine(day, time(), zone).timestamp() for day in dates])
        self.zone = zone

    def day_of(self, moment: datetime) -> int:
        """Index of a moment's local day (negative before the window)."""
        return (moment.astimezone(self.zone).date() - self.first).days

    def tag_weight(self, tag: str, combo: int) -> float:
        if not tag:
            return 1.0
        bit = vocabulary.SEASON_TAGS.index(tag)
        in_season = bool(int(self.combos[combo]) >> bit & 1)
        return vocabulary.TAG_IN_SEASON[tag] if in_season else vocabulary.TAG_OUT_OF_SEASON[tag]
