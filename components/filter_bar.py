"""The filters above a list. The search (`lead`) and the actions stay in sight; the other filters (`folded`) fold
behind a «Filtres» button on phones, which counts those in use, and are always shown from Tailwind's `md` (768 px).

    with filter_bar(t('filters.button')) as bar:
        with bar.lead:
            ui.input(...)
        with bar.folded:
            bar.track(ui.select(...))
        with bar.actions:
            ui.button(...)
"""

from typing import TypeVar

from nicegui import ui
from nicegui.elements.mixins.value_element import ValueElement

E = TypeVar('E', bound=ValueElement)
FOLDED = 'max-md:hidden'  # the folded filters' class while closed on a phone


class filter_bar(ui.row):
    def __init__(self, label: str) -> None:
        super().__init__()
        self.classes('w-full items-center gap-3').mark('filter-bar')
        self._tracked: list[tuple[ValueElement, object]] = []
        with self:
            self.lead = ui.row().classes('flex-1 min-w-0 md:flex-none items-center gap-3 empty:hidden')
            with ui.button(label, icon='tune', on_click=self.toggle).props('outline aria-expanded=false') \
                    .classes('md:hidden').mark('filters-toggle') as self.button:
                self.count = ui.badge('').props('rounded color=primary').classes('ml-2').mark('filters-count')
                self.count.set_visibility(False)
            self.folded = ui.row().classes(f'w-full md:w-auto items-center gap-3 {FOLDED}').mark('filters-folded')
            self.actions = ui.row().classes('w-full md:w-auto md:ml-auto items-center gap-3 empty:hidden')

    @property
    def is_open(self) -> bool:
        return FOLDED not in self.folded.classes

    def toggle(self) -> None:
        """Show or fold the filters (phones only: from md up they are always shown)."""
        opened = not self.is_open
        self.folded.classes(remove=FOLDED) if opened else self.folded.classes(add=FOLDED)
        self.button.props(f'aria-expanded={str(opened).lower()}')

    def track(self, element: E, default: object = None) -> E:
        """Count `element` among the filters in use whenever its value is set and differs from `default`."""
        self._tracked.append((element, default))
        element.on_value_change(self._recount)
        self._recount()
        return element

    def reset(self) -> None:
        """Empty the bar (to draw its fields again, once their choices are known)."""
        for row in (self.lead, self.folded, self.actions):
            row.clear()
        self._tracked.clear()
        self._recount()

    def placeholders(self, lead: int, folded: int) -> None:
        """Skeletons the size of the fields, while their choices load."""
        for row, count in ((self.lead, lead), (self.folded, folded)):
            with row:
                for _ in range(count):
                    ui.skeleton('QInput').classes('w-full sm:w-44 h-10')

    def _recount(self) -> None:
        used = sum(1 for element, default in self._tracked if element.value not in (None, '', [], False, default))
        self.count.set_text(str(used))
        self.count.set_visibility(used > 0)
