"""The book's headline numbers and claim verdicts, as one snapshot that two data releases can be
compared on (``make fetch`` prints the difference).

The snapshot holds every measured value of the claims ledger (the numbers the book's verdicts
rest on: population and GDP shares of each bloc, AI capacity shares, ...) with its verdict, and,
where the measure registry (``bricsai.ledger.measures``) exists, each registry measure for the
comparison groups. It reads the extracts in ``bricsai.paths.EXTRACTS``; run it as
``python -m bricsai.ledger.headline`` with ``BRICSAI_EXTRACTS`` set to compare another folder
(a separate process, so that no cached frame of the other folder is reused).
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys

HEADLINE_GROUPS = ("BRICS-5", "BRICS-10", "BRICS-10+SAU")


def _number(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def snapshot() -> dict:
    """``{"measures": {key: {"label", "value"}}, "verdicts": {claim id: verdict}}``."""
    from bricsai.chapters import ledger as chapter
    from bricsai.ledger import claims

    # The ledger's own claims and measure: checks name period families ("economy"), which the
    # chapter module resolves to the registry's reference periods.
    claim_list = chapter.claim_list()
    ledger = claims.evaluate_claims(claim_list, chapter.measure)
    specs = {(c["id"], ch["id"]): ch["measure"] for c in claim_list if c["kind"] == "quantitative"
             for ch in c["evidence"]["checks"]}
    measures = {}
    for row in ledger.itertuples():
        for check_id, value in row.values.items():
            spec = specs[(row.id, check_id)]
            group = spec.get("scenario", spec.get("entity"))
            label = f"{spec['metric']} {spec['indicator']} {group} {spec['year']}"
            measures[f"{row.id}/{check_id}"] = {"label": label, "value": _number(value)}
    measures.update(_registry_measures())
    return {"measures": measures, "verdicts": dict(zip(ledger["id"], ledger["verdict"], strict=True))}


def _registry_measures() -> dict:
    """The measure registry's values for the headline groups, once the registry exists."""
    if importlib.util.find_spec("bricsai.ledger.measures") is None:
        return {}
    from bricsai.ledger import measures as m

    reg = m.registry()
    out = {}
    for name in reg.measures:
        for group in HEADLINE_GROUPS:
            try:
                value = reg.value(name, group)
            except Exception:  # noqa: BLE001 - a measure that does not apply to a group has no value
                continue
            try:
                period = reg.period(name)
            except Exception:  # noqa: BLE001 - the label only
                period = "?"
            out[f"{name}|{group}"] = {"label": f"{name} {group} ({period})", "value": _number(value)}
    return out


def changes(before: dict, after: dict, rel_tol: float = 1e-9) -> dict:
    """What differs between two snapshots: changed values and flipped verdicts."""
    values = []
    for key in sorted(set(before["measures"]) | set(after["measures"])):
        a = before["measures"].get(key, {}).get("value")
        b = after["measures"].get(key, {}).get("value")
        same = (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=rel_tol))
        if not same:
            label = (after["measures"].get(key) or before["measures"].get(key))["label"]
            values.append({"key": key, "label": label, "before": a, "after": b})
    flips = [{"claim": cid, "before": before["verdicts"].get(cid), "after": after["verdicts"].get(cid)}
             for cid in sorted(set(before["verdicts"]) | set(after["verdicts"]))
             if before["verdicts"].get(cid) != after["verdicts"].get(cid)]
    return {"values": values, "flips": flips, "compared": len(set(before["measures"]) | set(after["measures"]))}


if __name__ == "__main__":
    json.dump(snapshot(), sys.stdout)
