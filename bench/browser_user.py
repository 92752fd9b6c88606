"""One simulated user of `bench.browser`: a headless Debian Chromium driven by Selenium (offline, pinned driver),
signed in as the bench admin, loading screens cold and going from one to the next the way a user does.

Every measure is read from the in-page probe (bench.browser_probe); Python only acts and polls.
"""

import contextlib
import random
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.keys import Keys

from bench.browser_data import BenchData
from bench.browser_probe import ARM_JS, PROBE_JS
from bench.browser_screens import ACTION_TARGETS, COLD_ORDER, CYCLE, SCREENS, Screen, Step
from tools.chromium import CHROMEDRIVER, CHROMIUM, CHROMIUM_ARGUMENTS

WINDOW_SIZE = (1366, 900)  # a laptop: the drawer is open (Quasar breakpoint 1024)
POLL_SECONDS = 0.02  # Python polls the probe; the times themselves are taken in the page
SEARCH_PAUSE = 0.6  # after typing: the header box sends its value 250 ms after the last key (debounce)


@dataclass
class Sample:
    screen: str
    kind: str  # 'cold', 'in_app', or 'http' (a light user's page load: bench.browser_light)
    ms: float | None  # None: the load failed
    error: str | None = None
    ttfb: float | None = None  # responseStart - requestStart of the document that showed the data
    reloaded: bool | None = None  # in-app: a new document (full page load) showed the data
    phases: dict[str, float] = field(default_factory=dict)


def _phases(result: dict) -> dict[str, float]:
    """Where the time of a document went, in ms since its navigation started."""
    nav, ws, found = result['nav'] or {}, result['ws'], result['state']['found']
    phases = {'response': nav.get('responseStart'), 'html': nav.get('responseEnd'),
              'dom_content_loaded': nav.get('domContentLoaded'), 'ws_created': ws['created'], 'ws_open': ws['open'],
              'data_in_dom': found['perf'], 'data': found['paintPerf']}
    phases = {name: value for name, value in phases.items() if value}
    phases['long_tasks'] = sum(duration for start, duration in result['longTasks'] if start < found['paintPerf'])
    return phases


class BrowserUser:
    def __init__(self, base_url: str, data: BenchData, *, timeout: float, think: float, driver_port: int = 0,
                 halt: threading.Event | None = None) -> None:
        self.base, self.data, self.timeout, self.think = base_url, data, timeout, think
        self.driver_port, self.halt = driver_port, halt or threading.Event()
        self.driver: webdriver.Chrome | None = None
        self.on: str | None = None  # the screen on display after a successful measure

    def start(self) -> None:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (*CHROMIUM_ARGUMENTS, f'--window-size={WINDOW_SIZE[0]},{WINDOW_SIZE[1]}'):
            options.add_argument(argument)
        service = Service(executable_path=shutil.which(CHROMEDRIVER) or CHROMEDRIVER, port=self.driver_port)
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(self.timeout)
        self.driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': PROBE_JS})

    @property
    def driver_pid(self) -> int | None:
        return self.driver.service.process.pid if self.driver is not None else None

    def quit(self) -> None:
        if self.driver is not None:
            self.driver.quit()

    def _js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def _wait(self, condition: Callable[[], object], what: str):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(WebDriverException):  # a document going away or not there yet: try again
                if value := condition():
                    return value
            time.sleep(POLL_SECONDS)
        raise TimeoutException(f'no {what} within {self.timeout:.0f} s')

    def _ready(self) -> None:
        self._wait(lambda: self._js('return !!window.__crmBench && window.__crmBench.ready()'), 'connected page')

    def login(self) -> None:
        self.driver.get(f'{self.base}/login')
        self._ready()
        self.driver.find_element('css selector', 'input[type=email]').send_keys(self.data.email)
        self.driver.find_element('css selector', 'input[type=password]').send_keys(self.data.password + Keys.ENTER)
        self._wait(lambda: self._js('return location.pathname') == '/', 'sign-in')
        self._ready()
        self.on = None

    def new_session(self, attempts: int = 3) -> dict[str, str]:
        """Sign in again without cookies (so with a new session); the new session's cookies."""
        for attempt in range(attempts):
            self.driver.delete_all_cookies()
            try:
                self.login()
            except WebDriverException as error:
                print(f'bench.browser: sign-in {attempt + 1}/{attempts} failed ({_message(error)}) on '
                      f'{self.driver.current_url}', file=sys.stderr, flush=True)
                continue
            return {cookie['name']: cookie['value'] for cookie in self.driver.get_cookies()}
        raise TimeoutException(f'no sign-in in {attempts} attempts')

    def _arm(self, screen: Screen, text: str | None, cold: bool) -> None:
        """Arm the probe; on a page without it (an error page), leave the arm where the next document finds it."""
        self._js(ARM_JS, {'selector': screen.selector, 'location': screen.location, 'text': text, 'cold': cold,
                          'screen': screen.name})

    def _result(self, cold: bool) -> dict:
        """The probe's result once the data is painted, or an error page's."""
        def done() -> dict | None:
            result = self._js('return window.__crmBench ? window.__crmBench.result() : null')
            if not result or not result['state']:
                return None
            state = result['state']
            found = state.get('found')
            if result['error'] or (found and 'paintAt' in found and not (cold and found['doc'] == state['armedDoc'])):
                return result
            return None
        return self._wait(done, 'data on screen')

    def _url(self, screen: Screen) -> str:
        return self.base + screen.url.format(client_id=self.data.client_id, query=self.data.search_query)

    def cold(self, name: str) -> Sample:
        """driver.get(url), then navigation start → data painted, in the new document."""
        screen = SCREENS[name]
        try:
            self._arm(screen, self.data.client_name if screen.named else None, cold=True)
            with contextlib.suppress(TimeoutException):  # the page may still show its data (or its error)
                self.driver.get(self._url(screen))
            result = self._result(cold=True)
        except WebDriverException as error:
            return self._failed(name, 'cold', _message(error))
        if result['error']:
            return self._failed(name, 'cold', result['error'])
        self.on = name
        return Sample(name, 'cold', result['state']['found']['paintPerf'], ttfb=_ttfb(result), phases=_phases(result))

    def in_app(self, step: Step, source: str) -> Sample:
        """From `source` on screen, the user's action (click, Enter) → data painted, in whichever document."""
        screen = SCREENS[step.target]
        try:
            if self.on != source:  # after a failure: back where the step starts, not measured
                self.driver.get(self._url(SCREENS[source]))
            self._ready()
            self._pause()
            result = self._act(step, screen)
        except WebDriverException as error:
            return self._failed(step.target, 'in_app', _message(error))
        state, found = result['state'], result['state']['found']
        if result['error'] or state['clickAt'] is None:
            return self._failed(step.target, 'in_app', result['error'] or 'the action was not seen by the page')
        reloaded = found['doc'] != state['armedDoc']
        phases = _phases(result) if reloaded else {}
        if reloaded:
            phases['click_to_navigation'] = result['timeOrigin'] - state['clickAt']
        self.on = step.target
        return Sample(step.target, 'in_app', found['paintAt'] - state['clickAt'],
                      ttfb=_ttfb(result) if reloaded else None, reloaded=reloaded, phases=phases)

    def _act(self, step: Step, screen: Screen) -> dict:
        find = 'return window.__crmBench.target(arguments[0], arguments[1])'
        element = self._wait(lambda: self._js(find, ACTION_TARGETS[step.action], step.label), f'«{step.label}»')
        text = self.data.client_name if screen.named else None
        if step.action == 'row':
            text = self._js('return window.__crmBench.firstCell(arguments[0])', ACTION_TARGETS['row'])
        if step.action == 'search':
            element.click()
            if element.get_attribute('value'):  # Ctrl stays down until NULL
                element.send_keys(Keys.CONTROL, 'a', Keys.NULL, Keys.BACKSPACE)
            element.send_keys(self.data.search_query)
            time.sleep(SEARCH_PAUSE)
            self._arm(screen, text, cold=False)
            element.send_keys(Keys.ENTER)
        else:
            self._arm(screen, text, cold=False)
            element.click()
        return self._result(cold=False)

    def _pause(self) -> None:
        if self.think > 0:
            self.halt.wait(self.think * random.uniform(0.5, 1.5))

    def _failed(self, screen: str, kind: str, error: str) -> Sample:
        """A failed measure; signed in again if the failure signed the user out (not measured)."""
        self.on = None
        with contextlib.suppress(WebDriverException):
            if urlsplit(self.driver.current_url).path == '/login':
                self.login()
                error += ' (and signed out: signed in again)'
        return Sample(screen, kind, None, error=error[:200])

    def round(self, record: Callable[[Sample], None], deadline: float | None = None) -> None:
        """Each screen loaded cold (ending on the dashboard), then once round the app in-app; stops early when
        halted or past the deadline."""
        actions = [(name, None) for name in COLD_ORDER] + [(step, CYCLE[index - 1].target)
                                                            for index, step in enumerate(CYCLE)]
        for target, source in actions:
            if source is None:
                self._pause()
            if self.halt.is_set() or (deadline is not None and time.monotonic() > deadline):
                return
            record(self.cold(target) if source is None else self.in_app(target, source))


def _message(error: WebDriverException) -> str:
    return (error.msg or type(error).__name__).splitlines()[0].removeprefix('timeout: ')


def _ttfb(result: dict) -> float | None:
    nav = result['nav'] or {}
    if nav.get('responseStart') and nav.get('requestStart') is not None:
        return nav['responseStart'] - nav['requestStart']
    return None
