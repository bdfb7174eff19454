"""OCR speed and text recall: plain RapidOCR against Click Assist's fast path (a report, not a test).

Run from the repository root::

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.bench_ocr [--runs 5] [--no-baseline]

Scenes are full-HD screenshots rendered here with exact ground truth (see
``ocr_scenes``) plus a real Qt dialog in light and dark style. For each
engine it prints, per scene and overall:

* time per NEW screenshot (p50/p95 over ``--runs``; caches cleared each run),
  wall clock and CPU seconds (CPU time is less disturbed by other work on a
  shared machine);
* recall: share of drawn strings found with the right text (spaces and case
  ignored, "−" counted as "-", contained in a line) in a box overlapping the truth;
* exact-line recall: the same, with the line's text equal to the string
  (catches lines merged across separate controls);
* word-box accuracy: share of words of multi-word strings whose recognised
  word box has its centre inside the true word box (PIL scenes only).

For the fast path it also times a repeated call on the same screen (screen
cache) and a call after a small change (per-line cache).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass
from typing import Callable

import numpy as np

from desktop.core.intent import Intent
from tests.benchmarks.ocr_scenes import SCENES, Scene

Line = tuple[str, tuple[float, float, float, float], tuple[tuple[str, tuple[float, float, float, float]], ...]]


def _norm(text: str) -> str:
    # A lone minus and a hyphen look the same on screen; OCR reports "-".
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold().replace("\u2212", "-")


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


@dataclass
class Score:
    found: int = 0
    exact: int = 0
    total: int = 0
    words_ok: int = 0
    words_total: int = 0
    misses: list[str] | None = None


def score(scene: Scene, lines: list[Line]) -> Score:
    """Recall, exact-line recall and word-box accuracy of ``lines`` against the scene's truths."""
    s = Score(misses=[])
    for t in scene.truths:
        want = _norm(t.text)
        if not want:
            continue
        s.total += 1
        near = [ln for ln in lines if _overlaps(ln[1], t.box)]
        if any(want in _norm(ln[0]) for ln in near):
            s.found += 1
        else:
            s.misses.append(t.text)
        if any(want == _norm(ln[0]) for ln in near):
            s.exact += 1
        if len(t.words) > 1:
            for word, wbox in t.words:
                s.words_total += 1
                parts = [p for ln in near for p in ln[2] if _norm(p[0]) == _norm(word)]
                if any(wbox[0] <= (p[1][0] + p[1][2]) / 2 <= wbox[2]
                       and wbox[1] - 2 <= (p[1][1] + p[1][3]) / 2 <= wbox[3] + 2 for p in parts):
                    s.words_ok += 1
    return s


def rapidocr_engine() -> Callable[[np.ndarray], list[Line]]:
    """Plain RapidOCR (defaults, angle classifier off, word boxes on), as a baseline."""
    import cv2
    from rapidocr_onnxruntime import RapidOCR

    eng = RapidOCR(use_cls=False)

    def run(image: np.ndarray) -> list[Line]:
        res, _ = eng(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), use_cls=False, return_word_box=True)
        lines: list[Line] = []
        for item in res or []:
            quad = np.asarray(item[0], float)
            box = (quad[:, 0].min(), quad[:, 1].min(), quad[:, 0].max(), quad[:, 1].max())
            lines.append((item[1], box, _group_chars(item[3], item[4]) if len(item) > 4 else ()))
        return lines

    return run


def _group_chars(quads, chars) -> tuple:
    """RapidOCR 1.4.4 gives one box per character: join them into words (spaces split, CJK alone)."""
    from desktop.grounding._ocr_words import is_wide_char

    words, cur, box = [], "", None
    for quad, ch in zip(quads or (), chars or ()):
        q = np.asarray(quad, float)
        b = (q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max())
        if ch.isspace() or is_wide_char(ch) or (cur and is_wide_char(cur[-1])):
            if cur:
                words.append((cur, box))
            cur, box = "", None
            if ch.isspace():
                continue
        cur += ch
        box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3]))
    if cur:
        words.append((cur, box))
    return tuple(words)


def fast_engine():
    from desktop.grounding.ocr import OcrSource

    src = OcrSource()
    src.warm_up()

    def run(image: np.ndarray) -> list[Line]:
        src._lines.clear()  # a NEW screenshot: nothing read or detected before
        src._tiles.clear()
        return [(c.text, (c.box.x0, c.box.y0, c.box.x1, c.box.y1),
                 tuple((p, (b.x0, b.y0, b.x1, b.y1)) for p, b in c.parts)) for c in src.read(image)]

    return run, src


def _time(run: Callable[[np.ndarray], list[Line]], image: np.ndarray, runs: int):
    walls, cpus, out = [], [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        out = run(image)
        walls.append((time.perf_counter() - w0) * 1e3)
        cpus.append((time.process_time() - c0) * 1e3)
    return walls, cpus, out


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def load_scenes() -> list[Scene]:
    scenes = [make() for make in SCENES.values()]
    try:
        from tests.benchmarks.ocr_qt_scene import render_qt_dialog

        scenes += [render_qt_dialog(False), render_qt_dialog(True)]
    except ImportError as exc:  # PySide6 missing: PIL scenes only
        print(f"(Qt scenes skipped: {exc})", file=sys.stderr)
    return scenes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--misses", action="store_true", help="print the strings each engine missed")
    args = ap.parse_args(argv)
    scenes = load_scenes()
    fast, src = fast_engine()
    engines = [("fast", fast)]
    if not args.no_baseline:
        engines.insert(0, ("rapidocr", rapidocr_engine()))
    for name, run in engines:
        all_wall, all_cpu, total = [], [], Score()
        print(f"== {name}")
        for scene in scenes:
            run(scene.image)  # warm
            walls, cpus, lines = _time(run, scene.image, args.runs)
            sc = score(scene, lines)
            all_wall += walls
            all_cpu += cpus
            for f in ("found", "exact", "total", "words_ok", "words_total"):
                setattr(total, f, getattr(total, f) + getattr(sc, f))
            words = f"{sc.words_ok}/{sc.words_total}" if sc.words_total else "-"
            print(f"{scene.name:14s} wall p50 {statistics.median(walls):6.0f} ms  p95 {_pct(walls, .95):6.0f}"
                  f"  cpu p50 {statistics.median(cpus):6.0f} ms  recall {sc.found}/{sc.total}"
                  f"  exact {sc.exact}/{sc.total}  word boxes {words}")
            if args.misses and sc.misses:
                print("    missed:", sc.misses)
        print(f"{'ALL':14s} wall p50 {statistics.median(all_wall):6.0f} ms  p95 {_pct(all_wall, .95):6.0f}"
              f"  cpu p50 {statistics.median(all_cpu):6.0f} ms  recall {total.found / total.total:.3f}"
              f"  exact {total.exact / total.total:.3f}"
              f"  word boxes {total.words_ok / max(1, total.words_total):.3f}")
    _cache_timings(src, scenes[0], args.runs)


def _cache_timings(src, scene: Scene, runs: int) -> None:
    from desktop.core.sources import Screen, SourceRequest

    request = SourceRequest(intent=Intent(text="click Save", steps=()))
    screen = Screen(scene.image)
    src.candidates(screen, request)
    hits = []
    for _ in range(max(runs, 20)):
        t = time.perf_counter()
        src.candidates(screen, request)
        hits.append((time.perf_counter() - t) * 1e3)
    changed = scene.image.copy()
    changed[-30:, :300] = changed[-30:, :300] // 2 + 40  # a status bar changed
    t = time.perf_counter()
    src.candidates(Screen(changed), request)
    print(f"== cache ({scene.name}): same screen p50 {statistics.median(hits):.2f} ms, "
          f"small change {(time.perf_counter() - t) * 1e3:.0f} ms (lines re-read only where pixels changed)")


if __name__ == "__main__":
    main()
