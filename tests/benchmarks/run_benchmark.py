"""Run every benchmark case through the grounding engine, loaded once, and write the report.

``python -m tests.benchmarks.run_benchmark [--limit N] [--kinds text,multi] [--backend ocr]
[--data DIR] [--out DIR]`` writes ``report.md``, ``report.json`` and
``cases_scored.jsonl`` (every point with its confidence and whether it was
right, to fit calibration from) into ``tests/benchmarks/out``.

With a vision-language backend (``--backend qwen2.5-vl [--model-dir DIR]``)
the model runs alone on the same cases beside the default engine, and
``report.md`` compares them (accuracy by kind, latency p50/p95); without a
model on this machine it says so instead of measuring anything.

Cases run grouped by screenshot. The first call is the cold call; the first
call on each later screenshot is "new screenshot"; further instructions on it
are "same screenshot"; and the first instruction of each screenshot is run a
second time to time "same screenshot, same instruction".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image

from tests.benchmarks.cases import load_cases
from tests.benchmarks.report import render_markdown, summarize
from tests.benchmarks.scoring import score_case

__all__ = ["run_cases", "select_cases", "make_engine", "make_model_engine", "main"]

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def make_engine(backend: str | None) -> Any:
    """The real engine, all sources or just ``backend``."""
    from desktop.grounding.engine import Engine

    return Engine(sources=[backend]) if backend else Engine()


def make_model_engine(backend: str, model_dir: Path | None) -> Any:
    """The engine with only the vision-language ``backend``, from ``model_dir`` or the models found.

    Raises
    ------
    BackendUnavailable
        When no model for ``backend`` is on this machine.
    """
    from desktop.core.settings import load_settings
    from desktop.grounding.engine import Engine
    from desktop.grounding.registry import create_source

    models_dir = load_settings().models_dir or None
    return Engine(sources=[create_source(backend, model_dir=str(model_dir) if model_dir else None,
                                         models_dir=models_dir)])


def _is_model(backend: str | None) -> bool:
    from desktop.grounding.vlm import BACKENDS

    return backend in BACKENDS


def select_cases(cases: list[dict[str, Any]], kinds: list[str] | None, limit: int | None) -> list[dict[str, Any]]:
    """Cases of the wanted kinds; with ``limit``, an evenly drawn sample of that many (fixed seed)."""
    chosen = [c for c in cases if not kinds or c["kind"] in kinds]
    if limit is not None and limit < len(chosen):
        keep = set(random.Random(0).sample(range(len(chosen)), limit))
        chosen = [c for i, c in enumerate(chosen) if i in keep]
    return chosen


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _points(result: Any) -> list[dict[str, Any]]:
    points = []
    for p in result.predictions:
        point = {"x": int(p.x), "y": int(p.y), "confidence": float(p.confidence), "label": p.label,
                 "box": p.box.to_list() if p.box is not None else None, "source": p.source,
                 "action": p.action, "role": p.role, "step": int(p.step)}
        evidence = getattr(p, "evidence", None)
        if evidence is not None:
            # The calibrator's input features, so calibration can be refitted from this file alone.
            point["features"] = [round(float(v), 5) for v in evidence.vector()]
        points.append(point)
    return points


def _call(engine: Any, image: np.ndarray, case: dict[str, Any], data: Path) -> tuple[Any, float, str | None]:
    from desktop.core.errors import ClickAssistError

    ref = str(data / case["reference"]) if case.get("reference") else None
    t0 = time.perf_counter()
    try:
        result = engine.ground(image, case["instruction"], min_clicks=case.get("min_clicks"),
                               max_clicks=case.get("max_clicks"), reference=ref)
        return result, (time.perf_counter() - t0) * 1000, None
    except ClickAssistError as exc:
        return None, (time.perf_counter() - t0) * 1000, exc.code


def _row(case: dict[str, Any], result: Any, ms: float, error: str | None, phase: str) -> dict[str, Any]:
    points = _points(result) if result is not None else []
    score = score_case(case, points)
    for p, ok in zip(points, score.point_ok):
        p["correct"] = bool(ok)
    return {"id": case["id"], "kind": case["kind"], "instruction": case["instruction"], "image": case["image"],
            "expect": case["expect"], "action": case.get("action", "click"), "targets": case["targets"],
            "meta": case.get("meta", {}), "correct": score.correct, "tp": score.tp,
            "n_points": score.n_points, "n_targets": score.n_targets, "elapsed_ms": round(ms, 2),
            "phase": phase, "error": error, "message": getattr(result, "message", ""),
            "timings_ms": getattr(result, "timings_ms", {}), "points": points,
            "notes": list(score.notes)}


def run_cases(engine: Any, cases: list[dict[str, Any]], data: Path,
              progress: Callable[[int, int], None] | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ground every case; returns per-case rows and the extra timings."""
    by_image: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        by_image.setdefault(case["image"], []).append(case)
    rows: list[dict[str, Any]] = []
    timings: dict[str, Any] = {"extra_repeat": []}
    for name in sorted(by_image):
        image = np.asarray(Image.open(data / name).convert("RGB"))
        for i, case in enumerate(by_image[name]):
            phase = "cold" if not rows else ("new_screen" if i == 0 else "same_screen")
            result, ms, error = _call(engine, image, case, data)
            rows.append(_row(case, result, ms, error, phase))
            if i == 0:
                timings["extra_repeat"].append(_call(engine, image, case, data)[1])
            if progress:
                progress(len(rows), len(cases))
    return rows, timings


def _write(rows: list[dict[str, Any]], summary: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "cases_scored.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "report.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str),
                                     encoding="utf-8")
    (out / "report.md").write_text(render_markdown(summary), encoding="utf-8")


def _measure(engine: Any, cases: list[dict[str, Any]], data: Path, init_ms: float,
             config: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            log.info("%d/%d cases", done, total)

    rows, timings = run_cases(engine, cases, data, progress)
    timings.update(engine_init_ms=init_ms, rss_after_init_mib=_rss_mib(), peak_rss_mib=_rss_mib())
    config = {**config, "sources": list(getattr(engine, "source_names", ()))}
    return rows, summarize(rows, timings, config)


def _warm_latency(rows: list[dict[str, Any]]) -> tuple[float, float]:
    from tests.benchmarks.scoring import percentile

    warm = [r["elapsed_ms"] for r in rows if r["phase"] != "cold"] or [r["elapsed_ms"] for r in rows]
    return percentile(warm, 50), percentile(warm, 95)


def model_section(default: tuple[list[dict[str, Any]], dict[str, Any]],
                  model: tuple[list[dict[str, Any]], dict[str, Any]], backend: str, where: str) -> list[str]:
    """Markdown: the model beside the default engine, same cases (accuracy by kind, warm latency)."""
    (d_rows, d), (m_rows, m) = default, model
    head = ["measure", "default engine", f"{backend} ({where})"]
    rows = [["**overall**", f"{100 * d['accuracy']:.1f}%", f"{100 * m['accuracy']:.1f}%"]]
    for kind in d["by_kind"]:
        rows.append([kind, f"{100 * d['by_kind'][kind]['accuracy']:.1f}%",
                     f"{100 * m['by_kind'].get(kind, {}).get('accuracy', float('nan')):.1f}%"])
    for name, (dv, mv) in zip(("latency p50 (ms)", "latency p95 (ms)"),
                              zip(_warm_latency(d_rows), _warm_latency(m_rows))):
        rows.append([name, f"{dv:.0f}", f"{mv:.0f}"])
    rows.append(["model load (ms)", "", f"{m['latency_ms']['engine_init_ms']:.0f}"])
    lines = ["## Vision-language model beside the default engine", "",
             "| " + " | ".join(head) + " |", "|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines + ["", "Latency over warm calls (every call but the first); the model answers alone "
                        "(`--backend`), the default engine with all its sources.", ""]


def _compare_model(args: argparse.Namespace, cases: list[dict[str, Any]], config: dict[str, Any],
                   engine_factory: Callable[[str | None], Any],
                   model_factory: Callable[[str, Path | None], Any]) -> int:
    from desktop.core.errors import BackendUnavailable

    t0 = time.perf_counter()
    try:
        model = model_factory(args.backend, args.model_dir)
    except BackendUnavailable as exc:
        where = str(args.model_dir) if args.model_dir else "the models folder and the Hugging Face cache"
        text = f"No vision-language model found in {where}; not measured."
        log.warning("%s %s %s", text, exc.user_message, exc.hint)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "report.md").write_text(f"# Click Assist benchmark: {args.backend}\n\n{text}\n\n"
                                            f"{exc.user_message} {exc.hint}\n", encoding="utf-8")
        (args.out / "report.json").write_text(json.dumps({"config": config, "model": {
            "backend": args.backend, "measured": False, "reason": exc.user_message}}, indent=1), encoding="utf-8")
        return 0
    model_run = _measure(model, cases, args.data, (time.perf_counter() - t0) * 1000, config)
    t0 = time.perf_counter()
    engine = engine_factory(None)
    default_run = _measure(engine, cases, args.data, (time.perf_counter() - t0) * 1000, {**config, "backend": None})
    where = str(args.model_dir) if args.model_dir else "found on this machine"
    _write(*default_run, args.out)
    (args.out / "cases_scored_model.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in model_run[0]), encoding="utf-8")
    summary = {**default_run[1], "model": {"backend": args.backend, "measured": True, "where": where,
                                           "summary": model_run[1]}}
    (args.out / "report.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str),
                                          encoding="utf-8")
    report = render_markdown(default_run[1]).split("\n")
    section = model_section(default_run, model_run, args.backend, where)
    at = next((i for i, line in enumerate(report) if line.startswith("## ")), len(report))
    (args.out / "report.md").write_text("\n".join(report[:at] + section + report[at:]), encoding="utf-8")
    log.info("default %.1f%%, %s %.1f%%; report in %s", 100 * default_run[1]["accuracy"], args.backend,
             100 * model_run[1]["accuracy"], args.out)
    return 0


def main(argv: list[str] | None = None, engine_factory: Callable[[str | None], Any] = make_engine,
         model_factory: Callable[[str, Path | None], Any] = make_model_engine) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--kinds", help="comma-separated kinds, e.g. text,multi")
    ap.add_argument("--backend", help="restrict the engine to one candidate source, or compare a "
                                      "vision-language backend (owlv2, qwen2.5-vl, ...) with the default engine")
    ap.add_argument("--model-dir", type=Path, help="the vision-language checkpoint folder (default: the models "
                                                   "folder in settings, then the Hugging Face cache)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    cases_file = args.data / "cases.jsonl"
    if not cases_file.exists():
        log.error("%s not found: run python -m tests.benchmarks.make_all first", cases_file)
        return 2
    cases = select_cases(load_cases(cases_file), args.kinds.split(",") if args.kinds else None, args.limit)
    if _is_model(args.backend):
        config = {"when": dt.datetime.now().isoformat(timespec="seconds"), "backend": args.backend,
                  "cases": str(cases_file), "kinds": args.kinds, "limit": args.limit,
                  "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"}
        return _compare_model(args, cases, config, engine_factory, model_factory)
    t0 = time.perf_counter()
    engine = engine_factory(args.backend)
    timings_init = {"engine_init_ms": (time.perf_counter() - t0) * 1000, "rss_after_init_mib": _rss_mib()}

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            log.info("%d/%d cases", done, total)

    rows, timings = run_cases(engine, cases, args.data, progress)
    timings.update(timings_init, peak_rss_mib=_rss_mib())
    config = {"when": dt.datetime.now().isoformat(timespec="seconds"), "backend": args.backend,
              "sources": list(getattr(engine, "source_names", ())), "cases": str(cases_file),
              "kinds": args.kinds, "limit": args.limit,
              "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"}
    summary = summarize(rows, timings, config)
    _write(rows, summary, args.out)
    log.info("accuracy %.1f%% over %d cases; report in %s", 100 * summary["accuracy"], len(rows), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
