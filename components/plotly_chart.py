"""NiceGUI's Plotly element, drawn by `plotly_chart.js`: the chart follows its own width (narrow layout overrides
below `NARROW_WIDTH`) and is never resized while hidden (no «Resize must be passed a displayed plot div element»
when a tab panel holding it closes)."""

from typing import Any

from nicegui import ui

NARROW_WIDTH = 520  # px of the chart itself: a phone, or a narrow card beside others


class plotly_chart(ui.plotly, component='plotly_chart.js'):
    def __init__(self, figure: dict, *, narrow: dict[str, Any] | None = None,
                 narrow_traces: list[dict[str, Any]] | None = None) -> None:
        """`figure` holds `data`, `layout` and `config`. When the chart is drawn narrower than `NARROW_WIDTH` pixels,
        `narrow` is merged into the layout and each of `narrow_traces` into the trace of the same rank (nested dicts
        merge key by key)."""
        super().__init__(figure)
        self._props['narrow'] = narrow or {}
        self._props['narrow-traces'] = narrow_traces or []
        self._props['breakpoint'] = NARROW_WIDTH
