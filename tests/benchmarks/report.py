"""Summaries of scored benchmark cases, as a JSON-ready dict and as Markdown."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from tests.benchmarks.scoring import expected_calibration_error, percentile, reliability_table

__all__ = ["summarize", "render_markdown"]

Row = dict[str, Any]


def _accuracy_by(rows: list[Row], key: str) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        groups[str(r[key] if key in r else r["meta"].get(key))].append(r)
    out = {}
    for name, items in sorted(groups.items()):
        entry: dict[str, float] = {"n": len(items), "accuracy": sum(r["correct"] for r in items) / len(items)}
        many = [r for r in items if r["expect"] in ("all", "sequence")]
        if many:
            tp = sum(r["tp"] for r in many)
            n_p = sum(r["n_points"] for r in many)
            n_t = sum(r["n_targets"] for r in many)
            p = tp / n_p if n_p else 0.0
            rc = tp / n_t if n_t else 0.0
            entry.update(precision=p, recall=rc, f1=2 * p * rc / (p + rc) if p + rc else 0.0, n_many=len(many))
        out[name] = entry
    return out


def _latency(rows: list[Row], timings: dict[str, Any]) -> dict[str, Any]:
    lat: dict[str, Any] = {"engine_init_ms": timings.get("engine_init_ms")}
    for phase in ("cold", "new_screen", "same_screen", "repeat"):
        values = [r["elapsed_ms"] for r in rows if r["phase"] == phase]
        values += timings.get(f"extra_{phase}", [])
        lat[phase] = {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
                      "max": max(values) if values else float("nan")}
    return lat


def _calibration(rows: list[Row]) -> dict[str, Any]:
    top = [(r["points"][0]["confidence"], r["points"][0]["correct"]) for r in rows if r["points"]]
    every = [(p["confidence"], p["correct"]) for r in rows for p in r["points"]]
    out: dict[str, Any] = {}
    for name, pairs in (("top1", top), ("all_points", every)):
        conf = [c for c, _ in pairs]
        ok = [k for _, k in pairs]
        out[name] = {"n": len(pairs), "ece": expected_calibration_error(conf, ok),
                     "table": reliability_table(conf, ok)}
    return out


def summarize(rows: list[Row], timings: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """Everything ``report.json`` holds, from the per-case rows of the runner."""
    failures = [{"id": r["id"], "instruction": r["instruction"], "image": r["image"], "expect": r["expect"],
                 "got": [{k: p[k] for k in ("x", "y", "confidence", "label", "action", "step")} for p in r["points"][:5]],
                 "expected": r["targets"], "error": r.get("error"), "message": r.get("message", "")}
                for r in rows if not r["correct"]]
    return {
        "config": config,
        "n_cases": len(rows),
        "accuracy": sum(r["correct"] for r in rows) / len(rows) if rows else float("nan"),
        "by_kind": _accuracy_by(rows, "kind"),
        "by_source": _accuracy_by(rows, "source"),
        "by_scale": _accuracy_by(rows, "scale"),
        "by_theme": _accuracy_by(rows, "theme"),
        "latency_ms": _latency(rows, timings),
        "peak_rss_mib": timings.get("peak_rss_mib"),
        "rss_after_init_mib": timings.get("rss_after_init_mib"),
        "calibration": _calibration(rows),
        "errors": sum(1 for r in rows if r.get("error")),
        "failures": failures,
    }


def _f(v: Any, digits: int = 1) -> str:
    if v is None or isinstance(v, float) and v != v:
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def _table(header: list[str], rows: Iterable[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _acc_rows(groups: dict[str, dict[str, float]]) -> list[list[Any]]:
    return [[name, int(g["n"]), f"{100 * g['accuracy']:.1f}%",
             _f(g.get("precision"), 3), _f(g.get("recall"), 3), _f(g.get("f1"), 3)]
            for name, g in groups.items()]


def _head(s: dict[str, Any]) -> list[str]:
    cfg = s["config"]
    return [f"# Click Assist benchmark — {cfg.get('when', '')}", "",
            f"Engine sources: {', '.join(cfg.get('sources', [])) or '?'} (backend option: "
            f"{cfg.get('backend') or 'all'}); {s['n_cases']} cases from `{cfg.get('cases')}`; "
            f"{s['errors']} raised errors.", "",
            f"Machine: {cfg.get('machine', '')}. Timings are wall-clock on a shared machine and "
            "pessimistic.", "",
            f"**Overall accuracy: {100 * s['accuracy']:.1f}%**", ""]


def _accuracy_section(s: dict[str, Any]) -> list[str]:
    head = ["kind", "n", "accuracy", "precision", "recall", "F1"]
    lines = ["## Accuracy by kind", ""] + _table(head, _acc_rows(s["by_kind"]))
    lines += ["Accuracy: first point inside a target (with the asked action) for single targets; exactly the "
              "target set for `all` cases; every step in order for `sequence` cases. Precision/recall/F1 are "
              "over points matched one-to-one to targets, for `all` and `sequence` cases of that kind.", ""]
    for title, key in (("source", "by_source"), ("scale", "by_scale"), ("theme", "by_theme")):
        lines += [f"### By {title}", ""] + _table([title] + head[1:], _acc_rows(s[key]))
    return lines


def _latency_section(s: dict[str, Any]) -> list[str]:
    lat = s["latency_ms"]
    names = {"cold": "cold first call", "new_screen": "new screenshot (warm)",
             "same_screen": "same screenshot, other instruction", "repeat": "same screenshot, same instruction"}
    lines = ["## Latency (ms)", "", f"Engine construction: {_f(lat.get('engine_init_ms'))} ms", ""]
    lines += _table(["phase", "n", "p50", "p95", "max"],
                    [[names[k], lat[k]["n"], _f(lat[k]["p50"]), _f(lat[k]["p95"]), _f(lat[k]["max"])]
                     for k in names])
    return lines + [f"Peak RSS: {_f(s.get('peak_rss_mib'))} MiB (after engine construction: "
                    f"{_f(s.get('rss_after_init_mib'))} MiB).", ""]


def _calibration_section(s: dict[str, Any]) -> list[str]:
    cal = s["calibration"]
    lines = ["## Calibration", "",
             f"ECE (10 bins): top-1 {_f(cal['top1']['ece'], 3)} over {cal['top1']['n']} points; "
             f"all points {_f(cal['all_points']['ece'], 3)} over {cal['all_points']['n']}.", ""]

    def cell(row: dict[str, float], key: str) -> str:
        return _f(row[key] if row["count"] else None, 3)

    return lines + _table(["confidence", "n (top-1)", "mean conf", "accuracy", "n (all)", "accuracy (all)"],
                          [[f"{a['lo']:.1f}–{a['hi']:.1f}", a["count"], cell(a, "confidence"),
                            cell(a, "accuracy"), b["count"], cell(b, "accuracy")]
                           for a, b in zip(cal["top1"]["table"], cal["all_points"]["table"])])


def _failures_section(s: dict[str, Any], limit: int) -> list[str]:
    rows = []
    for f in s["failures"][:limit]:
        got = "; ".join(f"{p['label'] or '?'} @({p['x']},{p['y']}) {p['confidence']:.2f}"
                        + (f" {p['action']}" if p["action"] != "click" else "") for p in f["got"][:3])
        if f.get("error"):
            got = f"error {f['error']}"
        want = "; ".join(str([int(v) for v in b]) for b in f["expected"][:3])
        rows.append([f["id"], f["instruction"].replace("|", "\\|"), got.replace("|", "\\|") or "nothing", want])
    more = [f"({len(s['failures']) - limit} more in report.json)", ""] if len(s["failures"]) > limit else []
    return ([f"## Failures ({len(s['failures'])})", ""]
            + _table(["id", "instruction", "got (first 3)", "expected (first 3)"], rows) + more)


def render_markdown(s: dict[str, Any], max_failures: int = 400) -> str:
    """``report.md``: accuracy, latency, memory, calibration and the failures."""
    return "\n".join(_head(s) + _accuracy_section(s) + _latency_section(s) + _calibration_section(s)
                     + _failures_section(s, max_failures))
