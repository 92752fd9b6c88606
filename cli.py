"""The `crm` command: serve, migrate, create tenants and users, fill demo data."""

import argparse
import getpass
import json
import os
import runpy
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from db.engine import get_engine
from db.session import session_scope
from services import encryption, process_memory
from services.ai import jobs as ai_jobs
from services.analytics import runs as analytics_runs
from services.errors import DomainError
from services.tenants import create_tenant, require_tenant
from services.users import insert_user, set_password_by_email
from settings import get_settings
from ui.i18n import translate

PREPARE_COMMAND = 'serve-prepare'


class CommandError(Exception):
    """A failure to report as one readable line."""


def _migrate() -> bool:
    from db.migrate import upgrade_to_head  # Alembic (and Mako, Pygments): never in the serving process

    return upgrade_to_head(get_engine())


def cmd_migrate(_: argparse.Namespace) -> None:
    print('Database migrated.' if _migrate() else 'Database already up to date.')


def _prepare_serve() -> dict:
    """Before serving: migrate, create the first workspace (and its demo data) if needed, mark the jobs a stopped
    server left unfinished, queue the demo's first AI analysis and analytics run. What to report and launch."""
    from services.bootstrap import first_start

    settings = get_settings()
    _migrate()
    with session_scope() as session:
        started = first_start(session, settings)
        interrupted = ai_jobs.mark_interrupted(session)
        interrupted_runs = analytics_runs.mark_interrupted(session)
        sealed = encryption.seal_stored_secrets(session)  # secrets saved in clear by an older version
    job_id = run_id = None
    if started and started.demo_clients:
        with session_scope() as session:
            job_id = ai_jobs.queue_job(session, started.tenant_id).id
            run_id = analytics_runs.queue_run(session, started.tenant_id, 'manual').id
    return {'started': asdict(started) if started else None, 'interrupted': interrupted,
            'interrupted_runs': interrupted_runs, 'job_id': job_id, 'run_id': run_id,
            'secrets_encrypted': sealed.encrypted, 'secrets_unreadable': sealed.unreadable}


def cmd_serve_prepare(_: argparse.Namespace) -> None:
    print(json.dumps(_prepare_serve()))


def _prepare_in_child() -> dict:
    """`_prepare_serve` in a child process: the migration (Alembic) and the demo generator (Faker, NumPy) never
    enter the server, whose memory would keep their modules and the fill's garbage for its whole life."""
    child = subprocess.run([sys.executable, str(Path(__file__).resolve()), PREPARE_COMMAND],
                           stdout=subprocess.PIPE, text=True, check=False)
    if child.returncode != 0:
        raise SystemExit(child.returncode)  # the child has said why, on stderr
    return json.loads(child.stdout.strip().splitlines()[-1])


def cmd_serve(_: argparse.Namespace) -> None:
    process_memory.limit_arenas()  # before the first thread
    os.umask(0o077)  # the database, documents, sessions and logs the server creates: its own account's only
    settings = get_settings()
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # NiceGUI keeps browser sessions on disk: beside the data, not in whatever folder the app starts from.
    os.environ.setdefault('NICEGUI_STORAGE_PATH', str((settings.data_dir / '.nicegui').resolve()))
    prepared = _prepare_in_child()
    started = prepared['started']
    if prepared['interrupted']:
        print(f'{prepared["interrupted"]} AI analysis job(s) left unfinished by the last stop are marked interrupted.')
    if prepared['interrupted_runs']:
        print(f'{prepared["interrupted_runs"]} analytics run(s) left unfinished by the last stop are marked '
              'interrupted.')
    if prepared.get('secrets_encrypted'):
        print(f'{prepared["secrets_encrypted"]} secret(s) stored in clear are now encrypted.')
    if prepared.get('secrets_unreadable'):
        print(f'Warning: {prepared["secrets_unreadable"]} stored secret(s) cannot be decrypted with CRM_SECRETS_KEYS '
              '(a key was removed?): they must be typed again.')
    if prepared['job_id'] is not None:
        ai_jobs.launch(prepared['job_id'], settings.language)  # the demo's open cases get their risk meanwhile
    if prepared['run_id'] is not None:
        analytics_runs.launch(prepared['run_id'])  # and its clients their segments and recommendations
    analytics_runs.start_scheduler()  # the nightly recomputation of segments and recommendations
    if started:
        print(f'First start: workspace «{started["tenant_name"]}» created with {started["demo_clients"]} demo '
              'clients.')
        print(f'  Sign in at http://{settings.host}:{settings.port}/login')
        print(f'  e-mail: {started["admin_email"]}   password: {started["admin_password"]}')
    runpy.run_path(str(Path(__file__).with_name('main.py')), run_name='__main__')


def cmd_tenant_create(args: argparse.Namespace) -> None:
    _migrate()
    with session_scope() as session:
        tenant, admin = create_tenant(session, name=args.name, admin_email=args.admin_email,
                                      admin_password=args.admin_password, admin_name=args.admin_name)
    print(f'Workspace «{tenant.name}» created (id {tenant.id}), admin {admin.email}.')


def cmd_user_create(args: argparse.Namespace) -> None:
    _migrate()
    with session_scope() as session:
        tenant = require_tenant(session, args.tenant)
        user = insert_user(session, None, tenant_id=tenant.id, email=args.email, password=args.password,
                           role=args.role, full_name=args.name)
    print(f'User {user.email} ({user.role}) created in «{tenant.name}».')


def cmd_user_password(args: argparse.Namespace) -> None:
    password = args.password
    if password is None:
        password = getpass.getpass('New password: ')
        if getpass.getpass('Again: ') != password:
            raise CommandError('the two passwords differ')
    _migrate()
    with session_scope() as session:
        user = set_password_by_email(session, email=args.email, new_password=password)
    print(f'Password of {user.email} changed; their sessions and API tokens are ended.')


def cmd_demo(args: argparse.Namespace) -> None:
    from services.demo import fill_tenant, refresh_statistics

    if args.clients < 0:
        raise CommandError('--clients must be zero or more')
    _migrate()
    started = time.perf_counter()
    with session_scope() as session:
        tenant = require_tenant(session, args.tenant)
        result = fill_tenant(session, tenant, clients=args.clients, seed=args.seed)
    refresh_statistics(get_engine())
    print(f'«{tenant.name}»: {result.clients} demo clients added, with {result.contacts} contacts, {result.cases} '
          f'cases, {result.notes} notes and {result.search_entries} search entries, in '
          f'{time.perf_counter() - started:.1f} s.')


def cmd_secrets_key(_: argparse.Namespace) -> None:
    print(encryption.new_key())


def cmd_rotate_secrets(_: argparse.Namespace) -> None:
    with session_scope() as session:
        report = encryption.rotate_stored_secrets(session)
    print(f'{report.rotated} secret(s) re-encrypted with the first key of CRM_SECRETS_KEYS, '
          f'{report.encrypted} encrypted for the first time.')
    if report.unreadable:
        raise CommandError(f'{report.unreadable} secret(s) cannot be decrypted with any key of CRM_SECRETS_KEYS: '
                           'left as they are (type them again, or add the key they were encrypted with)')


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='crm', description='CRM IA command line.')
    commands = parser.add_subparsers(dest='command', required=True,
                                     metavar='{serve,migrate,tenant,user,demo,secrets-key,rotate-secrets}')
    commands.add_parser('serve', help='migrate, create the first workspace if needed, serve the app') \
        .set_defaults(handler=cmd_serve)
    commands.add_parser('migrate', help='bring the database schema up to date').set_defaults(handler=cmd_migrate)
    commands.add_parser(PREPARE_COMMAND).set_defaults(handler=cmd_serve_prepare)  # internal: see _prepare_in_child

    tenant = commands.add_parser('tenant', help='manage workspaces').add_subparsers(dest='action', required=True)
    create = tenant.add_parser('create', help='create a workspace and its first admin')
    create.add_argument('--name', required=True)
    create.add_argument('--admin-email', required=True)
    create.add_argument('--admin-password', required=True)
    create.add_argument('--admin-name', default='')
    create.set_defaults(handler=cmd_tenant_create)

    user = commands.add_parser('user', help='manage users').add_subparsers(dest='action', required=True)
    create = user.add_parser('create', help='create a user in a workspace')
    create.add_argument('--tenant', required=True)
    create.add_argument('--email', required=True)
    create.add_argument('--password', required=True)
    create.add_argument('--role', default='agent', choices=['admin', 'manager', 'agent', 'viewer'])
    create.add_argument('--name', default='')
    create.set_defaults(handler=cmd_user_create)

    password = user.add_parser('password', help="set a user's password (e.g. an admin who lost it); ends the "
                                                 "user's sessions and API tokens")
    password.add_argument('--email', required=True)
    password.add_argument('--password', help='the new password (asked for when left out)')
    password.set_defaults(handler=cmd_user_password)

    demo = commands.add_parser('demo', help='fill a workspace with realistic demo data: per client about 3 contacts '
                                            'and 2 cases of 5 notes each')
    demo.add_argument('--tenant', required=True)
    demo.add_argument('--clients', type=int, default=500, help='clients to add (default 500)')
    demo.add_argument('--seed', type=int, default=2026, help='random seed (same seed, same data)')
    demo.set_defaults(handler=cmd_demo)

    commands.add_parser('secrets-key', help='print a new key for CRM_SECRETS_KEYS') \
        .set_defaults(handler=cmd_secrets_key)
    commands.add_parser('rotate-secrets', help='re-encrypt the stored secrets (API keys) with the first key of '
                                               'CRM_SECRETS_KEYS: put a new key first, run this, drop the old one') \
        .set_defaults(handler=cmd_rotate_secrets)
    return parser


def _one_line(error: Exception) -> str:
    return ' '.join(str(error).split())[:300]


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
        args.handler(args)
    except ValidationError as error:
        print(f'crm: invalid configuration: {error.errors()[0]["msg"]}', file=sys.stderr)
        return 2
    except DomainError as error:
        field = getattr(error, 'field', None)
        print(f'crm: {f"{field}: " if field else ""}{translate(error.key, "en", **error.params)}', file=sys.stderr)
        return 2
    except CommandError as error:
        print(f'crm: {error}', file=sys.stderr)
        return 2
    except OperationalError as error:
        print(f'crm: cannot reach the database ({settings.database_url.split("@")[-1]}): '
              f'{_one_line(error.orig or error)}', file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f'crm: database error: {_one_line(error)}', file=sys.stderr)
        return 1
    return 0


def main() -> None:
    sys.exit(run())


if __name__ == '__main__':
    main()
