"""AI widgets shared by pages: the «cases at risk» list and the «analyse all open cases» control, whose job runs in
the background and whose progress is read back from the database (leave the page, come back, it is still there)."""

from nicegui import ui

from components.badges import risk_chip
from components.formatting import format_date, format_integer
from components.poller import Poller
from services.actor import Actor
from services.ai import analyses, jobs
from services.ai.jobs import JobRead
from services.clock import today
from services.errors import DomainError
from ui.data import call
from ui.feedback import failed
from ui.i18n import current_language, t

POLL_SECONDS = 1.0


async def at_risk_list(actor: Actor, box: ui.element) -> None:
    language = current_language()
    rows = await call(analyses.cases_at_risk, actor)
    box.clear()
    with box:
        if not rows:
            ui.label(t('ai.no_case_at_risk')).classes('crm-muted text-sm').mark('at-risk-empty')
        day = today()
        for row in rows:
            with ui.link(target=f'/cases/{row.case_id}').classes('no-underline text-inherit block self-stretch '
                                                                  'min-w-0 rounded -mx-2 px-2 hover:bg-slate-50'):
                with ui.row().classes('w-full items-center gap-3 no-wrap py-1').mark(f'at-risk-{row.case_id}'):
                    # one width for every chip («Critique · 100», «Élevé · 60»): the titles line up
                    risk_chip(row.level, t(f'risk.{row.level}'), row.score) \
                        .classes('shrink-0 w-[5.75rem] justify-center')
                    with ui.column().classes('gap-0 min-w-0 flex-1'):
                        title = ui.label(row.title).classes('truncate text-slate-800 w-full')
                        title.props['title'] = row.title  # the whole title on hover when it is cut
                        with ui.row().classes('items-center gap-x-2 gap-y-0 text-xs'):
                            ui.label(row.reference).classes('font-mono crm-muted')
                            if row.due_date:  # under the title, which keeps the width; red once passed, as on the board
                                late = row.due_date < day
                                with ui.row().classes('items-center gap-1 no-wrap ' +
                                                      ('text-negative font-semibold' if late else 'crm-muted')):
                                    ui.icon('event', size='14px')
                                    ui.label(format_date(row.due_date, language))
                                    ui.tooltip(t('case.due_date'))


class AnalyseAll:
    """The button (managers and admins) and the progress of the tenant's latest job."""

    def __init__(self, actor: Actor, on_done=None) -> None:
        self.actor, self.on_done, self.language = actor, on_done, current_language()
        self.allowed = actor.can_write and actor.role in ('admin', 'manager')
        with ui.column().classes('w-full gap-1') as root:
            self.box = ui.column().classes('w-full gap-1').mark('analyse-all')
        self.timer = Poller(POLL_SECONDS, self.refresh, root)

    async def refresh(self) -> None:
        job = await call(jobs.latest_job, self.actor)
        self._show(job)
        active = job is not None and job.active
        if self.timer.active and not active and self.on_done:
            await self.on_done()
        self.timer.active = active

    def _show(self, job: JobRead | None) -> None:
        self.box.clear()
        with self.box:
            if job is not None and job.active:
                with ui.row().classes('w-full items-center gap-2'):
                    ui.spinner(size='sm')
                    ui.label(t('ai.job_running', done=format_integer(job.done, self.language),
                               total=format_integer(job.total, self.language))).classes('text-sm')
                    ui.space()
                    if self.allowed:
                        ui.button(t('action.cancel'), on_click=lambda: self._cancel(job.id)) \
                            .props('flat dense no-caps').mark('analyse-all-cancel')
                ui.linear_progress(value=job.progress, show_value=False).props('rounded color=primary') \
                    .classes('w-full').mark('analyse-all-progress')
                return
            if self.allowed:
                ui.button(t('ai.analyse_all'), icon='auto_awesome', on_click=self._start) \
                    .props('outline no-caps').classes('self-start').mark('analyse-all-start')
            if job is not None:
                ui.label(self._last(job)).classes('text-xs crm-muted').mark('analyse-all-last')

    def _last(self, job: JobRead) -> str:
        return t(f'ai.job_{job.status}', done=format_integer(job.done, self.language),
                 total=format_integer(job.total, self.language),
                 date=format_date(job.finished_at.date() if job.finished_at else None, self.language))

    async def _start(self) -> None:
        try:
            job, new = await call(jobs.start_job, self.actor)
        except DomainError as problem:
            failed(problem)
            return
        if new:
            jobs.launch(job.id, self.language)
        self._show(job)
        self.timer.active = True

    async def _cancel(self, job_id: int) -> None:
        await call(jobs.cancel_job, self.actor, job_id)
        await self.refresh()
