"""The AI panel of a case: run an analysis, read the latest (summary, risk and why, next steps that become tasks,
recommendations, applicable texts) and the previous runs with how the risk moved; when the analysis goes to an
external model, see first what would be sent to it."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from components.badges import risk_chip
from components.empty_state import empty_state
from components.formatting import format_date, format_datetime
from components.markdown_view import markdown_view
from pages.ai.llm_preview import show_preview
from services.actor import Actor
from services.ai import analyses
from services.ai.analyses import AnalysisRead
from services.ai.schema import LegalReference, NextStep
from services.errors import DomainError
from ui.data import call, in_thread
from ui.feedback import failed, saved
from ui.i18n import current_language, t


class AiPanel:
    def __init__(self, actor: Actor, case_id: int, on_task: Callable[[], Awaitable[None]]) -> None:
        self.actor, self.case_id, self.on_task, self.language = actor, case_id, on_task, current_language()
        with ui.card().classes('crm-card w-full p-5 gap-3').mark('ai-panel'):
            with ui.row().classes('w-full items-center gap-1 sm:gap-2'):  # a phone's width holds the three
                ui.icon('psychology', size='sm').classes('text-primary')
                ui.label(t('ai.title')).classes('font-semibold')
                ui.space()
                with ui.button(icon='visibility', on_click=self.show_preview).props('flat dense no-caps') \
                        .mark('ai-preview') as self.preview:
                    ui.label(t('ai.preview')).classes('ml-2 max-sm:hidden')  # a phone shows the eye alone
                    ui.tooltip(t('ai.preview'))
                self.preview.set_visibility(False)  # shown when an external model is configured
                self.button = ui.button(t('ai.run'), icon='auto_awesome', on_click=self.run_analysis) \
                    .props('unelevated').mark('ai-run')
                if not actor.can_write:
                    self.button.disable()
            self.body = ui.column().classes('w-full gap-3')
            with self.body:
                self._skeleton()

    def _skeleton(self) -> None:
        with ui.column().classes('w-full gap-2').mark('ai-loading'):
            ui.skeleton('rect', width='40%', height='1.5rem')
            ui.skeleton('text').classes('w-full')
            ui.skeleton('text').classes('w-3/4')

    async def refresh(self) -> None:
        history = await call(analyses.list_analyses, self.actor, self.case_id, language=self.language)
        if self.actor.can_write:
            self.preview.set_visibility(await call(analyses.external_model, self.actor) is not None)
        self.body.clear()
        with self.body:
            if not history:
                empty_state(t('ai.empty_title'), t('ai.empty_hint'), icon='psychology')
                return
            self._result(history[0])
            if len(history) > 1:
                self._history(history[1:])

    async def run_analysis(self) -> None:
        self.button.props('loading')
        self.body.clear()
        with self.body:
            self._skeleton()
        try:
            await analyses.analyse_case(self.actor, self.case_id, self.language, run_db=in_thread)
        except DomainError as problem:
            failed(problem)
        finally:
            self.button.props(remove='loading')
        await self.refresh()

    async def show_preview(self) -> None:
        """The exact messages an analysis would send now, built by the code that sends them; nothing is sent."""
        self.preview.props('loading')
        try:
            preview = await call(analyses.preview_request, self.actor, self.case_id, self.language)
        except DomainError as problem:
            failed(problem)
            return
        finally:
            self.preview.props(remove='loading')
        show_preview(preview)

    def _result(self, analysis: AnalysisRead) -> None:
        risk = analysis.risk
        with ui.row().classes('w-full items-center gap-3').mark('ai-latest'):
            risk_chip(risk.level, t(f'risk.{risk.level}'), risk.score).mark('ai-risk')
            self._change(analysis)
            ui.space()
            ui.label(self._byline(analysis)).classes('text-xs crm-muted')
        if analysis.fallback_reason:
            with ui.row().classes('w-full items-center gap-2 rounded bg-amber-50 px-3 py-2 no-wrap') \
                    .mark('ai-fallback'):
                ui.icon('info', size='xs').classes('text-amber-800')
                ui.label(t('ai.fallback', reason=t(analysis.fallback_reason))).classes('text-sm text-amber-900')
        if analysis.language != self.language:  # a model's answer keeps the language it was written in
            ui.label(t(f'ai.written_in_{analysis.language}')) \
                .classes('text-xs crm-muted italic').mark('ai-written-in')
        if analysis.provider == 'llm':  # a model may answer in markdown: shown as such, safely
            markdown_view(analysis.summary).classes('text-sm leading-relaxed').mark('ai-summary')
        else:
            ui.label(analysis.summary).classes('text-sm leading-relaxed').mark('ai-summary')
        self._factors(analysis)
        self._steps(analysis)
        if analysis.recommendations:
            self._section(t('ai.recommendations'), 'tips_and_updates')
            with ui.column().classes('w-full gap-1 pl-1'):
                for item in analysis.recommendations:
                    with ui.row().classes('gap-2 no-wrap items-start'):
                        ui.icon('chevron_right', size='xs').classes('text-primary mt-px shrink-0')
                        ui.label(item).classes('text-sm')
        self._references(analysis.legal_references)

    def _byline(self, analysis: AnalysisRead) -> str:
        when = format_datetime(analysis.created_at, self.language)
        provider = t('ai.provider_llm', model=analysis.model or '') if analysis.provider == 'llm' \
            else t('ai.provider_builtin')
        by = analysis.created_by or t('ai.by_job')
        return t('ai.byline', date=when, by=by, provider=provider)

    def _change(self, analysis: AnalysisRead) -> None:
        change = analysis.risk_change
        if change is None:
            return
        if change == 0:
            text, icon, color = t('ai.change_same'), 'trending_flat', 'text-slate-500'
        elif change > 0:
            text, icon, color = t('ai.change_up', points=change), 'trending_up', 'text-red-700'
        else:
            text, icon, color = t('ai.change_down', points=-change), 'trending_down', 'text-green-700'
        with ui.row().classes(f'items-center gap-1 text-xs {color}').mark('ai-change'):
            ui.icon(icon, size='xs')
            ui.label(text)

    @staticmethod
    def _section(title: str, icon: str) -> None:
        with ui.row().classes('items-center gap-2 pt-2'):
            ui.icon(icon, size='xs').classes('crm-muted')
            ui.label(title).classes('text-xs crm-muted uppercase tracking-wide font-semibold')

    def _factors(self, analysis: AnalysisRead) -> None:
        self._section(t('ai.factors', score=analysis.risk.score), 'rule')
        if not analysis.risk.factors:
            ui.label(t('ai.no_factors')).classes('text-sm crm-muted')
            return
        with ui.column().classes('w-full gap-1').mark('ai-factors'):
            for factor in analysis.risk.factors:
                with ui.row().classes('w-full gap-3 no-wrap items-start'):
                    ui.label(f'+{factor.weight}').classes('text-sm font-semibold text-right w-10 shrink-0 '
                                                          'text-slate-700')
                    with ui.column().classes('gap-0 min-w-0'):
                        ui.label(factor.label).classes('text-sm font-medium')
                        if factor.evidence:
                            ui.label(factor.evidence).classes('text-xs crm-muted')

    def _steps(self, analysis: AnalysisRead) -> None:
        if not analysis.next_steps:
            return
        self._section(t('ai.next_steps'), 'checklist')
        with ui.column().classes('w-full gap-2').mark('ai-steps'):
            for index, step in enumerate(analysis.next_steps):
                self._step(analysis.id, index, step)

    def _step(self, analysis_id: int, index: int, step: NextStep) -> None:
        with ui.row().classes('w-full items-center gap-x-3 gap-y-1 flex-nowrap max-sm:flex-wrap rounded border '
                              'border-slate-200 px-3 py-2'):
            with ui.column().classes('flex-1 min-w-0 gap-0 max-sm:basis-full'):
                ui.label(step.title).classes('text-sm font-medium')
                details = t('ai.step_due', date=format_date(step.due_date, self.language)) if step.due_date else ''
                if step.why:
                    details = f'{details} · {step.why}' if details else step.why
                if details:
                    ui.label(details).classes('text-xs crm-muted')
            if self.actor.can_write:
                button = ui.button(t('ai.make_task'), icon='add_task').props('flat dense no-caps color=primary') \
                    .classes('shrink-0 max-sm:ml-auto').mark(f'ai-step-task-{index}')
                button.on_click(lambda b=button: self._make_task(b, analysis_id, index))

    async def _make_task(self, button: ui.button, analysis_id: int, index: int) -> None:
        try:
            await call(analyses.step_to_task, self.actor, analysis_id, index)
        except DomainError as problem:
            failed(problem)
            return
        button.props('icon=check color=positive').set_text(t('ai.task_made'))
        button.disable()
        saved('ai.task_created')
        await self.on_task()

    def _references(self, references: list[LegalReference]) -> None:
        self._section(t('ai.references'), 'gavel')
        if not references:
            ui.label(t('ai.no_references')).classes('text-sm crm-muted').mark('ai-no-references')
            return
        with ui.column().classes('w-full gap-2').mark('ai-references'):
            for reference in references:
                with ui.column().classes('w-full gap-0 border-l-4 border-indigo-200 pl-3'):
                    with ui.row().classes('w-full items-baseline gap-2 no-wrap'):
                        ui.label(reference.reference).classes('text-sm font-semibold min-w-0')
                        if reference.article:
                            ui.label(reference.article).classes('text-xs crm-muted shrink-0')
                        ui.space()
                        ui.label(t('ai.relevance', percent=round(reference.relevance * 100))) \
                            .classes('text-xs crm-muted shrink-0 whitespace-nowrap')
                    ui.label(reference.title).classes('text-sm')
                    if reference.why:
                        with ui.row().classes('gap-1 pt-1'):
                            for word in reference.why:
                                ui.badge(word).props('outline color=indigo-7 rounded').classes('text-xs')

    def _history(self, previous: list[AnalysisRead]) -> None:
        with ui.expansion().classes('w-full').props('dense header-class="px-0 min-h-0 pt-2" expand-icon-class="pr-0"') \
                .mark('ai-history') as expansion:
            with expansion.add_slot('header'):
                with ui.row().classes('flex-1 items-center gap-2'):
                    ui.icon('history', size='xs').classes('crm-muted')
                    ui.label(t('ai.previous', count=len(previous))) \
                        .classes('text-xs crm-muted uppercase tracking-wide font-semibold')
            for analysis in previous:
                with ui.row().classes('w-full items-center gap-x-3 gap-y-0 py-1'):
                    risk_chip(analysis.risk.level, t(f'risk.{analysis.risk.level}'), analysis.risk.score)
                    ui.label(self._byline(analysis)).classes('text-xs crm-muted')
