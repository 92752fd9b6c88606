"""The pipeline: default stages, moves and their history, stage administration, the board and the stats — on
SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, func, select

from db.models import AuditLog, Client, ClientStatus, PipelineStage, Role, StageChange, utcnow
from db.session import session_scope
from services import clients, interactions, pipeline
from services.clients import ClientInput
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.interactions import InteractionInput
from services.pipeline import PipelineFilter
from services.stages import DEFAULT_STAGES, StageRead, stages_of
from tests.factories import make_client, make_tenant, make_user

DEFAULT_KEYS = [key for key, _, _ in DEFAULT_STAGES]


def _stages(actor) -> dict[str, StageRead]:
    with session_scope() as session:
        return {stage.key: stage for stage in stages_of(session, actor.tenant_id)}


def _keys(actor) -> list[str]:
    return list(_stages(actor))


def _move(actor, client_id: int, key: str, **options) -> StageRead:
    with session_scope() as session:
        return pipeline.move_client(session, actor, client_id, _stages(actor)[key].id, **options)


def _client_row(client_id: int) -> Client:
    with session_scope() as session:
        return session.get(Client, client_id)


def _changes(client_id: int) -> list[StageChange]:
    with session_scope() as session:
        return list(session.exec(select(StageChange).where(StageChange.client_id == client_id)
                                 .order_by(col(StageChange.id))).all())


def _backdate(client_id: int, *stamps: datetime) -> None:
    """Give the client's stage changes, oldest first, these times."""
    with session_scope() as session:
        rows = session.exec(select(StageChange).where(StageChange.client_id == client_id)
                            .order_by(col(StageChange.id))).all()
        assert len(rows) == len(stamps)
        for row, at in zip(rows, stamps, strict=True):
            row.changed_at = at
            session.add(row)


def _history(actor, client_id: int):
    with session_scope() as session:
        return pipeline.stage_history(session, actor, client_id)


def _board(actor, limits=None, **filters):
    with session_scope() as session:
        return {column.stage.key: column for column in pipeline.board(session, actor, PipelineFilter(**filters),
                                                                       limits)}


def _audits(actor, entity: str) -> list[AuditLog]:
    with session_scope() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.tenant_id == actor.tenant_id,
                                                        AuditLog.entity == entity).order_by(col(AuditLog.id))).all())


def _at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# --- default stages and entry ----------------------------------------------------------------------------------

def test_each_new_tenant_gets_the_default_stages(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    with session_scope() as session:
        used = pipeline.list_stages(session, admin)
    assert [(s.key, s.name, s.position, s.is_lost, s.clients) for s in used] == [
        ('prospect_froid', 'Prospect froid', 0, False, 0), ('prospect_tiede', 'Prospect tiède', 1, False, 0),
        ('prospect_chaud', 'Prospect chaud', 2, False, 0), ('negociation', 'Négociation', 3, False, 0),
        ('client', 'Client', 4, False, 0), ('perdu', 'Perdu', 5, True, 0)]
    assert _keys(other) == DEFAULT_KEYS
    assert not {s.id for s in _stages(admin).values()} & {s.id for s in _stages(other).values()}


def test_a_new_client_enters_the_pipeline_at_the_first_stage(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    before = utcnow()
    created = make_client(admin, 'Atlas Conseil')
    stages = _stages(admin)
    assert (created.stage_id, created.stage_name) == (stages['prospect_froid'].id, 'Prospect froid')
    assert before <= created.stage_entered_at <= utcnow()
    [entry] = _changes(created.id)
    assert (entry.tenant_id, entry.from_stage_id, entry.to_stage_id, entry.changed_by) == (
        admin.tenant_id, None, stages['prospect_froid'].id, admin.user_id)
    assert entry.changed_at == created.stage_entered_at

    chosen = make_client(admin, 'Déjà client', stage_id=stages['client'].id)
    assert chosen.stage_name == 'Client'
    assert [c.to_stage_id for c in _changes(chosen.id)] == [stages['client'].id]
    with session_scope() as session, pytest.raises(Invalid) as error:
        clients.create_client(session, admin, ClientInput(name='Mauvaise étape',
                                                          stage_id=_stages(other)['client'].id))
    assert error.value.field == 'stage_id'
    with session_scope() as session:
        assert pipeline.list_stages(session, admin)[0].clients == 1


def test_the_first_stage_is_the_first_forward_one_after_a_reorder(db):
    admin = make_tenant()
    stages = _stages(admin)
    order = ['perdu', 'negociation', 'prospect_froid', 'prospect_tiede', 'prospect_chaud', 'client']
    with session_scope() as session:
        pipeline.reorder_stages(session, admin, [stages[key].id for key in order])
    assert make_client(admin).stage_name == 'Négociation'


# --- moves -----------------------------------------------------------------------------------------------------

def test_move_records_who_when_from_and_to(db):
    admin = make_tenant()
    agent = make_user(admin)
    client = make_client(admin)
    stages = _stages(admin)
    before = utcnow()
    assert _move(agent, client.id, 'prospect_chaud', expected_version=client.version).key == 'prospect_chaud'
    row = _client_row(client.id)
    assert (row.stage_id, row.version) == (stages['prospect_chaud'].id, client.version + 1)
    assert before <= row.stage_entered_at <= utcnow()
    _, move = _changes(client.id)
    assert (move.from_stage_id, move.to_stage_id, move.changed_by) == (
        stages['prospect_froid'].id, stages['prospect_chaud'].id, agent.user_id)
    assert move.changed_at == row.stage_entered_at
    [audit] = [a for a in _audits(admin, 'client') if a.action == 'update']
    assert (audit.user_id, audit.entity_id, audit.changes) == (
        agent.user_id, client.id, {'stage_id': [stages['prospect_froid'].id, stages['prospect_chaud'].id]})

    _move(agent, client.id, 'prospect_chaud')  # already there: nothing recorded
    assert len(_changes(client.id)) == 2 and _client_row(client.id).version == client.version + 1
    with pytest.raises(Conflict):
        _move(agent, client.id, 'negociation', expected_version=client.version)
    assert _client_row(client.id).stage_id == stages['prospect_chaud'].id


def test_move_is_refused_outside_the_tenant_and_to_viewers(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    viewer = make_user(admin, role=Role.VIEWER)
    client = make_client(admin)
    foreign_client = make_client(other)
    with session_scope() as session, pytest.raises(Invalid) as error:
        pipeline.move_client(session, admin, client.id, _stages(other)['client'].id)
    assert error.value.field == 'stage_id'
    with pytest.raises(NotFound):
        _move(admin, foreign_client.id, 'client')
    with pytest.raises(Forbidden):
        _move(viewer, client.id, 'client')
    with session_scope() as session, pytest.raises(Forbidden):
        pipeline.move_to_next_stage(session, viewer, client.id)
    assert len(_changes(client.id)) == 1 and len(_changes(foreign_client.id)) == 1


def test_move_to_next_stage_walks_forward_and_stops_at_the_last_one(db):
    admin = make_tenant()
    client = make_client(admin)
    walked = []
    for _ in range(4):
        with session_scope() as session:
            walked.append(pipeline.move_to_next_stage(session, admin, client.id).key)
    assert walked == ['prospect_tiede', 'prospect_chaud', 'negociation', 'client']
    with session_scope() as session, pytest.raises(Conflict) as error:
        pipeline.move_to_next_stage(session, admin, client.id)
    assert error.value.key == 'error.stage_last_reached'
    assert len(_changes(client.id)) == 5 and _client_row(client.id).version == 5

    lost = make_client(admin)
    _move(admin, lost.id, 'perdu')
    with session_scope() as session, pytest.raises(Conflict) as error:
        pipeline.move_to_next_stage(session, admin, lost.id)
    assert error.value.key == 'error.stage_lost_no_next'
    assert _client_row(lost.id).stage_id == _stages(admin)['perdu'].id


def test_next_stage_skips_a_lost_stage_placed_between_forward_ones(db):
    admin = make_tenant()
    stages = _stages(admin)
    order = ['prospect_froid', 'perdu', 'prospect_tiede', 'prospect_chaud', 'negociation', 'client']
    with session_scope() as session:
        pipeline.reorder_stages(session, admin, [stages[key].id for key in order])
    client = make_client(admin)
    with session_scope() as session:
        assert pipeline.move_to_next_stage(session, admin, client.id).key == 'prospect_tiede'


# --- stage history ---------------------------------------------------------------------------------------------

def test_stage_history_lists_every_move_newest_first_with_days_in_stage(db):
    admin = make_tenant()
    agent = make_user(admin)
    client = make_client(admin)
    _move(agent, client.id, 'prospect_tiede')
    _move(admin, client.id, 'prospect_chaud')
    _move(agent, client.id, 'prospect_tiede')
    now = utcnow()
    _backdate(client.id, now - timedelta(days=10), now - timedelta(days=7), now - timedelta(days=5),
              now - timedelta(days=2))
    history = _history(admin, client.id)
    assert [(m.from_stage, m.to_stage, m.changed_by) for m in history] == [
        ('Prospect chaud', 'Prospect tiède', 'Amina Benali'),
        ('Prospect tiède', 'Prospect chaud', admin.full_name),
        ('Prospect froid', 'Prospect tiède', 'Amina Benali'),
        (None, 'Prospect froid', admin.full_name)]
    assert [m.changed_at for m in history] == [now - timedelta(days=d) for d in (2, 5, 7, 10)]
    assert [m.days_in_stage for m in history] == pytest.approx([2, 3, 2, 3], abs=0.01)
    with session_scope() as session:
        assert pipeline.time_in_stages(session, admin, client.id) == [
            ('Prospect froid', pytest.approx(3, abs=0.01)), ('Prospect tiède', pytest.approx(4, abs=0.01)),
            ('Prospect chaud', pytest.approx(3, abs=0.01))]


def test_stage_history_of_another_tenants_client_is_not_found(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    foreign_client = make_client(other)
    with pytest.raises(NotFound):
        _history(admin, foreign_client.id)
    with session_scope() as session, pytest.raises(NotFound):
        pipeline.time_in_stages(session, admin, foreign_client.id)


# --- stage administration --------------------------------------------------------------------------------------

def test_create_stage_places_it_before_the_lost_stage(db):
    admin = make_tenant()
    with session_scope() as session:
        created = pipeline.create_stage(session, admin, '  Due diligence ')
    assert (created.key, created.name, created.position, created.is_lost) == ('due_diligence', 'Due diligence', 5,
                                                                              False)
    assert _keys(admin) == [*DEFAULT_KEYS[:-1], 'due_diligence', 'perdu']
    assert [s.position for s in _stages(admin).values()] == list(range(7))
    with session_scope() as session:
        assert pipeline.create_stage(session, admin, 'Due-Diligence !').key == 'due_diligence_2'
    assert _keys(admin)[-3:] == ['due_diligence', 'due_diligence_2', 'perdu']
    with session_scope() as session:
        dropped = pipeline.create_stage(session, admin, 'Abandonné', is_lost=True)
    assert (dropped.key, dropped.is_lost) == ('abandonne', True)
    assert _keys(admin)[-3:] == ['due_diligence_2', 'abandonne', 'perdu']
    audit = _audits(admin, 'pipeline_stage')[0]
    assert (audit.action, audit.entity_id, audit.changes) == ('create', created.id, {'name': [None, 'Due diligence']})


def test_create_stage_after_deletions_still_lands_just_before_the_lost_stage(db):
    admin = make_tenant()
    stages = _stages(admin)
    with session_scope() as session:
        pipeline.delete_stage(session, admin, stages['prospect_froid'].id)
        pipeline.delete_stage(session, admin, stages['prospect_tiede'].id)
    with session_scope() as session:
        pipeline.create_stage(session, admin, 'Signature')
    assert _keys(admin) == ['prospect_chaud', 'negociation', 'client', 'signature', 'perdu']


def test_create_stage_is_validated_and_kept_for_admins(db):
    admin = make_tenant()
    manager = make_user(admin, role=Role.MANAGER)
    for name in ('Négociation', 'NÉGOCIATION', ' perdu '):
        with session_scope() as session, pytest.raises(Conflict) as error:
            pipeline.create_stage(session, admin, name)
        assert (error.value.key, error.value.params['field']) == ('error.stage_exists', 'name')
    for name in ('   ', 'x' * 61):
        with session_scope() as session, pytest.raises(Invalid) as error:
            pipeline.create_stage(session, admin, name)
        assert error.value.field == 'name'
    with session_scope() as session, pytest.raises(Forbidden):
        pipeline.create_stage(session, manager, 'Relance')
    with session_scope() as session:
        for number in range(pipeline.MAX_STAGES - len(DEFAULT_STAGES)):
            pipeline.create_stage(session, admin, f'Étape {number}')
    with session_scope() as session, pytest.raises(Invalid) as error:
        pipeline.create_stage(session, admin, 'Une de trop')
    assert error.value.key == 'error.too_many_stages'
    assert len(_stages(admin)) == pipeline.MAX_STAGES and _keys(admin)[-1] == 'perdu'


def test_rename_stage(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    agent = make_user(admin)
    stages = _stages(admin)
    with session_scope() as session:
        renamed = pipeline.rename_stage(session, admin, stages['prospect_froid'].id, '  Contact initial ')
    assert (renamed.id, renamed.key, renamed.name, renamed.position) == (
        stages['prospect_froid'].id, 'prospect_froid', 'Contact initial', 0)
    client = make_client(admin)
    assert client.stage_name == 'Contact initial'
    with session_scope() as session:
        assert pipeline.rename_stage(session, admin, stages['client'].id, 'CLIENT').name == 'CLIENT'
    with session_scope() as session, pytest.raises(Conflict) as error:
        pipeline.rename_stage(session, admin, stages['prospect_tiede'].id, 'négociation')
    assert (error.value.key, error.value.params['field']) == ('error.stage_exists', 'name')
    with session_scope() as session, pytest.raises(Invalid) as error:
        pipeline.rename_stage(session, admin, _stages(other)['client'].id, 'Volé')
    assert error.value.field == 'id'
    with session_scope() as session, pytest.raises(Forbidden):
        pipeline.rename_stage(session, agent, stages['client'].id, 'Client actif')
    assert _stages(other)['client'].name == 'Client'
    assert [a.changes for a in _audits(admin, 'pipeline_stage')] == [
        {'name': ['Prospect froid', 'Contact initial']}, {'name': ['Client', 'CLIENT']}]


def test_reorder_stages_takes_a_permutation_of_every_stage(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    agent = make_user(admin)
    stages = _stages(admin)
    ids = [s.id for s in stages.values()]
    order = ['client', 'negociation', 'prospect_chaud', 'prospect_tiede', 'prospect_froid', 'perdu']
    with session_scope() as session:
        reordered = pipeline.reorder_stages(session, admin, [stages[key].id for key in order])
    assert [(s.key, s.position) for s in reordered] == [(key, n) for n, key in enumerate(order)]
    assert _keys(admin) == order
    foreign = _stages(other)['client'].id
    for wrong in (ids[:-1], [*ids, ids[0]], [*ids[:-1], ids[0]], [*ids[:-1], foreign], [], [*ids, 999_999]):
        with session_scope() as session, pytest.raises(Invalid) as error:
            pipeline.reorder_stages(session, admin, wrong)
        assert (error.value.key, error.value.field) == ('error.stage_order_invalid', 'ids')
    with session_scope() as session, pytest.raises(Forbidden):
        pipeline.reorder_stages(session, agent, ids)
    assert _keys(admin) == order and _keys(other) == DEFAULT_KEYS


def test_delete_stage_in_use_needs_somewhere_to_move_its_clients(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    stages = _stages(admin)
    warm = [make_client(admin), make_client(admin), make_client(admin, status=ClientStatus.ARCHIVED)]
    for client in warm:
        _move(admin, client.id, 'prospect_tiede')
    with session_scope() as session, pytest.raises(Conflict) as error:
        pipeline.delete_stage(session, admin, stages['prospect_tiede'].id)
    assert (error.value.key, error.value.params) == ('error.stage_in_use', {'count': 3})
    for target in (stages['prospect_tiede'].id, _stages(other)['client'].id, 999_999):
        with session_scope() as session, pytest.raises(Invalid) as error:
            pipeline.delete_stage(session, admin, stages['prospect_tiede'].id, move_to_id=target)
        assert error.value.field == 'move_to_id'
    assert 'prospect_tiede' in _keys(admin)

    with session_scope() as session:
        pipeline.delete_stage(session, admin, stages['prospect_tiede'].id, move_to_id=stages['prospect_chaud'].id)
    assert 'prospect_tiede' not in _keys(admin)
    for client in warm:
        row = _client_row(client.id)
        assert (row.stage_id, row.version) == (stages['prospect_chaud'].id, 3)
        last = _changes(client.id)[-1]
        assert (last.to_stage_id, last.changed_by) == (stages['prospect_chaud'].id, admin.user_id)
        history = _history(admin, client.id)
        assert (len(history), history[0].to_stage, history[0].changed_by) == (3, 'Prospect chaud', admin.full_name)
    [audit] = [a for a in _audits(admin, 'pipeline_stage') if a.action == 'delete']
    assert audit.changes == {'name': 'Prospect tiède', 'moved_clients': 3}


def test_delete_unused_stage_and_the_last_forward_stage_stays(db):
    admin = make_tenant()
    agent = make_user(admin)
    stages = _stages(admin)
    with session_scope() as session, pytest.raises(Forbidden):
        pipeline.delete_stage(session, agent, stages['negociation'].id)
    for key in ('prospect_froid', 'prospect_tiede', 'prospect_chaud', 'negociation'):
        with session_scope() as session:
            pipeline.delete_stage(session, admin, stages[key].id)
    assert _keys(admin) == ['client', 'perdu']
    with session_scope() as session, pytest.raises(Conflict) as error:
        pipeline.delete_stage(session, admin, stages['client'].id)
    assert error.value.key == 'error.stage_last'
    with session_scope() as session:
        pipeline.delete_stage(session, admin, stages['perdu'].id)  # the lost stage is not a forward one
    assert _keys(admin) == ['client']
    with session_scope() as session, pytest.raises(Invalid):
        pipeline.delete_stage(session, admin, stages['perdu'].id)
    assert make_client(admin).stage_name == 'Client'


# --- the board -------------------------------------------------------------------------------------------------

def test_board_counts_every_column_and_shows_the_latest_arrivals(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    cold = [make_client(admin, f'Froid {n}') for n in range(3)]
    hot = make_client(admin, 'Chaud')
    _move(admin, hot.id, 'prospect_chaud')
    make_client(admin, 'Archivé', status=ClientStatus.ARCHIVED)
    make_client(other, 'Ailleurs')
    with session_scope() as session:
        for number, client in enumerate(cold):  # arrivals one day apart: Froid 2 is the latest
            row = session.get(Client, client.id)
            row.stage_entered_at = utcnow() - timedelta(days=10 - number)
            session.add(row)
    columns = _board(admin)
    assert list(columns) == DEFAULT_KEYS
    assert {key: column.total for key, column in columns.items()} == {
        'prospect_froid': 3, 'prospect_tiede': 0, 'prospect_chaud': 1, 'negociation': 0, 'client': 0, 'perdu': 0}
    assert [card.name for card in columns['prospect_froid'].cards] == ['Froid 2', 'Froid 1', 'Froid 0']
    assert columns['prospect_tiede'].cards == []
    card = columns['prospect_chaud'].cards[0]
    assert (card.id, card.stage_id, card.version, card.last_interaction_at) == (
        hot.id, _stages(admin)['prospect_chaud'].id, 2, None)

    bounded = _board(admin, limits={_stages(admin)['prospect_froid'].id: 2})
    assert bounded['prospect_froid'].total == 3
    assert [card.name for card in bounded['prospect_froid'].cards] == ['Froid 2', 'Froid 1']


def test_board_shows_at_most_a_page_of_cards_per_column(db):
    admin = make_tenant()
    for number in range(pipeline.BOARD_PAGE + 1):
        make_client(admin, f'Prospect {number:02d}')
    column = _board(admin)['prospect_froid']
    assert (column.total, len(column.cards)) == (pipeline.BOARD_PAGE + 1, pipeline.BOARD_PAGE)
    assert column.cards[0].name == f'Prospect {pipeline.BOARD_PAGE:02d}'
    assert 'Prospect 00' not in {card.name for card in column.cards}  # the earliest arrival is left for later


def test_board_filters_by_client_type_and_owner(db):
    admin = make_tenant()
    agent = make_user(admin)
    make_client(admin, 'CGPI de Karim', client_type='CGPI', owner_id=agent.user_id, city='Oran')
    make_client(admin, 'CGPI sans responsable', client_type='CGPI')
    make_client(admin, 'Entreprise de Karim', client_type='Entreprise', owner_id=agent.user_id)
    cgpi = _board(admin, client_type='CGPI')['prospect_froid']
    assert (cgpi.total, sorted(card.name for card in cgpi.cards)) == (2, ['CGPI de Karim', 'CGPI sans responsable'])
    owned = _board(admin, owner_id=agent.user_id)['prospect_froid']
    assert sorted(card.name for card in owned.cards) == ['CGPI de Karim', 'Entreprise de Karim']
    [card] = _board(admin, client_type='CGPI', owner_id=agent.user_id)['prospect_froid'].cards
    assert (card.name, card.client_type, card.city, card.owner_name) == ('CGPI de Karim', 'CGPI', 'Oran',
                                                                         'Amina Benali')
    assert _board(admin, client_type='Particulier')['prospect_froid'].total == 0


def test_board_cards_show_the_last_interaction_that_happened(db):
    admin = make_tenant()
    client = make_client(admin)
    quiet = make_client(admin)
    past = utcnow().replace(microsecond=0) - timedelta(days=3)
    with session_scope() as session:
        for at in (past - timedelta(days=5), past, utcnow() + timedelta(days=2)):  # the last one is planned
            interactions.create_interaction(session, admin, InteractionInput(
                client_id=client.id, type='call', title='Appel', occurred_at=at))
    cards = {card.id: card for card in _board(admin)['prospect_froid'].cards}
    assert cards[client.id].last_interaction_at == past
    assert cards[quiet.id].last_interaction_at is None


def test_board_stamp_changes_when_a_client_moves(db):
    admin = make_tenant()
    client = make_client(admin)
    with session_scope() as session:
        before = pipeline.board_stamp(session, admin)
    _move(admin, client.id, 'client')
    with session_scope() as session:
        after = pipeline.board_stamp(session, admin)
    assert before[0] == after[0] == 1 and after[1] > before[1]


# --- stats -----------------------------------------------------------------------------------------------------

def test_pipeline_stats_by_stage_type_and_status(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    make_client(admin, client_type='CGPI')
    make_client(admin, client_type='CGPI', status=ClientStatus.INACTIVE)
    won = make_client(admin, client_type='Entreprise')
    _move(admin, won.id, 'client')
    make_client(admin)
    make_client(admin, client_type='CGPI', status=ClientStatus.ARCHIVED)
    make_client(other, client_type='Entreprise')
    with session_scope() as session:
        stats = pipeline.pipeline_stats(session, admin, date(2025, 1, 1), date(2025, 12, 31))
    assert stats.by_stage == [('Prospect froid', 3), ('Prospect tiède', 0), ('Prospect chaud', 0),
                              ('Négociation', 0), ('Client', 1), ('Perdu', 0)]
    assert stats.by_type[0] == ('CGPI', 2) and sorted(stats.by_type[1:]) == [('', 1), ('Entreprise', 1)]
    assert (stats.active, stats.inactive) == (3, 1)
    assert (stats.start, stats.end) == (date(2025, 1, 1), date(2025, 12, 31))
    with session_scope() as session, pytest.raises(Invalid) as error:
        pipeline.pipeline_stats(session, admin, date(2025, 2, 1), date(2025, 1, 31))
    assert error.value.field == 'end'


def test_conversions_against_a_hand_built_history(db):
    """March 2025 in Algiers (UTC+1): who entered each forward stage then, and who went further by the end."""
    admin = make_tenant('A')
    other = make_tenant('B')

    def journey(actor, *steps: tuple[str, datetime]) -> None:
        client = make_client(actor, stage_id=_stages(actor)[steps[0][0]].id)
        for key, _ in steps[1:]:
            _move(actor, client.id, key)
        _backdate(client.id, *(at for _, at in steps))

    journey(admin, ('prospect_froid', _at(2025, 3, 2)), ('prospect_tiede', _at(2025, 3, 5)),
            ('prospect_chaud', _at(2025, 3, 10)))
    journey(admin, ('prospect_froid', _at(2025, 3, 3)), ('perdu', _at(2025, 3, 6)))
    journey(admin, ('prospect_froid', _at(2025, 2, 20)), ('prospect_tiede', _at(2025, 3, 4)),
            ('client', _at(2025, 3, 25)))
    journey(admin, ('prospect_tiede', _at(2025, 3, 20)), ('prospect_chaud', _at(2025, 4, 2)))
    journey(admin, ('negociation', _at(2025, 3, 10)), ('prospect_froid', _at(2025, 3, 12)))
    # 23:30 UTC on 28 February is 00:30 on 1 March in Algiers; 23:30 UTC on 31 March is already April there.
    journey(admin, ('prospect_chaud', datetime(2025, 2, 28, 23, 30, tzinfo=UTC)),
            ('negociation', datetime(2025, 3, 31, 23, 30, tzinfo=UTC)))
    journey(other, ('prospect_froid', _at(2025, 3, 2)), ('prospect_tiede', _at(2025, 3, 3)))

    with session_scope() as session:
        found = pipeline.conversions(session, admin, date(2025, 3, 1), date(2025, 3, 31))
    assert [(c.from_stage, c.to_stage, c.entered, c.advanced) for c in found] == [
        ('Prospect froid', 'Prospect tiède', 3, 1),  # the one sent back from négociation entered froid as well
        ('Prospect tiède', 'Prospect chaud', 3, 2),
        ('Prospect chaud', 'Négociation', 2, 0),
        ('Négociation', 'Client', 1, 0)]
    assert [c.rate for c in found] == pytest.approx([1 / 3, 2 / 3, 0, 0])
    with session_scope() as session:
        stats = pipeline.pipeline_stats(session, admin, date(2025, 3, 1), date(2025, 3, 31))
        assert stats.conversions == found
        assert [c.entered for c in pipeline.conversions(session, admin, date(2025, 4, 1), date(2025, 4, 30))] == [
            0, 0, 1, 1]
        assert [c.rate for c in pipeline.conversions(session, admin, date(2024, 1, 1), date(2024, 12, 31))] == [
            0.0] * 4


def test_conversions_need_two_forward_stages(db):
    admin = make_tenant()
    stages = _stages(admin)
    with session_scope() as session:
        for key in ('prospect_froid', 'prospect_tiede', 'prospect_chaud', 'negociation'):
            pipeline.delete_stage(session, admin, stages[key].id)
    with session_scope() as session:
        assert pipeline.conversions(session, admin, date(2025, 1, 1), date(2025, 1, 31)) == []
        assert session.exec(select(func.count()).select_from(PipelineStage)
                            .where(PipelineStage.tenant_id == admin.tenant_id)).one() == 2
