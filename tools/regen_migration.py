"""Development helper: regenerate the newest migration (0006) from the models, while issue 6's schema settles.

    .venv/bin/python -m tools.regen_migration
"""

import re
import subprocess
import sys
import tempfile

from alembic import command

from db.engine import build_engine
from db.migrate import MIGRATIONS_DIR, alembic_config, upgrade_to_head

REV, MESSAGE = '0006', 'sales analytics: products, sales, RFM profiles, recommendations, data-quality audits'


def main() -> None:
    target = MIGRATIONS_DIR / 'versions'
    for old in target.glob(f'{REV}_*.py'):
        old.unlink()
    with tempfile.TemporaryDirectory() as directory:
        engine = build_engine(f'sqlite:///{directory}/regen.db')
        upgrade_to_head(engine)
        command.revision(alembic_config(engine), message=MESSAGE, autogenerate=True, rev_id=REV)
    path = next(target.glob(f'{REV}_*.py'))
    text = path.read_text()
    text = re.sub(r'(?<![\w.])Text\(\)', 'sa.Text()', text)
    path.write_text(text)
    subprocess.run([sys.executable, '-m', 'ruff', 'check', '--fix', '-q', str(path)], check=False)
    print(path)


if __name__ == '__main__':
    main()
