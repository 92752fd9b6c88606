"""Cases › board: a kanban by status, drawn in the browser. Dragging a card saves the move; other users' moves
show up by polling."""

from nicegui import ui

from components.badges import priority_chip_data, risk_chip_data
from components.filter_bar import filter_bar
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
from ui.first_data import data_shown
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

POLL_SECONDS = 3.0


def _board_stamp_and_risks(session, actor: Actor, filters: CaseFilter, limits: dict) -> tuple:
    """The columns, the stamp they match and their cards' risks, read in one unit of work."""
    columns, stamp = cases_service.board_and_stamp(session, actor, filters, limits)
    risks = analyses.risks_of(session, actor.tenant_id, [case.id for c in columns for case in c.cards])
    return columns, stamp, risks


class BoardScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        self.limits = {status: BOARD_PAGE for status in CaseStatus}
        self.filters = CaseFilter()
        self.stamp: tuple | None = None

    def build(self) -> None:
        """The filters and the board's skeleton, at once; `load` brings the cards, then the filters' choices."""
        with filter_bar(t('filters.button')) as bar:
            with bar.lead:
                view_switch('board')
            with bar.folded:
                bar.track(ui.select(enum_options(CaseType, 'case_type'), label=t('case.case_type'), clearable=True,
                                    on_change=lambda e: self._filter(case_type=e.value))
                          .props('outlined dense').classes('w-full sm:w-44').mark('board-type'))
                self.assignees = bar.track(ui.select({}, label=t('case.assignee'), clearable=True,
                                                     on_change=lambda e: self._filter(assignee_id=e.value))
                                           .props('outlined dense').classes('w-full sm:w-44').mark('board-assignee'))
        self.board = kanban_board(on_move=self._move, on_more=self._more, more_label=t('board.more'),
                                  empty_label=t('board.empty_column'), move_label=t('board.move_to'),
                                  can_move=self.actor.can_write, skeletons=len(CaseStatus)).mark('case-board')

    async def load(self) -> None:
        await self.refresh()
        data_shown()
        self.assignees.set_options(await call(user_choices, self.actor))
        ui.timer(POLL_SECONDS, self._poll)

    def _card_data(self, case: CaseRead, risks: dict[int, tuple[str, int]]) -> dict:
        chips = [priority_chip_data(case.priority, t(f'priority.{case.priority}'))]
        if risk := risks.get(case.id):
            level, score = risk
            chips.insert(0, risk_chip_data(level, t(f'risk.{level}'), score, t('case.risk')))
        meta = [{'text': format_date(case.due_date, self.language), 'danger': case.is_overdue}] \
            if case.due_date else []
        return {'id': case.id, 'version': case.version, 'column': case.status, 'href': f'/cases/{case.id}',
                'overline': case.reference, 'title': case.title, 'subtitle': case.client_name, 'chips': chips,
                'meta': meta, 'reference': case.reference,
                'avatar': {'text': case.assignee_name[:1].upper(), 'tooltip': case.assignee_name}
                if case.assignee_name else None}

    async def refresh(self) -> None:
        columns, self.stamp, risks = await call(_board_stamp_and_risks, self.actor, self.filters, self.limits)
        self.board.show([KanbanColumn(c.status, t(f'case_status.{c.status}'), c.total,
                                      [self._card_data(case, risks) for case in c.cards]) for c in columns])

    async def _poll(self) -> None:
        stamp = await call(cases_service.board_stamp, self.actor, self.filters)
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
            screen.build()
        await screen.load()
