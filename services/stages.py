"""Pipeline stages at the lowest level: the defaults, lookups and the one way a client changes stage.

`services.clients` (a new client enters the pipeline) and `services.pipeline` (the board, moves, stats) both
build on this module, so that every stage change is recorded the same way.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from db.models import Client, PipelineStage, StageChange, utcnow
from services.actor import Actor
from services.errors import Invalid, NotFound

# A new tenant's stages: (key, name in the tenant's language, is_lost). Admins rename them after.
STAGE_KEYS = (('prospect_froid', False), ('prospect_tiede', False), ('prospect_chaud', False), ('negociation', False),
              ('client', False), ('perdu', True))
STAGE_NAMES_BY_LANGUAGE = {
    'fr': ('Prospect froid', 'Prospect tiède', 'Prospect chaud', 'Négociation', 'Client', 'Perdu'),
    'en': ('Cold prospect', 'Warm prospect', 'Hot prospect', 'Negotiation', 'Client', 'Lost'),
}


def default_stages(language: str = 'fr') -> tuple[tuple[str, str, bool], ...]:
    names = STAGE_NAMES_BY_LANGUAGE.get(language, STAGE_NAMES_BY_LANGUAGE['fr'])
    return tuple((key, name, is_lost) for (key, is_lost), name in zip(STAGE_KEYS, names, strict=True))


DEFAULT_STAGES = default_stages('fr')


@dataclass(frozen=True)
class StageRead:
    id: int
    key: str
    name: str
    position: int
    is_lost: bool


def seed_stages(session: Session, tenant_id: int, language: str = 'fr') -> None:
    for position, (key, name, is_lost) in enumerate(default_stages(language)):
        session.add(PipelineStage(tenant_id=tenant_id, key=key, name=name, position=position, is_lost=is_lost))


def stages_of(session: Session, tenant_id: int) -> list[StageRead]:
    rows = session.exec(select(PipelineStage).where(PipelineStage.tenant_id == tenant_id)
                        .order_by(col(PipelineStage.position), col(PipelineStage.id))).all()
    return [StageRead(s.id, s.key, s.name, s.position, s.is_lost) for s in rows]


def stage_in_tenant(session: Session, actor: Actor, stage_id: int, *, field: str = 'stage_id') -> PipelineStage:
    stage = session.get(PipelineStage, stage_id)
    if stage is None or stage.tenant_id != actor.tenant_id:
        raise Invalid('error.stage_unknown', field=field)
    return stage


def entry_stage(session: Session, tenant_id: int) -> PipelineStage:
    """Where a new client starts: the first stage that is not the lost one."""
    stage = session.exec(select(PipelineStage).where(PipelineStage.tenant_id == tenant_id,
                                                     col(PipelineStage.is_lost).is_(False))
                         .order_by(col(PipelineStage.position), col(PipelineStage.id)).limit(1)).first()
    if stage is None:
        raise NotFound('error.stage_unknown')
    return stage


def set_stage(session: Session, actor: Actor | None, client: Client, stage_id: int | None) -> bool:
    """Put `client` at `stage_id` and record the move; False when it is there already."""
    if client.stage_id == stage_id:
        return False
    now, user_id = utcnow(), (actor.user_id or None) if actor else None
    session.add(StageChange(tenant_id=client.tenant_id, client_id=client.id, from_stage_id=client.stage_id,
                            to_stage_id=stage_id, changed_by=user_id, changed_at=now))
    client.stage_id, client.stage_entered_at = stage_id, now
    session.add(client)
    return True


def stage_names(session: Session, stage_ids: set[int]) -> dict[int, str]:
    if not stage_ids:
        return {}
    return dict(session.exec(select(PipelineStage.id, PipelineStage.name)
                             .where(col(PipelineStage.id).in_(stage_ids))).all())
