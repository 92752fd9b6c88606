"""The «Nouvelle vente» dialog (client, date, channel, product lines or a single amount, live totals; errors next
to their field) and a sale's detail dialog (lines, delete). Shared by the sales list and a client's «Ventes» tab."""

import inspect
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from nicegui import ui

from components.confirm import confirm
from components.formatting import format_date, format_datetime, format_money
from components.grid import responsive_grid
from pages.cases.case_form import date_input, parse_date
from services import clients as clients_service
from services import products as products_service
from services import sales as sales_service
from services.actor import Actor
from services.clock import today
from services.errors import DomainError, Invalid
from services.products import ProductChoice
from services.sales import MAX_NOTE, MAX_REFERENCE, SALES_CHANNELS, SaleInput, SaleLineInput, SaleRead
from ui.data import call
from ui.feedback import failed, saved
from ui.i18n import current_language, t


def channel_options() -> dict[str, str]:
    return {channel: t(f'channel.{channel}') for channel in SALES_CHANNELS}


def parse_amount(text, field_name: str) -> Decimal | None:
    """«1 250,50» or «1250.5» → Decimal; '' → None. French amounts group thousands with spaces: any is dropped."""
    cleaned = ''.join(str(text if text is not None else '').split()).replace(',', '.')
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise Invalid('error.amount_invalid', field=field_name) from error
    if not value.is_finite():
        raise Invalid('error.amount_invalid', field=field_name)
    return value


def plain_amount(value: Decimal, language: str) -> str:
    """An amount to type again: «1250,50» in French, «1250.50» in English (no grouping)."""
    return f'{value}'.replace('.', ',') if language == 'fr' else f'{value}'


def quantity_of(value, field_name: str) -> int:
    if value is None or value != int(value):
        raise Invalid('error.sale_quantity_invalid', field=field_name, max=sales_service.MAX_QUANTITY)
    return int(value)


@dataclass
class LineEditor:
    """One product line of the dialog: its widgets."""

    product: ui.select
    quantity: ui.number
    unit_price: ui.input
    total: ui.label
    row: ui.element
    fields: dict = field(default_factory=dict)


class SaleDialog:
    def __init__(self, actor: Actor, currency: str, *, on_saved, client_id: int | None,
                 clients: dict[int, str], choices: list[ProductChoice]) -> None:
        self.actor, self.currency, self.on_saved, self.language = actor, currency, on_saved, current_language()
        self.catalogue = {choice.id: choice for choice in choices}
        self.first_choices = {choice.id: choice.label for choice in choices}
        self.lines: list[LineEditor] = []
        self.lines_added = 0  # marks number the lines as added: line-product-0, line-product-1…
        with ui.dialog() as self.dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-3xl'):
            ui.label(t('sales.new')).classes('text-lg font-semibold')
            with responsive_grid(3):
                self.client = ui.select(clients, value=client_id, label=t('sale.client'), with_input=True) \
                    .props('outlined dense').classes('sm:col-span-2 lg:col-span-1').mark('sale-client')
                self.client.on('input-value', self._find_clients, throttle=0.3)
                self.sold_on = date_input(t('sale.sold_on'), today(), 'sale-date')
                self.channel = ui.select(channel_options(), value='store', label=t('sale.channel')) \
                    .props('outlined dense').mark('sale-channel')
            self.mode = ui.toggle({'lines': t('sales.mode_lines'), 'amount': t('sales.mode_amount')}, value='lines',
                                  on_change=self._mode_changed).props('no-caps unelevated toggle-color=primary') \
                .classes('border rounded-lg').mark('sale-mode')
            with ui.column().classes('w-full gap-2') as self.lines_box:
                self.lines_list = ui.column().classes('w-full gap-3 sm:gap-2')
                with ui.row().classes('w-full items-center gap-2'):
                    ui.button(t('sales.add_line'), icon='add', on_click=self._add_line) \
                        .props('flat no-caps dense').mark('sale-add-line')
                    self.lines_error = ui.label('').classes('text-negative text-sm').mark('sale-lines-error')
            self.amount = ui.input(t('sale.amount'), on_change=self._update_total) \
                .props(f'outlined dense inputmode=decimal suffix={currency}').classes('w-full sm:w-64') \
                .mark('sale-amount')
            self.amount.set_visibility(False)
            with responsive_grid(2):
                self.reference = ui.input(t('sale.reference')).props(f'outlined dense maxlength={MAX_REFERENCE}') \
                    .mark('sale-reference')
                self.note = ui.input(t('sale.note')).props(f'outlined dense maxlength={MAX_NOTE}').mark('sale-note')
            with ui.row().classes('w-full items-center justify-end gap-2'):
                ui.label(t('sale.total')).classes('crm-muted')
                self.total = ui.label(format_money(Decimal(0), currency, self.language)) \
                    .classes('text-xl font-semibold').mark('sale-total')
            self.error = ui.label('').classes('text-negative text-sm').mark('sale-error')
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=self.dialog.close).props('flat')
                self.save_button = ui.button(t('action.save'), on_click=self._save).props('unelevated') \
                    .mark('sale-save')
        self._add_line()

    # --- pickers -------------------------------------------------------------------------------------------------

    async def _find_clients(self, event) -> None:
        found = dict(await call(clients_service.client_names, self.actor, event.args or ''))
        if self.client.value in self.client.options:
            found.setdefault(self.client.value, self.client.options[self.client.value])
        self.client.set_options(found, value=self.client.value)

    async def _find_products(self, line: LineEditor, event) -> None:
        choices = await call(products_service.product_choices, self.actor, event.args or '')
        self.catalogue.update({choice.id: choice for choice in choices})
        found = {choice.id: choice.label for choice in choices}
        if line.product.value in line.product.options:
            found.setdefault(line.product.value, line.product.options[line.product.value])
        line.product.set_options(found, value=line.product.value)

    def _product_chosen(self, line: LineEditor) -> None:
        choice = self.catalogue.get(line.product.value)
        if choice is not None:
            line.unit_price.value = plain_amount(choice.price, self.language)
        self._update_total()

    # --- lines ---------------------------------------------------------------------------------------------------

    def _add_line(self) -> None:
        index, self.lines_added = self.lines_added, self.lines_added + 1
        with self.lines_list:
            with ui.row().classes('w-full items-start gap-2') as row:  # the product alone on its row on phones
                product = ui.select(dict(self.first_choices), label=t('sale.product'), with_input=True) \
                    .props('outlined dense').classes('min-w-0').style('flex: 1 1 16rem') \
                    .mark(f'line-product-{index}')
                quantity = ui.number(t('sale.quantity'), value=1, format='%.0f', on_change=self._update_total) \
                    .props('outlined dense inputmode=numeric').classes('w-20 shrink-0').mark(f'line-quantity-{index}')
                unit_price = ui.input(t('sale.unit_price'), on_change=self._update_total) \
                    .props(f'outlined dense inputmode=decimal suffix={self.currency}') \
                    .classes('w-40 shrink-0 max-sm:flex-1').mark(f'line-price-{index}')
                total = ui.label('').classes('w-32 shrink-0 text-right pt-2 font-medium max-sm:hidden') \
                    .mark(f'line-total-{index}')
                ui.button(icon='close', on_click=lambda: self._remove_line(line)).props('flat round dense') \
                    .classes('mt-1 shrink-0').mark(f'line-remove-{index}')
        line = LineEditor(product, quantity, unit_price, total, row)
        line.fields = {'product_id': product, 'quantity': quantity, 'unit_price': unit_price}
        product.on('input-value', lambda event: self._find_products(line, event), throttle=0.3)
        product.on_value_change(lambda: self._product_chosen(line))
        self.lines.append(line)

    def _remove_line(self, line: LineEditor) -> None:
        self.lines.remove(line)
        line.row.delete()
        self._update_total()

    def _line_total(self, line: LineEditor) -> Decimal | None:
        try:
            price, quantity = parse_amount(line.unit_price.value, 'unit_price'), line.quantity.value
        except Invalid:
            return None
        return None if price is None or quantity is None else price * Decimal(str(quantity))

    def _update_total(self) -> None:
        if self.mode.value == 'amount':
            try:
                amount = parse_amount(self.amount.value, 'amount') or Decimal(0)
            except Invalid:
                amount = Decimal(0)
            self.total.set_text(format_money(amount, self.currency, self.language))
            return
        total = Decimal(0)
        for line in self.lines:
            line_total = self._line_total(line)
            line.total.set_text('' if line_total is None else format_money(line_total, self.currency, self.language))
            total += line_total or 0
        self.total.set_text(format_money(total, self.currency, self.language))

    def _mode_changed(self) -> None:
        lines = self.mode.value == 'lines'
        self.lines_box.set_visibility(lines)
        self.amount.set_visibility(not lines)
        self._update_total()

    # --- saving --------------------------------------------------------------------------------------------------

    def _data(self) -> SaleInput:
        if self.client.value is None:
            raise Invalid('error.client_required', field='client_id')
        sold_on = parse_date(self.sold_on.value)
        if sold_on is None:
            raise Invalid('error.date_invalid', field='sold_on')
        lines, amount = [], None
        if self.mode.value == 'lines':
            for index, line in enumerate(self.lines):
                if line.product.value is None:
                    raise Invalid('error.sale_product_required', field=f'lines.{index}.product_id')
                lines.append(SaleLineInput(
                    product_id=line.product.value, quantity=quantity_of(line.quantity.value, f'lines.{index}.quantity'),
                    unit_price=parse_amount(line.unit_price.value, f'lines.{index}.unit_price')))
        else:
            amount = parse_amount(self.amount.value, 'amount')
            if amount is None:
                raise Invalid('error.amount_positive', field='amount')
        return SaleInput(client_id=self.client.value, sold_on=sold_on, channel=self.channel.value or 'store',
                         lines=lines, amount=amount, reference=self.reference.value or None,
                         note=self.note.value or None)

    def _clear_errors(self) -> None:
        for element in (self.client, self.sold_on, self.channel, self.amount, self.reference, self.note):
            element.error = None
        for line in self.lines:
            for element in line.fields.values():
                element.error = None
        self.error.set_text('')
        self.lines_error.set_text('')

    def _show_error(self, problem: DomainError) -> None:
        message = t(problem.key, **problem.params)
        place = getattr(problem, 'field', None) or ''
        fields = {'client_id': self.client, 'sold_on': self.sold_on, 'channel': self.channel, 'amount': self.amount,
                  'reference': self.reference, 'note': self.note}
        parts = place.split('.')
        if len(parts) == 3 and parts[0] == 'lines' and parts[1].isdigit() and int(parts[1]) < len(self.lines):
            self.lines[int(parts[1])].fields[parts[2]].error = message
        elif place in fields and fields[place].visible:
            fields[place].error = message
        elif place == 'lines':
            self.lines_error.set_text(message)
        else:
            self.error.set_text(message)

    async def _save(self) -> None:
        self._clear_errors()
        self.save_button.props('loading')
        try:
            sale = await call(sales_service.create_sale, self.actor, self._data())
        except DomainError as problem:
            self._show_error(problem)
            return
        except ValueError:
            self.error.set_text(t('error.invalid'))
            return
        finally:
            self.save_button.props(remove='loading')
        self.dialog.close()
        saved('sales.saved', amount=format_money(sale.total, sale.currency, self.language), client=sale.client_name)
        outcome = self.on_saved(sale)
        if inspect.isawaitable(outcome):
            await outcome


async def open_sale_dialog(actor: Actor, currency: str, *, on_saved, client_id: int | None = None) -> None:
    """«Nouvelle vente», for `client_id` when given."""
    clients = dict(await call(clients_service.client_names, actor, ''))
    if client_id is not None and client_id not in clients:
        try:
            clients[client_id] = (await call(clients_service.get_client, actor, client_id)).name
        except DomainError:
            client_id = None
    choices = await call(products_service.product_choices, actor, '')
    SaleDialog(actor, currency, on_saved=on_saved, client_id=client_id, clients=clients, choices=choices) \
        .dialog.open()


def _field(label: str, value: str | None) -> None:
    with ui.column().classes('gap-0 min-w-0'):
        ui.label(label).classes('text-xs crm-muted uppercase tracking-wide')
        ui.label(value or '—').classes('break-words [overflow-wrap:anywhere]')


def open_sale_detail(actor: Actor, sale: SaleRead, *, on_deleted) -> None:
    """A sale's lines and details; delete it (with confirmation) when the user may."""
    language = current_language()
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-2xl').mark('sale-detail'):
        with ui.row().classes('w-full items-start gap-2 no-wrap'):
            with ui.column().classes('gap-0 flex-1 min-w-0'):
                ui.label(t('sales.detail_title', date=format_date(sale.sold_on, language))) \
                    .classes('text-lg font-semibold')
                ui.link(sale.client_name, f'/clients/{sale.client_id}?tab=sales').classes('text-primary')
            ui.label(format_money(sale.total, sale.currency, language)).classes('text-xl font-semibold') \
                .mark('sale-detail-total')
        with responsive_grid(2):
            _field(t('sale.channel'), t(f'channel.{sale.channel}'))
            _field(t('sale.reference'), sale.reference)
            _field(t('sale.created_by'), sale.created_by_name)
            _field(t('sale.created_at'), format_datetime(sale.created_at, language))
        if sale.lines:
            columns = [{'name': 'product', 'label': t('sale.product'), 'field': 'product', 'align': 'left'},
                       {'name': 'family', 'label': t('product.family'), 'field': 'family', 'align': 'left',
                        'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
                       {'name': 'quantity', 'label': t('sale.quantity'), 'field': 'quantity', 'align': 'right'},
                       {'name': 'unit_price', 'label': t('sale.unit_price'), 'field': 'unit_price', 'align': 'right',
                        'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
                       {'name': 'total', 'label': t('sale.line_total'), 'field': 'total', 'align': 'right'}]
            rows = [{'id': line.id, 'product': f'{line.sku} · {line.name}', 'family': line.family or '—',
                     'quantity': line.quantity, 'unit_price': format_money(line.unit_price, sale.currency, language),
                     'total': format_money(line.total, sale.currency, language)} for line in sale.lines]
            ui.table(columns=columns, rows=rows, row_key='id').props('flat bordered dense hide-bottom wrap-cells') \
                .classes('w-full').mark('sale-lines')
        else:
            ui.label(t('sales.single_amount')).classes('crm-muted')
        if sale.note:
            _field(t('sale.note'), sale.note)

        async def delete() -> None:
            if not await confirm(t('sales.delete_title'), t('sales.delete_message', client=sale.client_name,
                                                             date=format_date(sale.sold_on, language)),
                                 confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
                return
            try:
                await call(sales_service.delete_sale, actor, sale.id)
            except DomainError as problem:
                failed(problem)
                return
            dialog.close()
            saved('sales.deleted')
            outcome = on_deleted()
            if inspect.isawaitable(outcome):
                await outcome

        with ui.row().classes('w-full items-center gap-2'):
            if sales_service.may_delete(actor, sale.created_by):
                ui.button(t('action.delete'), icon='delete_outline', on_click=delete) \
                    .props('flat no-caps color=negative').mark('sale-delete')
            ui.space()
            ui.button(t('action.close'), on_click=dialog.close).props('flat').mark('sale-detail-close')
    dialog.open()
