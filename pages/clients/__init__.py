"""Clients: the list, the client page and merging duplicates."""

from pages.clients import client_detail, client_list


def register() -> None:
    client_list.register()
    client_detail.register()
