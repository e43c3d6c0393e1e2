"""CSET/ETO Advanced Semiconductor Supply Chain: country market shares per input, and input names.

Descriptions of the extracts are in ``datasets.yml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.readers import check_unique, file_label, map_countries, read_csv_checked, require_columns
from bricsai.sources.tidy import TIDY_COLUMNS, Dataset, TableDataset, describe

ETO_DIR = "ai/cset_eto/eto_supply_chain"  # relative to the raw data folder

ETO_SOURCE = "CSET ETO Advanced Semiconductor Supply Chain"
ETO_YEAR = 2021


def parse_percent(s: pd.Series, column: str, file: str) -> pd.Series:
    """"61%" → 0.61; blanks stay NaN; anything else that is not a percentage is an error."""
    text = s.astype("string").str.strip()
    m = text.str.fullmatch(r"\d+(\.\d+)?\s*%")
    bad = text.notna() & (text != "") & ~m.fillna(False)
    if bad.any():
        raise DataError(file, f"column {column!r} has a value that is not a percentage: {s[bad].iloc[0]!r}")
    out = pd.to_numeric(text.str.rstrip("%").str.strip(), errors="coerce") / 100
    if (out > 1).any():
        raise DataError(file, f"column {column!r} has a share above 100%")
    return out.astype("float64")


def load_eto(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The ETO tables: ``shares`` (entity, provided_id, share, negligible), ``inputs``, ``stages``.

    ``inputs`` gains a ``stage`` column resolved through sequence.csv (see ``resolve_stages``).

    Only country providers are kept; rows without a percentage (ETO lists the country as a
    provider but gives no share) are dropped. ``Various`` is not a country and is dropped.
    """
    folder = Path(folder)
    prov_file = file_label(folder / "provision.csv")
    provision = read_csv_checked(
        folder / "provision.csv",
        ["provider_id", "provided_id", "provided_name", "share_provided", "negligible_market_share"],
    )
    providers = read_csv_checked(folder / "providers.csv", ["provider_name", "provider_id", "provider_type"])
    inputs = read_csv_checked(folder / "inputs.csv", ["input_name", "input_id", "type", "stage_name"])
    stages = read_csv_checked(folder / "stages.csv", ["stage_id", "stage_name"])
    sequence = read_csv_checked(folder / "sequence.csv", ["input_id", "goes_into_id", "is_type_of_id"])
    check_unique(providers, ["provider_id"], file_label(folder / "providers.csv"))
    check_unique(inputs, ["input_id"], file_label(folder / "inputs.csv"))
    check_unique(stages, ["stage_id"], file_label(folder / "stages.csv"))
    countries = providers[providers["provider_type"] == "country"]
    # The provider's name comes from providers.csv, the register of providers.
    rows = provision.drop(columns="provider_name", errors="ignore").merge(
        countries[["provider_id", "provider_name"]], on="provider_id", how="inner"
    )
    # Checked on country rows only: the file repeats one company row (Powertech, ATP), which
    # does not affect country shares.
    check_unique(rows, ["provider_id", "provided_id"], prov_file)
    rows["share"] = parse_percent(rows["share_provided"], "share_provided", prov_file)
    rows = rows[rows["share"].notna()].copy()
    known = set(inputs["input_id"]) | set(stages["stage_id"])
    unknown = sorted(set(rows["provided_id"]) - known)
    if unknown:
        raise DataError(prov_file, f"provided_id(s) {unknown} are neither inputs nor stages")
    rows["entity"] = map_countries(rows["provider_name"], "eto", file_label(folder / "providers.csv"))
    rows = rows[rows["entity"].notna()]
    # A share total far above 100% means a row was doubled; ETO rounds tiny shares up to 1%.
    totals = rows.groupby("provided_id")["share"].sum()
    if (totals > 1.10).any():
        raise DataError(prov_file, f"country shares of {totals[totals > 1.10].index[0]!r} add up to more than 110%")
    shares = rows[["entity", "provided_id", "provided_name", "share"]].assign(
        negligible=rows["negligible_market_share"].eq("negligible")
    )
    inputs = inputs.assign(stage=inputs["input_id"].map(resolve_stages(inputs, sequence)))
    return {"shares": shares.reset_index(drop=True), "inputs": inputs, "stages": stages}


def resolve_stages(inputs: pd.DataFrame, sequence: pd.DataFrame) -> pd.Series:
    """Stage name for every input, indexed by ``input_id``.

    ETO gives a stage only for processes; a tool or material inherits the stage of what it
    goes into (or is a type of), followed through sequence.csv until a process is reached.
    Inputs that reach no process (the finished chip) get "".
    """
    own = inputs.set_index("input_id")["stage_name"].dropna().to_dict()
    links: dict[str, list[str]] = {}
    for col in ("goes_into_id", "is_type_of_id"):
        for src, dst in sequence[["input_id", col]].dropna().itertuples(index=False):
            links.setdefault(src, []).append(dst)

    def find(node: str, seen: frozenset) -> str:
        if node in own:
            return own[node]
        for nxt in sorted(links.get(node, [])):
            if nxt not in seen:
                found = find(nxt, seen | {node})
                if found:
                    return found
        return ""

    return pd.Series({i: find(i, frozenset()) for i in inputs["input_id"]}, name="stage")


def eto_tidy(shares: pd.DataFrame, year: int = ETO_YEAR) -> pd.DataFrame:
    """Tidy ``eto_share:<provided_id>`` (share 0–1) per country; the year is approximate."""
    out = shares.assign(year=year, indicator="eto_share:" + shares["provided_id"], unit="share",
                        source=ETO_SOURCE, value=shares["share"])
    return out[TIDY_COLUMNS]


def build_eto(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: ETO country market shares per supply-chain input."""
    return eto_tidy(load_eto(Path(raw_dir) / ETO_DIR)["shares"])


ETO_INPUT_COLUMNS = ("input_id", "input_name", "type", "stage")


def eto_inputs_table(inputs: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """Names of everything ETO gives a share for: ``input_id, input_name, type, stage``.

    One row per input (``type`` as ETO gives it: process, tool_resource, material_resource,
    ultimate_output; ``stage`` resolved through sequence.csv, "" for the finished chip) and one
    row per stage (``type`` 'stage', ``stage`` = its own name), so that the ``eto_share:<id>``
    indicators of the shares extract can all be named from this table alone. Sorted by id in
    natural order (S1 < S2 < N1 < N2 < N10).
    """
    if "stage" not in inputs.columns:
        raise DataError("eto inputs", "inputs need a resolved 'stage' column (see load_eto)")
    rows = pd.concat(
        [
            stages.assign(input_id=stages["stage_id"], input_name=stages["stage_name"], type="stage",
                          stage=stages["stage_name"]),
            inputs,
        ],
        ignore_index=True,
    )[list(ETO_INPUT_COLUMNS)]
    rows = rows.assign(stage=rows["stage"].fillna(""))
    check_unique(rows, ["input_id"], "eto inputs and stages")
    return _natural_order(rows).reset_index(drop=True)


def _natural_order(df: pd.DataFrame, extra: Sequence[str] = (), ascending: Sequence[bool] = ()) -> pd.DataFrame:
    """Sort by ``input_id`` in natural order (stages S* first, then N* by number), then ``extra``."""
    order = df["input_id"].astype(str).str.extract(r"^([A-Z]+)(\d+)$")
    tmp = df.assign(_kind=order[0].map({"S": 0}).fillna(1), _num=pd.to_numeric(order[1]))
    tmp = tmp.sort_values(["_kind", "_num", *extra], ascending=[True, True, *ascending], kind="mergesort")
    return tmp.drop(columns=["_kind", "_num"])


def build_eto_inputs(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: the names, types and stages behind the ETO share indicators."""
    eto = load_eto(Path(raw_dir) / ETO_DIR)
    return eto_inputs_table(eto["inputs"], eto["stages"])


def eto_share_table(
    shares: pd.DataFrame,
    inputs: pd.DataFrame,
    stages: pd.DataFrame | None = None,
    entities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Readable table for the book: ``input_id, input, type, stage, country, share``.

    ``shares`` is either ``load_eto(...)["shares"]`` or the tidy extract
    ``eto_semiconductor_shares`` (indicator ``eto_share:<id>``). ``inputs`` is either the
    ``eto_semiconductor_inputs`` extract (stages already in it, ``stages`` not needed) or
    ``load_eto(...)["inputs"]`` together with ``stages``. Stages themselves appear with type
    'stage'. Sorted by input in natural order, then share (largest first). A share whose id the
    names table lacks raises DataError rather than giving an unnamed row.
    """
    if "indicator" in shares.columns:
        ind = shares["indicator"].astype(str)
        shares = shares[ind.str.startswith("eto_share:")]
        shares = shares.assign(provided_id=ind[ind.str.startswith("eto_share:")].str.split(":", n=1).str[1],
                               share=shares["value"])
    if stages is not None:
        if "stage" not in inputs.columns:
            inputs = inputs.assign(stage=inputs["stage_name"])
        names = eto_inputs_table(inputs, stages)
    else:
        require_columns(inputs, ETO_INPUT_COLUMNS, "eto inputs")
        names = inputs[list(ETO_INPUT_COLUMNS)]
    names = names.rename(columns={"input_name": "input"}).astype({"input_id": str})
    out = shares.merge(names, left_on="provided_id", right_on="input_id", how="left")
    unnamed = out["input_id"].isna()
    if unnamed.any():
        raise DataError("eto inputs", f"no name for share id {out.loc[unnamed, 'provided_id'].iloc[0]!r}")
    out = out.rename(columns={"entity": "country"})
    out["country"] = out["country"].astype(str)
    if entities is not None:
        out = out[out["country"].isin(list(entities))]
    out = out[["input_id", "input", "type", "stage", "country", "share"]]
    return _natural_order(out, ["share"], [False]).reset_index(drop=True)


def eto_stage_matrix(
    table: pd.DataFrame, names: pd.DataFrame, ids: Sequence[str], countries: Sequence[str]
) -> pd.DataFrame:
    """Input × country matrix of shares from ``eto_share_table`` (0 where a country supplies none).

    ``names`` is the ``eto_semiconductor_inputs`` table; rows follow ``ids`` and carry
    ``input_id, input, stage``, then one column per country. An id unknown to ``names`` raises
    DataError.
    """
    ids = list(ids)
    meta = names.astype({"input_id": str}).set_index("input_id")
    unknown = [i for i in ids if i not in meta.index]
    if unknown:
        raise DataError("eto inputs", f"unknown input id(s) {unknown}")
    sel = table[table["input_id"].isin(ids)]
    wide = sel.pivot_table(index="input_id", columns="country", values="share", aggfunc="sum", observed=True)
    wide = wide.reindex(index=ids, columns=list(countries)).fillna(0.0)
    out = meta.loc[ids, ["input_name", "stage"]].rename(columns={"input_name": "input"})
    out = pd.concat([out, wide], axis=1)
    out.index.name = "input_id"
    return out.reset_index()

ETO_DATASET = describe(
    "eto_semiconductor_shares",
    inputs=tuple(f"{ETO_DIR}/{f}.csv" for f in ("provision", "providers", "inputs", "stages", "sequence")),
    build=build_eto,
)

ETO_INPUTS_DATASET = describe(
    "eto_semiconductor_inputs",
    inputs=tuple(f"{ETO_DIR}/{f}.csv" for f in ("provision", "providers", "inputs", "stages", "sequence")),
    build=build_eto_inputs,
    columns=ETO_INPUT_COLUMNS,
    cls=TableDataset,
)

DATASETS: tuple[Dataset, ...] = (ETO_DATASET, ETO_INPUTS_DATASET)
