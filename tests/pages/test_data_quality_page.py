"""Analyses › data quality: running the audit, reading the score and its lists, merging a duplicate pair."""

import asyncio

from nicegui.testing import User

from db.models import Client, ClientStatus, Contact, Role
from db.session import session_scope
from services.analytics import data_audit
from services.contacts import ContactInput, create_contact
from tests.factories import count_rows, make_tenant, make_user
from tests.pages import data
from tests.pages.helpers import PATIENT, sign_in

PAGE = '/analytics/quality'


async def until_gone(user: User, marker: str) -> None:
    for _ in range(PATIENT):
        try:
            user.find(marker=marker)
        except AssertionError:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f'{marker} is still shown')


async def test_an_admin_runs_the_audit_then_merges_a_duplicate_pair(user: User, sqlite_db) -> None:
    admin = make_tenant()
    keep = data.client(admin, 'Atlas Négoce', email='contact@atlas.dz')
    dup = data.client(admin, 'SARL Atlas Negoce', phone='0555123456')
    data.client(admin, 'Nadia Cherif', email='nadia@cherif.dz')
    with session_scope() as session:
        create_contact(session, admin, dup.id, ContactInput(first_name='Karim', last_name='Haddad'))
    await sign_in(user, admin.email)
    await user.open(PAGE)
    await user.should_see(marker='quality-empty', retries=PATIENT)
    await user.should_see('Aucun audit pour le moment')

    user.find(marker='quality-run').click()
    await user.should_see(marker='quality-score', retries=PATIENT)
    score = user.find(marker='quality-score').elements.pop().text
    with session_scope() as session:
        assert score == str(data_audit.latest_audit(session, admin).score)
    await user.should_see('Premier audit')
    await user.should_see('Doublons probables')
    pair = f'quality-pair-{keep.id}-{dup.id}'
    await user.should_see(marker=pair)
    await user.should_see('Nom ≈\u00a0100\u00a0%')

    user.find(marker=f'merge-{keep.id}-{dup.id}').click()
    await user.should_see(marker='merge-dialog', retries=PATIENT)
    await user.should_see('Fusionner deux clients')
    await user.should_see('Contacts\u00a0: 1 · dossiers\u00a0: 0 · interactions\u00a0: 0 · ventes\u00a0: 0')
    user.find(marker='merge-go').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    await user.should_see('Fusionner «\u00a0SARL Atlas Negoce\u00a0» dans «\u00a0Atlas Négoce\u00a0»\u00a0?')
    user.find(marker='confirm-ok').click()
    await until_gone(user, pair)
    await user.should_see('Aucun doublon probable.')
    with session_scope() as session:
        kept, merged = session.get(Client, keep.id), session.get(Client, dup.id)
        assert (kept.phone, merged.status) == ('+213555123456', ClientStatus.ARCHIVED)
    assert count_rows(Contact, client_id=keep.id) == 1

    await user.open(PAGE)  # the journal keeps the pair; the page shows only what is left to do
    await user.should_see(marker='quality-pairs-empty', retries=PATIENT)


async def test_the_kept_client_can_be_the_second_one_and_cancelling_changes_nothing(user: User, sqlite_db) -> None:
    admin = make_tenant()
    first = data.client(admin, 'Benali Mohammed', email='m@benali.dz')
    second = data.client(admin, 'Mohamed Benali', email='m@benali.dz')
    with session_scope() as session:
        data_audit.run_audit(session, admin)
    await sign_in(user, admin.email)
    await user.open(PAGE)
    await user.should_see(marker=f'quality-pair-{first.id}-{second.id}', retries=PATIENT)
    await user.should_see('Même e-mail')

    user.find(marker=f'merge-{first.id}-{second.id}').click()
    await user.should_see(marker='merge-dialog', retries=PATIENT)
    user.find(marker='merge-cancel').click()
    await until_gone(user, 'merge-dialog')
    assert count_rows(Client, status=ClientStatus.ARCHIVED) == 0

    user.find(marker=f'merge-{first.id}-{second.id}').click()
    await user.should_see(marker='merge-dialog', retries=PATIENT)
    user.find(marker='merge-keep').elements.pop().set_value(second.id)
    user.find(marker='merge-go').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await until_gone(user, f'quality-pair-{first.id}-{second.id}')
    with session_scope() as session:
        assert session.get(Client, first.id).status == ClientStatus.ARCHIVED
        assert session.get(Client, second.id).status == ClientStatus.ACTIVE


async def test_a_viewer_reads_the_audit_but_neither_runs_it_nor_merges(user: User, sqlite_db) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    first = data.client(admin, 'Atlas Négoce', email='contact@atlas.dz')
    second = data.client(admin, 'Atlas Negoce', email='contact@atlas.dz')
    await sign_in(user, viewer.email)
    await user.open(PAGE)
    await user.should_see('Un responsable ou un administrateur peut lancer le premier audit', retries=PATIENT)
    await user.should_not_see(marker='quality-run')

    with session_scope() as session:
        first_run = data_audit.run_audit(session, admin)
    data.client(admin, 'Sans Coordonnées')
    with session_scope() as session:
        second_run = data_audit.run_audit(session, admin)
    await user.open(PAGE)
    await user.should_see(marker=f'quality-pair-{first.id}-{second.id}', retries=PATIENT)
    delta = second_run.score - first_run.score
    await user.should_see(f'\u2212{abs(delta)} depuis l\'audit précédent')
    await user.should_see(marker='chart-quality')
    await user.should_see(marker='quality-list-missing_phones')
    await user.should_not_see(marker='quality-run')
    await user.should_not_see(marker=f'merge-{first.id}-{second.id}')
