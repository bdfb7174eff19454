"""Render web pages in headless Chromium and read their ground truth from the DOM.

Run ``python -m tests.benchmarks.gen_web_screens --out tests/benchmarks/data``.

Uses Python ``playwright`` with the system Chromium (``/usr/bin/chromium``,
or ``$CA_CHROMIUM``); it never downloads a browser, and every request that is
not a local file is aborted, so rendering is offline and deterministic.
Boxes are ``getBoundingClientRect() * devicePixelRatio``.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
from pathlib import Path
from typing import Any

from tests.benchmarks.truth import Element, ScreenTruth, save_truths
from tests.benchmarks.web_pages import PAGE_BUILDERS, doc_pages

__all__ = ["plan_pages", "generate_web", "CHROMIUM_ARGS", "chromium_path"]

log = logging.getLogger(__name__)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--font-render-hinting=none"]
DSFS = (1.0, 1.25, 1.5, 2.0)
PAGE_TYPES = ["form", "dashboard", "settings", "docs", "zh", "docs", "form", "dashboard"]
#: CSS-pixel viewports for window-sized captures (full screens are 1920x1080 device pixels).
WINDOW_VIEWPORTS = [(1024, 640), (1200, 760), (900, 700)]
_JS = (Path(__file__).with_name("web_dom.js")).read_text(encoding="utf-8")


def chromium_path() -> str:
    return os.environ.get("CA_CHROMIUM", "/usr/bin/chromium")


def plan_pages(n: int, seed: int) -> list[dict[str, Any]]:
    """Every page's recipe: type, scale, theme, viewport."""
    docs = doc_pages()
    specs = []
    for i in range(n):
        rng = random.Random(f"web-{seed}-{i}")
        kind = PAGE_TYPES[i % len(PAGE_TYPES)]
        if kind == "docs" and not docs:
            kind = "form"
        dsf = rng.choice(DSFS)
        full = rng.random() < 0.5
        css = (round(1920 / dsf), round(1080 / dsf)) if full else rng.choice(WINDOW_VIEWPORTS)
        specs.append({
            "name": f"web_{kind}_{i:03d}", "kind": kind, "seed": rng.randrange(1 << 30),
            "dsf": dsf, "viewport": css, "layout": "screen" if full else "window",
            "theme": "dark" if kind != "docs" and rng.random() < 0.3 else "light",
            "doc": str(rng.choice(docs)) if kind == "docs" else "",
        })
    return specs


def _block_network(route: Any) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


def _render_one(browser: Any, spec: dict[str, Any], out: Path) -> ScreenTruth:
    ctx = browser.new_context(viewport={"width": spec["viewport"][0], "height": spec["viewport"][1]},
                              device_scale_factor=spec["dsf"],
                              color_scheme="dark" if spec["theme"] == "dark" else "light")
    ctx.route("**/*", _block_network)
    page = ctx.new_page()
    if spec["kind"] == "docs":
        url = Path(spec["doc"]).as_uri()
    else:
        source = out / "web" / "pages" / f"{spec['name']}.html"
        source.write_text(PAGE_BUILDERS[spec["kind"]](random.Random(spec["seed"]), spec["theme"] == "dark"),
                          encoding="utf-8")
        url = source.resolve().as_uri()
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    image = f"web/{spec['name']}.png"
    page.screenshot(path=str(out / image))
    raw = page.evaluate(_JS)
    title = page.title()
    size = page.evaluate("[innerWidth * devicePixelRatio, innerHeight * devicePixelRatio]")
    ctx.close()
    elements = tuple(Element(**e) for e in raw)
    w, h = round(size[0]), round(size[1])
    return ScreenTruth(image=image, width=w, height=h, source="web", layout=spec["layout"],
                       scale=spec["dsf"], theme=spec["theme"],
                       lang="zh" if spec["kind"] == "zh" else "en", elements=elements,
                       windows=({"title": title, "type": spec["kind"], "box": [0, 0, w, h]},),
                       seed=spec["seed"], extra={"doc": spec["doc"]})


def generate_web(out: Path, n: int = 32, seed: int = 7) -> list[ScreenTruth]:
    """Render ``n`` pages and write ``out/web_screens.jsonl``."""
    from playwright.sync_api import sync_playwright

    (out / "web" / "pages").mkdir(parents=True, exist_ok=True)
    truths = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for spec in plan_pages(n, seed):
                truths.append(_render_one(browser, spec, out))
        finally:
            browser.close()
    save_truths(truths, out / "web_screens.jsonl")
    return truths


def _main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("tests/benchmarks/data"))
    ap.add_argument("--pages", type=int, default=32)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    truths = generate_web(args.out, args.pages, args.seed)
    log.info("rendered %d web pages with %d elements", len(truths), sum(len(t.elements) for t in truths))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
