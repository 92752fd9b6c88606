"""Real-browser tests run on Debian's chromium and chromedriver, fully offline.

NiceGUI's screen plugin would let Selenium Manager look for (and possibly download) a Chrome and a driver;
here both binaries are pinned, and `SE_OFFLINE` forbids any download should Selenium Manager run anyway.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from nicegui.testing import screen_plugin
from nicegui.testing.screen import Screen
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.browser.patience import PATIENCE
from tools.chromium import CHROMEDRIVER, CHROMIUM, CHROMIUM_ARGUMENTS

WINDOW_SIZE = (1366, 900)


def _require(path: str, what: str) -> None:
    if Path(path).is_file() or shutil.which(path):
        return
    message = f'{what} not found at {path}: install Debian\'s chromium and chromium-driver'
    if os.environ.get('CI') == 'true':
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope='session', autouse=True)
def patience() -> Iterator[None]:
    """Waits (`wait_for`, `find`, `click`) as long as a loaded machine needs: NiceGUI's Screen gives up after 4 s,
    which a page built while another test suite runs beside it can take."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Screen, 'IMPLICIT_WAIT', PATIENCE)
        yield


@pytest.fixture(scope='session')
def nicegui_chrome_options() -> webdriver.ChromeOptions:
    """NiceGUI's options (download folder, console log capture), on Debian's chromium at desktop size."""
    assert screen_plugin.DOWNLOAD_DIR is not None, 'pytest_configure must run before this fixture'
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f'--window-size={WINDOW_SIZE[0]},{WINDOW_SIZE[1]}')
    options.add_experimental_option('prefs', {
        'download.default_directory': str(screen_plugin.DOWNLOAD_DIR),
        'download.prompt_for_download': False,
        'download.directory_upgrade': True,
    })
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return options


@pytest.fixture(scope='session')
def nicegui_driver(nicegui_chrome_options: webdriver.ChromeOptions, patience: None) -> Iterator[webdriver.Chrome]:
    """One chromium for the session, driven by the pinned chromedriver (Selenium Manager is never asked)."""
    _require(CHROMIUM, 'chromium')
    _require(CHROMEDRIVER, 'chromedriver')
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which(CHROMEDRIVER) or CHROMEDRIVER),
                              options=nicegui_chrome_options)
    driver.implicitly_wait(Screen.IMPLICIT_WAIT)
    driver.set_page_load_timeout(PATIENCE)  # a busy 2-core runner needs more than NiceGUI's 4 s for a heavy page
    yield driver
    driver.quit()
