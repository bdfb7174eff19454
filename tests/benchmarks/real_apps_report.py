"""Scoring and the report of the real-app benchmark: accuracy tables, latency, misses, a picture of misses."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from PIL import Image, ImageDraw

from tests.benchmarks.scoring import inside, percentile

__all__ = ["summarize", "write_report", "draw_misses"]

Row = dict[str, Any]


def _table(rows: Sequence[Row], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        groups[str(r[key])].append(bool(r["correct"]))
    return {k: {"n": len(v), "correct": sum(v), "accuracy": round(sum(v) / len(v), 4)}
            for k, v in sorted(groups.items())}


def score(point: dict[str, Any] | None, box: Sequence[float]) -> bool:
    """Right when the first point lies inside the truth box."""
    return point is not None and inside(point["x"], point["y"], box)


def _lat(ms: Sequence[float]) -> dict[str, float]:
    return {"n": len(ms), "p50": round(percentile(ms, 50), 1), "p95": round(percentile(ms, 95), 1)} if ms else {}


def summarize(rows: Sequence[Row], skipped: Sequence[str], screens: Sequence[Row]) -> dict[str, Any]:
    """Everything the report says, as plain data (also written as JSON)."""
    first = [r["elapsed_ms"] for r in rows if r["first_on_screen"]]
    again = [r["elapsed_ms"] for r in rows if not r["first_on_screen"]]
    return {
        "cases": len(rows), "correct": sum(r["correct"] for r in rows),
        "accuracy": round(sum(r["correct"] for r in rows) / len(rows), 4) if rows else 0.0,
        "by_app": _table(rows, "app"), "by_role": _table(rows, "role"), "by_kind": _table(rows, "kind"),
        "latency_ms": {"new_screen": _lat(first), "same_screen": _lat(again)},
        "skipped": list(skipped), "screens": list(screens),
        "misses": [r for r in rows if not r["correct"]],
    }


def _md_table(title: str, table: dict[str, dict[str, Any]]) -> list[str]:
    out = [f"### By {title}", "", f"| {title} | cases | correct | accuracy |", "|---|---:|---:|---:|"]
    out += [f"| {k} | {v['n']} | {v['correct']} | {v['accuracy']:.1%} |" for k, v in table.items()]
    return out + [""]


def write_report(summary: dict[str, Any], out_dir: Path) -> None:
    """``report.json`` and ``report.md`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(summary, indent=1))
    new, same = summary["latency_ms"]["new_screen"], summary["latency_ms"]["same_screen"]
    lines = ["# Real-application benchmark (screenshot-only engine, accessibility tree as truth)", "",
             f"**{summary['correct']}/{summary['cases']} = {summary['accuracy']:.1%}** on "
             f"{len(summary['screens'])} screens (engine sources: ocr, controls, template, theme, icons; no tree).", "",
             f"Latency: first instruction on a new screenshot p50 {new.get('p50')} ms, p95 {new.get('p95')} ms "
             f"(n={new.get('n')}); another instruction on the same screenshot (sources cached) "
             f"p50 {same.get('p50')} ms, p95 {same.get('p95')} ms.", ""]
    if summary["skipped"]:
        lines += ["Skipped:", ""] + [f"- {s}" for s in summary["skipped"]] + [""]
    lines += ["Screens: " + ", ".join(f"{s['app']}/{s['screen']} ({s['controls']} controls)"
                                      for s in summary["screens"]), ""]
    for title, key in (("app", "by_app"), ("role", "by_role"), ("kind", "by_kind")):
        lines += _md_table(title, summary[key])
    lines += ["## Misses", "", "| id | instruction | got | truth box |", "|---|---|---|---|"]
    for m in summary["misses"]:
        got = m["got"]
        said = f"{got['label']!r} ({got['x']}, {got['y']}) {got['source']} {got['confidence']:.2f}" if got else \
            f"nothing ({m.get('message', '')})"
        lines.append(f"| {m['id']} | {m['instruction']} | {said} | {m['box']} |")
    (out_dir / "report.md").write_text("\n".join(lines) + "\n")


def draw_misses(image: np.ndarray, misses: Sequence[Row], path: Path, limit: int = 12) -> None:
    """The screen with each miss's truth box (green) and the answer (red cross and box), numbered."""
    if not misses:
        return
    im = Image.fromarray(image[..., :3]).convert("RGB")
    d = ImageDraw.Draw(im)
    for i, m in enumerate(misses[:limit], 1):
        x0, y0, x1, y1 = m["box"]
        d.rectangle([x0, y0, x1 - 1, y1 - 1], outline=(0, 170, 0), width=2)
        d.text((x0 + 2, y1 + 1), f"{i}", fill=(0, 130, 0))
        got = m["got"]
        if got:
            x, y = got["x"], got["y"]
            d.line([x - 7, y - 7, x + 7, y + 7], fill=(220, 0, 0), width=3)
            d.line([x - 7, y + 7, x + 7, y - 7], fill=(220, 0, 0), width=3)
            d.text((x + 8, y - 6), f"{i}", fill=(220, 0, 0))
    # Crop to the windows (the apps sit on a big black root window) and the answers.
    ys, xs = np.nonzero(image[..., :3].max(axis=2) > 0)
    px = [m["got"]["x"] for m in misses[:limit] if m["got"]] + ([int(xs.max())] if xs.size else [])
    py = [m["got"]["y"] for m in misses[:limit] if m["got"]] + ([int(ys.max())] if ys.size else [])
    im.crop((0, 0, min(im.width, max(px) + 40), min(im.height, max(py) + 20))).save(path)
