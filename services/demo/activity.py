"""A demo client's life in the CRM: its stage history, its interactions (with participants) and its monthly KPIs.

Drawn from the generator's seeded random stream, client after client. Interactions fall on working days (Sunday
to Thursday) and hours, newsletters on the monthly send, webinars on the firm's webinar dates; the ones before
the client was created came from an import. Ids are not known here: `DemoGenerator.chunk` gives them, chunk by
chunk, and then resolves each participant's interaction and the idempotency keys (which name the id).
"""

import math
import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from db.models import AttendanceStatus, InteractionSource, InteractionType
from services.demo.vocabulary import (
    COMMISSION_BPS,
    DIRECT_ENTRY_CHANCE,
    DUE_DILIGENCES,
    DURATIONS,
    EXTERNAL_DOMAINS,
    EXTERNAL_PARTICIPANT_CHANCE,
    EXTERNAL_ROLES,
    FINAL_STAGE_WEIGHTS,
    IMPORTED_HISTORY_CHANCE,
    IMPORTED_HISTORY_DAYS,
    INTERACTION_DAYS,
    INTERACTION_DESCRIPTIONS,
    INTERACTION_SPREAD,
    INTERACTION_TITLES,
    INTERACTION_TYPE_WEIGHTS,
    INTERACTIONS_PER_CLIENT,
    KPI_CHANCE,
    KPI_MONTH_CHANCE,
    KPI_MONTHS,
    KPI_TYPED_COUNT_CHANCE,
    LOST_ACTIVITY,
    LOST_SHARE,
    MONTHS,
    NEWSLETTER_TOPICS,
    PITCH_CHANCE,
    PLANNED_CHANCE,
    PLANNED_DAYS,
    SKIPPED_STAGE_CHANCE,
    STAGE_ACTIVITY,
    TOPICS,
    WEBHOOK_CHANCE,
    WEBHOOK_PROVIDERS,
    WEBINAR_TOPICS,
)
from services.text import fold
from settings import get_settings

DAY = 86400.0
EMAIL, CALL, MEETING, LUNCH, NOTE, WEBINAR, NEWSLETTER = (
    InteractionType.EMAIL, InteractionType.CALL, InteractionType.MEETING, InteractionType.LUNCH,
    InteractionType.NOTE, InteractionType.WEBINAR, InteractionType.NEWSLETTER)
WITH_PARTICIPANTS = (MEETING, LUNCH, WEBINAR)
PLANNED_TYPES, PLANNED_WEIGHTS = (MEETING, LUNCH, CALL), (70, 15, 15)
PAST_ATTENDANCE = ((AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT, AttendanceStatus.DECLINED), (85, 8, 7))
WEBINAR_ATTENDANCE = ((AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT), (60, 40))
PLANNED_ATTENDANCE = ((AttendanceStatus.INVITED, AttendanceStatus.CONFIRMED), (40, 60))


def _stretch(shape: Sequence[float], count: int) -> list[float]:
    """`shape` (given for the default five forward stages) resampled to `count` stages."""
    if count <= 1:
        return [1.0] * count
    return [shape[round(i * (len(shape) - 1) / (count - 1))] for i in range(count)]


class ActivityGenerator:
    """Stage history, interactions, participants and KPI rows of one client at a time."""

    def __init__(self, rng: random.Random, tenant_id: int, users: list[int], stages: Sequence[tuple[int, bool]],
                 now: datetime, first_names: Sequence[str], last_names: Sequence[str]) -> None:
        self.rng, self.tenant_id, self.users, self.now = rng, tenant_id, users, now
        self.first_names, self.last_names = first_names, last_names
        self.forward = [stage_id for stage_id, is_lost in stages if not is_lost]
        self.lost = next((stage_id for stage_id, is_lost in stages if is_lost), None)
        weights = _stretch(FINAL_STAGE_WEIGHTS, len(self.forward))
        self.stage_positions = range(len(self.forward))
        self.stage_cumulative = [sum(weights[:i + 1]) for i in range(len(weights))]
        self.activity = _stretch(STAGE_ACTIVITY, len(self.forward))
        # The log-normal count's location, so that clients average INTERACTIONS_PER_CLIENT whatever the stages.
        mean_activity = (sum(w * a for w, a in zip(weights, self.activity, strict=True)) / sum(weights)
                         if weights else 1.0)
        if self.lost is not None:
            mean_activity = mean_activity * (1 - LOST_SHARE) + LOST_ACTIVITY * LOST_SHARE
        self.mu = math.log(INTERACTIONS_PER_CLIENT / mean_activity) - INTERACTION_SPREAD ** 2 / 2
        self.types = tuple(INTERACTION_TYPE_WEIGHTS)
        self.type_cumulative = [sum(tuple(INTERACTION_TYPE_WEIGHTS.values())[:i + 1]) for i in range(len(self.types))]
        self.zone = ZoneInfo(get_settings().timezone)
        self.now_ts = now.timestamp()
        self.oldest_ts = self.now_ts - (INTERACTION_DAYS + IMPORTED_HISTORY_DAYS) * DAY
        local_now = now.astimezone(self.zone)
        self.month_index = local_now.year * 12 + local_now.month - 1
        self.newsletters = self._newsletters()
        self.webinars = self._webinars()
        self.webinar_times = [at for at, _ in self.webinars]

    # -- calendars shared by every client ------------------------------------------------------------------------

    def _newsletters(self) -> list[float]:
        """The monthly newsletter: the 5th at 9:00 (firm's time), every month of the history."""
        sends = []
        for index in range(self.month_index - (INTERACTION_DAYS + IMPORTED_HISTORY_DAYS) // 30 - 1,
                           self.month_index + 1):
            at = datetime(index // 12, index % 12 + 1, 5, 9, tzinfo=self.zone).timestamp()
            if self.oldest_ts <= at <= self.now_ts:
                sends.append(at)
        return sends

    def _webinars(self) -> list[tuple[float, str]]:
        """The firm's webinars: every five weeks, a Tuesday at 14:00 (firm's time)."""
        events, topic = [], 0
        day = (self.now - timedelta(days=INTERACTION_DAYS + IMPORTED_HISTORY_DAYS)).astimezone(self.zone).date()
        day += timedelta(days=(1 - day.weekday()) % 7)
        while True:
            at = datetime(day.year, day.month, day.day, 14, tzinfo=self.zone)
            if at >= self.now:
                return events
            title = WEBINAR_TOPICS[topic % len(WEBINAR_TOPICS)].format(year=at.year)
            events.append((at.timestamp(), f'Webinaire « {title} »'))
            day, topic = day + timedelta(days=35), topic + 1

    # -- one client ----------------------------------------------------------------------------------------------

    def client(self, client: dict, contacts: list[dict]) -> dict[str, list[dict]]:
        """The client's stage changes, interactions, participants and KPI rows; sets its stage fields.

        Interactions have no id yet; each participant names its interaction dict under 'interaction'."""
        out: dict[str, list[dict]] = {'stage_changes': [], 'interactions': [], 'participants': [], 'kpis': []}
        created_ts = client['created_at'].timestamp()
        final, lost_ts = self._pipeline(client, created_ts, out['stage_changes'])
        rng = self.rng
        start = created_ts
        if rng.random() < IMPORTED_HISTORY_CHANCE:
            start -= rng.random() * IMPORTED_HISTORY_DAYS * DAY
        start = max(start, self.now_ts - INTERACTION_DAYS * DAY)
        end = lost_ts or self.now_ts
        activity = LOST_ACTIVITY if lost_ts else 1.0 if final is None else self.activity[final]
        count = round(rng.lognormvariate(self.mu, INTERACTION_SPREAD) * activity) if end > start else 0
        prospect = final is None or final < len(self.forward) - 1
        for _ in range(count):
            kind = rng.choices(self.types, cum_weights=self.type_cumulative)[0]
            self._interaction(client, contacts, kind, start, end, created_ts, prospect, out)
        if final is None:  # a tenant without forward stages: no planned meeting, no KPI
            return out
        if lost_ts is None and final >= 1 and rng.random() < PLANNED_CHANCE:
            self._planned(client, contacts, out)
        if lost_ts is None and final >= len(self.forward) - 2:
            chance = KPI_CHANCE['last'] if final == len(self.forward) - 1 else KPI_CHANCE['before_last']
            if rng.random() < chance:
                self._kpis(client, out['kpis'])
        return out

    def _pipeline(self, client: dict, created_ts: float, changes: list[dict]) -> tuple[int | None, float | None]:
        """Place the client at a stage with its history; (final forward position, time lost or None)."""
        rng = self.rng
        if not self.forward:
            client['stage_id'], client['stage_entered_at'] = self.lost, client['created_at'] if self.lost else None
            if self.lost:
                changes.append(self._change(client, None, self.lost, created_ts))
            return None, None
        final = rng.choices(self.stage_positions, cum_weights=self.stage_cumulative)[0]
        last = len(self.forward) - 1
        lost = self.lost is not None and rng.random() < LOST_SHARE * (0.4 if final == last and last else 1.3)
        entry = rng.randrange(1, final + 1) if final and rng.random() < DIRECT_ENTRY_CHANCE else 0
        path = [entry, *(p for p in range(entry + 1, final) if rng.random() >= SKIPPED_STAGE_CHANCE)]
        if final > entry:
            path.append(final)
        stage_ids = [self.forward[position] for position in path] + ([self.lost] if lost else [])
        span = max(self.now_ts - 3600 - created_ts, 0.0)
        times = [created_ts, *sorted(created_ts + span * rng.random() for _ in stage_ids[1:])]
        previous = None
        for stage_id, at in zip(stage_ids, times, strict=True):
            changes.append(self._change(client, previous, stage_id, at))
            previous = stage_id
        entered = changes[-1]['changed_at']
        client['stage_id'], client['stage_entered_at'] = previous, entered
        client['updated_at'] = max(client['updated_at'], entered)
        return final, times[-1] if lost else None

    def _change(self, client: dict, from_stage: int | None, to_stage: int, at: float) -> dict:
        return {'tenant_id': self.tenant_id, 'client_id': client['id'], 'from_stage_id': from_stage,
                'to_stage_id': to_stage, 'changed_by': client['owner_id'],
                'changed_at': datetime.fromtimestamp(at, UTC)}

    def _working_time(self, at: float, start: float, end: float, kind: InteractionType) -> float:
        """`at` moved to a working day (Sunday to Thursday) and hour of the firm, when that stays in range."""
        day = math.floor(at / DAY)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        day += -1 if weekday == 4 else 1 if weekday == 5 else 0
        rng = self.rng
        hour = 11.5 + rng.random() if kind == LUNCH else 7 + rng.random() * 10  # UTC: 8:00-18:00 in Algiers
        if kind in (MEETING, LUNCH, CALL):
            hour = round(hour * 4) / 4
        moved = day * DAY + hour * 3600
        return moved if start <= moved < end else at

    def _user(self) -> int | None:
        return self.rng.choice(self.users) if self.users else None

    def _interaction(self, client: dict, contacts: list[dict], kind: InteractionType, start: float, end: float,
                     created_ts: float, prospect: bool, out: dict[str, list[dict]]) -> None:
        rng = self.rng
        fields = {'city': client['city'], 'topic': rng.choice(TOPICS)}
        key, extra, source = None, {}, InteractionSource.MANUAL
        if kind == NEWSLETTER:
            lo, hi = bisect_left(self.newsletters, start), bisect_right(self.newsletters, end)
            if lo < hi:
                at = self.newsletters[rng.randrange(lo, hi)]
                local = datetime.fromtimestamp(at, self.zone)
                fields.update(month=MONTHS[local.month - 1].capitalize(), year=local.year,
                              newsletter=rng.choice(NEWSLETTER_TOPICS))
                source, key = InteractionSource.NEWSLETTER, f'newsletter-{local.year}-{local.month:02d}-{{id}}'
            else:
                kind = EMAIL
        elif kind == WEBINAR:
            lo, hi = bisect_left(self.webinar_times, start), bisect_right(self.webinar_times, end)
            if lo < hi:
                at, title = self.webinars[rng.randrange(lo, hi)]
            else:
                kind = EMAIL
        if kind not in (NEWSLETTER, WEBINAR):
            at = self._working_time(start + (end - start) * rng.random(), start, end, kind)
        if kind != NEWSLETTER and at < created_ts:
            source, extra = InteractionSource.IMPORT, {'import': 'historique.xlsx'}
        elif kind in WEBHOOK_CHANCE and rng.random() < WEBHOOK_CHANCE[kind]:
            provider = rng.choice(WEBHOOK_PROVIDERS[kind])
            source, extra, key = InteractionSource.WEBHOOK, {'provider': provider}, f'{provider}-{{id}}'
        occurred = datetime.fromtimestamp(at, UTC)
        if source == InteractionSource.IMPORT:
            created = client['created_at']
        elif source == InteractionSource.MANUAL:
            created = datetime.fromtimestamp(min(at + rng.random() * 3 * 3600, self.now_ts), UTC)
        else:
            created = occurred
        row = self._row(client, kind, occurred, created, source, extra, key)
        pitch = PITCH_CHANCE.get(kind, 0.0) * (1.5 if prospect else 0.5)  # pitches win customers
        row['is_pitch'] = rng.random() < pitch
        participants = self._participants(row, contacts, planned=False) if kind in WITH_PARTICIPANTS else []
        if kind in WITH_PARTICIPANTS:
            row['contact_id'] = next((p['contact_id'] for p in participants if p['contact_id']), None)
        elif contacts and (kind != NOTE or rng.random() < 0.3) and rng.random() < 0.9:
            row['contact_id'] = rng.choice(contacts)['id']
        self._words(row, client, contacts, fields, title if kind == WEBINAR else None)
        out['interactions'].append(row)
        out['participants'].extend(participants)

    def _planned(self, client: dict, contacts: list[dict], out: dict[str, list[dict]]) -> None:
        """A meeting, lunch or call in the coming weeks, logged in the last days."""
        rng = self.rng
        kind = rng.choices(PLANNED_TYPES, weights=PLANNED_WEIGHTS)[0]
        later = self.now_ts + DAY + rng.random() * (PLANNED_DAYS - 1) * DAY
        at = self._working_time(later, self.now_ts + 3600, self.now_ts + PLANNED_DAYS * DAY, kind)
        logged = max(client['created_at'].timestamp(), self.now_ts - rng.random() * 10 * DAY)
        row = self._row(client, kind, datetime.fromtimestamp(at, UTC), datetime.fromtimestamp(logged, UTC),
                        InteractionSource.MANUAL, {}, None)
        row['is_pitch'] = rng.random() < PITCH_CHANCE.get(kind, 0.0)
        participants = self._participants(row, contacts, planned=True) if kind in WITH_PARTICIPANTS else []
        row['contact_id'] = next((p['contact_id'] for p in participants if p['contact_id']),
                                 rng.choice(contacts)['id'] if contacts else None)
        self._words(row, client, contacts, {'city': client['city'], 'topic': rng.choice(TOPICS)}, None)
        out['interactions'].append(row)
        out['participants'].extend(participants)

    def _row(self, client: dict, kind: InteractionType, occurred: datetime, created: datetime,
             source: InteractionSource, extra: dict, key: str | None) -> dict:
        duration = self.rng.choice(DURATIONS[kind]) if kind in DURATIONS else None
        return {'id': None, 'tenant_id': self.tenant_id, 'client_id': client['id'], 'contact_id': None,
                'type': kind.value, 'title': '', 'description': '', 'occurred_at': occurred,
                'duration_minutes': duration, 'is_pitch': False, 'source': source.value, 'extra': extra,
                'created_by': self._user(), 'idempotency_key': key, 'created_at': created, 'updated_at': created,
                'version': 1}

    def _words(self, row: dict, client: dict, contacts: list[dict], fields: dict, title: str | None) -> None:
        contact = next((c for c in contacts if c['id'] == row['contact_id']), None)
        fields['contact'] = f'{contact["first_name"]} {contact["last_name"]}' if contact else client['name']
        kind = InteractionType(row['type'])
        row['title'] = title or self.rng.choice(INTERACTION_TITLES[kind]).format(**fields)
        row['description'] = self.rng.choice(INTERACTION_DESCRIPTIONS[kind]).format(**fields)

    def _participants(self, row: dict, contacts: list[dict], *, planned: bool) -> list[dict]:
        rng = self.rng
        kind = InteractionType(row['type'])
        most = 1 if kind != MEETING else min(3, len(contacts))
        people = rng.sample(contacts, k=rng.randint(1, most)) if contacts and most else []
        statuses, weights = (PLANNED_ATTENDANCE if planned else WEBINAR_ATTENDANCE if kind == WEBINAR
                             else PAST_ATTENDANCE)
        organizer = kind == MEETING and rng.random() < 0.25
        rows = [self._participant(row, contact['id'], None, None, None, organizer and index == 0,
                                  rng.choices(statuses, weights=weights)[0])
                for index, contact in enumerate(people)]
        if rng.random() < EXTERNAL_PARTICIPANT_CHANCE.get(kind, 0.0) or not rows:
            first, last = rng.choice(self.first_names), rng.choice(self.last_names)
            email = f'{slug(first)}.{slug(last)}@{rng.choice(EXTERNAL_DOMAINS)}'
            rows.append(self._participant(row, None, f'{first} {last}', email, rng.choice(EXTERNAL_ROLES), False,
                                          rng.choices(statuses, weights=weights)[0]))
        return rows

    def _participant(self, row: dict, contact_id: int | None, name: str | None, email: str | None,
                     role: str | None, organizer: bool, status: AttendanceStatus) -> dict:
        return {'tenant_id': self.tenant_id, 'interaction': row, 'contact_id': contact_id, 'external_name': name,
                'external_email': email, 'external_role': role, 'is_organizer': organizer,
                'attendance_status': status.value}

    def _kpis(self, client: dict, rows: list[dict]) -> None:
        """Monthly figures over the client's recent months (some months without any)."""
        rng = self.rng
        created = client['created_at'].astimezone(self.zone)
        first = max(created.year * 12 + created.month - 1, self.month_index - KPI_MONTHS + 1)
        base = rng.lognormvariate(math.log(250_000), 0.9)  # DZD a month
        commission = rng.choice(COMMISSION_BPS)
        for index in range(first, self.month_index + 1):
            if rng.random() >= KPI_MONTH_CHANCE:
                continue
            year, month = index // 12, index % 12 + 1
            following = datetime(year + month // 12, month % 12 + 1, 1, 9, tzinfo=self.zone).astimezone(UTC)
            saved = min(following, self.now - timedelta(minutes=5))
            due_diligences = rng.choice(DUE_DILIGENCES)
            rows.append({
                'tenant_id': self.tenant_id, 'client_id': client['id'], 'year': year, 'month': month,
                'meetings': rng.randrange(0, 6) if rng.random() < KPI_TYPED_COUNT_CHANCE else None,
                'pitches': rng.randrange(0, 3) if rng.random() < KPI_TYPED_COUNT_CHANCE else None,
                'due_diligences': due_diligences, 'closings': min(due_diligences, rng.choice((0, 0, 0, 1, 1, 2))),
                'revenue_cents': min(round(base * (0.3 + rng.random() * 1.4) / 100) * 100 * 100, 10 ** 13),
                'commission_bps': commission, 'created_at': saved, 'updated_at': saved, 'version': 1})


def slug(value: str) -> str:
    """Letters and digits only, without accents: for demo e-mail addresses."""
    return ''.join(c for c in fold(value) if c.isalnum())
