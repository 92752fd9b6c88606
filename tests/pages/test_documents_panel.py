"""The documents' drop zone: no byte counts of Quasar's own («0.0B / 0.00%»), a file sent listed once, with its size
written the app's one way («71 B» in English, «71 o» in French)."""

from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from db.session import session_scope
from services.users import set_own_language
from tests.factories import make_case, make_client, make_tenant
from tests.pages.helpers import PATIENT, sign_in


async def _upload(user: User, case_id: int, name: str, size: int):
    await user.open(f'/cases/{case_id}')
    await user.should_see(marker='documents-upload', retries=PATIENT)
    upload = user.find(marker='documents-upload').elements.pop()
    await upload.handle_uploads([SmallFileUpload(name=name, content_type='text/plain', _data=b'x' * size)])
    await user.should_see(marker=f'document-{name}', retries=PATIENT)
    row = user.find(marker=f'document-{name}').elements.pop()
    return upload, ' '.join(label.text for label in row.descendants() if hasattr(label, 'text'))


async def test_a_file_sent_is_listed_once_with_the_apps_size(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Atlas Négoce').id)
    with session_scope() as session:
        set_own_language(session, admin, 'en')
    await sign_in(user, admin.email)

    upload, row = await _upload(user, case.id, 'note.txt', 71)

    header, files = upload.slots['header'].template, upload.slots['list'].template
    assert 'uploadSizeLabel' not in header and 'uploadProgressLabel' not in header  # «0.0B / 0.00%»
    assert '25 MB at most per file' in header and 'q-uploader-add-trigger' in header
    assert "file.__status !== 'uploaded'" in files and '__sizeLabel' not in files  # «71.0B», listed again
    assert '71 B · ' in row


async def test_sizes_read_the_french_way_in_french(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Atlas Négoce').id)
    await sign_in(user, admin.email)
    upload, row = await _upload(user, case.id, 'bilan.txt', 1300 * 1024)
    assert '1,3 Mo · ' in row and '25 Mo au plus par fichier' in upload.slots['header'].template
