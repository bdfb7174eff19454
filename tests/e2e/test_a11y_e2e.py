"""The accessibility tree on real applications under Xvfb with a real accessibility bus.

gtk3-widget-factory (GTK 3, its cache read with one GetItems call) and the Qt
target window (walked level by level; it is stacked on top of the GTK window)
run on a private 1920x1080 display. The real engine grounds live captures with
every source, the tree included; clicks go through xdotool where a test checks
that a point really hits its control. Measured numbers go to
``reports/a11y_e2e.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from typing import Any, Iterator

import numpy as np
import pytest

from desktop.core.geometry import Box
from desktop.core.intent import Intent, Step
from desktop.core.sources import Screen, SourceRequest
from tests.e2e._a11y_desktop import A11yDesktop, missing_a11y_tools
from tests.e2e.conftest import REPORTS, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]

REPORT: dict[str, Any] = {}


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[A11yDesktop]:
    missing = missing_a11y_tools()
    if missing:
        pytest.skip(f"the accessibility end-to-end tests need {', '.join(missing)}")
    d = A11yDesktop(tmp_path_factory.mktemp("a11y"), screen="1920x1080x24")
    saved = {k: os.environ.get(k) for k in ("DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
                                            "XDG_RUNTIME_DIR", "AT_SPI_BUS_ADDRESS")}
    try:
        d.start_x_and_bus()
        d.start_apps()
        os.environ.pop("AT_SPI_BUS_ADDRESS", None)
        os.environ.update(d.in_process_env())
        yield d
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        d.stop()
        if REPORT:
            REPORTS.mkdir(exist_ok=True)
            (REPORTS / "a11y_e2e.json").write_text(json.dumps(REPORT, indent=1))


@pytest.fixture(scope="module")
def engine(session: A11yDesktop) -> Any:
    from desktop.grounding.engine import Engine

    e = Engine()  # every available source, as the app and `ground --screen` use them
    assert "a11y" in e.source_names
    e.warm_up()
    return e


@pytest.fixture(scope="module")
def source(engine: Any) -> Any:
    return next(s for s in engine._sources if s.name == "a11y")


def capture() -> Any:
    from desktop.capture import MssCapture

    return MssCapture().capture_all()


def xdotool(session: A11yDesktop, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=session.env, check=True)


def _candidates(engine: Any, source: Any, cap: Any) -> list[Any]:
    screen = Screen(cap.image)
    found = engine.candidates(screen, Intent("click", (Step(),)), stage=1, mapping=None)
    return list(source.candidates(screen, SourceRequest(intent=Intent("click", (Step(),)), found_so_far=found,
                                                        mapping=cap.mapping)))


def test_role_numbers_match_the_names_gtk_reports(session: A11yDesktop, source: Any) -> None:
    from desktop.grounding._a11y_atspi_roles import role_name
    from desktop.grounding._a11y_dbus import Call

    backend = source.backend
    backend.warm_up()
    bus = backend._bus
    gtk = next(a for a in backend._chosen_apps(bus, Box(0, 0, 1920, 1080), [], time.monotonic() + 2)
               if a.name == "gtk3-widget-factory")
    items = bus.call(Call(gtk.bus, "/org/a11y/atspi/cache", "org.a11y.atspi.Cache", "GetItems"), 2.0).body[0]
    first_of_role = {int(it[7]): it[0][1] for it in items}
    names = bus.call_many([Call(gtk.bus, p, "org.a11y.atspi.Accessible", "GetRoleName")
                           for p in first_of_role.values()], time.monotonic() + 2)
    assert len(first_of_role) >= 15
    for number, reply in zip(first_of_role, names):
        assert reply.ok and reply.body[0] == role_name(number), (number, reply)


def test_candidates_have_the_names_roles_and_boxes_the_screen_shows(session: A11yDesktop, engine: Any,
                                                                    source: Any) -> None:
    cap = capture()
    found = _candidates(engine, source, cap)
    by_name: dict[str, list[Any]] = {}
    for c in found:
        by_name.setdefault(c.text, []).append(c)
    ready = session.target_geometry()
    qt_window = Box.from_xywh(ready["x"], ready["y"], ready["width"], ready["height"]).expand(40)
    for name in ("Save", "Print", "Export", "Delete"):
        (c,) = [c for c in by_name[name] if c.role == "button"]
        assert qt_window.contains(*c.box.center) and c.score >= 0.95, c  # OCR read the name inside it
    for name in ("Remember me", "Send newsletter", "Dark mode"):
        (c,) = [c for c in by_name[name] if c.role == "checkbox"]
        assert c.label_box is not None and c.box.width <= c.label_box.height + 2, c  # the indicator
    assert {c.text for c in found if c.role == "tab" and qt_window.contains(*c.box.center)} == \
        {"General", "Network", "Privacy"}
    # The GTK window's controls under the Qt window are hidden by it: none is offered.
    under = [c for c in found if c.text == "togglebutton"]
    assert under == []
    snapshot = source.last_snapshot
    REPORT["snapshot_nodes"] = len(snapshot.nodes)
    REPORT["candidates"] = len(found)


def test_icon_only_header_bar_buttons_are_found_by_name_and_clicked(session: A11yDesktop, engine: Any,
                                                                   source: Any) -> None:
    from desktop.grounding.engine import Engine

    cap = capture()
    boxes = {c.text: c.box for c in _candidates(engine, source, cap) if c.role == "button"}
    tree_only = Engine(sources=[source], semantic=False)
    for instruction, name in (("click Close", "Close"), ("click Maximize", "Maximize"),
                              ("click Minimize", "Minimize"), ("click the Menu button", "Menu")):
        box = boxes[name]
        assert box.y1 <= 60, box  # in the header bar, drawn as an icon with no text
        by_tree = tree_only.ground(cap.image, instruction, mapping=cap.mapping).best
        assert by_tree is not None and by_tree.label == name and by_tree.source == "a11y", by_tree
        fused = engine.ground(cap.image, instruction, mapping=cap.mapping).best  # every source together
        assert fused is not None and box.contains(fused.x, fused.y), (instruction, fused)
    menu = engine.ground(cap.image, "click the Menu button", mapping=cap.mapping).best
    x, y = cap.mapping.to_screen(menu.x, menu.y)
    xdotool(session, "mousemove", str(x), str(y), "click", "1")
    try:
        def popover_open() -> bool:
            snap = source.backend.snapshot(Box(0, 0, 1920, 1080), 1.0)
            return any(n.name == "Keyboard Shortcuts" and "showing" in n.states for n in snap.nodes)

        wait_for(popover_open, 5, "clicking the tree's point for Menu did not open the menu")
    finally:
        xdotool(session, "key", "Escape")
        time.sleep(0.5)


def test_a_hung_application_does_not_stall_grounding(session: A11yDesktop, engine: Any, source: Any) -> None:
    cap = capture()
    session.pause("gtk")
    try:
        times, trees = [], []
        for attempt in range(2):
            image = cap.image.copy()
            image[-1, -1 - attempt] ^= 1  # a new screen each time: nothing comes from a cache
            start = time.perf_counter()
            result = engine.ground(image, "click Save", mapping=cap.mapping)
            times.append((time.perf_counter() - start) * 1000)
            assert result.best is not None and result.best.label == "Save"
            snapshot = source.last_snapshot
            assert "gtk3-widget-factory" in snapshot.timed_out
            assert snapshot.elapsed_ms <= source.timeout_s * 1000 + 150, snapshot.elapsed_ms
            trees.append(round(snapshot.elapsed_ms, 1))
            assert any(n.name == "Save" for n in snapshot.nodes)  # the Qt window still answered
        REPORT["hung_app_tree_ms"] = trees  # first: waits for it; then: skipped at once
        REPORT["hung_app_ground_ms"] = [round(t) for t in times]
    finally:
        session.resume("gtk")


def _unique_named(found: list[Any]) -> dict[str, Any]:
    """Candidates whose name no other candidate on the screen has (a person could not tell them apart)."""
    counts: dict[str, int] = {}
    for c in found:
        counts[c.text.casefold()] = counts.get(c.text.casefold(), 0) + 1
    return {c.text: c for c in found if counts[c.text.casefold()] == 1 and sum(ch.isalpha() for ch in c.text) >= 3
            and "disabled" not in c.states}


def _show_gtk_page(session: A11yDesktop, engine: Any, page: str) -> None:
    """Switch gtk3-widget-factory to ``page`` by clicking where the tree says its switcher button is."""
    cap = capture()
    best = engine.ground(cap.image, f"click the {page} button", mapping=cap.mapping).best
    assert best is not None and best.label == page, best
    x, y = cap.mapping.to_screen(best.x, best.y)
    xdotool(session, "mousemove", str(x), str(y), "click", "1", "mousemove", "1900", "1000")
    time.sleep(1.0)


def test_targets_the_tree_names_are_grounded_first_time(session: A11yDesktop, engine: Any, source: Any) -> None:
    """Target: >= 98% correct first point for targets the tree names (all three pages of the factory)."""
    time.sleep(2.5)
    source.backend._hung.clear()  # the application resumed after the previous test
    total, wrong = 0, []
    for page in ("Page 2", "Page 3", "Page 1"):
        _show_gtk_page(session, engine, page)
        cap = capture()
        found = _candidates(engine, source, cap)
        tree_names = {n.name for n in source.last_snapshot.nodes if n.role}
        named = _unique_named([c for c in found if c.source == "a11y" and c.text in tree_names])
        for name, c in sorted(named.items()):
            best = engine.ground(cap.image, f"click {name}", mapping=cap.mapping).best
            if best is None or not c.extent.expand(2).contains(best.x, best.y):
                wrong.append((page, name, None if best is None else (best.x, best.y, best.label, best.source)))
        total += len(named)
    accuracy = 1 - len(wrong) / total
    REPORT.update({"named_targets": total, "first_point_accuracy": round(accuracy, 4), "wrong": wrong})
    assert total >= 40, total
    assert accuracy >= 0.98, wrong


def test_tree_fetch_and_grounding_times(session: A11yDesktop, engine: Any, source: Any) -> None:
    """Targets: tree fetch <= 100 ms p50; grounding with the tree on a full-HD screen <= 200 ms p50."""
    from desktop.grounding.engine import Engine

    source.backend._hung.clear()
    cap = capture()
    assert cap.image.shape[:2] == (1080, 1920)
    window = Box(0, 0, 1366, 741)
    fetch = [source.backend.snapshot(window, 1.0).elapsed_ms for _ in range(15)]
    full, tree_part, tree_only = [], [], []
    tree_engine = Engine(sources=[source], semantic=True)
    for i in range(6):
        image = cap.image.copy()
        image[0, i] ^= 1  # a screen no source has cached
        t0 = time.perf_counter()
        result = engine.ground(image, "click Export", mapping=cap.mapping)
        full.append((time.perf_counter() - t0) * 1000)
        tree_part.append(result.timings_ms.get("a11y", 0.0))
        image[1, i] ^= 1
        t0 = time.perf_counter()
        tree_result = tree_engine.ground(image, "click Export", mapping=cap.mapping)
        tree_only.append((time.perf_counter() - t0) * 1000)
        assert tree_result.best is not None and tree_result.best.label == "Export"
    cold = []
    for _ in range(3):  # a new engine: no OCR tile or line cache, a new accessibility connection
        fresh = Engine()
        fresh.warm_up()
        t0 = time.perf_counter()
        fresh.ground(cap.image, "click Export", mapping=cap.mapping)
        cold.append((time.perf_counter() - t0) * 1000)
    REPORT.update({
        "tree_fetch_ms_p50": round(statistics.median(fetch), 1), "tree_fetch_ms": [round(v, 1) for v in fetch],
        "ground_full_hd_all_sources_cold_ms_p50": round(statistics.median(cold)),
        "ground_full_hd_all_sources_cold_ms": [round(v) for v in cold],
        "ground_full_hd_all_sources_ms_p50": round(statistics.median(full)),
        "a11y_source_ms_p50_within_grounding": round(statistics.median(tree_part), 1),
        "ground_full_hd_tree_only_ms_p50": round(statistics.median(tree_only)),
        "note": "2 shared CPU cores (other engineers' jobs running): pessimistic. 'all_sources' = one pixel "
                "changed (OCR reuses its tile and line caches); 'cold' = a new engine on the same screen",
    })
    assert statistics.median(fetch) <= 100, fetch
    assert statistics.median(tree_only) <= 200, tree_only
    assert np.isfinite(statistics.median(full))
