"""Broken raw files must stop the whole extract build with a DataError naming the file and the
problem, and leave the output directory exactly as it was.

Each case mirrors the shared WDI and IMF folders into tmp_path (symlinks to the real files),
writes one broken copy in place of the original, and runs the full builder (WDI + IMF
datasets; the AI datasets belong to another module and are left out so that these cases test
this layer only).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bricsai.__main__ import main
from bricsai.errors import DataError
from bricsai.paths import RAW
from bricsai.sources import extracts

SHARED = RAW  # the World Bank and IMF files are all in the repository

POP = "wdi/API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv"
GDP = "wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_234.csv"
NET = "wdi/API_IT.NET.USER.ZS_DS2_en_csv_v2_33086.csv"
ENRR = "wdi/datahub-wdi-2026-07-01/se.ter.enrr/data.csv"
TECH = "wdi/datahub-wdi-2026-07-01/tx.val.tech.cd/data.csv"
ARTC_PKG = "wdi/datahub-wdi-2026-07-01/ip.jrn.artc.sc/datapackage.json"
PPP = "imf-weo/imf-dm-export-20251119_PPP.xls"
META = "wdi/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_33086.csv"


def mirror(tmp_path: Path, rel: str, mutate) -> Path:
    """A copy of shared/data (wdi, imf-weo) of symlinks, with ``rel`` replaced by ``mutate(bytes)``.

    ``mutate`` returning None deletes the file.
    """
    root = tmp_path / "shared" / "data"
    for top in ("wdi", "imf-weo"):
        for src in (SHARED / top).rglob("*"):
            if src.is_dir():
                continue
            r = src.relative_to(SHARED).as_posix()
            dst = root / r
            dst.parent.mkdir(parents=True, exist_ok=True)
            if r == rel:
                data = mutate(src.read_bytes())
                if data is not None:
                    dst.write_bytes(data)
            else:
                dst.symlink_to(src)
    return root


def sub1(old: bytes, new: bytes):
    """Replace the first occurrence only, and fail loudly if the pattern is absent."""
    def f(b: bytes) -> bytes:
        assert old in b, f"test fixture: {old!r} not in file"
        return b.replace(old, new, 1)
    return f


def utf16(old: str, new: str):
    assert len(old) == len(new), "xls strings are patched in place; keep the length"
    return sub1(old.encode("utf-16-le"), new.encode("utf-16-le"))


def drop_lines(n: int):
    def f(b: bytes) -> bytes:
        lines = b.split(b"\n")
        return b"\xef\xbb\xbf" + b"\n".join(lines[n:])
    return f


def duplicate_row(prefix: bytes):
    def f(b: bytes) -> bytes:
        line = next(ln for ln in b.split(b"\n") if ln.startswith(prefix))
        return b + line + b"\n"
    return f


CASES = [
    # id, file, mutation, expected problem (regex)
    ("empty file", POP, lambda b: b"", r"file is empty"),
    ("truncated file", POP, lambda b: b[: len(b) // 2], r"truncated"),
    ("missing preamble", GDP, drop_lines(4), r"missing preamble"),
    ("unknown country code", POP, sub1(b'"ABW"', b'"XYZ"'), r"unknown country code.*XYZ"),
    ("unknown country name (IMF)", PPP, utf16("Albania", "Zqxwvut"), r"unknown country name.*Zqxwvut"),
    ("duplicate rows", POP, duplicate_row(b'"Aruba"'), r"duplicate rows.*ABW"),
    ("non-numeric value", ENRR, sub1(b"25.6337509155273", b"n/a"), r"non-numeric value 'n/a'"),
    ("negative population", POP, sub1(b'"54922"', b'"-54922"'), r"SP.POP.TOTL must be > 0"),
    ("missing indicator file", TECH, lambda b: None, r"missing"),
    ("wrong sheet name (IMF)", PPP, utf16("PPPGDP", "PPPGDX"), r"sheet 'PPPGDP' not found"),
    ("mixed units (IMF title)", PPP, utf16("billions of international", "millions of international"),
     r"mixed units"),
    ("indicator code does not match file name", GDP,
     lambda b: b.replace(b'"NY.GDP.MKTP.CD"', b'"NY.GDP.MKTP.KD"'), r"does not match file name"),
    ("percentage above 100", NET, sub1(b'"41.64279938"', b'"141.6427993"'), r"IT.NET.USER.ZS above 100"),
    ("datapackage names another indicator", ARTC_PKG, lambda b: b.replace(b"ip.jrn.artc.sc", b"ip.jrn.artc.xx"),
     r"does not match the expected 'IP.JRN.ARTC.SC'"),
    ("metadata columns wrong", META, sub1(b'"IncomeGroup"', b'"Income"'), r"expected columns"),
]


def snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "extracts"
    out.mkdir(parents=True)
    (out / "wdi_economy.csv").write_bytes(b"previous extract\n")
    (out / "keep.txt").write_bytes(b"untouched\n")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_input_stops_build_and_writes_nothing(case, tmp_path, out_dir):
    _, rel, mutate, problem = case
    shared = mirror(tmp_path, rel, mutate)
    before = snapshot(out_dir)
    with pytest.raises(DataError) as err:
        extracts.build(shared=shared, out=out_dir, include_ai=False)
    msg = str(err.value)
    assert Path(rel).name in msg or Path(rel).parent.name in msg, msg
    assert re.search(problem, msg), msg
    assert snapshot(out_dir) == before
    # no staging directory left behind beside the output
    assert [p.name for p in out_dir.parent.iterdir()] == ["extracts"]


def test_cli_reports_error_and_exit_code(tmp_path, out_dir, capsys):
    shared = mirror(tmp_path, POP, lambda b: b"")
    before = snapshot(out_dir)
    code = main(["data", "--shared", str(shared), "--out", str(out_dir)])
    assert code == 2
    err = capsys.readouterr().err
    assert "API_SP.POP.TOTL" in err and "file is empty" in err
    assert snapshot(out_dir) == before


def test_at_least_ten_cases():
    assert len(CASES) >= 10


def test_good_mirror_builds(tmp_path, out_dir):
    """Control: the mirror itself is sound, so the failures above come from the broken file."""
    shared = mirror(tmp_path, POP, lambda b: b)
    written = extracts.build(shared=shared, out=out_dir, include_ai=False)
    assert {p.name for p in written} >= {"wdi_economy.csv", "imf_weo_gdp.meta.json"}
    assert (out_dir / "keep.txt").read_bytes() == b"untouched\n"
    shutil.rmtree(out_dir)
