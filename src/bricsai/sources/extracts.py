"""Build, write, verify and read the committed extracts in ``data/extracts``.

Each Dataset (from the publisher modules in ``SOURCE_MODULES``) becomes
``<name>.csv`` (tidy, sorted, fixed float format) and ``<name>.meta.json`` (publisher, licence,
release, input files with SHA-256, derivation, notes, row count). Outputs carry no timestamps,
so two builds from the same inputs are byte-identical.

The build is all-or-nothing: every dataset is built into a temporary directory first, and files
in the output directory are replaced only after all of them succeeded.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.paths import EXTRACTS, RAW
from bricsai.sources import raw
from bricsai.sources.tidy import TIDY_COLUMNS, Dataset, validate_tidy

FLOAT_FORMAT = "%.15g"  # 15 significant digits: exact for the publishers' decimals, stable across runs


# One module per publisher, each with a ``DATASETS`` tuple; the order is the order of the build.
SOURCE_MODULES = ("wdi", "imf", "epoch_models", "epoch_clusters", "epoch_cluster_list", "top500", "oxford",
                  "tortoise", "cset", "eto")
AI_MODULES = SOURCE_MODULES[2:]


def all_datasets(include_ai: bool = True) -> list[Dataset]:
    """Every Dataset the project builds, from the modules in ``SOURCE_MODULES``.

    ``include_ai=False`` keeps only the World Bank and IMF datasets (tests of the economy chain).
    """
    modules = SOURCE_MODULES if include_ai else tuple(m for m in SOURCE_MODULES if m not in AI_MODULES)
    out = [d for m in modules for d in importlib.import_module(f"bricsai.sources.{m}").DATASETS]
    names = [d.name for d in out]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise DataError("extracts", f"dataset name(s) defined twice: {dups}")
    return out


def ai_datasets() -> list[Dataset]:
    """The AI-capacity datasets (Epoch, TOP500, Oxford Insights, Tortoise, CSET, ETO)."""
    return [d for m in AI_MODULES for d in importlib.import_module(f"bricsai.sources.{m}").DATASETS]


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _table_columns(ds: Dataset) -> tuple[str, ...] | None:
    return tuple(getattr(ds, "columns", ()) or ()) or None


def render(ds: Dataset, shared: Path) -> tuple[bytes, bytes]:
    """Build one dataset and return (CSV bytes, metadata JSON bytes)."""
    shared = Path(shared)
    missing = [p for p in ds.inputs if not (shared / p).exists()]
    if missing:
        raise DataError(shared / missing[0], f"input file of {ds.name!r} is missing")
    df = ds.build(shared)
    cols = _table_columns(ds)
    if cols:
        if list(df.columns) != list(cols):
            raise DataError(ds.name, f"table columns {list(df.columns)} differ from {list(cols)}")
        if df.empty:
            raise DataError(ds.name, "table is empty")
    else:
        df = validate_tidy(df, ds.name)
    buf = io.StringIO()
    df.to_csv(buf, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    csv_bytes = buf.getvalue().encode("utf-8")
    meta = {
        "name": ds.name,
        "title": ds.title,
        "publisher": ds.publisher,
        "licence": ds.licence,
        "release": ds.release,
        "citation": ds.citation or f"{ds.publisher}, {ds.title} ({ds.release})",
        "inputs": [{"path": p, "sha256": sha256(shared / p)} for p in ds.inputs],
        "derivation": ds.derivation,
        "notes": list(ds.notes),
        "columns": list(cols or TIDY_COLUMNS),
        "rows": int(len(df)),
        "csv_sha256": hashlib.sha256(csv_bytes).hexdigest(),
    }
    if not cols:
        meta["indicators"] = sorted(df["indicator"].unique().tolist())
        meta["years"] = [int(df["year"].min()), int(df["year"].max())]
        years = set(df["year"].astype(int))
        for key in ("partial_years", "projection_years"):
            listed = sorted(int(y) for y in getattr(ds, key, ()))
            outside = [y for y in listed if y not in years]
            if outside:
                raise DataError(ds.name, f"{key} {outside} are not years of the extract")
            meta[key] = listed
    meta_bytes = (json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    return csv_bytes, meta_bytes


def select(datasets: list[Dataset], raw_dir: Path, out: Path, manifest: Path | str | None,
           accept: bool = False) -> tuple[list[Dataset], list[Dataset]]:
    """Check the raw files against the manifest; return (datasets to build, datasets kept).

    A dataset is kept as committed when one of its raw files may not be redistributed and has
    not been fetched; every other raw file must match its manifest entry (see ``raw.check``).
    """
    if manifest is None:
        return list(datasets), []
    status = raw.check(raw_dir, [p for d in datasets for p in d.inputs], manifest, accept=accept)
    absent = set(status.absent)
    kept = [d for d in datasets if absent & set(d.inputs)]
    for d in kept:
        if not (out / f"{d.name}.csv").is_file() or not (out / f"{d.name}.meta.json").is_file():
            first = sorted(absent & set(d.inputs))[0]
            raise DataError(raw_dir / first, f"not in the repository (its licence does not allow it) and no "
                                             f"committed extract {d.name!r} to keep: run `make fetch`")
    return [d for d in datasets if d not in kept], kept


def build(shared: Path | str | None = None, out: Path | str | None = None,
          include_ai: bool = True, datasets: list[Dataset] | None = None,
          manifest: Path | str | None = None, accept: bool = False) -> list[Path]:
    """Build every dataset and replace the files in ``out`` only if all succeeded.

    ``shared`` is the folder of raw files (default ``data/raw``, checked against its manifest;
    another folder is checked only when ``manifest`` is given). Datasets whose raw files may not
    be redistributed and are absent keep their committed extract. Returns the written paths.
    On any DataError nothing in ``out`` changes.
    """
    if shared is None:
        shared, manifest = RAW, manifest or raw.MANIFEST
    shared = Path(shared)
    out = Path(out) if out else EXTRACTS
    if not shared.is_dir():
        raise DataError(shared, "raw data directory not found")
    datasets = datasets if datasets is not None else all_datasets(include_ai)
    datasets, _kept = select(datasets, shared, out, manifest, accept)
    out.parent.mkdir(parents=True, exist_ok=True)
    # The staging directory sits beside ``out`` (same file system, so os.replace is a rename)
    # and never inside it, so a failed build leaves ``out`` exactly as it was.
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    try:
        staged = []
        for ds in datasets:
            csv_bytes, meta_bytes = render(ds, shared)
            for suffix, data in ((".csv", csv_bytes), (".meta.json", meta_bytes)):
                p = stage / f"{ds.name}{suffix}"
                p.write_bytes(data)
                staged.append(p)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for p in staged:
            target = out / p.name
            os.replace(p, target)
            written.append(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _load_cached.cache_clear()
    _metadata_cached.cache_clear()
    return written


def verify(shared: Path | str | None = None, out: Path | str | None = None,
           include_ai: bool = True, datasets: list[Dataset] | None = None,
           manifest: Path | str | None = None) -> list[str]:
    """Rebuild in memory and list the committed files that differ (empty list = all equal).

    Datasets kept as committed (raw file not redistributable and absent) are not compared.
    """
    if shared is None:
        shared, manifest = RAW, manifest or raw.MANIFEST
    shared = Path(shared)
    out = Path(out) if out else EXTRACTS
    datasets = datasets if datasets is not None else all_datasets(include_ai)
    datasets, _kept = select(datasets, shared, out, manifest)
    problems = []
    for ds in datasets:
        csv_bytes, meta_bytes = render(ds, shared)
        for suffix, data in ((".csv", csv_bytes), (".meta.json", meta_bytes)):
            p = out / f"{ds.name}{suffix}"
            if not p.exists():
                problems.append(f"{p}: missing")
            elif p.read_bytes() != data:
                problems.append(f"{p}: differs from a fresh build")
    return problems


# --- reading committed extracts ----------------------------------------------------------

def available(directory: Path | str | None = None) -> list[str]:
    """Names of the extracts present in ``directory`` (default ``data/extracts``)."""
    d = Path(directory) if directory else EXTRACTS
    return sorted(p.name[: -len(".meta.json")] for p in d.glob("*.meta.json"))


@lru_cache(maxsize=64)
def _load_cached(name: str, directory: str) -> pd.DataFrame:
    path = Path(directory) / f"{name}.csv"
    if not path.exists():
        raise DataError(path, f"extract {name!r} not found; run `python -m bricsai data`")
    head = pd.read_csv(path, nrows=0).columns.tolist()
    if head == TIDY_COLUMNS:
        dtypes = {"entity": "string", "indicator": "category", "year": "int64", "value": "float64",
                  "unit": "category", "source": "category"}
        # round_trip: read back exactly the float that was written
        return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""],
                           float_precision="round_trip")
    return pd.read_csv(path, keep_default_na=False)


def load(name: str, directory: Path | str | None = None) -> pd.DataFrame:
    """The committed extract ``name`` as a DataFrame (cached; a copy is returned)."""
    return _load_cached(name, str(Path(directory) if directory else EXTRACTS)).copy()


@lru_cache(maxsize=64)
def _metadata_cached(name: str, directory: str) -> str:
    path = Path(directory) / f"{name}.meta.json"
    if not path.exists():
        raise DataError(path, f"metadata for {name!r} not found; run `python -m bricsai data`")
    return path.read_text(encoding="utf-8")


def metadata(name: str, directory: Path | str | None = None) -> dict:
    """The ``<name>.meta.json`` of a committed extract."""
    return json.loads(_metadata_cached(name, str(Path(directory) if directory else EXTRACTS)))


def indicator(code: str, entities=None, years=None, directory: Path | str | None = None) -> pd.DataFrame:
    """Rows for one indicator code from whichever tidy extract holds it.

    ``entities``/``years`` filter (any iterable). Raises DataError for an unknown code.
    """
    for name in available(directory):
        meta = metadata(name, directory)
        if code in meta.get("indicators", []):
            df = load(name, directory)
            df = df[df["indicator"] == code]
            if entities is not None:
                df = df[df["entity"].isin(list(entities))]
            if years is not None:
                df = df[df["year"].isin(list(years))]
            return df.reset_index(drop=True)
    raise DataError(Path(directory) if directory else EXTRACTS, f"no extract holds indicator {code!r}")


def economies(directory: Path | str | None = None) -> list[str]:
    """WB codes of economies (not aggregates) from the ``wdi_countries`` extract."""
    c = load("wdi_countries", directory)
    return sorted(c.loc[~c["is_aggregate"].astype(bool), "code"].tolist())
