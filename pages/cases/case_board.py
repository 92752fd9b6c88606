"""Cases › board: a kanban by status. Dragging a card saves the move; other users' moves show up by polling."""

from nicegui import ui

from components.badges import priority_chip, risk_chip
from components.formatting import format_date
from components.kanban import KanbanColumn, kanban_board
from db.models import CaseStatus, CaseType
from pages.cases.case_form import enum_options
from pages.cases.case_list import view_switch
from services import cases as cases_service
from services.actor import Actor
from services.ai import analyses
from services.cases import BOARD_PAGE, CaseFilter, CaseRead
from services.errors import DomainError
from services.users import user_choices
from ui.data import call
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

POLL_SECONDS = 3.0


class BoardScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        self.limits = {status: BOARD_PAGE for status in CaseStatus}
        self.filters = CaseFilter()
        self.stamp: tuple | None = None

    async def build(self) -> None:
        assignees = await call(user_choices, self.actor)
        with ui.row().classes('w-full items-center gap-3'):
            view_switch('board')
            ui.select(enum_options(CaseType, 'case_type'), label=t('case.case_type'), clearable=True,
                      on_change=lambda e: self._filter(case_type=e.value)) \
                .props('outlined dense').classes('w-full sm:w-44').mark('board-type')
            ui.select(assignees, label=t('case.assignee'), clearable=True,
                      on_change=lambda e: self._filter(assignee_id=e.value)) \
                .props('outlined dense').classes('w-full sm:w-44').mark('board-assignee')
        self.board = kanban_board(render_card=self._card, on_move=self._move, on_more=self._more,
                                  more_label=t('board.more'), empty_label=t('board.empty_column'),
                                  move_label=t('board.move_to'), can_move=self.actor.can_write).mark('case-board')
        with self.board:
            for _ in CaseStatus:
                ui.skeleton('rect').classes('min-w-64 w-64 h-64 rounded-xl')
        await self.refresh()
        ui.timer(POLL_SECONDS, self._poll)

    def _card(self, card: dict) -> None:
        with ui.row().classes('w-full items-center no-wrap gap-2'):
            ui.label(card['reference']).classes('font-mono text-xs text-primary')
            if card['risk']:
                level, score = card['risk']
                risk_chip(level, t(f'risk.{level}'), score).classes('ml-auto mr-6').tooltip(t('case.risk'))
        ui.label(card['title']).classes('font-medium leading-snug pr-6').mark(f'card-title-{card["reference"]}')
        ui.label(card['client']).classes('text-xs crm-muted truncate')
        with ui.row().classes('items-center gap-2 pt-1'):
            priority_chip(card['priority'], t(f'priority.{card["priority"]}'))
            if card['due']:
                ui.label(card['due']).classes('text-xs ' + ('text-negative font-semibold' if card['overdue']
                                                            else 'crm-muted'))
            ui.space()
            if card['assignee']:
                ui.avatar(card['assignee'][:1].upper(), size='sm', color='blue-grey-1', text_color='blue-grey-9') \
                    .style('font-family: inherit').tooltip(card['assignee'])

    def _card_data(self, case: CaseRead, risks: dict[int, tuple[str, int]]) -> dict:
        return {'risk': risks.get(case.id), 'id': case.id, 'version': case.version, 'column': case.status,
                'reference': case.reference,
                'title': case.title, 'client': case.client_name, 'priority': case.priority,
                'due': format_date(case.due_date, self.language) if case.due_date else '',
                'overdue': case.is_overdue, 'assignee': case.assignee_name or ''}

    async def refresh(self) -> None:
        columns = await call(cases_service.board, self.actor, self.filters, self.limits)
        self.stamp = await call(cases_service.board_stamp, self.actor)
        risks = await call(analyses.risks_of, self.actor.tenant_id, [case.id for c in columns for case in c.cards])
        self.board.show([KanbanColumn(c.status, t(f'case_status.{c.status}'), c.total,
                                      [self._card_data(case, risks) for case in c.cards]) for c in columns])

    async def _poll(self) -> None:
        stamp = await call(cases_service.board_stamp, self.actor)
        if stamp != self.stamp:
            await self.refresh()

    async def _filter(self, **changes) -> None:
        self.filters = CaseFilter(**{**self.filters.__dict__, **changes})
        await self.refresh()

    async def _more(self, status: str) -> None:
        self.limits[CaseStatus(status)] += BOARD_PAGE
        await self.refresh()

    async def _move(self, card: dict, status: str) -> None:
        if not self.actor.can_write:
            failed(DomainError('error.read_only'))
            return
        try:
            case = await call(cases_service.move_case, self.actor, card['id'], CaseStatus(status), card['version'])
        except DomainError as problem:
            failed(problem)
        else:
            saved('board.moved', reference=case.reference, status=t(f'case_status.{case.status}'))
        await self.refresh()


def register() -> None:
    @member_page('/cases/board')
    async def board_page(actor: Actor) -> None:
        with frame(actor, t('board.title'), path='/cases', subtitle=t('board.subtitle')):
            screen = BoardScreen(actor)
            await screen.build()
