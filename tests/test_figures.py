"""The figure machinery on its own: legibility check, titles, records, bundles, the common
heatmap scale. The built book's figures are checked in test_figures_book.py."""

from __future__ import annotations

import hashlib
import io
import json
import math
import zipfile

import matplotlib
import pandas as pd
import pytest
import yaml

matplotlib.use("Agg")

from bricsai.paths import EXTRACTS, RAW  # noqa: E402
from bricsai.present import bundle, charts, figures  # noqa: E402

DATA = pd.DataFrame({"year": [2020, 2021, 2022], "value": [1.0, 4.0, 9.0]})
ALT = "Line chart: the value grows from 1 to 9 between 2020 and 2022."


def _line(**kwargs):
    fig, ax = figures.new_figure(**kwargs)
    ax.plot(DATA["year"], DATA["value"])
    ax.set_xticks([2020, 2021, 2022])
    ax.set_xlabel("year")
    return fig, ax


def test_a_plain_figure_is_legible_and_its_record_has_title_and_columns(tmp_path):
    fig, _ = _line()
    figures.publish_figure(fig, "fig-test-line", DATA, ["wdi_economy"], ALT, record_dir=tmp_path,
                           title="The value grows ninefold in two years",
                           columns={"value": "a count"}, derivation="Squares of 1, 2 and 3.")
    record = json.loads((tmp_path / "fig-test-line.json").read_text())
    assert record["title"] == "The value grows ninefold in two years"
    assert record["columns"] == [{"name": "year", "description": ""},
                                 {"name": "value", "description": "a count"}]
    assert record["derivation"] == "Squares of 1, 2 and 3."
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "fig-test-line.csv"), DATA, check_dtype=False)


def test_old_calls_without_title_still_work(tmp_path):
    fig, _ = _line()
    figures.publish_figure(fig, "fig-test-old", DATA, ["wdi_economy"], ALT, record_dir=tmp_path)
    assert json.loads((tmp_path / "fig-test-old.json").read_text())["title"] is None


def test_tiny_text_fails_naming_the_figure(tmp_path):
    fig, ax = _line()
    ax.text(2021, 5, "a footnote", fontsize=5)
    with pytest.raises(figures.FigureLegibilityError) as err:
        figures.publish_figure(fig, "fig-test-tiny", DATA, ["wdi_economy"], ALT, record_dir=tmp_path)
    message = str(err.value)
    assert "fig-test-tiny" in message and "'a footnote'" in message and "5.0 pt" in message
    assert not (tmp_path / "fig-test-tiny.json").exists(), "an illegible figure left a record"


def test_text_is_measured_at_the_printed_width():
    """8-pt text is fine at the text width, but not in a figure LaTeX shrinks to 60 %."""
    import matplotlib.pyplot as plt

    figures.use_style()
    narrow, ax = plt.subplots(figsize=(figures.PRINT_WIDTH_IN - 0.5, 3))
    ax.set_axis_off()
    ax.text(0.1, 0.5, "eight points", fontsize=8)
    assert figures.legibility_problems(narrow) == []
    wide, ax = plt.subplots(figsize=(figures.PRINT_WIDTH_IN / 0.6, 3))
    ax.set_axis_off()
    ax.plot([0, 1], [0, 1])
    ax.text(0.1, 0.5, "eight points", fontsize=8)
    problems = figures.legibility_problems(wide)
    assert len(problems) == 1 and "'eight points'" in problems[0]
    # 8 pt scaled by (text width / saved width); the saved width is the text's tight box + pads
    scale = figures.print_scale(wide)
    assert 0.5 < scale < 1 and f"{8 * scale:.1f} pt" in problems[0]
    plt.close("all")


def test_overlapping_labels_fail_and_rotated_neighbours_do_not():
    import matplotlib.pyplot as plt

    fig, ax = figures.new_figure()
    ax.set_xticks(range(8), [f"a long label {i}" for i in range(8)])
    problems = figures.legibility_problems(fig)
    assert any("overlap" in p and "'a long label 0'" in p and "'a long label 1'" in p
               for p in problems)
    ax.set_xticks(range(8), [f"a long label {i}" for i in range(8)], rotation=45, ha="right")
    assert figures.legibility_problems(fig) == []
    plt.close("all")


def test_new_figure_is_drawn_at_printed_size():
    import matplotlib.pyplot as plt

    fig, _ = figures.new_figure(figsize=(9.0, 6.0))
    assert fig.get_figwidth() == pytest.approx(figures.WIDTH_IN)
    assert fig.get_figheight() == pytest.approx(6.0 * figures.WIDTH_IN / 9.0)
    assert figures.WIDTH_IN + 0.2 <= figures.PRINT_WIDTH_IN  # with savefig's padding
    plt.close("all")


def test_title_is_drawn_above_everything_else():
    import matplotlib.pyplot as plt

    fig, ax = _line()
    ax.set_title("panel")
    figures.add_title(fig, "A finding that is long enough to need two lines in a figure of "
                           "this width, so it wraps")
    renderer = figures._renderer(fig)
    title = fig._bricsai_title
    assert "\n" in title.get_text()
    assert title.get_window_extent(renderer).y0 > ax.title.get_window_extent(renderer).y1
    assert title.get_window_extent(renderer).width <= fig.get_tightbbox(renderer).width * fig.dpi
    assert figures.legibility_problems(fig) == []
    plt.close("all")


def test_output_formats_are_svg_for_html_and_pdf_for_latex():
    """myst-nb chooses per builder from what the notebook emits: SVG must outrank PNG in HTML,
    PDF must come first in LaTeX."""
    from myst_nb.core.render import base_render_priority

    prio = base_render_priority()
    assert prio["html"]["image/svg+xml"] < prio["html"]["image/png"]
    assert min(prio["latex"], key=prio["latex"].get) == "application/pdf"
    assert figures.STYLE["svg.hashsalt"], "SVG ids must not be random (reproducible builds)"


def test_svg_output_is_reproducible(tmp_path):
    import matplotlib.pyplot as plt

    outs = []
    for i in range(2):
        fig, _ = _line()
        path = tmp_path / f"{i}.svg"
        fig.savefig(path, format="svg", metadata={"Date": None})
        outs.append(path.read_bytes())
        plt.close(fig)
    assert outs[0] == outs[1]


# --- the common heatmap scale ------------------------------------------------------------------

def test_relative_log_is_one_scale_for_every_column():
    frame = pd.DataFrame({"count": [10.0, 1000.0, 0.0, 100.0, None],
                          "rate": [2.0, 4.0, 8.0, 1e-6, 1.0]},
                         index=["g1", "g2", "g3", "x", "y"])
    out = charts.relative_log(frame, ["g1", "g2", "g3"])
    # independent: median of the reference rows, then log10 of the ratio, clipped at +-2
    assert out.loc["x", "count"] == pytest.approx(math.log10(100 / 10))
    assert out.loc["g2", "count"] == pytest.approx(2.0)
    assert out.loc["g3", "count"] == -2.0  # zero: more than 100 times smaller
    assert out.loc["x", "rate"] == -2.0
    assert out.loc["g3", "rate"] == pytest.approx(math.log10(8 / 4))
    assert math.isnan(out.loc["y", "count"])
    assert out.loc["y", "rate"] == pytest.approx(math.log10(1 / 4))


def test_relative_log_refuses_a_column_without_a_reference():
    frame = pd.DataFrame({"a": [0.0, 0.0, 5.0]}, index=["r1", "r2", "x"])
    with pytest.raises(ValueError, match="'a'"):
        charts.relative_log(frame, ["r1", "r2"])


def test_ratio_labels():
    assert [charts.ratio_label(e) for e in (-2, -1, 0, 1, 2)] == [
        "1/100×", "1/10×", "1×", "10×", "100×"]


# --- the download bundle -----------------------------------------------------------------------

def test_bundle_has_data_description_code_and_raw_files(tmp_path):
    fig, _ = _line()
    figures.publish_figure(fig, "fig-test-bundle", DATA, ["cset_ai_publications"], ALT,
                           record_dir=tmp_path, title="The value grows ninefold in two years",
                           columns={"value": "index points"})
    record = figures.read_record("fig-test-bundle", tmp_path)
    path = bundle.write_bundle(record, tmp_path / "fig-test-bundle.csv", tmp_path / "site", 1700000000)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        read = lambda n: zf.read(f"fig-test-bundle/{n}")  # noqa: E731
        pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(read("data.csv"))), DATA, check_dtype=False)
        package = json.loads(read("datapackage.json"))
        readme = read("README.md").decode()
        dates = {i.date_time for i in zf.infolist()}
    meta = json.loads((EXTRACTS / "cset_ai_publications.meta.json").read_text())
    assert package["title"] == "The value grows ninefold in two years"
    assert package["resources"][0]["schema"]["fields"] == [
        {"name": "year"}, {"name": "value", "description": "index points"}]
    source = package["sources"][0]
    assert (source["licence"], source["release"], source["citation"]) == (
        meta["licence"], meta["release"], meta["citation"])
    for text in (meta["licence"], meta["release"], meta["citation"], "CC BY 4.0", "index points"):
        assert text in readme
    assert "fig-test-bundle/extracts/cset_ai_publications.meta.json" in names
    listed = yaml.safe_load((RAW / "manifest.yml").read_text())["files"]
    inputs = [i["path"] for i in meta["inputs"]]
    assert inputs
    for rel in inputs:
        entry = f"fig-test-bundle/raw/{rel}"
        assert entry in names
        with zipfile.ZipFile(path) as zf:
            assert hashlib.sha256(zf.read(entry)).hexdigest() == listed[rel]["sha256"]
        assert listed[rel]["sha256"] in readme and listed[rel]["source_url"] in readme
    assert dates == {(2023, 11, 14, 22, 13, 20)}  # SOURCE_DATE_EPOCH, not the wall clock
    again = bundle.write_bundle(record, tmp_path / "fig-test-bundle.csv", tmp_path / "again",
                                1700000000)
    assert again.read_bytes() == path.read_bytes()


def test_bundle_lists_a_raw_file_it_may_not_carry(tmp_path):
    """The Tortoise index's raw file may not be redistributed: listed by checksum, not bundled."""
    fig, _ = _line()
    figures.publish_figure(fig, "fig-test-noraw", DATA, ["tortoise_global_ai_index"], ALT,
                           record_dir=tmp_path, title="The value grows ninefold in two years")
    record = figures.read_record("fig-test-noraw", tmp_path)
    path = bundle.write_bundle(record, tmp_path / "fig-test-noraw.csv", tmp_path / "site", 0)
    listed = yaml.safe_load((RAW / "manifest.yml").read_text())["files"]
    rel = "ai/tortoise_global_ai_index/AI_index_db.csv"
    assert listed[rel]["redistributable"] is False
    with zipfile.ZipFile(path) as zf:
        assert not [n for n in zf.namelist() if "/raw/" in n]
        readme = zf.read("fig-test-noraw/README.md").decode()
    assert listed[rel]["sha256"] in readme and "not bundled" in readme


def test_bundle_names_a_missing_raw_file(tmp_path, monkeypatch):
    monkeypatch.setattr("bricsai.paths.RAW", tmp_path / "nowhere")
    with pytest.raises(bundle.BundleError, match="cset_ai_publications: raw file .* missing"):
        bundle.raw_files("cset_ai_publications")


def test_images_no_page_shows_are_removed_from_the_site(tmp_path):
    from bricsai.book.sphinxext import _prune_images

    (tmp_path / "_images").mkdir()
    (tmp_path / "notebooks").mkdir()
    for name in ("kept.svg", "old.svg", "linked.png"):
        (tmp_path / "_images" / name).write_text("x")
    (tmp_path / "notebooks" / "a.html").write_text(
        '<a href="../_images/linked.png"><img src="../_images/kept.svg" alt="x"></a>')
    _prune_images(tmp_path)
    assert sorted(p.name for p in (tmp_path / "_images").iterdir()) == ["kept.svg", "linked.png"]


def test_log_axes_have_plain_tick_labels():
    """No power-of-ten labels with superscript exponents, which print under 7 pt."""
    import matplotlib

    matplotlib.use("Agg")
    fig, ax = figures.new_figure()
    ax.plot([0.5, 3, 40, 2000], [1, 2, 3, 4])
    figures.log_scale(ax, "x")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all("$" not in t and "^" not in t for t in labels), labels
    assert "1,000" in labels and "10" in labels
