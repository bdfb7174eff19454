"""Regenerate the whole benchmark: Qt screens, web pages, cases and reference crops.

``python -m tests.benchmarks.make_all [--data DIR] [--seed N] [--small]`` wipes
the generated folders under DIR (default ``tests/benchmarks/data``, which git
ignores) and builds everything again, deterministically for a given seed.
Then run ``python -m tests.benchmarks.run_benchmark``.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from pathlib import Path

from tests.benchmarks.cases import build_cases, load_all_truths, write_cases
from tests.benchmarks.gen_qt_screens import generate_qt

__all__ = ["make_all"]

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def make_all(data: Path, seed: int = 7, qt_screens: int = 40, qt_windows: int = 40,
             web_pages: int = 32) -> int:
    """Generate everything into ``data``; returns the number of cases."""
    for sub in ("qt", "web", "refs"):
        shutil.rmtree(data / sub, ignore_errors=True)
    data.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    generate_qt(data, qt_screens, qt_windows, seed)
    log.info("Qt screens: %.1f s", time.perf_counter() - t0)
    t1 = time.perf_counter()
    try:
        from tests.benchmarks.gen_web_screens import generate_web
        generate_web(data, web_pages, seed)
    except ImportError as exc:
        # The web half needs playwright; the Qt half stands on its own.
        log.warning("web pages skipped (%s): pip install playwright", exc)
        (data / "web_screens.jsonl").unlink(missing_ok=True)
    log.info("web pages: %.1f s", time.perf_counter() - t1)
    cases = build_cases(load_all_truths(data), data, seed)
    write_cases(cases, data / "cases.jsonl")
    log.info("%d cases in %.1f s in all", len(cases), time.perf_counter() - t0)
    return len(cases)


def _main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--small", action="store_true", help="a few screens only, for a quick look")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sizes = (4, 4, 4) if args.small else (40, 40, 32)
    make_all(args.data, args.seed, *sizes)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
