"""The named RFM segments and the map from a client's recency (R) and frequency (F) scores to its segment.

Scores run from 1 to 5 (5: the most recent buyers, the most frequent ones; see services.analytics.rfm). The segment
reads R and F only — M (monetary) ranks clients inside a segment. Every one of the 25 cells has one segment:

    F →       1                2                    3                    4          5
    R 5   new              potential_loyalists  potential_loyalists  champions  champions
    R 4   promising        potential_loyalists  potential_loyalists  loyal      loyal
    R 3   about_to_sleep   about_to_sleep       need_attention       loyal      loyal
    R 2   hibernating      hibernating          at_risk              at_risk    cannot_lose
    R 1   lost             hibernating          at_risk              at_risk    cannot_lose

In words: R5 F4–5 champions; R3–4 F4–5 loyal; R4–5 F2–3 potential loyalists; R5 F1 new; R4 F1 promising; R3 F3 need
attention; R3 F1–2 about to sleep; R1–2 F3–4 at risk; R1–2 F5 cannot lose them; R1 F1 lost; the other R1–2 F1–2
hibernating. The segment is assigned in SQL (`segment_case`) from the same table as in Python (`segment_for`).
"""

from typing import Any

from sqlalchemy import case

SEGMENTS = ('champions', 'loyal', 'potential_loyalists', 'new', 'promising', 'need_attention', 'about_to_sleep',
            'at_risk', 'cannot_lose', 'hibernating', 'lost')

_GRID = {  # R score: the segment of F = 1, 2, 3, 4, 5
    5: ('new', 'potential_loyalists', 'potential_loyalists', 'champions', 'champions'),
    4: ('promising', 'potential_loyalists', 'potential_loyalists', 'loyal', 'loyal'),
    3: ('about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'),
    2: ('hibernating', 'hibernating', 'at_risk', 'at_risk', 'cannot_lose'),
    1: ('lost', 'hibernating', 'at_risk', 'at_risk', 'cannot_lose'),
}
SEGMENT_MAP: dict[tuple[int, int], str] = {(r, f): segment for r, row in _GRID.items()
                                           for f, segment in enumerate(row, start=1)}


def segment_for(r: int, f: int) -> str:
    """The segment of an R and an F score (each 1–5)."""
    try:
        return SEGMENT_MAP[(r, f)]
    except KeyError:
        raise ValueError(f'RFM scores must be 1–5, got R={r} F={f}') from None


def segment_case(r_col: Any, f_col: Any) -> Any:
    """The segment as an SQL expression of two score columns: CASE r * 10 + f WHEN 54 THEN 'champions' … END."""
    return case({r * 10 + f: segment for (r, f), segment in SEGMENT_MAP.items()}, value=r_col * 10 + f_col)
