"""How fast a group's share of the world's population is falling, and when it would cross a
threshold if that pace held: an extrapolation, not a forecast.

For the article's population claim ("over 40% of the world's population"): BRICS-5's share in
the latest year, its pace over the recent years (least-squares slope, percentage points a
year), and the first year in which the share would be below the threshold if the pace held.
The share comes from the measure registry (``pop_share``), so the numbers match every page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bricsai.errors import DataError
from bricsai.ledger.measures import registry


def population_trend(group: str = "BRICS-5", threshold: float = 0.40, window: int = 10,
                     horizon: int = 30) -> dict:
    """The share's recent pace and the year it would cross ``threshold`` at that pace.

    Returns ``group, threshold, last_year, last_share, first_fit_year, slope`` (share points a
    year, a fraction), ``cross_year`` (None if the share is rising or would not cross within
    ``horizon`` years) and ``frame``: ``year, share, kind`` with kind ``observed`` or
    ``extrapolated`` (the straight line from the last observed year to the crossing).
    """
    s = registry().series("pop_share", group).dropna()
    s = s[~s.index.isin(s.attrs.get("partial", []))]
    if len(s) < window:
        raise DataError("pop_share", f"{group}: fewer than {window} years of population shares")
    recent = s.iloc[-window:]
    years = recent.index.to_numpy(dtype=float)
    slope = float(np.polyfit(years, recent.to_numpy(dtype=float), 1)[0])
    last_year, last_share = int(s.index[-1]), float(s.iloc[-1])
    cross = None
    if slope < 0 and last_share >= threshold:
        steps = int(np.floor((last_share - threshold) / -slope)) + 1
        cross = last_year + steps if steps <= horizon else None
    end = cross if cross is not None else last_year + 5
    future = pd.DataFrame({"year": range(last_year, end + 1)})
    future["share"] = last_share + slope * (future["year"] - last_year)
    future["kind"] = "extrapolated"
    observed = pd.DataFrame({"year": s.index.astype(int), "share": s.to_numpy(), "kind": "observed"})
    frame = pd.concat([observed, future], ignore_index=True)
    return {"group": group, "threshold": threshold, "last_year": last_year, "last_share": last_share,
            "first_fit_year": int(recent.index[0]), "slope": slope, "cross_year": cross, "frame": frame}


def values(trend: dict) -> dict:
    """What the bloc chapter states about the trend, keyed by glue name (shares in per cent)."""
    return {"bloc-poptrend-last-year": float(trend["last_year"]),
            "bloc-poptrend-last-share": 100 * trend["last_share"],
            "bloc-poptrend-fit-from": float(trend["first_fit_year"]),
            "bloc-poptrend-pace": -100 * trend["slope"],
            "bloc-poptrend-cross-year": str(trend["cross_year"]) if trend["cross_year"] else "not within 30 years"}
