"""Interactions as a user logs and reads them: the quick log, the full dialog with participants, the recent
activities card, the timeline, a contact's page, the activities list and the dashboard card."""

import asyncio
from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from db.models import InteractionType, Role, utcnow
from db.session import session_scope
from services.actor import Actor
from services.clock import today
from services.contacts import ContactInput, ContactRead, create_contact
from services.interactions import (
    MAX_PARTICIPANTS,
    InteractionFilter,
    InteractionInput,
    InteractionRead,
    ParticipantInput,
    create_interaction,
    list_interactions,
)
from services.paging import PageRequest
from tests.factories import make_tenant, make_user
from tests.pages import data
from tests.pages.helpers import PATIENT, sign_in, table_rows, until
from tests.pages.test_kpi_pages import open_dialogs


def contact(actor: Actor, client_id: int, first: str, last: str, **fields) -> ContactRead:
    with session_scope() as session:
        return create_contact(session, actor, client_id, ContactInput(first_name=first, last_name=last, **fields))


def interaction(actor: Actor, client_id: int, title: str, kind: InteractionType = InteractionType.CALL,
                **fields) -> InteractionRead:
    fields.setdefault('occurred_at', utcnow() - timedelta(hours=1))
    with session_scope() as session:
        return create_interaction(session, actor, InteractionInput(client_id=client_id, type=kind, title=title,
                                                                   **fields))


def interactions_of(actor: Actor, **filters) -> list[InteractionRead]:
    with session_scope() as session:
        return list_interactions(session, actor, InteractionFilter(**filters), PageRequest(limit=100)).items


def in_open_dialog(user: User, marker: str) -> ui.element:
    """The element so marked in the dialog that is open (a closed dialog may stay in the page for a while)."""
    elements = [element for element in user.find(marker=marker).elements
                if all(dialog.value for dialog in element.ancestors() if isinstance(dialog, ui.dialog))]
    assert len(elements) == 1, elements
    return elements[0]


# --- the quick log and the recent activities card ------------------------------------------------------------------

async def test_quick_log_records_a_call_in_two_clicks(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Appel rapide')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}')
    await user.should_see(marker='recent-empty', retries=PATIENT)
    user.find(marker='quick-log').click()
    user.find(marker='quick-log-call').click()  # first click: the type
    await user.should_see('Consigner : Appel', retries=PATIENT)
    assert in_open_dialog(user, 'quick-title').value == 'Appel'
    in_open_dialog(user, 'quick-save')  # one save button, in the open dialog
    user.find(marker='quick-save').click()  # second click: save
    with user.scope(marker='recent-activities'):  # the call on the page (not the toast, which fades)
        await user.should_see(marker='interaction-Appel', retries=PATIENT)
        await user.should_not_see(marker='recent-empty')
    [logged] = interactions_of(admin, client_id=client.id)
    assert (logged.type, logged.title, logged.created_by) == (InteractionType.CALL, 'Appel', admin.user_id)
    user.find(marker='tab-activities').click()  # a tab reads its data when first opened
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Appel', retries=PATIENT)


async def test_quick_log_with_a_recipient_and_a_refused_empty_title(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Courriel')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}')
    await user.should_see(marker='quick-log', retries=PATIENT)
    user.find(marker='quick-log').click()
    user.find(marker='quick-log-email').click()
    await user.should_see(marker='quick-title', retries=PATIENT)
    user.find(marker='quick-title').clear()
    user.find(marker='quick-save').click()
    await user.should_see('Ce champ est obligatoire.', retries=PATIENT)
    assert interactions_of(admin, client_id=client.id) == []
    user.find(marker='quick-title').type('Envoi de la proposition')
    user.find(marker='quick-description').type('Proposition tarifaire 2025')
    user.find(marker='quick-recipient-name').type('Samir Belkacem')
    user.find(marker='quick-recipient-email').type('samir@example.dz')
    user.find(marker='quick-save').click()
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Envoi de la proposition', retries=PATIENT)
        await user.should_see('Samir Belkacem')
    [logged] = interactions_of(admin, client_id=client.id)
    assert logged.type == InteractionType.EMAIL and logged.description == 'Proposition tarifaire 2025'
    assert [(p.external_name, p.external_email) for p in logged.participants] == [('Samir Belkacem',
                                                                                   'samir@example.dz')]


async def test_recent_activities_filter_by_type(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SPA Filtrée')
    interaction(admin, client.id, 'Appel de suivi', InteractionType.CALL)
    interaction(admin, client.id, 'Envoi du devis', InteractionType.EMAIL)
    interaction(admin, client.id, 'Rendez-vous prévu', InteractionType.MEETING,
                occurred_at=utcnow() + timedelta(days=3))  # planned: not "recent"
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}')
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Appel de suivi', retries=PATIENT)
        await user.should_see(marker='interaction-Envoi du devis')
        await user.should_not_see(marker='interaction-Rendez-vous prévu')
    user.find(marker='recent-types').elements.pop().set_value(['email'])
    with user.scope(marker='recent-activities'):
        await user.should_not_see(marker='interaction-Appel de suivi', retries=PATIENT)
        await user.should_see(marker='interaction-Envoi du devis')
    user.find(marker='recent-types').elements.pop().set_value(['meeting'])
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='recent-empty', retries=PATIENT)
    user.find(marker='recent-types').elements.pop().set_value([])
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Appel de suivi', retries=PATIENT)
        await user.should_see(marker='interaction-Envoi du devis')
    user.find(marker='tab-activities').click()
    with user.scope(marker='timeline'):  # the timeline keeps planned interactions
        await user.should_see(marker='interaction-Rendez-vous prévu')
        await user.should_see('Prévu')


# --- the full dialog -----------------------------------------------------------------------------------------------

async def test_full_dialog_saves_an_external_and_a_contact_participant(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Réunion')
    karim = contact(admin, client.id, 'Karim', 'Haddad', email='karim@reunion.dz')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=activities')
    await user.should_see(marker='interaction-new', retries=PATIENT)
    user.find(marker='interaction-new').click()
    await user.should_see(marker='interaction-title', retries=PATIENT)
    assert user.find(marker='interaction-type').elements.pop().value == 'meeting'
    user.find(marker='interaction-title').type('Réunion de lancement')
    user.find(marker='interaction-duration').elements.pop().set_value(90)
    user.find(marker='interaction-pitch').click()
    user.find(marker='participant-add-external').click()
    user.find(marker='participant-name-0').type('Nadia Ferhat')
    user.find(marker='participant-email-0').type('nadia@partenaire.dz')
    user.find(marker='participant-add-contact').click()
    await user.should_see(marker='participant-contact-1')
    user.find(marker='participant-contact-1').elements.pop().set_value(karim.id)
    await user.should_see('2 / 50')
    user.find(marker='interaction-save').click()
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Réunion de lancement', retries=PATIENT)
        await user.should_see('Nadia Ferhat, Karim Haddad')
    [saved] = interactions_of(admin, client_id=client.id)
    assert (saved.type, saved.title, saved.duration_minutes, saved.is_pitch) == \
        (InteractionType.MEETING, 'Réunion de lancement', 90, True)
    assert [(p.external_name, p.external_email, p.contact_id) for p in saved.participants] == \
        [('Nadia Ferhat', 'nadia@partenaire.dz', None), (None, None, karim.id)]
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Réunion de lancement', retries=PATIENT)


async def test_the_51st_participant_is_refused_with_a_warning(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SPA Grand séminaire')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=activities')
    await user.should_see(marker='interaction-new', retries=PATIENT)
    user.find(marker='interaction-new').click()
    await user.should_see(marker='participant-add-external', retries=PATIENT)
    add = user.find(marker='participant-add-external')
    for _ in range(MAX_PARTICIPANTS):
        add.click()
    await user.should_see('50 / 50')
    await user.should_see(marker='participant-name-49')
    user.find(marker='participant-add-external').click()
    await asyncio.sleep(0.2)  # what a 51st click would have drawn
    await user.should_see('50 / 50')
    await user.should_not_see(marker='participant-name-50')
    user.find(marker='participant-add-contact').click()
    await user.should_not_see(marker='participant-contact-50')


async def test_edit_then_delete_an_interaction_from_the_timeline(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Historique')
    logged = interaction(admin, client.id, 'Appel découverte', InteractionType.CALL,
                         participants=[ParticipantInput(name='Lina Saadi')])
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=activities')
    await user.should_see(marker=f'interaction-menu-{logged.id}', retries=PATIENT)
    user.find(marker=f'interaction-menu-{logged.id}').click()
    user.find(marker=f'interaction-edit-{logged.id}').click()
    await user.should_see("Modifier l'interaction", retries=PATIENT)
    await user.should_see(marker='participant-name-0')
    assert user.find(marker='interaction-title').elements.pop().value == 'Appel découverte'
    assert user.find(marker='participant-name-0').elements.pop().value == 'Lina Saadi'
    user.find(marker='interaction-title').clear().type('Appel de découverte approfondi')
    user.find(marker='interaction-type').elements.pop().set_value('meeting')
    user.find(marker='participant-remove-0').click()
    user.find(marker='interaction-save').click()
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Appel de découverte approfondi', retries=PATIENT)
    [edited] = interactions_of(admin, client_id=client.id)
    assert (edited.title, edited.type, edited.participants, edited.version) == \
        ('Appel de découverte approfondi', InteractionType.MEETING, [], logged.version + 1)
    user.find(marker='tab-overview').click()  # read when first opened: with the edit
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Appel de découverte approfondi', retries=PATIENT)

    user.find(marker=f'interaction-delete-{logged.id}').click()
    await user.should_see("Supprimer l'interaction ?", retries=PATIENT)
    user.find(marker='confirm-cancel').click()
    await asyncio.sleep(0.2)
    assert len(interactions_of(admin, client_id=client.id)) == 1
    user.find(marker=f'interaction-delete-{logged.id}').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    await user.should_see("L'interaction « Appel de découverte approfondi » sera supprimée définitivement.")
    user.find(marker='confirm-ok').click()
    with user.scope(marker='timeline'):
        await user.should_not_see(marker='interaction-Appel de découverte approfondi', retries=PATIENT)
    assert interactions_of(admin, client_id=client.id) == []
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='recent-empty', retries=PATIENT)


async def test_editing_keeps_a_participant_who_is_another_clients_contact(user: User, sqlite_db) -> None:
    """An outside e-mail that a contact of another client has is linked to that contact: the dialog must still
    open on that interaction and keep the person."""
    admin = make_tenant()
    client = data.client(admin, 'SARL Hôte')
    partner = data.client(admin, 'SARL Partenaire')
    yasmine = contact(admin, partner.id, 'Yasmine', 'Kaci', email='yasmine@partenaire.dz')
    logged = interaction(admin, client.id, 'Réunion tripartite', InteractionType.MEETING,
                         participants=[ParticipantInput(email='yasmine@partenaire.dz')])
    assert [p.contact_id for p in logged.participants] == [yasmine.id]
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=activities')
    await user.should_see(marker=f'interaction-menu-{logged.id}', retries=PATIENT)
    user.find(marker=f'interaction-edit-{logged.id}').click()
    await user.should_see(marker='participant-contact-0', retries=PATIENT)
    assert user.find(marker='participant-contact-0').elements.pop().value == yasmine.id
    user.find(marker='interaction-save').click()
    await until(lambda: not open_dialogs(user, 'interaction-save'))  # saved: the dialog is closed
    [edited] = interactions_of(admin, client_id=client.id)
    assert [p.contact_id for p in edited.participants] == [yasmine.id]


# --- a contact's page ----------------------------------------------------------------------------------------------

async def test_contact_page_shows_its_interactions_and_presets_the_quick_log(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SPA Contacts')
    karim = contact(admin, client.id, 'Karim', 'Haddad', role='DAF', email='karim@contacts.dz')
    leila = contact(admin, client.id, 'Leila', 'Mansouri')
    interaction(admin, client.id, 'Appel avec Karim', contact_id=karim.id)
    interaction(admin, client.id, 'Comité avec Karim', InteractionType.MEETING,
                participants=[ParticipantInput(contact_id=karim.id)])
    interaction(admin, client.id, 'Appel avec Leila', contact_id=leila.id)
    await sign_in(user, admin.email)
    await user.open(f'/contacts/{karim.id}')
    await user.should_see('Karim Haddad', retries=PATIENT)
    with user.scope(marker='contact-details'):
        await user.should_see('DAF')
        await user.should_see('karim@contacts.dz')
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Appel avec Karim', retries=PATIENT)
        await user.should_see(marker='interaction-Comité avec Karim')
        await user.should_not_see(marker='interaction-Appel avec Leila')
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Appel avec Karim', retries=PATIENT)
        await user.should_not_see(marker='interaction-Appel avec Leila')
    user.find(marker='quick-log').click()
    user.find(marker='quick-log-note').click()
    await user.should_see(marker='quick-save', retries=PATIENT)
    user.find(marker='quick-save').click()
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Note', retries=PATIENT)
    notes = [i for i in interactions_of(admin, client_id=client.id) if i.type == InteractionType.NOTE]
    assert [(n.contact_id, n.client_id) for n in notes] == [(karim.id, client.id)]
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Note', retries=PATIENT)


async def test_contact_page_full_dialog_presets_the_main_contact(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Contact principal')
    karim = contact(admin, client.id, 'Karim', 'Haddad')
    await sign_in(user, admin.email)
    await user.open(f'/contacts/{karim.id}')
    await user.should_see(marker='interaction-new', retries=PATIENT)
    user.find(marker='interaction-new').click()
    await user.should_see(marker='interaction-contact', retries=PATIENT)
    assert user.find(marker='interaction-contact').elements.pop().value == karim.id
    user.find(marker='interaction-title').type('Déjeuner de travail')
    user.find(marker='interaction-type').elements.pop().set_value('lunch')
    user.find(marker='interaction-save').click()
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Déjeuner de travail', retries=PATIENT)
    [saved] = interactions_of(admin, contact_id=karim.id)
    assert (saved.type, saved.contact_id, saved.title) == (InteractionType.LUNCH, karim.id, 'Déjeuner de travail')


# --- the activities list -------------------------------------------------------------------------------------------

async def test_activities_list_filters_by_type_and_client(user: User, sqlite_db) -> None:
    admin = make_tenant()
    first = data.client(admin, 'SARL Première')
    second = data.client(admin, 'SARL Seconde')
    interaction(admin, first.id, 'Appel d\'ouverture', InteractionType.CALL)
    interaction(admin, first.id, 'Envoi de la plaquette', InteractionType.EMAIL)
    interaction(admin, second.id, 'Réunion annuelle', InteractionType.MEETING)
    interaction(admin, second.id, 'Relance téléphonique', InteractionType.CALL)
    await sign_in(user, admin.email)
    await user.open('/activities')
    rows = await table_rows(user, 'activities-table', lambda rows: len(rows) == 4)
    assert {(row['title'], row['type'], row['client']) for row in rows} == {
        ("Appel d'ouverture", 'Appel', 'SARL Première'), ('Envoi de la plaquette', 'E-mail', 'SARL Première'),
        ('Réunion annuelle', 'Réunion', 'SARL Seconde'), ('Relance téléphonique', 'Appel', 'SARL Seconde')}
    user.find(marker='filter-types').elements.pop().set_value(['call'])
    rows = await table_rows(user, 'activities-table', lambda rows: len(rows) == 2)
    assert {row['title'] for row in rows} == {"Appel d'ouverture", 'Relance téléphonique'}
    user.find(marker='filter-client').elements.pop().set_value(second.id)
    rows = await table_rows(user, 'activities-table', lambda rows: len(rows) == 1)
    assert [row['title'] for row in rows] == ['Relance téléphonique']
    user.find(marker='filter-types').elements.pop().set_value([])
    rows = await table_rows(user, 'activities-table', lambda rows: len(rows) == 2)
    assert {row['title'] for row in rows} == {'Réunion annuelle', 'Relance téléphonique'}
    user.find(marker='filter-types').elements.pop().set_value(['newsletter'])
    assert await table_rows(user, 'activities-table', lambda rows: rows == []) == []


async def test_activities_list_filters_by_period(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Période')
    interaction(admin, client.id, 'Appel ancien', occurred_at=utcnow() - timedelta(days=20))
    interaction(admin, client.id, 'Appel récent', occurred_at=utcnow() - timedelta(hours=1))
    await sign_in(user, admin.email)
    await user.open('/activities')
    await table_rows(user, 'activities-table', lambda rows: len(rows) == 2)
    week_ago = (today() - timedelta(days=7)).isoformat()
    user.find(marker='filter-since').elements.pop().set_value(week_ago)
    rows = await table_rows(user, 'activities-table', lambda rows: len(rows) == 1)
    assert [row['title'] for row in rows] == ['Appel récent']
    user.find(marker='filter-since').elements.pop().set_value('')
    user.find(marker='filter-until').elements.pop().set_value(week_ago)
    rows = await table_rows(user, 'activities-table', lambda rows: [r['title'] for r in rows] == ['Appel ancien'])
    assert [row['title'] for row in rows] == ['Appel ancien']


async def test_activities_row_opens_the_clients_timeline(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SPA Navigation')
    interaction(admin, client.id, 'Appel à suivre')
    await sign_in(user, admin.email)
    await user.open('/activities')
    [row] = await table_rows(user, 'activities-table', lambda rows: len(rows) == 1)
    user.find(marker='activities-table').trigger('rowClick', [{}, row, 0])
    await user.should_see(marker='tab-activities', retries=PATIENT)
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Appel à suivre', retries=PATIENT)


async def test_dashboard_lists_the_latest_activities_with_their_client(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Tableau de bord')
    interaction(admin, client.id, 'Point mensuel', InteractionType.MEETING)
    await sign_in(user, admin.email)
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Point mensuel', retries=PATIENT)
        await user.should_see('SARL Tableau de bord')


# --- read-only users and other tenants -----------------------------------------------------------------------------

async def test_viewers_cannot_log_nor_edit(user: User, sqlite_db) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    client = data.client(admin, 'SNC Consultation')
    karim = contact(admin, client.id, 'Karim', 'Haddad')
    logged = interaction(admin, client.id, 'Appel consulté', contact_id=karim.id)
    await sign_in(user, viewer.email)
    await user.open(f'/clients/{client.id}')
    await user.should_see(marker='quick-log', retries=PATIENT)
    assert user.find(marker='quick-log').elements.pop().enabled is False
    user.find(marker='quick-log').click()
    user.find(marker='tab-activities').click()
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Appel consulté', retries=PATIENT)
    await user.should_not_see(marker=f'interaction-menu-{logged.id}')
    await user.should_not_see(marker='interaction-new')
    await user.open(f'/contacts/{karim.id}')
    await user.should_see(marker='quick-log', retries=PATIENT)
    assert user.find(marker='quick-log').elements.pop().enabled is False
    await user.should_not_see(marker='interaction-new')
    await user.should_not_see(marker=f'interaction-menu-{logged.id}')


async def test_another_tenants_client_and_contact_are_not_found(user: User, sqlite_db) -> None:
    admin_a = make_tenant('Cabinet A')
    admin_b = make_tenant('Cabinet B')
    own = data.client(admin_a, 'Client de A')
    interaction(admin_a, own.id, 'Appel de A')
    secret_client = data.client(admin_b, 'Client secret de B')
    secret_contact = contact(admin_b, secret_client.id, 'Sofiane', 'Secret')
    interaction(admin_b, secret_client.id, 'Appel secret de B', contact_id=secret_contact.id)
    await sign_in(user, admin_a.email)
    await user.open(f'/contacts/{secret_contact.id}')
    await user.should_see('Contact introuvable.', retries=PATIENT)
    await user.should_not_see('Sofiane Secret')
    await user.should_not_see('Appel secret de B')
    await user.open(f'/clients/{secret_client.id}?tab=activities')
    await user.should_see('Client introuvable.', retries=PATIENT)
    await user.should_not_see('Client secret de B')
    await user.should_not_see(marker='quick-log')
    await user.open('/activities')
    rows = await table_rows(user, 'activities-table', lambda rows: len(rows) == 1)
    assert [row['title'] for row in rows] == ['Appel de A']
    await user.open('/')
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Appel de A', retries=PATIENT)
        await user.should_not_see(marker='interaction-Appel secret de B')


async def test_timeline_loads_fifty_entries_at_a_time(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Longue histoire')
    start = utcnow() - timedelta(days=60)
    with session_scope() as session:
        for number in range(1, 53):
            create_interaction(session, admin, InteractionInput(
                client_id=client.id, type=InteractionType.NOTE, title=f'Note {number:02d}',
                occurred_at=start + timedelta(hours=number)))
    await sign_in(user, admin.email)  # the entry in the pipeline (today) and 52 older notes: 53 entries
    await user.open(f'/clients/{client.id}?tab=activities')
    with user.scope(marker='timeline'):
        await user.should_see('Entrée dans le pipeline : Prospect froid', retries=PATIENT)
        await user.should_see(marker='interaction-Note 52')
        await user.should_see(marker='interaction-Note 04')
        await user.should_not_see(marker='interaction-Note 03')
        await user.should_see('Afficher plus (3 restantes)')
    user.find(marker='timeline-more').click()
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Note 01', retries=PATIENT)
        await user.should_see(marker='interaction-Note 03')
        await user.should_not_see(marker='timeline-more')


async def test_a_client_page_reads_a_tab_when_it_is_first_opened(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Onglets')
    interaction(admin, client.id, 'Appel initial', InteractionType.CALL)
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}')
    with user.scope(marker='recent-activities'):
        await user.should_see(marker='interaction-Appel initial', retries=PATIENT)
    with user.scope(marker='timeline'):  # not read yet: the overview is what the user looks at
        await user.should_not_see(marker='interaction-Appel initial')
    user.find(marker='tab-activities').click()
    with user.scope(marker='timeline'):
        await user.should_see(marker='interaction-Appel initial', retries=PATIENT)
