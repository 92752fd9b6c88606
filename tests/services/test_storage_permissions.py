"""Documents on disk belong to the app's account alone: another local account cannot read a client's files."""

import os
import stat

from services.storage import save_stream, stored_path
from settings import reload_settings


def test_stored_documents_and_their_folders_are_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv('CRM_DATA_DIR', str(tmp_path / 'data'))
    reload_settings()
    previous = os.umask(0o022)  # a usual umask: files would otherwise be world-readable
    try:
        path = stored_path(7, save_stream(7, [b'%PDF-1.4 contrat'], 'contrat.pdf').stored_name)
    finally:
        os.umask(previous)
        monkeypatch.undo()
        reload_settings()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
