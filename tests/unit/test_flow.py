"""The Qt-free flow: plans, confirmations and the click guard, with a recording clicker."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from desktop.actions import RecordingClicker
from desktop.core.errors import ClickAssistError, NotConfirmed, StalePlan
from desktop.core.flow import (Capture, PlanExecutor, ScreenDigest, UnsafeTarget, auto_confirmation,
                               confirm, ground_capture, make_plan)
from desktop.core.geometry import Box, ScreenMapping
from desktop.core.intent import Intent, Step
from desktop.core.results import GroundingResult, Prediction
from desktop.core.work import Cancelled, CancelToken, LazyEngine


def screen(seed: int = 0, h: int = 200, w: int = 300) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.full((h, w, 3), 240, np.uint8)
    for _ in range(12):  # a few "controls" so that the image has structure
        x, y = rng.integers(0, w - 40), rng.integers(0, h - 20)
        img[y:y + 20, x:x + 40] = rng.integers(0, 255, 3)
    return img


def result(points: list[tuple[int, int, float, str]], select_all: bool = False,
           action: str = "click") -> GroundingResult:
    step = Step(action=action, target="x", select_all=select_all)
    preds = tuple(Prediction(x, y, c, label, Box(x - 5, y - 5, x + 5, y + 5), "ocr", action)
                  for x, y, c, label in points)
    return GroundingResult(preds, Intent("click x", (step,)), 12.0, (300, 200))


def capture(img: np.ndarray | None = None, mapping: ScreenMapping | None = None,
            at: float = 100.0) -> Capture:
    img = screen() if img is None else img
    mapping = mapping or ScreenMapping(-1920.0, 40.0, 1.0, 1.0)
    region = mapping.box_to_screen(Box(0, 0, img.shape[1], img.shape[0]))
    return Capture(img, mapping, region, at)


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def executor(img: np.ndarray, clicker: RecordingClicker, clock: Clock, **kw: object) -> PlanExecutor:
    return PlanExecutor(clicker, recapture=lambda region: img, clock=clock, retry_delay_s=0.0, **kw)  # type: ignore[arg-type]


def test_plan_maps_points_through_the_capture_mapping() -> None:
    cap = capture(mapping=ScreenMapping(-1920.0, 40.0, 2.0, 2.0))
    plan = make_plan(cap, "click Save", result([(100, 50, 0.9, "Save"), (7, 9, 0.4, "Open")]))
    assert [(c.x, c.y) for c in plan.clicks] == [(-1870, 65), (-1917, 44)]
    assert [(c.image_x, c.image_y, c.index) for c in plan.clicks] == [(100, 50, 0), (7, 9, 1)]


def test_enter_accepts_best_for_one_and_every_target_for_all() -> None:
    cap = capture()
    one = make_plan(cap, "click Save", result([(10, 10, 0.9, "Save"), (50, 50, 0.5, "Save as")]))
    every = make_plan(cap, "click all checkboxes", result([(10, 10, 0.9, "a"), (50, 50, 0.8, "b")], True))
    assert one.default_indices == (0,) and every.default_indices == (0, 1)


def test_multi_step_predictions_are_clicked_in_step_order() -> None:
    preds = (Prediction(5, 5, 0.9, "Italic", None, "ocr", step=1), Prediction(9, 9, 0.8, "Bold", None, "ocr"))
    res = GroundingResult(preds, Intent("click Bold then Italic", (Step(target="Bold"), Step(target="Italic"))),
                          1.0, (300, 200))
    plan = make_plan(capture(), "click Bold then Italic", res)
    assert [c.label for c in plan.clicks] == ["Bold", "Italic"] and plan.wants_all


def test_confirmed_points_are_clicked_exactly_and_in_order() -> None:
    img, clicker, clock = screen(), RecordingClicker(), Clock(101.0)
    plan = make_plan(capture(img), "click all", result([(10, 10, 0.9, "a"), (20, 20, 0.8, "b"),
                                                         (30, 30, 0.7, "c")], True))
    report = executor(img, clicker, clock).execute(plan, confirm(plan, (2, 0), "key"), return_pointer=False)
    assert [(c.x, c.y) for c in clicker.clicks] == [(-1890, 70), (-1910, 50)]
    assert [c.index for c in report.clicked] == [2, 0] and clicker.returned_pointer == [False]


@pytest.mark.parametrize("action", ["double_click", "right_click"])
def test_actions_are_passed_to_the_clicker(action: str) -> None:
    img, clicker = screen(), RecordingClicker()
    plan = make_plan(capture(img), "x", result([(10, 10, 0.9, "a")], action=action))
    executor(img, clicker, Clock(100.5)).execute(plan, confirm(plan, (0,), "number"))
    assert clicker.clicks[0].action == action


def test_no_confirmation_no_click() -> None:
    img, clicker = screen(), RecordingClicker()
    plan = make_plan(capture(img), "x", result([(10, 10, 0.9, "a")]))
    with pytest.raises(NotConfirmed):
        executor(img, clicker, Clock()).execute(plan, None)
    assert clicker.clicks == []


def test_confirmation_for_another_plan_is_refused() -> None:
    img, clicker = screen(), RecordingClicker()
    res = result([(10, 10, 0.9, "a")])
    plan_a, plan_b = make_plan(capture(img), "x", res), make_plan(capture(img), "x", res)
    with pytest.raises(NotConfirmed):
        executor(img, clicker, Clock()).execute(plan_b, confirm(plan_a, (0,), "key"))
    assert clicker.clicks == []


def test_confirmation_binds_to_the_exact_points() -> None:
    img, clicker = screen(), RecordingClicker()
    plan = make_plan(capture(img), "x", result([(10, 10, 0.9, "a")]))
    conf = confirm(plan, (0,), "key")
    moved = dataclasses.replace(plan, clicks=(dataclasses.replace(plan.clicks[0], x=5000),))
    with pytest.raises(NotConfirmed):
        executor(img, clicker, Clock()).execute(moved, conf)
    assert clicker.clicks == []


@pytest.mark.parametrize("indices", [(), (1,), (0, 0), (-1,)])
def test_confirm_rejects_invalid_indices(indices: tuple[int, ...]) -> None:
    plan = make_plan(capture(), "x", result([(10, 10, 0.9, "a")]))
    with pytest.raises(NotConfirmed):
        confirm(plan, indices, "key")


def test_stale_plan_is_refused() -> None:
    img, clicker = screen(), RecordingClicker()
    plan = make_plan(capture(img, at=100.0), "x", result([(10, 10, 0.9, "a")]))
    with pytest.raises(StalePlan):
        executor(img, clicker, Clock(111.0), max_age_s=10.0).execute(plan, confirm(plan, (0,), "key"))
    assert clicker.clicks == []


def test_changed_screen_is_refused() -> None:
    clicker = RecordingClicker()
    plan = make_plan(capture(screen(0)), "x", result([(10, 10, 0.9, "a")]))
    with pytest.raises(StalePlan, match="changed"):
        executor(screen(1), clicker, Clock()).execute(plan, confirm(plan, (0,), "key"))
    assert clicker.clicks == []


def test_scrolled_screen_is_refused() -> None:
    img = screen(3)
    plan = make_plan(capture(img), "x", result([(10, 10, 0.9, "a")]))
    with pytest.raises(StalePlan):
        executor(np.roll(img, 30, axis=0), RecordingClicker(), Clock()).execute(plan, confirm(plan, (0,), "key"))


def test_a_blinking_cursor_is_not_a_change() -> None:
    img, clicker = screen(), RecordingClicker()
    plan = make_plan(capture(img), "x", result([(10, 10, 0.9, "a")]))
    blink = img.copy()
    blink[100:116, 150:152] = 0  # a 2x16 text cursor
    executor(blink, clicker, Clock()).execute(plan, confirm(plan, (0,), "key"))
    assert len(clicker.clicks) == 1


def test_a_late_repaint_is_looked_at_twice() -> None:
    img, clicker = screen(), RecordingClicker()
    plan = make_plan(capture(img), "x", result([(10, 10, 0.9, "a")]))
    frames = iter([np.zeros_like(img), img])  # first grab: not repainted yet
    ex = PlanExecutor(clicker, recapture=lambda r: next(frames), clock=Clock(), retry_delay_s=0.0)
    ex.execute(plan, confirm(plan, (0,), "key"))
    assert len(clicker.clicks) == 1


def test_points_inside_own_windows_are_refused() -> None:
    img, clicker = screen(), RecordingClicker()
    plan = make_plan(capture(img), "x", result([(10, 10, 0.9, "a")]))
    own = [Box(-1915, 45, -1900, 60)]  # contains (-1910, 50)
    with pytest.raises(UnsafeTarget):
        executor(img, clicker, Clock(), own_windows=lambda: own).execute(plan, confirm(plan, (0,), "mouse"))
    assert clicker.clicks == []


def test_auto_click_needs_opt_in_threshold_and_a_single_target() -> None:
    cap = capture()
    single = make_plan(cap, "x", result([(10, 10, 0.95, "a")]))
    assert auto_confirmation(single, enabled=False, threshold=0.9) is None
    assert auto_confirmation(single, enabled=True, threshold=0.97) is None
    assert auto_confirmation(make_plan(cap, "x", result([(10, 10, 0.95, "a"), (30, 30, 0.2, "b")])),
                             enabled=True, threshold=0.5) is None
    conf = auto_confirmation(single, enabled=True, threshold=0.9)
    assert conf is not None and conf.via == "auto" and conf.indices == (0,)


def test_executor_honours_auto_only_when_allowed() -> None:
    img = screen()
    plan = make_plan(capture(img), "x", result([(10, 10, 0.95, "a")]))
    conf = auto_confirmation(plan, enabled=True, threshold=0.9)
    clicker = RecordingClicker()
    with pytest.raises(NotConfirmed):
        executor(img, clicker, Clock(), allow_auto=False).execute(plan, conf)
    executor(img, clicker, Clock(), allow_auto=True).execute(plan, conf)
    assert len(clicker.clicks) == 1


def test_digest_sees_size_changes_and_tolerates_noise() -> None:
    img = screen()
    noisy = np.clip(img.astype(int) + np.random.default_rng(1).integers(-3, 4, img.shape), 0, 255).astype(np.uint8)
    assert not ScreenDigest.of(img).differs(ScreenDigest.of(noisy))
    assert ScreenDigest.of(img).differs(ScreenDigest.of(img[:150]))


def test_crop_keeps_the_mapping_exact() -> None:
    cap = capture(mapping=ScreenMapping(-1280.0, -100.0, 1.5, 1.5))
    part = cap.crop(Box(30, 60, 90, 120))
    assert part.image.shape == (60, 60, 3)
    assert part.mapping.to_screen(0, 0) == cap.mapping.to_screen(30, 60)
    assert part.mapping.to_screen(45, 15) == cap.mapping.to_screen(75, 75)
    assert part.region == Box(-1260.0, -60.0, -1220.0, -20.0)


class FakeEngine:
    def __init__(self, res: GroundingResult) -> None:
        self.res = res
        self.calls: list[str] = []

    def ground(self, image: object, instruction: str, *, min_clicks: int | None = None,
               max_clicks: int | None = None, reference: object = None,
               mapping: object = None) -> GroundingResult:
        self.calls.append(instruction)
        return self.res


def test_ground_capture_and_cancel() -> None:
    engine = FakeEngine(result([(10, 10, 0.9, "Save")]))
    plan = ground_capture(engine, capture(), "click Save")
    assert plan.instruction == "click Save" and plan.clicks[0].label == "Save"
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        ground_capture(engine, capture(), "click Save", token)
    assert engine.calls == ["click Save"]


def test_lazy_engine_builds_once_in_the_background() -> None:
    built, gate = [], threading.Event()

    def factory() -> FakeEngine:
        gate.wait(5)
        built.append(1)
        return FakeEngine(result([(1, 1, 0.5, "a")]))

    lazy = LazyEngine(factory, warm_image=np.zeros((8, 8, 3), np.uint8))
    lazy.start()
    assert not lazy.ready
    gate.set()
    assert lazy.ground(np.zeros((8, 8, 3), np.uint8), "click a").best is not None
    lazy.start()
    assert built == [1] and lazy.ready


def test_lazy_engine_reports_a_broken_build() -> None:
    def factory() -> FakeEngine:
        raise RuntimeError("weights missing")

    with pytest.raises(ClickAssistError, match="could not start") as err:
        LazyEngine(factory).get(timeout=5)
    assert "weights missing" in err.value.hint
