"""Debian's headless chromium, offline: the flags every browser test and screenshot uses."""

import os

os.environ.setdefault('SE_OFFLINE', 'true')  # before selenium looks for a driver: never download one

CHROMIUM = os.environ.get('CHROME_BINARY_LOCATION', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
CHROMIUM_ARGUMENTS = (
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-search-engine-choice-screen',
)
