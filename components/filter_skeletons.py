"""Placeholders the size of a screen's filter fields, shown while their choices load."""

from nicegui import ui


def filter_skeletons(count: int) -> None:
    """`count` dense outlined fields' worth of skeleton, in the row being filled (40 px high, like the fields)."""
    for _ in range(count):
        ui.skeleton('QInput').classes('w-full sm:w-44 h-10')
