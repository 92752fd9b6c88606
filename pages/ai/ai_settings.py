"""Settings › AI: which analyzer serves the cases (the built-in one or an OpenAI-compatible endpoint, with
pseudonymisation) and the tenant's legal knowledge base."""

from nicegui import ui
from pydantic import ValidationError

from components.confirm import confirm
from pages.admin.users import forbidden_notice
from pages.ai.knowledge_card import KnowledgeBaseCard
from services.actor import Actor
from services.ai import provider as provider_service
from services.ai.provider import MAX_API_KEY_LENGTH, AiSettingsInput, AiSettingsRead, key_must_be_retyped
from services.errors import DomainError, Invalid
from ui.data import call, in_thread
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame

PATH = '/admin/ai'


def _heading(icon: str, title: str, hint: str) -> None:
    with ui.row().classes('w-full items-center gap-2 no-wrap'):
        ui.icon(icon, size='sm').classes('text-primary')
        ui.label(title).classes('text-base font-semibold')
    ui.label(hint).classes('text-sm crm-muted')


class ProviderCard:
    """The form is filled from the last saved read model (`self.current`), never bound to it."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.current: AiSettingsRead | None = None
        with ui.card().classes('crm-card w-full p-5 gap-3').mark('ai-provider-card'):
            _heading('psychology', t('ai_settings.provider_title'), t('ai_settings.provider_hint'))
            with ui.column().classes('w-full gap-2') as self.skeleton:
                for width in ('w-2/3', 'w-1/2', 'w-full', 'w-full'):
                    ui.skeleton('text').classes(f'{width} h-8')
            with ui.column().classes('w-full gap-3') as self.form:
                self._build_form()
            self.form.set_visibility(False)

    def _build_form(self) -> None:
        self.provider = ui.radio({'builtin': t('ai_settings.provider_builtin'),
                                  'openai': t('ai_settings.provider_openai')}, value='builtin') \
            .props('dense').classes('gap-1').mark('ai-provider')
        ui.label(t('ai_settings.builtin_note')).classes('text-sm crm-muted') \
            .bind_visibility_from(self.provider, 'value', value='builtin')
        with ui.column().classes('w-full gap-3') as endpoint:
            self._build_endpoint()
        endpoint.bind_visibility_from(self.provider, 'value', value='openai')
        self.test_result = ui.row().classes('w-full items-start gap-2 no-wrap').mark('ai-test-result')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('ai_settings.test'), icon='network_check', on_click=self._test) \
                .props('outline').classes('w-full sm:w-auto').mark('ai-test') \
                .bind_visibility_from(self.provider, 'value', value='openai')
            self.save_button = ui.button(t('action.save'), icon='check', on_click=self._save) \
                .props('unelevated').classes('w-full sm:w-auto').mark('ai-save')

    def _build_endpoint(self) -> None:
        with ui.grid().classes('w-full grid-cols-1 md:grid-cols-2 gap-3'):
            self.base_url = ui.input(t('ai_settings.base_url'), placeholder='http://localhost:11434/v1',
                                     on_change=self._on_base_url) \
                .props('outlined dense maxlength=300 autocomplete=off').classes('w-full').mark('ai-base-url')
            self.base_url.props['hint'] = t('ai_settings.base_url_hint')
            self.model = ui.input(t('ai_settings.model'), placeholder='llama3.1') \
                .props('outlined dense maxlength=120 autocomplete=off').classes('w-full').mark('ai-model')
            self.api_key = ui.input(t('ai_settings.api_key'), password=True, password_toggle_button=True) \
                .props(f'outlined dense stack-label maxlength={MAX_API_KEY_LENGTH} autocomplete=new-password') \
                .classes('w-full').mark('ai-api-key')
            self.timeout = ui.number(t('ai_settings.timeout'), value=30, min=1, max=300, step=1, precision=0,
                                     suffix='s').props('outlined dense').classes('w-full').mark('ai-timeout')
            self.timeout.props['hint'] = t('ai_settings.timeout_hint')
        with ui.row().classes('w-full items-center gap-2') as self.key_row:
            ui.icon('key', size='xs').classes('text-positive')
            ui.label(t('ai_settings.key_saved')).classes('text-sm')
            ui.button(t('ai_settings.clear_key'), icon='key_off', on_click=self._clear_key) \
                .props('flat dense no-caps color=negative').mark('ai-clear-key')
        with ui.column().classes('w-full gap-1 rounded-lg border border-slate-200 bg-slate-50 p-3'):
            self.pseudonymize = ui.switch(t('ai_settings.pseudonymize'), value=True,
                                          on_change=self._on_pseudonymize).classes('font-medium') \
                .mark('ai-pseudonymize')
            ui.label(t('ai_settings.pseudonymize_hint')).classes('text-sm crm-muted')

    async def load(self) -> None:
        self._fill(await call(provider_service.get_ai_settings, self.actor))
        self.skeleton.delete()
        self.form.set_visibility(True)

    def _fill(self, current: AiSettingsRead) -> None:
        self._fill_key(current)  # first: `_on_pseudonymize` compares with `self.current`
        self.provider.set_value(current.provider)
        self.base_url.set_value(current.base_url)
        self.model.set_value(current.model)
        self.timeout.set_value(current.timeout_seconds)
        self.pseudonymize.set_value(current.pseudonymize)

    def _fill_key(self, current: AiSettingsRead) -> None:
        self.current = current
        self.api_key.set_value('')
        self.api_key.error = None
        self._key_placeholder(current.base_url)
        self.key_row.set_visibility(current.has_api_key)

    def _key_placeholder(self, base_url: str) -> None:
        """The saved key goes only to the address it was saved with: another address asks for it again."""
        current = self.current
        if current is None or not current.has_api_key:
            key = 'ai_settings.key_none'
        else:
            key = 'ai_settings.key_retype' if key_must_be_retyped(current.base_url, base_url or '') \
                else 'ai_settings.key_keep'
        self.api_key.props['placeholder'] = t(key)
        self.api_key.update()

    def _on_base_url(self, event) -> None:
        if self.current is not None:
            self._key_placeholder(event.value)

    async def _on_pseudonymize(self, event) -> None:
        if event.value or self.current is None or not self.current.pseudonymize:
            return  # only turning off a protection that is on asks first
        if not await confirm(t('ai_settings.pseudonymize_off_title'), t('ai_settings.pseudonymize_off_message'),
                             confirm_label=t('ai_settings.pseudonymize_off'), cancel_label=t('action.cancel')):
            self.pseudonymize.set_value(True)

    def _form(self) -> AiSettingsInput:
        """The settings as typed; an empty key field keeps the saved key (None)."""
        for field in (self.base_url, self.model, self.api_key, self.timeout):
            field.error = None
        try:
            return AiSettingsInput(provider=self.provider.value, base_url=self.base_url.value or '',
                                   model=self.model.value or '', api_key=(self.api_key.value or '').strip() or None,
                                   timeout_seconds=self.timeout.value, pseudonymize=self.pseudonymize.value)
        except ValidationError as error:
            field = str(error.errors()[0]['loc'][0])
            keys = {'timeout_seconds': 'ai_settings.timeout_invalid', 'api_key': 'error.ai_key_format'}
            raise Invalid(keys.get(field, 'error.invalid'), field=field, max=MAX_API_KEY_LENGTH) from None

    def _show(self, problem: DomainError) -> None:
        fields = {'base_url': self.base_url, 'model': self.model, 'api_key': self.api_key,
                  'timeout_seconds': self.timeout}
        field = fields.get(getattr(problem, 'field', None) or '')
        if field is not None:
            field.error = t(problem.key, **problem.params)
        failed(problem)

    async def _save(self) -> None:
        try:
            result = await call(provider_service.save_ai_settings, self.actor, self._form(), self.current.version)
        except DomainError as problem:
            self._show(problem)
            return
        self._fill(result)
        saved('ai_settings.saved')

    async def _clear_key(self) -> None:
        """Forget the saved key at once; whatever else is being edited stays as typed, unsaved."""
        if not await confirm(t('ai_settings.clear_key_title'), t('ai_settings.clear_key_message'),
                             confirm_label=t('ai_settings.clear_key'), cancel_label=t('action.cancel')):
            return
        kept = AiSettingsInput(**self.current.model_dump(exclude={'has_api_key', 'version'}), api_key='')
        try:
            result = await call(provider_service.save_ai_settings, self.actor, kept, self.current.version)
        except DomainError as problem:
            failed(problem)
            return
        self._fill_key(result)
        saved('ai_settings.key_cleared')

    async def _test(self) -> None:
        """Ask the endpoint as typed, without saving; the HTTP call runs in the outgoing pool, outside any database
        session and any thread that other pages need."""
        self.test_result.clear()
        try:
            data = self._form()
        except DomainError as problem:
            self._show(problem)
            return
        with self.test_result:
            ui.spinner(size='sm')
            ui.label(t('ai_settings.testing')).classes('text-sm crm-muted')
        try:
            check = await provider_service.check_endpoint(self.actor, data, run_db=in_thread)
        except DomainError as problem:
            self.test_result.clear()
            self._show(problem)
            return
        self.test_result.clear()
        with self.test_result:
            colour = 'text-positive' if check.ok else 'text-negative'
            ui.icon('check_circle' if check.ok else 'error', size='sm').classes(colour)
            message = t('ai_settings.test_ok', detail=check.detail) if check.ok else \
                t('ai_settings.test_failed', reason=t(check.reason_key, **check.params))
            ui.label(message).classes(f'text-sm break-words min-w-0 {colour}')


def register() -> None:
    @member_page(PATH)
    async def ai_settings_page(actor: Actor) -> None:
        with frame(actor, t('ai_settings.title'), path=PATH, subtitle=t('ai_settings.subtitle')):
            if not actor.is_admin:
                forbidden_notice()
                return
            provider = ProviderCard(actor)
            knowledge = KnowledgeBaseCard(actor)
        await provider.load()
        await knowledge.refresh(first_page=True)
