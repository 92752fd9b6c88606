"""A tenant's analytics settings: the RFM window and the nightly recomputation (hour in the firm's time zone).

A tenant without a saved row has the defaults: a 24-month window, recomputed every night at 2 h."""

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from db.models import AnalyticsSettings, AuditAction
from services import audit
from services.actor import Actor, require_admin
from services.analytics.rfm import check_window
from services.errors import Conflict, Invalid


class AnalyticsSettingsInput(BaseModel):
    window_months: int = 24
    nightly_enabled: bool = True
    nightly_hour: int = 2


class AnalyticsSettingsRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    window_months: int
    nightly_enabled: bool
    nightly_hour: int
    version: int  # 0 until first saved


def settings_row(session: Session, tenant_id: int) -> AnalyticsSettings:
    """The saved row, or an unsaved one with the defaults (version 0)."""
    return session.get(AnalyticsSettings, tenant_id) or AnalyticsSettings(tenant_id=tenant_id, version=0)


def _read(row: AnalyticsSettings) -> AnalyticsSettingsRead:
    return AnalyticsSettingsRead(window_months=row.rfm_window_months, nightly_enabled=row.nightly_enabled,
                                 nightly_hour=row.nightly_hour, version=row.version)


def get_settings(session: Session, actor: Actor) -> AnalyticsSettingsRead:
    return _read(settings_row(session, actor.tenant_id))


def update_settings(session: Session, actor: Actor, data: AnalyticsSettingsInput,
                    expected_version: int | None = None) -> AnalyticsSettingsRead:
    """Save the settings (admins); a stale `expected_version` is refused."""
    require_admin(actor)
    check_window(data.window_months)
    if not 0 <= data.nightly_hour <= 23:
        raise Invalid('error.nightly_hour', field='nightly_hour')
    row = settings_row(session, actor.tenant_id)
    if expected_version is not None and expected_version != row.version:
        raise Conflict('error.stale_version')
    before = _read(row).model_dump(exclude={'version'})
    row.rfm_window_months, row.nightly_enabled, row.nightly_hour = (data.window_months, data.nightly_enabled,
                                                                    data.nightly_hour)
    after = _read(row).model_dump(exclude={'version'})
    if after != before or row.version == 0:
        row.version += 1
        session.add(row)
        session.flush()
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE,
                     entity='analytics_settings', entity_id=None, changes=audit.diff(before, after))
    return _read(row)
