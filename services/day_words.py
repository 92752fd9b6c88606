"""Days in words, in French and English: «3 mars 2026», «aujourd'hui», «hier», «il y a 3 jours», «dans 2 jours»,
«depuis hier», «depuis 12 jours», «depuis le 3 mars 2026». One place for them, so that no sentence says «il y a
aujourd'hui» or «depuis 0 jour»."""

from datetime import date

MONTHS = {
    'fr': ('janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
           'novembre', 'décembre'),
    'en': ('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
           'November', 'December'),
}
SINCE_AS_DATE = 30  # days: «depuis le 3 mars 2026» rather than «depuis 45 jours»

_WORDS = {  # (French, English)
    'today': ("aujourd'hui", 'today'),
    'yesterday': ('hier', 'yesterday'),
    'tomorrow': ('demain', 'tomorrow'),
    'ago': ('il y a {n} jours', '{n} days ago'),
    'in': ('dans {n} jours', 'in {n} days'),
    'since_today': ("depuis aujourd'hui", 'since today'),
    'since_yesterday': ('depuis hier', 'since yesterday'),
    'since_days': ('depuis {n} jours', 'for {n} days'),
    'since_date': ('depuis le {date}', 'since {date}'),
}


def _word(key: str, language: str, **values: object) -> str:
    french, english = _WORDS[key]
    return (english if language == 'en' else french).format(**values)


def long_date(day: date, language: str) -> str:
    """«3 mars 2026» / «3 March 2026»."""
    months = MONTHS['en' if language == 'en' else 'fr']
    return f'{day.day} {months[day.month - 1]} {day.year}'


def relative_day(day: date, today: date, language: str, *, since: bool = False) -> str:
    """`day` seen from `today`: «aujourd'hui», «hier», «il y a 3 jours», «demain», «dans 3 jours»; with `since`,
    how long something has lasted: «depuis aujourd'hui», «depuis hier», «depuis 3 jours», and past
    SINCE_AS_DATE days «depuis le 3 mars 2026» (English: «today», «3 days ago», «for 3 days», «since 3 March
    2026»…)."""
    days = (today - day).days
    if since:
        if days <= 0:
            return _word('since_today', language)
        if days == 1:
            return _word('since_yesterday', language)
        if days <= SINCE_AS_DATE:
            return _word('since_days', language, n=days)
        return _word('since_date', language, date=long_date(day, language))
    if days == 0:
        return _word('today', language)
    if days == 1:
        return _word('yesterday', language)
    if days == -1:
        return _word('tomorrow', language)
    return _word('ago', language, n=days) if days > 0 else _word('in', language, n=-days)
