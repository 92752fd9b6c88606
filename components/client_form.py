"""The fields of a client, for the create and edit dialogs. Takes its choices; returns plain values."""

from dataclasses import dataclass

from nicegui import ui

from components.grid import responsive_grid


@dataclass(frozen=True)
class ClientFormChoices:
    kinds: dict[str, str]
    statuses: dict[str, str]
    client_types: list[str]
    owners: dict[int, str]
    tags: list[str]


@dataclass(frozen=True)
class ClientFormLabels:
    kind: str
    name: str
    email: str
    phone: str
    company: str
    address: str
    postal_code: str
    city: str
    country: str
    website: str
    status: str
    client_type: str
    tags: str
    owner: str
    notes: str


class ClientForm:
    def __init__(self, choices: ClientFormChoices, labels: ClientFormLabels, values: dict | None = None) -> None:
        v = values or {}
        with responsive_grid(2):
            self.kind = ui.select(choices.kinds, value=v.get('kind', 'company'), label=labels.kind) \
                .props('outlined dense').mark('client-kind')
            self.status = ui.select(choices.statuses, value=v.get('status', 'active'), label=labels.status) \
                .props('outlined dense').mark('client-status')
            self.name = ui.input(labels.name, value=v.get('name', '')).props('outlined dense autofocus') \
                .classes('sm:col-span-2').mark('client-name')
            self.email = ui.input(labels.email, value=v.get('email') or '').props('outlined dense type=email') \
                .mark('client-email')
            self.phone = ui.input(labels.phone, value=v.get('phone') or '').props('outlined dense type=tel') \
                .mark('client-phone')
            self.company = ui.input(labels.company, value=v.get('company') or '').props('outlined dense') \
                .mark('client-company')
            self.website = ui.input(labels.website, value=v.get('website') or '').props('outlined dense')
            self.address = ui.input(labels.address, value=v.get('address') or '').props('outlined dense') \
                .classes('sm:col-span-2')
            self.postal_code = ui.input(labels.postal_code, value=v.get('postal_code') or '').props('outlined dense')
            self.city = ui.input(labels.city, value=v.get('city') or '').props('outlined dense').mark('client-city')
            self.country = ui.input(labels.country, value=v.get('country') or 'DZ') \
                .props('outlined dense maxlength=2').mark('client-country')
            self.client_type = ui.select(choices.client_types, value=v.get('client_type'), label=labels.client_type,
                                         clearable=True).props('outlined dense').mark('client-type')
            self.owner = ui.select(choices.owners, value=v.get('owner_id'), label=labels.owner, clearable=True) \
                .props('outlined dense').mark('client-owner')
            self.tags = ui.select(choices.tags, value=list(v.get('tags') or []), label=labels.tags, multiple=True,
                                  new_value_mode='add-unique').props('outlined dense use-chips use-input') \
                .mark('client-tags')
            self.notes = ui.textarea(labels.notes, value=v.get('notes') or '').props('outlined dense autogrow') \
                .classes('sm:col-span-2')

    def values(self) -> dict:
        return {'kind': self.kind.value, 'status': self.status.value, 'name': self.name.value or '',
                'email': self.email.value or None, 'phone': self.phone.value or None,
                'company': self.company.value or None, 'website': self.website.value or None,
                'address': self.address.value or None, 'postal_code': self.postal_code.value or None,
                'city': self.city.value or None, 'country': (self.country.value or 'DZ').upper(),
                'client_type': self.client_type.value, 'owner_id': self.owner.value,
                'tags': list(self.tags.value or []), 'notes': self.notes.value or None}
