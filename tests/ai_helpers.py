"""Helpers the AI tests use to recompute values independently of the chapter code.

They were convenience functions of the package, used only by tests; they live here so that the
package holds only what the book uses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

WORLD = "WLD"


def share_of_world(tidy: pd.DataFrame, indicator: str, entities: Sequence[str] | None = None) -> pd.DataFrame:
    """``entity, year, share``: each entity's value divided by the WLD value of the same year."""
    sel = tidy[tidy["indicator"] == indicator]
    world = sel[sel["entity"] == WORLD].set_index("year")["value"]
    out = sel[sel["entity"] != WORLD]
    if entities is not None:
        out = out[out["entity"].isin(entities)]
    out = out.assign(share=out["value"] / out["year"].map(world))
    return out[["entity", "year", "share"]].reset_index(drop=True)


def group_total(tidy: pd.DataFrame, indicator: str, members: Sequence[str], name: str) -> pd.DataFrame:
    """Sum an additive indicator over ``members`` per year, labelled ``name``.

    Only meaningful for additive indicators (counts, capacity, fractional model counts); whole
    counts of co-authored models or papers double-count collaborations between members.
    """
    sel = tidy[(tidy["indicator"] == indicator) & tidy["entity"].isin(members)]
    out = sel.groupby("year", as_index=False)["value"].sum()
    out.insert(0, "entity", name)
    return out


def cluster_capacity_table(tidy: pd.DataFrame, entities: Sequence[str], year: int) -> pd.DataFrame:
    """Entities × (clusters, h100e, share of world H100e) in one year from the clusters extract."""
    sel = tidy[tidy["year"] == year]
    wide = sel.pivot_table(index="entity", columns="indicator", values="value", aggfunc="sum",
                          observed=True)
    wide = wide.reindex(columns=["epoch_gpu_clusters", "epoch_gpu_h100e"]).fillna(0.0)
    world = wide.loc[WORLD, "epoch_gpu_h100e"] if WORLD in wide.index else np.nan
    out = wide.reindex(list(entities), fill_value=0.0)
    out.columns = ["clusters", "h100e"]
    out["share_h100e"] = out["h100e"] / world
    return out

