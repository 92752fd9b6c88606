from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, context, ui

from services.login import log_in
from ui.data import in_thread
from ui.i18n import LANGUAGES, current_language, t
from ui.session import (
    FINISH_PATH,
    HOME_PATH,
    LOGIN_PATH,
    finish_sign_in,
    is_signed_in,
    login_path,
    safe_next,
    sign_out,
    start_sign_in,
)
from ui.theme import apply_theme


def _language_links(next_path: str | None) -> None:
    with ui.row().classes('gap-1 justify-center'):
        for language in LANGUAGES:
            button = ui.button(language.upper(), on_click=lambda _, lang=language: _choose(lang, next_path)) \
                .props('flat size=md')
            if language == current_language():
                button.props('color=primary')
            else:
                button.props('color=grey-7')


def _choose(language: str, next_path: str | None) -> None:
    app.storage.user['language'] = language
    ui.navigate.to(login_path(next_path))


def register() -> None:
    @ui.page(LOGIN_PATH)
    def login_page(request: Request) -> RedirectResponse | None:
        next_path = safe_next(request.query_params.get('next'))  # the page asked for before signing in
        if is_signed_in():
            return RedirectResponse(next_path or HOME_PATH)
        apply_theme()
        ui.page_title(f'{t("auth.login_title")} · CRM IA')

        async def submit() -> None:
            error.set_text('')
            if not email.value or not password.value:
                error.set_text(t('auth.fill_both'))
                return
            button.props('loading')
            outcome = await in_thread(log_in, email.value, password.value, source=context.client.ip or None)
            button.props(remove='loading')
            if outcome.actor is None:
                error.set_text(t(outcome.error_key, minutes=outcome.retry_after_minutes))
                password.set_value('')
                return
            ui.navigate.to(start_sign_in(outcome.actor, outcome.session_version, next_path))

        with ui.column().classes('absolute-center items-center gap-4 w-full max-w-sm px-4'):
            with ui.row().classes('items-center gap-2'):
                ui.icon('hub', size='2rem').classes('text-primary')
                ui.label('CRM IA').classes('text-3xl font-bold text-primary')
            with ui.card().classes('crm-card w-full p-6 gap-3'):
                ui.label(t('auth.login_title')).classes('text-xl font-semibold')
                ui.label(t('auth.login_subtitle')).classes('crm-muted text-sm -mt-2')
                email = ui.input(t('field.email')).props('outlined autofocus autocomplete=username type=email') \
                    .classes('w-full').mark('login-email').on('keydown.enter', submit)
                password = ui.input(t('field.password'), password=True, password_toggle_button=True) \
                    .props('outlined autocomplete=current-password').classes('w-full').mark('login-password') \
                    .on('keydown.enter', submit)
                error = ui.label('').classes('text-negative text-sm').mark('login-error')
                button = ui.button(t('auth.login'), on_click=submit).props('unelevated') \
                    .classes('w-full').mark('login-submit')
            _language_links(next_path)
        return None

    @app.get(FINISH_PATH, include_in_schema=False)
    async def finish_sign_in_route(request: Request, ticket: str = '') -> RedirectResponse:
        """The HTTP step of a sign-in: a new session cookie, then the page asked for (or back to the form)."""
        return RedirectResponse(await finish_sign_in(request, ticket) or LOGIN_PATH)

    @ui.page('/logout')
    def logout_page() -> RedirectResponse:
        sign_out()
        return RedirectResponse(LOGIN_PATH)
