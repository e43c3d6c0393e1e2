"""Build speed and cache correctness, measured; writes ``benchmarks/results.md``.

Run: ``.venv/bin/python benchmarks/run.py [--repo PATH] [--out FILE]`` (``make benchmark``).

Everything is built in a COPY of the repository (``rsync`` without .venv, _build, node_modules and
.git), with ``PYTHONPATH=<copy>/src`` so that Sphinx and the notebook kernels import the copy's
package; the repository's own ``_build`` is never touched. Steps, in order, on the same copy:

1. clean HTML build (the per-notebook execution times are parsed from the build log);
2. no-op rebuild;
3. rebuild after appending one markdown line to one notebook (a cache hit: nothing re-executes);
4. rebuild after appending one code cell to that notebook (information: that notebook only);
5. rebuild after appending a comment line to the package (the cache guard must wipe the
   execution cache and re-execute every notebook);
6. unless ``--no-make``: ``make html`` as a maintainer runs it, in the copy (with the real
   interpreter as ``PY=`` and a stamp-only ``VENV=``, checked by a dry run to install nothing):
   once to write make's stamp, three times with nothing changed (the make-level no-op, which
   must not start Sphinx), once after a markdown edit (which must), once after that line is
   changed with the file's old mtime, once after a page is deleted and once after it is put
   back (make decides by content: each must start the build);
7. the PDF build (after the HTML build, as ``make book`` runs it), with its LaTeX passes timed;
   then ``make book`` once to write its stamp and three times with nothing changed;
8. in a second copy, a build with execution off (the Sphinx-only cost, for the clean-build target);
9. the extract rebuild (``python -m bricsai data --out <tmp>``; needs ``../shared/data``), and
   ``benchmarks/bench_extracts.py`` run against the copy for the per-data-set breakdown;
10. unless ``--no-repro``: in a third copy, two clean builds (HTML and PDF, ``python -m
    bricsai.book.build all``) with every artefact (the HTML site, ``book.pdf``, ``book.tex``)
    compared byte for byte; the differing files are listed and fail the ``repro`` target;
11. the weight of every HTML page (HTML bytes + the images it shows);
12. unless ``--no-profile``: a profile of the largest costs (kernel imports, figure formats,
    data loads, the slowest notebook cell by cell, LaTeX passes).

results.md also compares this run with the static numbers of the run before the cuts
(``BEFORE``). Run time is about 6 minutes on 2 cores; ``--no-pdf``, ``--no-make``,
``--no-repro`` and ``--no-profile`` shorten it. The work folder is removed at the end unless ``--keep``; every run
starts from a fresh copy. Exit code 0 when no gating target fails (the Sphinx-level no-op is
reported alongside the make-level one but does not gate).

The pure parts (log parsing, page weights, target evaluation) are tested in
``tests/test_benchmarks.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_REPO = HERE.parent
MB = 1_000_000

# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------

TARGETS = {
    "clean": "clean HTML build ≤ 1.5 × (sum of notebook execution times + build with execution off)",
    "noop": "no-op rebuild ≤ 10% of a clean build: `make html` with nothing changed (what a "
            "maintainer runs; the target)",
    "noop_sphinx": "no-op rebuild ≤ 10% of a clean build: `jupyter-book build` with nothing "
                   "changed (Sphinx level; reported alongside, does not decide the exit code)",
    "edit": "one-notebook edit ≤ 35% of a clean build",
    "pdf": "PDF build ≤ 60 s",
    "extract": "extract rebuild ≤ 5 s",
    "page": "median HTML page ≤ 1 MB",
    "repro": "two clean builds (HTML and PDF) are byte-identical",
}


@dataclass
class TargetResult:
    key: str
    target: str
    measured: str
    limit: str
    status: str  # PASS, FAIL or SKIP
    gating: bool = True  # whether a FAIL makes the benchmark exit non-zero


def evaluate(m: dict) -> list[TargetResult]:
    """PASS/FAIL per target from measurements in seconds and bytes.

    Keys used: clean_s, exec_sum_s, off_s, make_noop_s (`make html` no-op), noop_s (Sphinx
    no-op, reported alongside: not gating), edit_s, pdf_s, extract_s, page_median_bytes,
    repro_differing and repro_files (files compared between two clean builds, and how many
    differ).
    A missing (None) measurement gives SKIP.
    """
    def have(*keys):
        return all(m.get(k) is not None for k in keys)

    out = []
    if have("clean_s", "exec_sum_s", "off_s"):
        limit = 1.5 * (m["exec_sum_s"] + m["off_s"])
        out.append(TargetResult("clean", TARGETS["clean"], f"{m['clean_s']:.1f} s",
                                f"≤ {limit:.1f} s (1.5 × ({m['exec_sum_s']:.1f} + {m['off_s']:.1f}))",
                                _pf(m["clean_s"] <= limit)))
    else:
        out.append(TargetResult("clean", TARGETS["clean"], "–", "–", "SKIP"))
    for key, mkey in (("noop", "make_noop_s"), ("noop_sphinx", "noop_s"), ("edit", "edit_s")):
        share = {"noop": 0.10, "noop_sphinx": 0.10, "edit": 0.35}[key]
        gating = key != "noop_sphinx"
        if have("clean_s", mkey):
            limit = share * m["clean_s"]
            out.append(TargetResult(key, TARGETS[key],
                                    f"{m[mkey]:.2f} s ({m[mkey] / m['clean_s']:.1%} of clean)",
                                    f"≤ {limit:.2f} s", _pf(m[mkey] <= limit), gating))
        else:
            out.append(TargetResult(key, TARGETS[key], "–", "–", "SKIP", gating))
    for key, mkey, limit in (("pdf", "pdf_s", 60.0), ("extract", "extract_s", 5.0)):
        if have(mkey):
            out.append(TargetResult(key, TARGETS[key], f"{m[mkey]:.1f} s", f"≤ {limit:.0f} s",
                                    _pf(m[mkey] <= limit)))
        else:
            out.append(TargetResult(key, TARGETS[key], "–", f"≤ {limit:.0f} s", "SKIP"))
    if have("page_median_bytes"):
        v = m["page_median_bytes"]
        out.append(TargetResult("page", TARGETS["page"], f"{v / MB:.2f} MB", "≤ 1.00 MB",
                                _pf(v <= MB)))
    else:
        out.append(TargetResult("page", TARGETS["page"], "–", "≤ 1.00 MB", "SKIP"))
    if have("repro_differing", "repro_files"):
        n = m["repro_differing"]
        out.append(TargetResult("repro", TARGETS["repro"], f"{n} of {m['repro_files']} files differ",
                                "0 files differ", _pf(n == 0)))
    else:
        out.append(TargetResult("repro", TARGETS["repro"], "–", "0 files differ", "SKIP"))
    return out


def _pf(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def exit_code(results: list[TargetResult]) -> int:
    """0 when no gating target fails (the Sphinx-level no-op is reported, not gating)."""
    return 0 if all(r.status != "FAIL" for r in results if r.gating) else 1


# --------------------------------------------------------------------------------------------
# Log parsing
# --------------------------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
EXECUTED = re.compile(r"^(?P<path>.+?\.(?:md|ipynb)): Executed notebook in (?P<secs>[0-9.]+) seconds",
                      re.M)
FAILED = re.compile(r"^(?P<path>.+?\.(?:md|ipynb))(?::\d+)?: (?:WARNING|ERROR|CRITICAL): "
                    r"Executing notebook failed", re.M)
WARNING = re.compile(r"^.*: (?:WARNING|ERROR|CRITICAL): ", re.M)


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def _rel(path: str, root: Path | None) -> str:
    if root is not None:
        try:
            return Path(path).resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path


def parse_exec_times(log: str, root: Path | None = None) -> dict[str, float]:
    """{notebook: seconds} from myst-nb's "Executed notebook in X seconds" lines."""
    return {_rel(m["path"], root): float(m["secs"]) for m in EXECUTED.finditer(strip_ansi(log))}


def parse_exec_failures(log: str, root: Path | None = None) -> list[str]:
    """Notebooks whose execution failed, from myst-nb's "Executing notebook failed" lines."""
    return sorted({_rel(m["path"], root) for m in FAILED.finditer(strip_ansi(log))})


def count_warnings(log: str) -> int:
    return len(WARNING.findall(strip_ansi(log)))


# --------------------------------------------------------------------------------------------
# Page weight
# --------------------------------------------------------------------------------------------

IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
SKIP_PAGES = {"genindex.html", "search.html", "py-modindex.html"}


@dataclass
class PageWeight:
    page: str
    html_bytes: int
    image_bytes: int
    images: int

    @property
    def total(self) -> int:
        return self.html_bytes + self.image_bytes


def _is_redirect(text: str) -> bool:
    return len(text) < 600 and re.search(r'http-equiv="refresh"', text, re.I) is not None


def page_weights(html_dir: Path) -> list[PageWeight]:
    """HTML bytes + bytes of the local images each content page shows (each image once)."""
    html_dir = Path(html_dir)
    out = []
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0].startswith("_") or rel.name in SKIP_PAGES:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        if _is_redirect(text):
            continue
        images: set[Path] = set()
        for src in IMG_SRC.findall(text):
            if src.startswith(("data:", "http:", "https:", "//")):
                continue
            target = (page.parent / src.split("#")[0].split("?")[0]).resolve()
            if target.is_file():
                images.add(target)
        out.append(PageWeight(rel.as_posix(), page.stat().st_size,
                              sum(p.stat().st_size for p in images), len(images)))
    return out


def weight_summary(weights: list[PageWeight]) -> dict:
    if not weights:
        return {"pages": 0, "median_bytes": None, "max_bytes": None, "max_page": None}
    heaviest = max(weights, key=lambda w: w.total)
    return {"pages": len(weights), "median_bytes": statistics.median(w.total for w in weights),
            "max_bytes": heaviest.total, "max_page": heaviest.page}


# --------------------------------------------------------------------------------------------
# Running builds
# --------------------------------------------------------------------------------------------

@dataclass
class Run:
    label: str
    seconds: float
    returncode: int
    log: str
    lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, line)

    @property
    def text(self) -> str:
        return strip_ansi(self.log)


def run_timed(label: str, cmd: list[str], cwd: Path, env: dict, log_dir: Path | None = None) -> Run:
    """Run ``cmd``, timestamping every output line (stdout and stderr merged)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append((time.perf_counter() - t0, line))
    rc = proc.wait()
    seconds = time.perf_counter() - t0
    log = "".join(line for _, line in lines)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        (log_dir / f"{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.log").write_text(
            strip_ansi(log), encoding="utf-8")
    print(f"  {label}: {seconds:.1f} s (exit {rc})", flush=True)
    return Run(label, seconds, rc, log, lines)


def jupyter_book() -> str:
    here = Path(sys.executable).parent / "jupyter-book"
    return str(here) if here.exists() else "jupyter-book"


def jb_cmd(builder: str, gate: bool = True) -> list[str]:
    cmd = [jupyter_book(), "build", ".", "--builder", builder]
    return cmd + (["-W", "-n", "--keep-going"] if gate else ["--keep-going"])


def build_env(copy: Path, shared: Path | None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(copy / "src")] + (
        [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    # Figure records and glued values go into the copy's _build (as bricsai.book.build sets them).
    env["BRICSAI_FIGURE_DIR"] = str(copy / "_build" / "figure-data")
    env["BRICSAI_GLUE_DIR"] = str(copy / "_build" / "glue-values")
    if shared is not None:
        env["BRICSAI_SHARED"] = str(shared.parent)
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def latex_phases(run: Run) -> dict:
    """Split a PDF build into the Sphinx part and each LaTeX tool run, from line timestamps."""
    marks = []
    for t, line in run.lines:
        clean = strip_ansi(line)
        if clean.startswith("build succeeded") or "build finished with problems" in clean:
            marks.append((t, "sphinx"))
        m = re.match(r"Run number (\d+) of rule '([^']+)'", clean)
        if m:
            marks.append((t, f"{m[2]} run {m[1]}"))
    phases = {}
    names = [name for _, name in marks]
    for i, (t, name) in enumerate(marks):
        if name == "sphinx":
            phases["Sphinx (read + write LaTeX)"] = t
            continue
        end = marks[i + 1][0] if i + 1 < len(marks) else run.seconds
        phases[name] = end - t
    phases["latexmk set-up and other"] = max(0.0, run.seconds - sum(phases.values()))
    phases["_xelatex_runs"] = sum(1 for n in names if n.startswith("pdflatex"))
    return phases


# --------------------------------------------------------------------------------------------
# The copy
# --------------------------------------------------------------------------------------------

EXCLUDES = [".venv", "_build", "node_modules", ".git", ".pytest_cache", ".hypothesis"]


def copy_repo(repo: Path, dest: Path, notes: list[str]) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if shutil.which("rsync"):
        cmd = ["rsync", "-a"] + [f"--exclude={e}" for e in EXCLUDES] + [f"{repo}/", f"{dest}/"]
        subprocess.run(cmd, check=True)
    else:
        shutil.copytree(repo, dest, ignore=shutil.ignore_patterns(*EXCLUDES), symlinks=True)
    vendor_mathjax(repo, dest, notes)


def vendor_mathjax(repo: Path, dest: Path, notes: list[str]) -> None:
    """Give the copy the MathJax the extension serves (<root>/_build/vendor/mathjax)."""
    target = dest / "_build" / "vendor" / "mathjax"
    built = repo / "_build" / "vendor" / "mathjax"
    npm = repo / "node_modules" / "mathjax" / "es5"
    if (built / "tex-chtml.js").exists():
        shutil.copytree(built, target, dirs_exist_ok=True)
    elif (npm / "tex-chtml.js").exists():
        (target / "output" / "chtml" / "fonts").mkdir(parents=True, exist_ok=True)
        shutil.copy2(npm / "tex-chtml.js", target)
        shutil.copytree(npm / "output" / "chtml" / "fonts" / "woff-v2",
                        target / "output" / "chtml" / "fonts" / "woff-v2", dirs_exist_ok=True)
    else:
        r = subprocess.run(["make", "vendor"], cwd=dest, capture_output=True, text=True)
        if r.returncode != 0:
            notes.append("MathJax could not be vendored in the copy (`make vendor` failed); the "
                         "HTML builds warn about it, which the -W gate turns into a non-zero exit.")


# What a reader gets from a build: the whole HTML site, the PDF and its TeX source.
ARTEFACTS = ("_build/html", "_build/latex/book.pdf", "_build/latex/book.tex")


def artefact_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every artefact file of a build of ``root``, by path relative to it."""
    import hashlib

    out = {}
    for rel in ARTEFACTS:
        base = root / rel
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else \
            ([base] if base.is_file() else [])
        for p in files:
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Files that differ between two builds, or exist in one only."""
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


def measure_reproducibility(repo: Path, work: Path, shared: Path | None, logs: Path,
                            notes: list[str]) -> dict:
    """Two clean builds (HTML and PDF, as ``make book`` runs them) of one fresh copy, every
    artefact compared byte for byte."""
    copy = work / "book-repro"
    copy_repo(repo, copy, notes)
    env = build_env(copy, shared)
    runs, digests = [], []
    for i in (1, 2):
        clean_build_dir(copy)
        r = run_timed(f"clean build {i} of 2 (HTML and PDF)",
                      [sys.executable, "-m", "bricsai.book.build", "all", str(copy)], copy, env, logs)
        runs.append(r)
        digests.append(artefact_digests(copy))
    try:  # the date the build used, as the cache guard recorded it
        record = json.loads((copy / "_build" / ".jupyter_cache" / "bricsai-inputs.json").read_text())
        epoch = record["inputs"].get("(SOURCE_DATE_EPOCH)")
    except (OSError, ValueError, KeyError):
        epoch = None
    return {"runs": [r.seconds for r in runs], "rc": max(r.returncode for r in runs),
            "files": len(digests[0]), "differing": differing(*digests), "epoch": epoch}


def clean_build_dir(copy: Path) -> None:
    """Remove the copy's _build except the vendored MathJax."""
    build = copy / "_build"
    if not build.exists():
        return
    for child in build.iterdir():
        if child.name == "vendor":
            continue
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def restore_from_git(repo: Path, copy: Path, rel: str) -> bool:
    """Replace ``rel`` in the copy with its committed version (its last good state)."""
    r = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{rel}"], capture_output=True)
    if r.returncode != 0:
        return False
    (copy / rel).write_bytes(r.stdout)
    return True


def shared_dir(repo: Path) -> Path | None:
    env = os.environ.get("BRICSAI_SHARED")
    base = Path(env) if env else repo.parent / "shared"
    data = base / "data"
    return data if data.is_dir() else None


# --------------------------------------------------------------------------------------------
# Machine and versions
# --------------------------------------------------------------------------------------------

SPIN = ("import time\nt = time.perf_counter()\ns = 0\n"
        "for i in range(5_000_000):\n    s += i\nprint(time.perf_counter() - t)\n")


def machine_load() -> dict:
    """Load average and the time of a fixed pure-Python loop (one process, then two at once):
    other work on the machine shows in both, and the builds are only as fast as the machine."""
    def spin(n):
        procs = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE, text=True)
                 for _ in range(n)]
        return max(float(p.communicate()[0].split()[-1]) for p in procs)

    load = os.getloadavg() if hasattr(os, "getloadavg") else (None,)
    return {"load1": load[0], "spin1_s": spin(1), "spin2_s": spin(2)}


def machine_info() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "ram_gb": ram / 2**30 if ram else None,
            "platform": platform.platform()}


VERSIONED = ["jupyter-book", "sphinx", "myst-nb", "jupyter-cache", "pandas", "matplotlib",
             "numpy", "ipykernel"]


def versions() -> dict:
    out = {"Python": platform.python_version()}
    for name in VERSIONED:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    try:
        tex = subprocess.run(["xelatex", "--version"], capture_output=True, text=True).stdout
        out["XeTeX"] = tex.splitlines()[0] if tex else "not found"
    except OSError:
        out["XeTeX"] = "not found"
    return out


# --------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------

IMPORT_PROBE = r"""
import time, sys
t0 = time.perf_counter()
import numpy, pandas
t1 = time.perf_counter()
import matplotlib, matplotlib.pyplot
t2 = time.perf_counter()
from bricsai import {modules}
t3 = time.perf_counter()
import IPython, ipykernel
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""

FIGURE_PROBE = r"""
import io, json, time
import numpy as np
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
from bricsai.present import figures
res = {"png": [], "pdf": [], "png150": []}
size = {}
for rep in range(3):
    fig, ax = figures.new_figure()
    x = np.arange(1990, 2025)
    for k in range(5):
        ax.plot(x, np.sin(x / (5 + k)) + k, label=f"series {k}")
    ax.legend()
    ax.set_title("A representative report figure")
    for key, fmt, kw in (("png", "png", {}), ("pdf", "pdf", {}), ("png150", "png", {"dpi": 150})):
        buf = io.BytesIO()
        t = time.perf_counter()
        fig.savefig(buf, format=fmt, **kw)
        res[key].append(time.perf_counter() - t)
        size[key] = len(buf.getvalue())
    plt.close(fig)
print(json.dumps({"times": res, "bytes": size}))
"""


def bricsai_modules(copy: Path) -> list[str]:
    mods: set[str] = set()
    for nb in list((copy / "notebooks").glob("*.md")) + list((copy / "book").rglob("*.md")):
        for m in re.finditer(r"^from bricsai import ([\w, ]+)$", nb.read_text("utf-8"), re.M):
            mods.update(x.strip() for x in m[1].split(","))
    return sorted(m for m in mods if m) or ["extracts"]


def profile_imports(copy: Path, env: dict, repeat: int = 3) -> dict:
    mods = bricsai_modules(copy)
    rows = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", IMPORT_PROBE.format(modules=", ".join(mods))],
                           cwd=copy, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        if r.returncode != 0:
            return {"error": r.stderr[-500:]}
        rows.append([float(x) for x in r.stdout.split()] + [wall])
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    return {"modules": mods, "numpy_pandas": med[0], "matplotlib": med[1], "bricsai": med[2],
            "ipython": med[3], "process_wall": med[4]}


KERNEL_PROBE = r"""
import time, nbformat, nbclient
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nb.cells = [nbformat.v4.new_code_cell("1")]
t = time.perf_counter()
nbclient.NotebookClient(nb, kernel_name="python3", timeout=60).execute()
print(time.perf_counter() - t)
"""


def profile_kernel_start(env: dict, cwd: Path, repeat: int = 3) -> float | None:
    """Start a kernel, run one trivial cell, stop it: the way myst-nb runs every page."""
    times = []
    for _ in range(repeat):
        r = subprocess.run([sys.executable, "-c", KERNEL_PROBE], cwd=cwd, env=env,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            return None
        times.append(float(r.stdout.split()[-1]))
    return statistics.median(times)


def profile_figures(copy: Path, env: dict) -> dict:
    r = subprocess.run([sys.executable, "-c", FIGURE_PROBE], cwd=copy, env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr[-500:]}
    res = json.loads(r.stdout.strip().splitlines()[-1])
    # the first save of a figure includes its first draw: use the median of the repeats
    t, b = res["times"], res["bytes"]
    return {"png_s": statistics.median(t["png"]), "pdf_s": statistics.median(t["pdf"]),
            "png150_s": statistics.median(t["png150"]), "png_bytes": b["png"],
            "png150_bytes": b["png150"], "pdf_bytes": b["pdf"]}


CELL_PROBE = r"""
import datetime as dt, json, sys, time
from pathlib import Path
import jupytext, nbclient
path = Path(sys.argv[1])
nb = jupytext.read(path)
t = time.perf_counter()
nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=True,
                        resources={"metadata": {"path": str(path.parent)}}).execute()
total = time.perf_counter() - t
rows = []
for i, cell in enumerate(nb.cells):
    ex = cell.metadata.get("execution", {})
    a, b = ex.get("iopub.execute_input"), ex.get("shell.execute_reply")
    if cell.cell_type != "code" or not (a and b):
        continue
    secs = (dt.datetime.fromisoformat(b.replace("Z", "+00:00"))
            - dt.datetime.fromisoformat(a.replace("Z", "+00:00"))).total_seconds()
    figs = sum(bool({"image/png", "image/svg+xml"} & set(o.get("data", {}))) for o in cell.get("outputs", []))
    first = next((l for l in cell.source.splitlines() if l.strip() and not l.startswith(":")), "")
    rows.append({"cell": i, "seconds": secs, "figures": figs, "first_line": first[:90]})
print(json.dumps({"total": total, "cells": rows}))
"""


def profile_cells(copy: Path, env: dict, notebook: str) -> dict:
    """Per-cell times of one notebook (nbclient's timing), outside the build."""
    r = subprocess.run([sys.executable, "-c", CELL_PROBE, str(copy / notebook)], cwd=copy,
                       env=env, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        return {"error": r.stderr[-500:]}
    return json.loads(r.stdout.strip().splitlines()[-1])


LOAD_PROBE = r"""
import json, sys, time
from bricsai.sources import extracts
out = {}
for name in sys.argv[1:]:
    t = time.perf_counter()
    extracts.load(name)
    out[name] = time.perf_counter() - t
print(json.dumps(out))
"""


def profile_loads(copy: Path, env: dict) -> dict:
    """Time of the first (uncached) load of every extract the pages load, and how many pages
    load each: every page is a fresh kernel, so each page pays its own first loads."""
    names: dict[str, int] = {}
    for page in sorted((copy / "notebooks").glob("*.md")) + sorted((copy / "book").rglob("*.md")):
        for name in set(re.findall(r"extracts\.load\(\s*[\"']([\w-]+)[\"']", page.read_text("utf-8"))):
            names[name] = names.get(name, 0) + 1
    if not names:
        return {}
    r = subprocess.run([sys.executable, "-c", LOAD_PROBE, *sorted(names)], cwd=copy, env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr[-500:]}
    times = json.loads(r.stdout.strip().splitlines()[-1])
    return {"per_extract": times, "pages": names,
            "total_s": sum(times[n] * k for n, k in names.items())}


def count_outputs(nb: dict) -> tuple[int, int, int]:
    """(outputs, web image outputs (SVG or PNG), PDF outputs) of a notebook given as a dict."""
    n = png = pdf = 0
    for cell in nb.get("cells", []):
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            n += 1
            png += "image/png" in data or "image/svg+xml" in data
            pdf += "application/pdf" in data
    return n, png, pdf


def executed_outputs(copy: Path) -> dict:
    """Per executed notebook, from the execution cache (what the pages render): number of
    figures (PNG outputs) and PDF outputs, and loads in the source (``extracts.load(`` calls)."""
    out = {}
    try:
        from jupyter_cache import get_cache

        cache = get_cache(str(copy / "_build" / ".jupyter_cache"))
        records = cache.list_cache_records()
    except Exception:  # noqa: BLE001 - no cache: no table
        return out
    for record in records:
        try:
            rel = Path(record.uri).resolve().relative_to(copy.resolve()).as_posix()
        except ValueError:
            continue
        _, png, pdf = count_outputs(cache.get_cache_bundle(record.pk).nb)
        src = copy / rel
        loads = len(re.findall(r"extracts\.load\(", src.read_text("utf-8"))) if src.exists() else 0
        out[rel] = {"png": png, "pdf": pdf, "loads": loads}
    return out


def download_outputs(html_dir: Path) -> dict[str, int]:
    """{notebook offered for download in the site: number of outputs it holds}."""
    folder = Path(html_dir) / "_notebooks"
    return {p.name: count_outputs(json.loads(p.read_text("utf-8")))[0]
            for p in sorted(folder.glob("*.ipynb"))} if folder.is_dir() else {}


# --------------------------------------------------------------------------------------------
# make, as a maintainer runs it
# --------------------------------------------------------------------------------------------

# `make html` / `make book` first run `setup` (deb, venv, vendor). In the copy, make gets the
# real interpreter as PY= and, as VENV=, a folder holding only the venv's stamp (.installed,
# newer than the copy's requirements.lock), so that make's `venv` target is up to date and
# nothing is ever installed into the real venv from the copy. A dry run checks that first.
SETUP_COMMANDS = ("pip install", "npm ci", "-m venv")
MAKE_VARS = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


def make_stamp_venv(work: Path) -> Path:
    venv = work / "venv-stamp"
    venv.mkdir(parents=True, exist_ok=True)
    (venv / ".installed").touch()
    return venv


def make_cmd(target: str, venv: Path, dry_run: bool = False) -> list[str]:
    return (["make", "--no-print-directory"] + (["-n"] if dry_run else [])
            + [target, f"VENV={venv}", f"PY={sys.executable}"])


def make_env(env: dict) -> dict:
    """The build environment without the variables of a calling make (``make benchmark``)."""
    return {k: v for k, v in env.items() if k not in MAKE_VARS}


def setup_commands(dry_run: str) -> list[str]:
    """Lines of a ``make -n`` dry run that would install something (must be none)."""
    return [line.strip() for line in dry_run.splitlines()
            if any(c in line for c in SETUP_COMMANDS)]


def started_sphinx(log: str) -> bool:
    """Whether a make run started a build: ``bricsai.book.build --if-changed`` says "html: building
    (...)" before it starts Jupyter Book, which says so too (make echoes the recipe either way,
    since the content stamp is checked by the recipe)."""
    text = strip_ansi(log)
    return ("Running Sphinx" in text or "Running Jupyter-Book" in text
            or re.search(r"^(html|pdf|all): building \(", text, re.M) is not None)


def make_ready(copy: Path, venv: Path, env: dict, notes: list[str]) -> bool:
    r = subprocess.run(make_cmd("venv", venv, True) + ["vendor"], cwd=copy, env=env,
                       capture_output=True, text=True)
    would = setup_commands(r.stdout + r.stderr)
    if r.returncode != 0 or would:
        notes.append("`make` was not run in the copy: its dry run of `venv vendor` "
                     f"(exit {r.returncode}) would run {would or 'nothing, but failed'}.")
        return False
    return True


def measure_make_html(copy: Path, venv: Path, env: dict, logs: Path, notes: list[str],
                      edit_nb: str | None) -> dict:
    """`make html` in the copy: once to write its stamp (the sources are unchanged since the
    last build, so Sphinx starts and finds nothing to do), three times as the no-op a maintainer
    sees, then after a markdown edit (Sphinx must start again)."""
    res: dict = {}
    first = run_timed("make html (no stamp yet)", make_cmd("html", venv), copy, env, logs)
    stamp = copy / "_build" / "html" / ".built"
    res.update(first_s=first.seconds, first_rc=first.returncode,
               first_sphinx=started_sphinx(first.log))
    if first.returncode != 0 or not stamp.exists():
        notes.append(f"`make html` in the copy exited with {first.returncode} "
                     f"(stamp {'written' if stamp.exists() else 'missing'}): no make no-op measured.")
        return res
    before = stamp.stat().st_mtime_ns
    noops = [run_timed(f"make html no-op {i + 1}", make_cmd("html", venv), copy, env, logs)
             for i in range(3)]
    res.update(noop_runs=[r.seconds for r in noops], noop_rc=max(r.returncode for r in noops),
               noop_sphinx=any(started_sphinx(r.log) for r in noops),
               stamp_kept=stamp.stat().st_mtime_ns == before)
    if edit_nb:
        with open(copy / edit_nb, "a", encoding="utf-8") as fh:
            fh.write(MAKE_EDIT_LINE)
        edit = run_timed("make html after a markdown edit", make_cmd("html", venv), copy, env, logs)
        page = copy / "_build" / "html" / Path(edit_nb).with_suffix(".html")
        res.update(edit_s=edit.seconds, edit_rc=edit.returncode, edit_sphinx=started_sphinx(edit.log),
                   edit_visible=page.exists() and MAKE_EDIT_LINE.strip() in
                   page.read_text("utf-8", errors="replace"))
        res.update(measure_make_by_content(copy, venv, env, logs, edit_nb))
    return res


def measure_make_by_content(copy: Path, venv: Path, env: dict, logs: Path, edit_nb: str) -> dict:
    """make decides by content: an edit that keeps the file's old mtime (``cp -p``) must start
    the build and show; a deleted page must start it (and fail); putting the page back must
    start it again (the failed build left no stamp)."""
    res: dict = {}
    path = copy / edit_nb
    st = path.stat()
    path.write_text(path.read_text("utf-8").replace(MAKE_EDIT_LINE.strip(), MAKE_MTIME_LINE), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    r = run_timed("make html after an edit that keeps the old mtime", make_cmd("html", venv), copy, env, logs)
    page = copy / "_build" / "html" / Path(edit_nb).with_suffix(".html")
    res.update(mtime_s=r.seconds, mtime_rc=r.returncode, mtime_sphinx=started_sphinx(r.log),
               mtime_visible=page.exists() and MAKE_MTIME_LINE in page.read_text("utf-8", errors="replace"))
    gone = copy / DELETED_PAGE
    saved, st = gone.read_bytes(), gone.stat()
    gone.unlink()
    r = run_timed("make html after a page is deleted", make_cmd("html", venv), copy, env, logs)
    res.update(deleted_s=r.seconds, deleted_rc=r.returncode, deleted_sphinx=started_sphinx(r.log))
    gone.write_bytes(saved)
    os.utime(gone, ns=(st.st_atime_ns, st.st_mtime_ns))
    r = run_timed("make html after the page is put back", make_cmd("html", venv), copy, env, logs)
    res.update(restored_s=r.seconds, restored_rc=r.returncode, restored_sphinx=started_sphinx(r.log))
    return res


def measure_make_book(copy: Path, venv: Path, env: dict, logs: Path, notes: list[str]) -> dict:
    """`make book` (HTML + PDF) in the copy: once to write the PDF stamp, then three no-ops."""
    res: dict = {}
    first = run_timed("make book (no PDF stamp yet)", make_cmd("book", venv), copy, env, logs)
    stamp = copy / "_build" / "latex" / ".built"
    res.update(first_s=first.seconds, first_rc=first.returncode)
    if first.returncode != 0 or not stamp.exists():
        notes.append(f"`make book` in the copy exited with {first.returncode}: no make no-op "
                     "of the book measured.")
        return res
    noops = [run_timed(f"make book no-op {i + 1}", make_cmd("book", venv), copy, env, logs)
             for i in range(3)]
    res.update(noop_runs=[r.seconds for r in noops], noop_rc=max(r.returncode for r in noops),
               noop_sphinx=any(started_sphinx(r.log) for r in noops))
    return res


# --------------------------------------------------------------------------------------------
# Before and after the cuts
# --------------------------------------------------------------------------------------------

# The run of benchmarks/run.py before the cuts (lazy-imports, execute-ahead,
# select-without-copy, and the make stamps) were applied to the repository; static numbers.
BEFORE = {
    "date": "2026-11-29 03:06 UTC",
    "load": ("load average 1.11 at the start and 1.21 at the end; a fixed Python loop took "
             "0.33 s alone and 0.47 s as two at once at the start (0.34 s / 0.41 s at the end)"),
    "clean_s": 35.2, "exec_sum_s": 26.8, "off_s": 6.1, "noop_s": 4.1, "make_noop_s": None,
    "edit_s": 5.6, "code_s": 15.4, "pkg_s": 35.1, "pdf_s": 11.2, "extract_s": 3.08,
    "page_median_bytes": 39_000,
}
BEFORE_NOTES = {
    "make_noop_s": "not measured; no stamps then: `make html` always started Sphinx, so at "
                   "least the Sphinx no-op, 4.1 s",
}

# (label, key, kind): kind "s" for seconds, "mb" for bytes.
COMPARED = [
    ("clean HTML build", "clean_s", "s"),
    ("sum of notebook execution times", "exec_sum_s", "s"),
    ("HTML build with execution off", "off_s", "s"),
    ("no-op, Sphinx level (`jupyter-book build`, nothing changed)", "noop_s", "s"),
    ("no-op, make level (`make html` after a successful `make html`)", "make_noop_s", "s2"),
    ("one-notebook edit (markdown line)", "edit_s", "s"),
    ("one-notebook edit (code cell)", "code_s", "s"),
    ("rebuild after a package change", "pkg_s", "s"),
    ("PDF build (after the HTML build)", "pdf_s", "s"),
    ("extract rebuild", "extract_s", "s"),
    ("median HTML page (HTML + images)", "page_median_bytes", "kb"),
]


def before_after_rows(before: dict, after: dict, notes: dict | None = None) -> list[tuple]:
    """(label, before, after, change) per compared measure, as text."""
    notes = notes or {}

    def fmt(v, kind):
        if v is None:
            return "–"
        if kind == "kb":
            return f"{v / 1000:.0f} kB"
        return f"{v:.{2 if kind == 's2' else 1}f} s"

    rows = []
    for label, key, kind in COMPARED:
        b, a = before.get(key), after.get(key)
        if kind == "kb":  # compared as shown: whole kB
            b, a = (None if v is None else round(v / 1000) * 1000 for v in (b, a))
        if b is None and key in notes:
            bt = f"– ({notes[key]})"
        else:
            bt = fmt(b, kind)
        if b is not None and a is not None and b:
            change = f"{(a - b) / b:+.0%}" + (f" ({a - b:+.1f} s)" if kind != "kb" else "")
        else:
            change = "–"
        rows.append((label, bt, fmt(a, kind), change))
    return rows


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

EDIT_LINE = "\n\nBenchmark edit: one added markdown line.\n"
CODE_EDIT = "\n```{code-cell} ipython3\n:tags: [remove-cell]\n_benchmark_edit = 1\n```\n"
PKG_EDIT = "\n# benchmark: a changed line, so the package fingerprint changes\n"
MAKE_EDIT_LINE = "\n\nBenchmark edit: a markdown line added before make html.\n"
MAKE_MTIME_LINE = "Benchmark edit: the same line changed, the file keeping its old mtime."
DELETED_PAGE = "book/story/faq.md"


def set_execution_off(copy: Path) -> None:
    cfg = copy / "_config.yml"
    text = cfg.read_text("utf-8")
    cfg.write_text(re.sub(r"execute_notebooks:\s*\S+", 'execute_notebooks: "off"', text), "utf-8")


def clean_build_with_recovery(repo: Path, copy: Path, env: dict, logs: Path,
                              notes: list[str], label: str = "clean HTML build") -> Run:
    """Clean HTML build; a notebook that fails to execute (a chapter mid-edit) is replaced by its
    committed version and the clean build is repeated once."""
    clean_build_dir(copy)
    run = run_timed(label, jb_cmd("html"), copy, env, logs)
    failed = parse_exec_failures(run.log, copy)
    if failed:
        restored = [rel for rel in failed if restore_from_git(repo, copy, rel)]
        for rel in failed:
            notes.append(f"`{rel}` failed to execute in the working tree; "
                         + ("replaced in the copy by its committed version (HEAD)."
                            if rel in restored else "no committed version: it stays failing."))
        if restored:
            clean_build_dir(copy)
            run = run_timed(label + " (retry)", jb_cmd("html"), copy, env, logs)
    return run


def wait_for_quiet(limit: float = 1.5, patience_s: float = 180.0, step_s: float = 15.0) -> str | None:
    """Wait (up to ``patience_s``) while the 1-minute load average is above ``limit``; returns a
    note for the results when the machine was busy."""
    if not hasattr(os, "getloadavg") or os.getloadavg()[0] <= limit:
        return None
    first = os.getloadavg()[0]
    print(f"load average {first:.2f} > {limit}: waiting for the machine to quieten", flush=True)
    waited = 0.0
    while os.getloadavg()[0] > limit and waited < patience_s:
        time.sleep(step_s)
        waited += step_s
    now = os.getloadavg()[0]
    return (f"The load average was {first:.2f} when the benchmark was started; it waited "
            f"{waited:.0f} s and started at {now:.2f}"
            + (" (still busy: numbers are slower than on a quiet machine)." if now > limit else "."))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=DEFAULT_REPO)
    ap.add_argument("--out", type=Path, default=None,
                    help="results file (default: <repo>/benchmarks/results.md)")
    ap.add_argument("--work", type=Path, default=None,
                    help="work folder for the copies (default: a new temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--edit-notebook", default=None,
                    help="notebook to edit (default: the one that takes longest to execute)")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--no-make", action="store_true",
                    help="skip `make html` / `make book` in the copy (the make-level no-op)")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--no-repro", action="store_true",
                    help="skip the two clean builds compared byte for byte")
    ap.add_argument("--no-wait", action="store_true",
                    help="start at once even if the load average is above 1.5")
    args = ap.parse_args(argv)

    repo = args.repo.resolve()
    out = (args.out or repo / "benchmarks" / "results.md").resolve()
    work = (args.work or Path(tempfile.mkdtemp(prefix="bricsai-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    notes: list[str] = []
    started = dt.datetime.now(dt.UTC)
    t_all = time.perf_counter()
    print(f"benchmark: repository {repo}, work folder {work}", flush=True)

    busy = None if args.no_wait else wait_for_quiet()
    if busy:
        notes.append(busy)
    info_load_before = machine_load()
    copy = work / "book"
    copy_repo(repo, copy, notes)
    shared = shared_dir(repo)
    env = build_env(copy, shared)
    m: dict = {}
    info: dict = {"notes": notes, "load_before": info_load_before}

    # 1. clean HTML build
    clean = clean_build_with_recovery(repo, copy, env, logs, notes)
    exec_times = parse_exec_times(clean.log, copy)
    m["clean_s"] = clean.seconds
    m["exec_sum_s"] = sum(exec_times.values())
    info["clean_rc"] = clean.returncode
    info["clean_warnings"] = count_warnings(clean.log)
    info["exec_times"] = exec_times
    if clean.returncode != 0:
        notes.append(f"The clean HTML build exited with {clean.returncode} "
                     f"({info['clean_warnings']} warning/error lines; see the log); the timings "
                     "are reported but the book did not pass its gate.")
    pages = page_weights(copy / "_build" / "html")
    info["pages"] = pages
    info["outputs"] = executed_outputs(copy)
    info["downloads"] = download_outputs(copy / "_build" / "html")

    # 2. no-op rebuild
    noops = [run_timed(f"no-op rebuild {i + 1}", jb_cmd("html"), copy, env, logs) for i in range(3)]
    m["noop_s"] = statistics.median(r.seconds for r in noops)
    info["noop_runs"] = [r.seconds for r in noops]
    info["noop_exec"] = sum(len(parse_exec_times(r.log)) for r in noops)
    info["noop_rc"] = max(r.returncode for r in noops)

    # 3. one-notebook edit (markdown): the execution cache must hit
    notebooks = [k for k in exec_times if k.startswith("notebooks/")] or \
        sorted(p.relative_to(copy).as_posix() for p in (copy / "notebooks").glob("*.md"))
    edit_nb = args.edit_notebook or (max(notebooks, key=lambda k: exec_times.get(k, 0))
                                     if notebooks else None)
    info["edit_nb"] = edit_nb
    if edit_nb:
        with open(copy / edit_nb, "a", encoding="utf-8") as fh:
            fh.write(EDIT_LINE)
        edit = run_timed("one-notebook edit (markdown)", jb_cmd("html"), copy, env, logs)
        m["edit_s"] = edit.seconds
        info["edit_exec"] = parse_exec_times(edit.log, copy)
        info["edit_rc"] = edit.returncode
        page = copy / "_build" / "html" / Path(edit_nb).with_suffix(".html")
        info["edit_visible"] = page.exists() and "Benchmark edit: one added markdown line" in \
            page.read_text("utf-8", errors="replace")
        # 4. code edit in the same notebook (information)
        with open(copy / edit_nb, "a", encoding="utf-8") as fh:
            fh.write(CODE_EDIT)
        code = run_timed("one-notebook edit (code cell)", jb_cmd("html"), copy, env, logs)
        info["code_s"] = code.seconds
        info["code_exec"] = parse_exec_times(code.log, copy)

    # 5. package change: the guard must wipe the cache and re-execute every notebook
    with open(copy / "src" / "bricsai" / "__init__.py", "a", encoding="utf-8") as fh:
        fh.write(PKG_EDIT)
    pkg = run_timed("rebuild after a package change", jb_cmd("html"), copy, env, logs)
    info["pkg_s"] = pkg.seconds
    info["pkg_exec"] = parse_exec_times(pkg.log, copy)
    info["pkg_cleared"] = "emptying the execution cache" in pkg.text
    info["pkg_rc"] = pkg.returncode

    # 5b. `make html`, as a maintainer runs it: the make-level no-op
    make_venv = make_stamp_venv(work)
    menv = make_env(env)
    use_make = not args.no_make and shutil.which("make") is not None and \
        make_ready(copy, make_venv, menv, notes)
    if use_make:
        info["make_html"] = mh = measure_make_html(copy, make_venv, menv, logs, notes, edit_nb)
        if mh.get("noop_runs"):
            m["make_noop_s"] = statistics.median(mh["noop_runs"])

    # 6. PDF (after the HTML build, as `make book` does)
    if not args.no_pdf:
        pdf = run_timed("PDF build", jb_cmd("pdflatex"), copy, env, logs)
        m["pdf_s"] = pdf.seconds
        info["pdf_rc"] = pdf.returncode
        info["pdf_phases"] = latex_phases(pdf)
        info["pdf_exec"] = len(parse_exec_times(pdf.log))
        pdf_file = copy / "_build" / "latex" / "book.pdf"
        info["pdf_bytes"] = pdf_file.stat().st_size if pdf_file.exists() else None
        pm = re.search(r"Output written on book\.pdf \((\d+) pages", pdf.text)
        info["pdf_pages"] = int(pm[1]) if pm else None
        if use_make:
            info["make_book"] = measure_make_book(copy, make_venv, menv, logs, notes)

    # 7. execution off, in a second copy
    off_copy = work / "book-off"
    copy_repo(copy, off_copy, notes)  # the copy as it is now (edits included; same cost)
    set_execution_off(off_copy)
    clean_build_dir(off_copy)
    off = run_timed("HTML build with execution off", jb_cmd("html", gate=False), off_copy,
                    build_env(off_copy, shared), logs)
    m["off_s"] = off.seconds
    info["off_rc"] = off.returncode

    # 8. extract rebuild
    if shared is None:
        notes.append("`../shared/data` (or `$BRICSAI_SHARED/data`) is absent: the extract "
                     "rebuild was skipped.")
    else:
        times = []
        for i in range(3):
            with tempfile.TemporaryDirectory() as tmp:
                r = run_timed(f"extract rebuild {i + 1}",
                              [sys.executable, "-m", "bricsai", "data", "--out", tmp], copy, env, logs)
                if r.returncode != 0:
                    last = r.text.strip().splitlines()[-1][:200] if r.text.strip() else ""
                    notes.append(f"`python -m bricsai data` failed (exit {r.returncode}): {last}")
                    break
                times.append(r.seconds)
        if times:
            m["extract_s"] = statistics.median(times)
            info["extract_runs"] = times
        bench = copy / "benchmarks" / "bench_extracts.py"
        if bench.exists():
            r = run_timed("bench_extracts.py (per data set)",
                          [sys.executable, str(bench), "--repeat", "1"], copy, env, logs)
            res = copy / "benchmarks" / "results_extracts.md"
            if res.exists():
                info["bench_extracts"] = res.read_text("utf-8")

    # 9. reproducibility: two clean builds, every artefact compared byte for byte
    if not args.no_repro:
        info["repro"] = rp = measure_reproducibility(repo, work, shared, logs, notes)
        if rp["rc"] == 0:
            m["repro_differing"], m["repro_files"] = len(rp["differing"]), rp["files"]
        else:
            notes.append(f"A clean build for the reproducibility check exited with {rp['rc']}: "
                         "not compared.")

    ws = weight_summary(pages)
    m["page_median_bytes"] = ws["median_bytes"]
    info["weights"] = ws

    # 10. profile
    if not args.no_profile:
        print("  profiling imports, kernel start and figure formats", flush=True)
        info["imports"] = profile_imports(copy, env)
        info["kernel_start_s"] = profile_kernel_start(env, copy)
        info["figure_probe"] = profile_figures(copy, env)
        info["loads"] = profile_loads(copy, env)
        if edit_nb:
            print(f"  per-cell profile of {edit_nb}", flush=True)
            info["cells_nb"] = edit_nb
            info["cells"] = profile_cells(copy, env, edit_nb)

    info["load_after"] = machine_load()
    info["total_s"] = time.perf_counter() - t_all
    results = evaluate(m)
    text = render(started, machine_info(), versions(), m, info, results, repo)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({info['total_s']:.0f} s in all)")
    if args.keep:
        print(f"work folder kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return exit_code(results)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def _s(x) -> str:
    return "–" if x is None else f"{x:.1f} s"


def _mb(x) -> str:
    return "–" if x is None else f"{x / MB:.2f} MB"


def render_before_after(add, m: dict, info: dict) -> None:
    after = dict(m, code_s=info.get("code_s"), pkg_s=info.get("pkg_s"))
    add("## Before and after the cuts")
    add("")
    add("Applied to the repository since the run before: `lazy-imports` (the Sphinx process no "
        "longer imports pandas and matplotlib), `execute-ahead` (notebooks that miss the "
        "execution cache run in parallel, one per core, before Sphinx reads them: "
        "`src/bricsai/book/execute_ahead.py`, `bricsai_execution_jobs`), `select-without-copy` "
        "(`aistats._sel`), and make stamps (`make html` / `make book` do not start Sphinx when "
        "no source changed). Uninstalling `rfc3987-syntax` (≈1 s per process) was measured then "
        "but not applied.")
    add("")
    add(f"The *before* column is static: the numbers of the run of {BEFORE['date']} on the "
        f"same machine, before the cuts ({BEFORE['load']}). The *after* column is this run. "
        "With execute-ahead the notebooks run two at a time, so each one's execution time "
        "(and their sum) includes sharing the cores.")
    add("")
    add("| measure | before | after | change |")
    add("|---|---|---|---|")
    for row in before_after_rows(BEFORE, after, BEFORE_NOTES):
        add("| " + " | ".join(row) + " |")
    add("")


def render(started, mach, vers, m, info, results, repo) -> str:
    L = []
    add = L.append
    add("# Build speed and cache correctness")
    add("")
    add(f"Generated by `benchmarks/run.py` on {started:%Y-%m-%d %H:%M} UTC, from a copy of "
        f"`{repo.name}` (the repository's `_build` is not touched). Total run time "
        f"{info['total_s']:.0f} s. Numbers vary with the machine and its load; rerun with "
        "`make benchmark`.")
    add("")
    add("## Machine and versions")
    add("")
    ram = f"{mach['ram_gb']:.1f} GiB" if mach["ram_gb"] else "unknown"
    add(f"- CPU: {mach['cpu']}; usable cores: {mach['cores']}; RAM: {ram}")
    add(f"- Platform: {mach['platform']}")
    add("- " + ", ".join(f"{k} {v}" for k, v in vers.items() if k != "XeTeX"))
    add(f"- {vers.get('XeTeX', '')}")
    lb, la = info.get("load_before") or {}, info.get("load_after") or {}
    if lb and la:
        add(f"- Machine load: load average {lb['load1']:.2f} at the start, {la['load1']:.2f} at the "
            f"end; a fixed Python loop took {lb['spin1_s']:.2f} s alone and {lb['spin2_s']:.2f} s "
            f"as two at once at the start ({la['spin1_s']:.2f} s / {la['spin2_s']:.2f} s at the "
            "end). Other work on the machine slows every step; compare runs only at similar load.")
    add("")
    add("## Targets")
    add("")
    add("The no-op target is evaluated on what a maintainer runs, `make html` after a "
        "successful `make html` with nothing changed: `bricsai.book.build --if-changed` compares the "
        "SHA-256 of every source with the stamp of the last successful build "
        "(`_build/html/.built`) and does not start Sphinx. The Sphinx-level "
        "no-op (`jupyter-book build` with nothing changed, what make runs when a source did "
        "change but Sphinx finds nothing to redo) is reported alongside with its own "
        "percentage and result; it does not decide the exit code of `make benchmark`.")
    add("")
    add("| target | measured | limit | result |")
    add("|---|---|---|---|")
    for r in results:
        add(f"| {r.target} | {r.measured} | {r.limit} | **{r.status}** |")
    add("")
    add("## Measurements")
    add("")
    add("| step | time | exit | notes |")
    add("|---|---|---|---|")
    ex = info.get("exec_times", {})
    add(f"| clean HTML build | {_s(m.get('clean_s'))} | {info.get('clean_rc')} | "
        f"{len(ex)} notebooks executed, {m.get('exec_sum_s', 0):.1f} s in all |")
    add(f"| HTML build with execution off | {_s(m.get('off_s'))} | {info.get('off_rc')} | "
        "Sphinx cost only (gate off: missing glue values and figure records warn) |")
    nr = ", ".join(f"{x:.1f}" for x in info.get("noop_runs", []))
    add(f"| no-op, Sphinx level: `jupyter-book build` with nothing changed (median of 3) | "
        f"{_s(m.get('noop_s'))} | {info.get('noop_rc')} | "
        f"runs {nr} s; {info.get('noop_exec', '–')} notebooks re-executed (expected 0) |")
    mh = info.get("make_html") or {}
    if mh:
        add(f"| `make html` once more, to write its stamp (sources unchanged since the last "
            f"build) | {_s(mh.get('first_s'))} | {mh.get('first_rc')} | Sphinx "
            f"{'started' if mh.get('first_sphinx') else 'did NOT start'} (expected: started, no "
            "stamp yet) |")
    if mh.get("noop_runs"):
        runs = ", ".join(f"{x:.2f}" for x in mh["noop_runs"])
        add(f"| no-op, make level: `make html` after a successful `make html` (median of 3) | "
            f"{m['make_noop_s']:.2f} s | {mh.get('noop_rc')} | runs {runs} s; Sphinx "
            f"{'STARTED' if mh.get('noop_sphinx') else 'not started'} (expected: not started); "
            f"stamp {'untouched' if mh.get('stamp_kept') else 'REWRITTEN'}; includes make's "
            "`setup` checks (Debian packages, venv and MathJax stamps) and its scan of the "
            "sources |")
    if "edit_s" in mh:
        add(f"| `make html` after a markdown line is added to `{info.get('edit_nb')}` | "
            f"{_s(mh['edit_s'])} | {mh.get('edit_rc')} | Sphinx "
            f"{'started' if mh.get('edit_sphinx') else 'did NOT start'} (expected: started); the "
            f"line is {'visible' if mh.get('edit_visible') else 'NOT visible'} in the page |")
    if "mtime_s" in mh:
        add(f"| `make html` after that line is changed, the file keeping its old mtime (`cp -p`) | "
            f"{_s(mh['mtime_s'])} | {mh.get('mtime_rc')} | Sphinx "
            f"{'started' if mh.get('mtime_sphinx') else 'did NOT start'} (expected: started); the "
            f"change is {'visible' if mh.get('mtime_visible') else 'NOT visible'} in the page |")
        add(f"| `make html` after `{DELETED_PAGE}` is deleted | {_s(mh['deleted_s'])} | "
            f"{mh.get('deleted_rc')} | Sphinx {'started' if mh.get('deleted_sphinx') else 'did NOT start'} "
            f"(expected: started, and a non-zero exit: the table of contents names the page) |")
        add(f"| `make html` after the page is put back with its old mtime | {_s(mh['restored_s'])} | "
            f"{mh.get('restored_rc')} | Sphinx {'started' if mh.get('restored_sphinx') else 'did NOT start'} "
            "(expected: started, exit 0: the failed build left no stamp) |")
    if info.get("edit_nb"):
        add(f"| one-notebook edit: a markdown line appended to `{info['edit_nb']}` | "
            f"{_s(m.get('edit_s'))} | {info.get('edit_rc')} | {len(info.get('edit_exec', {}))} "
            f"notebooks re-executed (expected 0: the cache keys on code); the line is "
            f"{'visible' if info.get('edit_visible') else 'NOT visible'} in the page |")
        ce = info.get("code_exec", {})
        add(f"| one-notebook edit: a code cell appended (information) | {_s(info.get('code_s'))} | – | "
            f"re-executed: {', '.join(f'`{k}`' for k in ce) or 'none'} (expected: that notebook only) |")
    pe = info.get("pkg_exec", {})
    add(f"| rebuild after a package change (comment line in `src/bricsai/__init__.py`) | "
        f"{_s(info.get('pkg_s'))} | {info.get('pkg_rc')} | cache "
        f"{'cleared' if info.get('pkg_cleared') else 'NOT cleared'}; {len(pe)} of {len(ex)} "
        f"notebooks re-executed (expected all) |")
    if "pdf_s" in m:
        add(f"| PDF build (after the HTML build) | {_s(m['pdf_s'])} | {info.get('pdf_rc')} | "
            f"{info.get('pdf_pages')} pages, {_mb(info.get('pdf_bytes'))}; "
            f"{info['pdf_phases'].get('_xelatex_runs')} xelatex runs; "
            f"{info.get('pdf_exec')} notebooks executed |")
    mb = info.get("make_book") or {}
    if mb:
        add(f"| `make book` once more, to write the PDF stamp | {_s(mb.get('first_s'))} | "
            f"{mb.get('first_rc')} | the HTML stamp is current: only the PDF is rebuilt |")
    if mb.get("noop_runs"):
        runs = ", ".join(f"{x:.2f}" for x in mb["noop_runs"])
        add(f"| no-op, make level: `make book` after a successful `make book` (median of 3) | "
            f"{statistics.median(mb['noop_runs']):.2f} s | {mb.get('noop_rc')} | runs {runs} s; "
            f"Sphinx {'STARTED' if mb.get('noop_sphinx') else 'not started'} (expected: not "
            "started) |")
    if "extract_s" in m:
        runs = ", ".join(f"{x:.2f}" for x in info.get("extract_runs", []))
        add(f"| extract rebuild `python -m bricsai data --out <tmp>` (median of 3) | "
            f"{m['extract_s']:.2f} s | 0 | runs {runs} s, Python start-up included |")
    else:
        add("| extract rebuild | – | – | skipped (no shared data) |")
    dl = info.get("downloads")
    if dl:
        empty = sorted(k for k, v in dl.items() if v == 0)
        add(f"| downloadable notebooks after the clean build (`_build/html/_notebooks/`) | – | – | "
            f"{len(dl) - len(empty)} of {len(dl)} hold their outputs"
            + (f"; **without any output: {', '.join(f'`{k}`' for k in empty)}** (see Notes)"
               if empty else "") + " |")
        if empty:
            info.setdefault("notes", []).append(
                "The notebooks offered for download hold no outputs when their page was read "
                "from the execution cache: myst-nb 1.4 writes `_build/jupyter_execute/*.ipynb` "
                "from the notebook as read, not the one merged with the cached outputs "
                "(`myst_nb/core/execute/cache.py`: `self._notebook = merged`, while "
                "`sphinx_.py` writes `notebook`), and `bricsai.book.sphinxext._copy_outputs` copies "
                "those files. With execute-ahead every notebook is a cache hit, so even a clean "
                "build gives empty downloads; before, a clean build gave full ones and any "
                "later re-read of a page emptied its download. The pages themselves are "
                "complete.")
    rp = info.get("repro") or {}
    if rp:
        runs = ", ".join(f"{x:.1f}" for x in rp["runs"])
        dif = rp["differing"]
        add(f"| two clean builds of a fresh copy, HTML and PDF (`python -m bricsai.book.build all`) | "
            f"runs {runs} s | {rp['rc']} | {rp['files']} artefact files compared byte for byte "
            f"(`{'`, `'.join(ARTEFACTS)}`): "
            + (f"**{len(dif)} differ: {', '.join(f'`{d}`' for d in dif[:20])}**" if dif else "all identical")
            + f"; SOURCE_DATE_EPOCH {rp.get('epoch') or 'unknown'} (the copy has no git history: "
            "the fixed fallback) |")
    w = info.get("weights", {})
    add(f"| HTML page weight (HTML + images) | – | – | {w.get('pages')} pages; median "
        f"{_mb(w.get('median_bytes'))}, max {_mb(w.get('max_bytes'))} (`{w.get('max_page')}`) |")
    add("")
    if ex:
        add("### Notebook execution (clean build)")
        add("")
        add("| notebook | execution | figures (PNG) | PDF copies | `extracts.load` calls |")
        add("|---|---|---|---|---|")
        outs = info.get("outputs", {})
        for k, v in sorted(ex.items(), key=lambda kv: -kv[1]):
            o = outs.get(k, {})
            add(f"| `{k}` | {v:.1f} s | {o.get('png', '–')} | {o.get('pdf', '–')} | "
                f"{o.get('loads', '–')} |")
        add("")
    if info.get("pages"):
        add("### Page weight")
        add("")
        add("| page | HTML | images | total |")
        add("|---|---|---|---|")
        for p in sorted(info["pages"], key=lambda p: -p.total):
            add(f"| `{p.page}` | {p.html_bytes / 1000:.0f} kB | {p.images} / "
                f"{p.image_bytes / 1000:.0f} kB | {p.total / 1000:.0f} kB |")
        add("")
    if info.get("pdf_phases"):
        add("### PDF build phases")
        add("")
        add("| phase | time |")
        add("|---|---|")
        for k, v in info["pdf_phases"].items():
            if not k.startswith("_"):
                add(f"| {k} | {v:.1f} s |")
        add("")
    render_before_after(add, m, info)
    add("## Profile of the largest costs")
    add("")
    imp = info.get("imports") or {}
    ks = info.get("kernel_start_s")
    fp = info.get("figure_probe") or {}
    n_nb = len(ex)
    n_fig = sum(o.get("png", 0) for o in info.get("outputs", {}).values())
    if imp and "error" not in imp:
        per = imp["numpy_pandas"] + imp["matplotlib"] + imp["bricsai"]
        add(f"- **Kernel start and imports.** A kernel starts, runs one cell and stops in "
            f"{_s(ks)} (nbclient, as myst-nb runs it); in a fresh process numpy+pandas "
            f"import in {imp['numpy_pandas']:.2f} s, matplotlib in {imp['matplotlib']:.2f} s, "
            f"`from bricsai import {', '.join(imp['modules'])}` in {imp['bricsai']:.2f} s. "
            f"Each of the {n_nb} executed pages pays this once: about "
            f"{n_nb * ((ks or 0) + per):.1f} s of the {m.get('exec_sum_s', 0):.1f} s of execution; "
            "the rest is the notebooks' own work and drawing their figures.")
    if fp and "error" not in fp:
        add(f"- **Figure formats.** `figures.use_style` makes the inline backend emit PNG *and* "
            f"PDF for every figure. For a representative figure PNG (200 dpi) takes "
            f"{fp['png_s'] * 1000:.0f} ms ({fp['png_bytes'] / 1000:.0f} kB), PDF "
            f"{fp['pdf_s'] * 1000:.0f} ms ({fp['pdf_bytes'] / 1000:.0f} kB); PNG at 150 dpi "
            f"{fp['png150_s'] * 1000:.0f} ms ({fp['png150_bytes'] / 1000:.0f} kB). With {n_fig} "
            f"figures that probe puts the PDF copies at {n_fig * fp['pdf_s']:.1f} s. The run "
            f"of {BEFORE['date']} measured dropping them (`png-only`) on the book's own "
            "figures: the clean build 1.0 s faster, but the PDF grew from 0.57 to 0.96 MB and "
            "took 1.3 s longer, as its figures became 200-dpi PNGs; not adopted.")
    lp = info.get("loads") or {}
    if lp and "error" not in lp:
        worst = max(lp["per_extract"].items(), key=lambda kv: kv[1])
        add(f"- **Data loads.** The pages load {len(lp['per_extract'])} distinct extracts; as every "
            f"page is a fresh kernel each page reads its extracts once (later loads hit the "
            f"lru_cache). All first loads together cost {lp['total_s']:.2f} s (the slowest, "
            f"`{worst[0]}`, {worst[1]:.2f} s): not worth a cache across kernels.")
    cp = info.get("cells") or {}
    if cp and "error" not in cp:
        top = sorted(cp["cells"], key=lambda c: -c["seconds"])[:5]
        add(f"- **Inside the slowest page** (`{info.get('cells_nb')}`, {cp['total']:.1f} s when run "
            "alone with nbclient), the five slowest cells:")
        add("")
        add("  | cell | time | figures | first line |")
        add("  |---|---|---|---|")
        for c in top:
            first = c["first_line"].replace("|", "\\|").replace("`", "'")
            add(f"  | {c['cell']} | {c['seconds']:.2f} s | {c['figures']} | `{first}` |")
        add("")
    ph = info.get("pdf_phases") or {}
    if ph:
        runs = {k: v for k, v in ph.items() if not k.startswith("_") and "run" in k}
        add(f"- **LaTeX passes.** The PDF build spends {ph.get('Sphinx (read + write LaTeX)', 0):.1f} s "
            f"in Sphinx and then latexmk runs: " + ", ".join(f"{k} {v:.1f} s" for k, v in runs.items())
            + ". Two xelatex passes are the minimum for the cross-references and the table of "
            "contents; the index pass is cheap.")
    add(f"- **Sphinx itself.** The build with execution off takes {_s(m.get('off_s'))}; a "
        f"no-op `jupyter-book build` {_s(m.get('noop_s'))}, most of it the start-up of Jupyter "
        "Book, Sphinx and the extensions, which is why the no-op target is met by make's stamp "
        "rather than inside Sphinx.")
    add("")
    if info.get("notes"):
        add("## Notes")
        add("")
        for n in info["notes"]:
            add(f"- {n}")
        add("")
    if info.get("bench_extracts"):
        add("## Extract benchmark (`benchmarks/bench_extracts.py`, run on the copy)")
        add("")
        body = info["bench_extracts"].split("\n", 2)[-1]
        add(re.sub(r"^#", "###", body, flags=re.M).strip())
        add("")
    return "\n".join(L)


if __name__ == "__main__":
    sys.exit(main())
