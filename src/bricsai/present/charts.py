"""Scales shared by charts that compare unlike measures.

A heatmap of measures in different units (counts, per cent, kWh per person, scores) needs one
colour scale whose meaning is the same in every column; scaling each column to its own minimum
and maximum does not give that (the same colour then means different things in two columns).
``relative_log`` expresses every value as a multiple of a reference (the median of a comparison
group, per measure) on one logarithmic scale, so that "ten times the reference" has one colour
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def relative_log(frame: pd.DataFrame, reference_rows: Iterable, limit: float = 100.0) -> pd.DataFrame:
    """log10(value / median of ``reference_rows``) per column, clipped to ±log10(``limit``).

    Zero values are clipped to the lower end (they are more than ``limit`` times smaller); NaN
    stays NaN. A column whose reference median is missing or not positive cannot be placed on
    the scale: it raises, naming the column.
    """
    values = frame.astype("float64")
    reference = values.loc[list(reference_rows)].median()
    bad = [c for c in values.columns if not reference[c] > 0]
    if bad:
        raise ValueError(f"relative_log: reference median missing or not positive for {bad}")
    if (values < 0).any().any():
        raise ValueError("relative_log: negative values have no ratio on a log scale")
    bound = float(np.log10(limit))
    with np.errstate(divide="ignore"):
        ratio = np.log10(values / reference)
    return ratio.clip(lower=-bound, upper=bound)


def ratio_label(exponent: float) -> str:
    """Tick label for a point of the scale: -2 → '1/100×', 0 → '1×', 1 → '10×'."""
    factor = 10 ** abs(exponent)
    text = f"{factor:,.0f}" if factor >= 1.5 else f"{factor:.1g}"
    if abs(exponent) < 1e-9:
        return "1×"
    return f"{text}×" if exponent > 0 else f"1/{text}×"
