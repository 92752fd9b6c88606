"""Screenshots of the main screens of a running CRM IA, at desktop and at phone width, for a visual review.

    .venv/bin/python -m tools.screenshots --url http://127.0.0.1:8080 \\
        --email admin@demo.dz --password demo-crm-2026 --out /tmp/shots

Drives Debian's chromium (headless, offline: Selenium Manager never downloads anything). For each size it
opens /login signed out, signs in, then visits each page, waits until NiceGUI has rendered it (socket connected
and quiet, no skeleton or spinner left, fonts and charts loaded) and saves `<size>-<page>.png`. Browser console
errors and warnings are printed; the exit status is 1 if a page could not be reached or a console error appeared.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import JavascriptException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tools.chromium import CHROMIUM_ARGUMENTS as SHARED_ARGUMENTS  # first: sets SE_OFFLINE

CHROMIUM_ARGUMENTS = (*SHARED_ARGUMENTS, '--hide-scrollbars')
PAGES = (  # (file name, path): the login page is taken first, signed out
    ('dashboard', '/'),
    ('admin-users', '/admin/users'),
    ('admin-audit', '/admin/audit'),
    ('account', '/account'),
)
PHONE_USER_AGENT = ('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) '
                    'Chrome/124.0.0.0 Mobile Safari/537.36')

# True once the page is worth a picture: NiceGUI's socket has shaken hands, nothing is loading any more,
# icon fonts are in and every Plotly chart shown has drawn (one in a closed tab waits to be shown).
RENDERED_JS = '''
const visible = (element) => !!(element.offsetWidth || element.offsetHeight || element.getClientRects().length);
const busy = '.q-skeleton, .q-linear-progress, .q-spinner, .q-inner-loading, .q-btn--loading, .q-table--loading';
return document.readyState === 'complete'
    && !!window.socket && window.socket.connected && window.did_handshake === true
    && document.fonts.status === 'loaded'
    && ![...document.querySelectorAll(busy)].some(visible)
    && [...document.querySelectorAll('.js-plotly-plot')].filter(visible)
        .every((plot) => plot.querySelector('.main-svg'));
'''

# Resolves once no NiceGUI message has arrived for `quiet` ms (or after `limit` ms).
SOCKET_QUIET_JS = '''
const [quiet, limit, done] = arguments;
const deadline = Date.now() + limit;
let last = window.nextMessageId || 0, since = Date.now();
const check = () => {
    const current = window.nextMessageId || 0;
    if (current !== last) { last = current; since = Date.now(); }
    if (Date.now() - since >= quiet || Date.now() >= deadline) done(); else setTimeout(check, 25);
};
check();
'''


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int
    phone: bool = False


SIZES = (Size('desktop', 1366, 900), Size('phone', 390, 844, phone=True))


class Shooter:
    def __init__(self, args: argparse.Namespace, size: Size) -> None:
        self.args = args
        self.size = size
        self.base = args.url.rstrip('/')
        self.problems: list[str] = []
        self.saved: list[Path] = []
        self.driver = _start_browser(args, size)

    def close(self) -> None:
        self.driver.quit()

    # --- navigation -------------------------------------------------------------------------------------------

    def path(self) -> str:
        return urlparse(self.driver.current_url).path or '/'

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.wait_rendered()

    def wait_rendered(self) -> None:
        try:
            WebDriverWait(self.driver, self.args.timeout, poll_frequency=0.1,
                          ignored_exceptions=(JavascriptException,)) \
                .until(lambda driver: driver.execute_script(RENDERED_JS))
        except TimeoutException:
            self.problems.append(f'{self.size.name} {self.path()}: still loading after {self.args.timeout} s')
        self.driver.set_script_timeout(self.args.timeout + 5)
        self.driver.execute_async_script(SOCKET_QUIET_JS, 300, int(self.args.timeout * 1000))
        time.sleep(self.args.settle)  # let Quasar's transitions (drawer, labels, ripples) finish

    def sign_in(self) -> None:
        email = self.driver.find_element(By.CSS_SELECTOR, 'input[type=email]')
        password = self.driver.find_element(By.CSS_SELECTOR, 'input[type=password]')
        email.click()
        email.send_keys(self.args.email)
        password.click()
        password.send_keys(self.args.password, Keys.ENTER)
        try:  # argon2 and the redirect take a moment
            WebDriverWait(self.driver, self.args.timeout).until(lambda _: self.path() != '/login')
        except TimeoutException:
            raise SystemExit(f'{self.size.name}: could not sign in as {self.args.email} '
                             f'(still on /login after {self.args.timeout} s)') from None
        self.wait_rendered()

    # --- output -----------------------------------------------------------------------------------------------

    def shoot(self, name: str, expected_path: str) -> None:
        if self.path() != expected_path:
            self.problems.append(f'{self.size.name}: {expected_path} ended on {self.path()}')
        target = self.args.out / f'{self.size.name}-{name}.png'
        self._park_pointer()
        if self.args.viewport_only:
            self.driver.get_screenshot_as_file(str(target))
        else:
            self._full_page(target)
        self.saved.append(target)
        print(f'  {target}  ({self.path()})')
        self.report_console(expected_path)

    def _park_pointer(self) -> None:
        """Move the pointer to the bottom-right corner: no hover effect (button, chart toolbar) in the picture."""
        actions = ActionChains(self.driver)
        actions.w3c_actions.pointer_action.move_to_location(self.size.width - 2, self.size.height - 2)
        actions.perform()
        time.sleep(0.2)

    def _full_page(self, target: Path) -> None:
        metrics = self.driver.execute_cdp_cmd('Page.getLayoutMetrics', {})
        content = metrics.get('cssContentSize') or metrics['contentSize']
        viewport = metrics.get('cssLayoutViewport') or metrics['layoutViewport']
        clip = {'x': 0, 'y': 0, 'scale': 1,
                'width': max(content['width'], viewport['clientWidth']),
                'height': max(content['height'], viewport['clientHeight'])}
        shot = self.driver.execute_cdp_cmd('Page.captureScreenshot',
                                           {'format': 'png', 'captureBeyondViewport': True, 'clip': clip})
        target.write_bytes(base64.b64decode(shot['data']))

    def report_console(self, path: str) -> None:
        for entry in self.driver.get_log('browser'):
            level = str(entry.get('level', '')).upper()
            if level in ('SEVERE', 'ERROR', 'WARNING'):
                print(f'    console {level} on {path}: {entry["message"]}')
                if level != 'WARNING':
                    self.problems.append(f'{self.size.name} {path}: console {level}: {entry["message"]}')

    def run(self) -> None:
        print(f'{self.size.name} ({self.size.width}x{self.size.height}):')
        self.open('/login')
        self.shoot('login', '/login')
        self.sign_in()
        pages = [tuple(item.split('=', 1)) for item in self.args.pages] if self.args.pages else PAGES
        for name, path in pages:
            self.open(path)
            self.shoot(name, path)


def _start_browser(args: argparse.Namespace, size: Size) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f'--window-size={size.width},{size.height}')
    options.add_argument(f'--lang={args.lang}')
    options.add_experimental_option('prefs', {'intl.accept_languages': args.lang})
    if size.phone:
        options.add_experimental_option('mobileEmulation', {
            'deviceMetrics': {'width': size.width, 'height': size.height, 'pixelRatio': args.phone_pixel_ratio,
                              'touch': True},
            'userAgent': PHONE_USER_AGENT,
        })
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(executable_path=args.chromedriver), options=options)
    driver.set_page_load_timeout(args.timeout)
    if not size.phone:  # headless chromium keeps room for an imaginary toolbar: pin the viewport itself
        driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride',
                               {'width': size.width, 'height': size.height, 'deviceScaleFactor': 1, 'mobile': False})
    return driver


def _executable(value: str) -> str:
    found = shutil.which(value)
    if found is None:
        raise argparse.ArgumentTypeError(f'{value}: not found or not executable')
    return found


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--url', default='http://127.0.0.1:8080', help='base URL of the running app')
    parser.add_argument('--email', required=True, help='login e-mail (an admin, to reach /admin/*)')
    parser.add_argument('--password', required=True)
    parser.add_argument('--out', type=Path, default=Path('/tmp/shots'), help='directory for the PNG files')
    parser.add_argument('--pages', nargs='+', metavar='NAME=PATH',
                        help='pages to capture instead of the default set, e.g. clients=/clients')
    parser.add_argument('--sizes', nargs='+', choices=[size.name for size in SIZES],
                        default=[size.name for size in SIZES])
    parser.add_argument('--viewport-only', action='store_true', help='capture the window, not the whole page')
    parser.add_argument('--phone-pixel-ratio', type=float, default=2.0)
    parser.add_argument('--lang', default='fr-FR', help='browser language (the app follows its own setting)')
    parser.add_argument('--timeout', type=float, default=15.0, help='seconds to wait for a page to render')
    parser.add_argument('--settle', type=float, default=0.4, help='extra seconds before each capture')
    parser.add_argument('--chromium', type=_executable, default='/usr/bin/chromium')
    parser.add_argument('--chromedriver', type=_executable, default='/usr/bin/chromedriver')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    saved: list[Path] = []
    for size in SIZES:
        if size.name not in args.sizes:
            continue
        try:
            shooter = Shooter(args, size)
        except WebDriverException as error:
            print(f'Could not start chromium: {error.msg}', file=sys.stderr)
            return 2
        try:
            shooter.run()
        finally:
            shooter.close()
        problems += shooter.problems
        saved += shooter.saved
    print(f'{len(saved)} screenshots in {args.out}')
    for problem in problems:
        print(f'PROBLEM: {problem}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
