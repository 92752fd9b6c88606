"""The data-quality audit: each component's points on a tenant with known defects (computed by hand below), the
duplicates it finds (same e-mail, same phone, similar name), a clean tenant, the journal, permissions and tenant
isolation — on SQLite and PostgreSQL."""

import random
import string
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from db.models import Client, ClientStatus, DataAudit, Role
from db.session import session_scope
from services.actor import Actor
from services.analytics import data_audit
from services.clients import ClientInput, create_client
from services.clock import today
from services.errors import Forbidden, NotFound
from tests.factories import count_rows, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sales


def fillers(actor: Actor, count: int, *, start: int = 0) -> list[int]:
    """Clients without a defect: a made-up name no other resembles, a valid e-mail and phone."""
    rng = random.Random(start)
    ids = []
    with session_scope() as session:
        for number in range(start, start + count):
            word = ''.join(rng.choices(string.ascii_lowercase, k=9)).capitalize()
            ids.append(create_client(session, actor, ClientInput(
                name=word, email=f'{word.lower()}@example.dz', phone=f'+21355510{number:04d}')).id)
    return ids


def set_fields(client_id: int, **values) -> None:
    """Write what the app itself would refuse (an imported bad e-mail, an old update date)."""
    with session_scope() as session:
        session.execute(update(Client).where(Client.id == client_id).values(**values))


def run(actor: Actor) -> data_audit.AuditRead:
    with session_scope() as session:
        return data_audit.run_audit(session, actor)


def points(audit: data_audit.AuditRead) -> dict[str, float]:
    return {component.code: component.score for component in audit.components}


def metrics(audit: data_audit.AuditRead, code: str) -> dict:
    return next(component.metrics for component in audit.components if component.code == code)


def pair_reasons(audit: data_audit.AuditRead) -> dict[tuple[str, str], list[str]]:
    return {(pair['a']['name'], pair['b']['name']): pair['reasons'] for pair in audit.details['duplicates']['pairs']}


def defective_tenant() -> tuple[Actor, dict[str, int]]:
    """Ten clients with defects among forty clean ones (50 audited), one archived client that does not count."""
    admin = make_tenant()
    ids = {'atlas': make_client(admin, 'SARL Atlas Négoce', email='contact@atlas.dz', phone='+213555123456').id,
           'atlas_again': make_client(admin, 'Atlas Negoce', email='ventes@atlas.dz').id,
           'benali': make_client(admin, 'Mohamed Benali', email='m.benali@example.dz', phone='0661223344').id,
           'haddad': make_client(admin, 'Karim Haddad', email='m.benali@example.dz').id,
           'cherif': make_client(admin, 'Nadia Cherif', email='nadia@cherif.dz', phone='+213555123456').id,
           'ferhat': make_client(admin, 'Yacine Ferhat').id,
           'saadi': make_client(admin, 'Lina Saadi').id,
           'khelifi': make_client(admin, 'Omar Khelifi', email='omar@khelifi.dz').id,
           'amrani': make_client(admin, 'Sofia Amrani', phone='+213770112233').id,
           'bouzid': make_client(admin, 'Rachid Bouzid', phone='+213661998877').id}
    fillers(admin, 40)
    archived = make_client(admin, 'Ancien Client', status=ClientStatus.ARCHIVED).id
    set_fields(archived, email='not-an-email')
    set_fields(ids['ferhat'], email='yacine@ferhat', phone='0123')
    set_fields(ids['amrani'], email='sofia.amrani@example')
    long_ago = datetime.now(UTC) - timedelta(days=400)
    for name in ('saadi', 'khelifi'):
        set_fields(ids[name], updated_at=long_ago, created_at=long_ago)

    day = today()
    grocery = [make_product(admin, f'Épicerie {n}', family='Épicerie', price=10) for n in (1, 2)]
    drinks = [make_product(admin, f'Boisson {n}', family='Boissons', price=10) for n in (1, 2)]
    make_sales(admin, [
        (ids['atlas'], day - timedelta(days=90), [Line(grocery[0], 1, 120), Line(drinks[0], 1, 15)], None),
        (ids['benali'], day - timedelta(days=120), [Line(grocery[1], 1, 20)], None),
        (ids['amrani'], day - timedelta(days=200), [Line(grocery[1], 1, 20), Line(drinks[1], 1, 10)], None),
        (ids['cherif'], day - timedelta(days=100), [Line(drinks[0], 1, 15)], None),
        (ids['bouzid'], day - timedelta(days=150), None, 500),
    ])
    return admin, ids


def test_a_tenant_with_known_defects_gets_the_hand_computed_score(db):
    admin, ids = defective_tenant()
    audit = run(admin)

    # freshness: 48 of 50 clients fresh (Saadi and Khelifi untouched for 400 days) → 14 × 0.96 = 13.44;
    # last sale 90 days ago → factor 1 − (90 − 30) / 150 = 0.6 → 6 × 0.6 = 3.6. Total 17.04.
    # email: 48 of 50 have one (Saadi and Bouzid do not) → 10 × 0.96 = 9.6; 46 of 48 valid (Ferhat's
    # «yacine@ferhat», Amrani's «sofia.amrani@example») → 10 × 46/48 = 9.583. Total 19.183.
    # phone: 46 of 50 have one (not Atlas Negoce, Haddad, Saadi, Khelifi) → 5 × 0.92 = 4.6; 45 of 46 valid
    # (Ferhat's «0123») → 10 × 45/46 = 9.783. Total 14.383.
    # duplicates: Atlas/Atlas Negoce (name), Benali/Haddad (e-mail), Atlas/Cherif (phone): 5 of 50 clients
    # → 25 × (1 − 5 × 0.1) = 12.5.
    # diversity: 5 buyers (Atlas, Benali, Amrani, Cherif, Bouzid's single amount), 2 from two families
    # (Atlas, Amrani) → 10 × min(1, 0.4 / 0.5) = 8; 4 products sold, the top one (1 = ceil(4 / 10)) makes
    # 120 of 200 (120 + 15 + 15 + 20 + 20 + 10) → 10 × (1 − 0.6) / 0.5 = 8. Total 16.
    # score: 17.04 + 19.183 + 14.383 + 12.5 + 16 = 79.106 → 79.
    assert points(audit) == {'freshness': 17.0, 'email': 19.2, 'phone': 14.4, 'duplicates': 12.5, 'diversity': 16.0}
    assert audit.score == 79
    assert [(c.code, c.weight) for c in audit.components] == [
        ('freshness', 20), ('email', 20), ('phone', 15), ('duplicates', 25), ('diversity', 20)]
    assert sum(c.weight for c in audit.components) == 100

    freshness = metrics(audit, 'freshness')
    assert (freshness['clients'], freshness['fresh'], freshness['days_since_last_sale']) == (50, 48, 90)
    assert [row['name'] for row in audit.details['freshness']['stale_clients']] == ['Lina Saadi', 'Omar Khelifi']
    assert [(row['name'], row['email']) for row in audit.details['email']['invalid_emails']] == [
        ('Sofia Amrani', 'sofia.amrani@example'), ('Yacine Ferhat', 'yacine@ferhat')]
    assert [row['name'] for row in audit.details['email']['missing_emails']] == ['Lina Saadi', 'Rachid Bouzid']
    assert [(row['id'], row['phone']) for row in audit.details['phone']['invalid_phones']] == [(ids['ferhat'], '0123')]
    assert metrics(audit, 'phone')['missing'] == 4
    diversity = metrics(audit, 'diversity')
    assert (diversity['buyers'], diversity['multi_family_buyers'], diversity['products_sold'],
            diversity['top_share']) == (5, 2, 4, 0.6)
    assert [row['name'] for row in audit.details['diversity']['single_family_buyers']] == [
        'Mohamed Benali', 'Nadia Cherif']
    assert [(row['name'], row['share']) for row in audit.details['diversity']['top_products']] == [('Épicerie 1', 0.6)]


def test_duplicates_are_found_by_email_by_phone_and_by_similar_name(db):
    admin, ids = defective_tenant()
    audit = run(admin)
    assert pair_reasons(audit) == {('SARL Atlas Négoce', 'Atlas Negoce'): ['name'],
                                   ('Mohamed Benali', 'Karim Haddad'): ['email'],
                                   ('SARL Atlas Négoce', 'Nadia Cherif'): ['phone']}
    by_name = next(pair for pair in audit.details['duplicates']['pairs'] if pair['reasons'] == ['name'])
    assert (by_name['a']['id'], by_name['b']['id'], by_name['similarity']) == (ids['atlas'], ids['atlas_again'], 100)
    assert (metrics(audit, 'duplicates')['involved'], metrics(audit, 'duplicates')['email_groups'],
            metrics(audit, 'duplicates')['phone_groups']) == (5, 1, 1)


def test_look_alikes_differ_by_case_typo_and_word_order_and_only_recent_clients_are_compared_by_name(db):
    admin = make_tenant()
    make_client(admin, 'Benali Mohammed', email='first@benali.dz')
    make_client(admin, 'Mohamed Benali', email='second@benali.dz')
    odd = make_client(admin, 'Transports Zeroual')
    same = make_client(admin, 'Zeroual Logistique', email='contact@zeroual.dz')
    set_fields(odd.id, email='  Contact@Zeroual.DZ ')
    old = [make_client(admin, 'Boulangerie Hamidi').id, make_client(admin, 'Boulangerie Hamidi').id]
    long_ago = datetime.now(UTC) - timedelta(days=200)
    for client_id in old:
        set_fields(client_id, updated_at=long_ago, created_at=long_ago)

    reasons = pair_reasons(run(admin))
    assert reasons == {('Benali Mohammed', 'Mohamed Benali'): ['name'],
                       ('Transports Zeroual', 'Zeroual Logistique'): ['email']}
    assert same.id > odd.id

    # A recent client is compared with every client, old ones included; two old ones are not compared together.
    recent = make_client(admin, 'Boulangeri Hamidi')
    pairs = run(admin).details['duplicates']['pairs']
    assert sorted((pair['a']['id'], pair['b']['id']) for pair in pairs if pair['b']['name'] == 'Boulangeri Hamidi') \
        == [(old[0], recent.id), (old[1], recent.id)]
    assert not any(pair['a']['id'] in old and pair['b']['id'] in old for pair in pairs)


def test_a_clean_tenant_scores_full_marks(db):
    admin = make_tenant()
    clients = fillers(admin, 10)
    day = today()
    products = [make_product(admin, f'Produit {n}', family='Épicerie' if n % 2 else 'Boissons', price=10)
                for n in range(10)]
    make_sales(admin, [(client_id, day - timedelta(days=5 + n), [Line(products[n], 1), Line(products[(n + 1) % 10], 1)],
                        None) for n, client_id in enumerate(clients)])
    audit = run(admin)
    assert audit.score == 100
    assert points(audit) == {'freshness': 20.0, 'email': 20.0, 'phone': 15.0, 'duplicates': 25.0, 'diversity': 20.0}
    assert audit.details['duplicates']['pairs'] == []


def test_an_empty_tenant_is_scored_without_error(db):
    admin = make_tenant()
    audit = run(admin)
    # No client: nothing to fault on clients; no sale: no last-sale factor and no diversity.
    assert points(audit) == {'freshness': 14.0, 'email': 20.0, 'phone': 15.0, 'duplicates': 25.0, 'diversity': 0.0}
    assert audit.score == 74


def test_every_run_is_kept_in_the_journal_with_the_change_since_the_previous_one(db):
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    with session_scope() as session:
        assert data_audit.latest_audit(session, viewer) is None
        assert data_audit.audit_history(session, viewer) == []
    first = run(admin)
    make_client(admin, 'Sans Contact')
    second = run(admin)
    assert (first.previous_score, second.previous_score) == (None, first.score)
    assert second.score < first.score
    with session_scope() as session:
        latest = data_audit.latest_audit(session, viewer)
        history = data_audit.audit_history(session, viewer)
        again = data_audit.get_audit(session, viewer, first.id)
    assert (latest.id, latest.score, latest.created_by_name) == (second.id, second.score, admin.full_name)
    assert [(point.id, point.score) for point in history] == [(first.id, first.score), (second.id, second.score)]
    assert history[1].components == points(second)
    assert (again.id, again.score, again.details) == (first.id, first.score, first.details)
    assert count_rows(DataAudit, tenant_id=admin.tenant_id) == 2
    assert second.duration_ms >= 0


def test_only_managers_and_admins_run_it_and_every_member_reads_it(db):
    admin = make_tenant()
    manager = make_user(admin, role=Role.MANAGER)
    for role in (Role.AGENT, Role.VIEWER):
        with pytest.raises(Forbidden), session_scope() as session:
            data_audit.run_audit(session, make_user(admin, role=role))
    assert count_rows(DataAudit) == 0
    assert run(manager).created_by == manager.user_id


def test_tenants_never_see_each_others_clients_or_audits(db):
    first_admin, _ = defective_tenant()
    other = make_tenant()
    make_client(other, 'Karim Haddad', email='m.benali@example.dz', phone='+213555123456')
    mine = run(first_admin)
    theirs = run(other)
    assert pair_reasons(theirs) == {}
    assert metrics(theirs, 'email')['clients'] == 1
    assert metrics(theirs, 'freshness')['last_sale_on'] is None
    with session_scope() as session:
        with pytest.raises(NotFound):
            data_audit.get_audit(session, other, mine.id)
        assert data_audit.latest_audit(session, other).id == theirs.id
        assert [point.id for point in data_audit.audit_history(session, other)] == [theirs.id]
