"""Products › catalogue: a server-paged table searched by SKU or name, filtered by family and status; the create /
edit dialog, with archive, restore and (never-sold products only) delete, each confirmed."""

from nicegui import ui

from components.confirm import confirm
from components.empty_state import empty_state
from components.filter_bar import filter_bar
from components.formatting import format_money
from components.grid import responsive_grid
from components.paged_table import TableQuery, paged_table
from pages.sales.sale_form import parse_amount, plain_amount
from services import products as products_service
from services.actor import Actor
from services.errors import DomainError
from services.paging import PageRequest
from services.products import MAX_DESCRIPTION, MAX_FAMILY, MAX_NAME, MAX_SKU, ProductFilter, ProductInput, ProductRead
from services.sales import tenant_currency
from ui.data import call
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

STATUSES = {'active': True, 'archived': False, 'all': None}
STATUS_SLOT = r'''
<q-td :props="props">
  <q-badge :color="props.row.is_active ? 'green-7' : 'brown-5'" rounded class="px-2 py-1" :label="props.value" />
</q-td>
'''


def _columns() -> list[dict]:
    return [
        {'name': 'sku', 'label': t('product.sku'), 'field': 'sku', 'align': 'left', 'sortable': True,
         'classes': 'font-mono text-xs'},
        {'name': 'name', 'label': t('product.name'), 'field': 'name', 'align': 'left', 'sortable': True},
        {'name': 'family', 'label': t('product.family'), 'field': 'family', 'align': 'left', 'sortable': True,
         'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
        {'name': 'price', 'label': t('product.price'), 'field': 'price', 'align': 'right', 'sortable': True},
        {'name': 'status', 'label': t('product.status'), 'field': 'status', 'align': 'left',
         'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
    ]


class ProductsScreen:
    def __init__(self, actor: Actor, currency: str) -> None:
        self.actor, self.currency, self.language = actor, currency, current_language()
        self.search, self.family, self.status = '', None, 'active'

    async def build(self) -> None:
        self.families = await call(products_service.product_families, self.actor)
        with filter_bar(t('filters.button')) as bar:
            with bar.lead:
                ui.input(placeholder=t('products.search'), on_change=self._on_search) \
                    .props('outlined dense clearable debounce=300').classes('w-full sm:w-80').mark('products-search')
            with bar.folded:
                self.family_select = bar.track(ui.select(self.families, label=t('product.family'), clearable=True,
                                                         on_change=self._on_family)
                                               .props('outlined dense').classes('w-full sm:w-48')
                                               .mark('products-family'))
                bar.track(ui.toggle({key: t(f'products.status_{key}') for key in STATUSES}, value='active',
                                    on_change=self._on_status).props('unelevated toggle-color=primary')
                          .classes('border rounded-lg').mark('products-status'), default='active')
            if self.actor.can_write:
                with bar.actions:
                    ui.button(t('products.new'), icon='add', on_click=lambda: ProductDialog(self, None)) \
                        .props('unelevated').classes('w-full sm:w-auto').mark('products-new')
        with ui.column().classes('w-full gap-2') as self.skeleton:
            for _ in range(6):
                ui.skeleton('text').classes('w-full h-8')
        self.table = paged_table(columns=_columns(), fetch=self._fetch, rows_per_page=50,
                                 no_data_label=t('products.no_match'), phone_columns=['sku', 'name', 'price']) \
            .mark('products-table')
        self.table.add_slot('body-cell-status', STATUS_SLOT)
        self.table.classes('cursor-pointer').set_visibility(False)
        self.table.on('rowClick', lambda e: self.open_product(e.args[1]['id']))
        self.table.pagination = {**self.table.pagination, 'sortBy': 'name'}
        self.empty = ui.column().classes('w-full')
        await self.refresh(first_page=True)

    async def refresh(self, *, first_page: bool = False) -> None:
        await self.table.load(page=1 if first_page else self.table.pagination['page'])
        if not self.table.rows and self.table.pagination['page'] > 1:  # the last row of the last page went away
            await self.table.load(page=1)

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        filters = ProductFilter(search=self.search, family=self.family, active=STATUSES[self.status],
                                sort=query.sort_by or 'name', descending=query.descending)
        page = await call(products_service.list_products, self.actor, filters,
                          PageRequest(limit=query.rows_per_page, offset=query.offset))
        rows = [{'id': p.id, 'sku': p.sku, 'name': p.name, 'family': p.family or '—', 'is_active': p.is_active,
                 'price': format_money(p.price, self.currency, self.language),
                 'status': t('products.active' if p.is_active else 'products.archived')} for p in page.items]
        self._show_empty(page.total == 0 and not self.search and not self.family and self.status == 'active')
        return rows, page.total

    def _show_empty(self, empty: bool) -> None:
        """An empty catalogue gets a word and a way to start; an empty search keeps the table and its filters."""
        self.skeleton.set_visibility(False)
        self.table.set_visibility(not empty)
        self.empty.clear()
        if empty:
            with self.empty:
                empty_state(t('products.empty_title'), t('products.empty_hint'), icon='inventory_2') \
                    .mark('products-empty')

    async def _on_search(self, event) -> None:
        self.search = (event.value or '').strip()
        await self.refresh(first_page=True)

    async def _on_family(self, event) -> None:
        self.family = event.value or None
        await self.refresh(first_page=True)

    async def _on_status(self, event) -> None:
        self.status = event.value
        await self.refresh(first_page=True)

    async def families_changed(self) -> None:
        self.families = await call(products_service.product_families, self.actor)
        self.family_select.set_options(self.families, value=self.family if self.family in self.families else None)

    async def open_product(self, product_id: int) -> None:
        try:
            product = await call(products_service.get_product, self.actor, product_id)
        except DomainError as problem:
            failed(problem)
            await self.refresh()
            return
        ProductDialog(self, product)


class ProductDialog:
    """Create (product=None) or edit a product; archive, restore or delete it from here."""

    def __init__(self, screen: ProductsScreen, product: ProductRead | None) -> None:
        self.screen, self.product, self.actor = screen, product, screen.actor
        language, p = screen.language, product
        readonly = not self.actor.can_write
        with ui.dialog() as self.dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-xl'):
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(t('products.new') if p is None else p.name).classes('text-lg font-semibold flex-1 min-w-0')
                if p is not None and not p.is_active:
                    ui.badge(t('products.archived')).props('color=brown-5 rounded').classes('px-2 py-1')
            with responsive_grid(2):
                self.sku = ui.input(t('product.sku'), value=p.sku if p else '') \
                    .props(f'outlined dense autofocus maxlength={MAX_SKU}').mark('product-sku')
                self.family = ui.input(t('product.family'), value=p.family if p else '',
                                       autocomplete=screen.families) \
                    .props(f'outlined dense maxlength={MAX_FAMILY}').mark('product-family')
                self.name = ui.input(t('product.name'), value=p.name if p else '') \
                    .props(f'outlined dense maxlength={MAX_NAME}').classes('sm:col-span-2').mark('product-name')
                self.price = ui.input(t('product.price'), value=plain_amount(p.price, language) if p else '') \
                    .props(f'outlined dense inputmode=decimal suffix={screen.currency}').mark('product-price')
                self.description = ui.textarea(t('product.description'), value=(p.description or '') if p else '') \
                    .props(f'outlined dense autogrow maxlength={MAX_DESCRIPTION}').classes('sm:col-span-2') \
                    .mark('product-description')
            self.fields = {'sku': self.sku, 'name': self.name, 'family': self.family, 'price': self.price,
                           'description': self.description}
            if readonly:
                for element in self.fields.values():
                    element.props('readonly')
            if p is not None and p.sold:
                ui.label(t('products.sold_hint')).classes('text-xs crm-muted')
            self.error = ui.label('').classes('text-negative text-sm').mark('product-error')
            with ui.row().classes('w-full items-center gap-2'):
                if p is not None and not readonly:
                    self._lifecycle_buttons(p)
                ui.space()
                ui.button(t('action.cancel'), on_click=self.dialog.close).props('flat')
                if not readonly:
                    ui.button(t('action.save'), on_click=self._save).props('unelevated').mark('product-save')
        self.name.on('keydown.enter', self._save)
        self.dialog.open()

    def _lifecycle_buttons(self, product: ProductRead) -> None:
        if product.is_active:
            ui.button(t('products.archive'), icon='archive', on_click=self._archive) \
                .props('flat').mark('product-archive')
        else:
            ui.button(t('products.restore'), icon='unarchive', on_click=self._restore) \
                .props('flat').mark('product-restore')
        if not product.sold:
            ui.button(icon='delete_outline', on_click=self._delete).props('flat round color=negative') \
                .tooltip(t('action.delete')).mark('product-delete')

    async def _save(self) -> None:
        self.error.set_text('')
        for element in self.fields.values():
            element.error = None
        try:
            data = ProductInput(sku=self.sku.value or '', name=self.name.value or '', family=self.family.value or '',
                                price=parse_amount(self.price.value, 'price') or 0,
                                description=self.description.value or None,
                                is_active=self.product.is_active if self.product else True)
            if self.product is None:
                result = await call(products_service.create_product, self.actor, data)
            else:
                result = await call(products_service.update_product, self.actor, self.product.id, data,
                                    self.product.version)
        except DomainError as problem:
            self._show_error(problem)
            return
        except ValueError:
            self.error.set_text(t('error.invalid'))
            return
        self.dialog.close()
        saved('products.saved', name=result.name)
        await self.screen.families_changed()
        await self.screen.refresh()

    def _show_error(self, problem: DomainError) -> None:
        message = t(problem.key, **problem.params)
        place = getattr(problem, 'field', None) or problem.params.get('field')
        if place in self.fields:
            self.fields[place].error = message
        else:
            self.error.set_text(message)

    async def _set_active(self, active: bool, message_key: str) -> None:
        try:
            result = await call(products_service.set_active, self.actor, self.product.id, active)
        except DomainError as problem:
            failed(problem)
            return
        self.dialog.close()
        saved(message_key, name=result.name)
        await self.screen.refresh()

    async def _archive(self) -> None:
        if await confirm(t('products.archive_title'), t('products.archive_message', name=self.product.name),
                         confirm_label=t('products.archive'), cancel_label=t('action.cancel'), danger=False):
            await self._set_active(False, 'products.archived_toast')

    async def _restore(self) -> None:
        await self._set_active(True, 'products.restored_toast')

    async def _delete(self) -> None:
        if not await confirm(t('products.delete_title'), t('products.delete_message', name=self.product.name),
                             confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
            return
        try:
            await call(products_service.delete_product, self.actor, self.product.id)
        except DomainError as problem:
            failed(problem)
            return
        self.dialog.close()
        saved('products.deleted', name=self.product.name)
        await self.screen.families_changed()
        await self.screen.refresh()


def register() -> None:
    @member_page('/products')
    async def products_page(actor: Actor) -> None:
        currency = await call(tenant_currency, actor.tenant_id)
        with frame(actor, t('nav.products'), path='/products', subtitle=t('products.subtitle')):
            screen = ProductsScreen(actor, currency)
            await screen.build()
