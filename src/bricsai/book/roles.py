"""MyST roles that put registry numbers into the text: ``{measure}``, ``{period}``, ``{verdict}``.

They work in plain Markdown pages and in notebooks' markdown cells alike, and are resolved when
Sphinx reads the page, from :mod:`bricsai.ledger.measures` (no notebook output involved):

- ``{measure}`pop_share|BRICS-5``` -> "40.3%"; options after the group, separated by "|":
  ``period=2023``, ``of=BRICS-10`` (a share within another group), ``digits=0``.
- ``{period}`economy``` (a family or a measure) -> "2024", "November 2025".
- ``{verdict}`c22``` (a claim id or its "cNN" prefix) -> the claim's verdict, linked to the ledger.

In HTML a measure is ``<span class="bricsai-m" data-key="measure|group|of|period"
data-value=... data-period=... data-period-label=...>``; the book's consistency test reads these
(one value per key; the period stated in the same block). In LaTeX it is plain text.
"""

from __future__ import annotations

import math
from functools import lru_cache

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
LEDGER_LABEL = "claims-ledger"


class measure_value(nodes.Inline, nodes.TextElement):
    """A registry value; ``key``, ``value``, ``period``, ``period_label`` in its attributes."""


class period_value(nodes.Inline, nodes.TextElement):
    """A family's reference period; ``family`` and ``period`` in its attributes."""


def _error(inliner, rawtext, lineno, message):
    msg = inliner.reporter.error(message, line=lineno)
    return [inliner.problematic(rawtext, rawtext, msg)], [msg]


def parse_measure(text: str) -> dict:
    """``"pop_share|BRICS-5|period=2023|digits=0"`` -> {measure, group, period, of, digits}."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError(f"expected 'measure|group[|period=..][|of=..][|digits=..]', got {text!r}")
    out = {"measure": parts[0], "group": parts[1], "period": None, "of": None, "digits": None}
    for opt in parts[2:]:
        key, sep, value = opt.partition("=")
        if not sep or key not in ("period", "of", "digits"):
            raise ValueError(f"unknown option {opt!r} in {text!r}; expected period=, of= or digits=")
        out[key] = value
    if out["period"] is not None and "-" not in out["period"]:
        out["period"] = int(out["period"])
    return out


def measure_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    from bricsai.ledger.measures import registry

    try:
        spec = parse_measure(text)
        reg = registry()
        info = reg.explain(spec["measure"], spec["group"], spec["period"], spec["of"])
        shown = reg.format(spec["measure"], info["value"], spec["digits"])
    except Exception as exc:  # noqa: BLE001 - any problem becomes a build error at this place
        return _error(inliner, rawtext, lineno, f"{{measure}} {text!r}: {exc}")
    if math.isnan(info["value"]):
        return _error(inliner, rawtext, lineno, f"{{measure}} {text!r}: no value ({info['missing']} lack one)")
    desc = reg.describe(spec["measure"])
    of = spec["of"] or desc["of"] or ""
    key = "|".join([spec["measure"], spec["group"], str(of), str(info["period"])])
    node = measure_value("", shown, key=key, value=repr(info["value"]), period=str(info["period"]),
                         period_label=info["period_label"], label=desc["label"])
    return [node], []


def period_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    from bricsai.ledger.measures import registry

    key = text.strip()
    try:
        reg = registry()
        period = reg.period(key)
        label = reg.period_label(key)
    except Exception as exc:  # noqa: BLE001
        return _error(inliner, rawtext, lineno, f"{{period}} {text!r}: {exc}")
    return [period_value("", label, family=key, period=str(period))], []


@lru_cache(maxsize=1)
def claim_verdicts() -> dict[str, str]:
    """{claim id: verdict} as the ledger computes it (its own function when it offers one)."""
    from bricsai.ledger import claims

    if hasattr(claims, "verdicts"):
        return dict(claims.verdicts())
    from bricsai.chapters import evidence

    frame = claims.evaluate_claims(claims.load_claims(), evidence.measure)
    return dict(zip(frame["id"], frame["verdict"]))


def _claim_id(text: str, verdicts: dict[str, str]) -> str:
    key = text.strip()
    if key in verdicts:
        return key
    found = [c for c in verdicts if c.split("-", 1)[0] == key]
    if len(found) != 1:
        raise ValueError(f"no claim {key!r} (ids: {', '.join(sorted(verdicts))})")
    return found[0]


def verdict_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    from bricsai.ledger import claims

    try:
        verdicts = claim_verdicts()
        cid = _claim_id(text, verdicts)
    except Exception as exc:  # noqa: BLE001
        return _error(inliner, rawtext, lineno, f"{{verdict}} {text!r}: {exc}")
    words = claims.VERDICT_LABELS.get(verdicts[cid], verdicts[cid])
    ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=LEDGER_LABEL,
                                refexplicit=True, refwarn=True)
    ref += nodes.inline(words, words, classes=["bricsai-verdict", f"bricsai-verdict-{verdicts[cid]}"])
    ref["classes"].append(cid)
    return [ref], []


# --- writers ----------------------------------------------------------------------------------

def _visit_measure_html(self, node):
    attrs = " ".join(f'data-{k.replace("_", "-")}="{self.attval(node[k])}"'
                     for k in ("key", "value", "period", "period_label"))
    self.body.append(f'<span class="bricsai-m" {attrs} title="{self.attval(node["label"])}, '
                     f'{self.attval(node["period_label"])}">{self.encode(node.astext())}</span>')
    raise nodes.SkipNode


def _visit_period_html(self, node):
    self.body.append(f'<span class="bricsai-p" data-family="{self.attval(node["family"])}" '
                     f'data-period="{self.attval(node["period"])}">{self.encode(node.astext())}</span>')
    raise nodes.SkipNode


def _visit_latex(self, node):
    self.body.append(self.encode(node.astext()))
    raise nodes.SkipNode


def _visit_text(self, node):
    if hasattr(self, "add_text"):
        self.add_text(node.astext())
    raise nodes.SkipNode


def setup(app):
    app.add_role("measure", measure_role)
    app.add_role("period", period_role)
    app.add_role("verdict", verdict_role)
    for node, html in ((measure_value, _visit_measure_html), (period_value, _visit_period_html)):
        app.add_node(node, html=(html, None), latex=(_visit_latex, None), text=(_visit_text, None))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
