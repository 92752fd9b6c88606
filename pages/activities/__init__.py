"""Interactions: the activity list, a contact's page, widgets and forms."""

from pages.activities import activity_list


def register() -> None:
    activity_list.register()
