"""The assistant flow without Qt: capture → ground → plan → confirmation → guarded clicks.

Safety lives here, not in the widgets:

* a :class:`Plan` binds a grounding result to the capture it was made from
  (its :class:`~desktop.core.geometry.ScreenMapping`, capture time and a
  cheap digest of the pixels);
* a :class:`Confirmation` names one plan (by id and by a fingerprint of its
  exact points) and the indices the person accepted;
* :class:`PlanExecutor` clicks only for a matching confirmation, refuses a
  plan older than a few seconds, re-captures the region and refuses when the
  screen changed, and refuses points inside the app's own windows.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import numpy as np

from desktop.core.errors import ClickAssistError, NotConfirmed, StalePlan
from desktop.core.geometry import Box, ScreenMapping
from desktop.core.results import GroundingResult, Prediction
from desktop.core.sources import Screen
from desktop.core.work import CancelToken, GroundingEngine

__all__ = [
    "Capture",
    "ScreenDigest",
    "PlannedClick",
    "Plan",
    "Confirmation",
    "CONFIRM_VIA",
    "UnsafeTarget",
    "Clicker",
    "Capturer",
    "PlanExecutor",
    "ExecutionReport",
    "make_plan",
    "confirm",
    "auto_confirmation",
    "ground_capture",
]

logger = logging.getLogger(__name__)

#: How a confirmation came about. ``auto`` is only honoured when the person
#: turned auto-click on; every other value is a person's own action.
CONFIRM_VIA = ("key", "number", "mouse", "voice", "auto")


class UnsafeTarget(ClickAssistError):
    """A point to click lies where the app must never click (its own windows)."""

    code = "unsafe_target"


@dataclass(frozen=True, eq=False)
class Capture:
    """A screenshot with everything needed to map its pixels back to the pointer.

    Parameters
    ----------
    image
        RGB ``uint8`` pixels, shape ``(H, W, 3)``.
    mapping
        Image pixels → pointer coordinates.
    region
        The captured area in pointer coordinates (what a re-capture grabs again).
    captured_at
        ``time.monotonic()`` at capture.
    """

    image: np.ndarray
    mapping: ScreenMapping
    region: Box
    captured_at: float = field(default_factory=time.monotonic)

    def crop(self, box: Box) -> Capture:
        """The part of this capture inside ``box`` (image pixels), with its own mapping."""
        b = box.clip(self.image.shape[1], self.image.shape[0])
        x0, y0, x1, y1 = int(b.x0), int(b.y0), int(round(b.x1)), int(round(b.y1))
        if x1 - x0 < 1 or y1 - y0 < 1:
            raise ValueError(f"crop box {box} is empty inside the capture")
        m = self.mapping
        mapping = ScreenMapping(m.origin_x + x0 / m.pixels_per_unit_x,
                                m.origin_y + y0 / m.pixels_per_unit_y,
                                m.pixels_per_unit_x, m.pixels_per_unit_y)
        region = mapping.box_to_screen(Box(0, 0, x1 - x0, y1 - y0))
        image = np.ascontiguousarray(self.image[y0:y1, x0:x1])
        return Capture(image, mapping, region, self.captured_at)


@dataclass(frozen=True)
class ScreenDigest:
    """A cheap summary of a screenshot: the mean grey level of each cell of a coarse grid.

    Comparing grids with a tolerance ignores a blinking text cursor or
    dithering yet notices a scrolled page, a moved window or a new dialog.
    """

    shape: tuple[int, int]
    cells: bytes
    grid: tuple[int, int]

    @classmethod
    def of(cls, image: np.ndarray, grid: tuple[int, int] = (24, 24),
           min_cell: tuple[int, int] = (32, 48)) -> ScreenDigest:
        h, w = image.shape[:2]
        # Cells of at least ~32x48 pixels: small enough to notice a control
        # changing, large enough that a text cursor's blink does not count.
        gy = max(1, min(grid[0], h // min_cell[0]))
        gx = max(1, min(grid[1], w // min_cell[1]))
        grey = image.mean(axis=2, dtype=np.float32) if image.ndim == 3 else image.astype(np.float32)
        ys = np.linspace(0, h, gy + 1).astype(int)
        xs = np.linspace(0, w, gx + 1).astype(int)
        # reduceat sums each band; dividing by band sizes gives the cell means.
        sums = np.add.reduceat(np.add.reduceat(grey, ys[:-1], axis=0), xs[:-1], axis=1)
        sizes = np.outer(np.diff(ys), np.diff(xs)).astype(np.float32)
        cells = np.clip(np.rint(sums / sizes), 0, 255).astype(np.uint8)
        return cls((h, w), cells.tobytes(), (gy, gx))

    def differs(self, other: ScreenDigest, tolerance: int = 10) -> bool:
        """Whether ``other`` looks like a different screen (any cell off by more than ``tolerance``)."""
        # A re-capture may differ by a pixel of rounding where pointer units
        # are not pixels; the cell means do not care.
        same_size = all(abs(a - b) <= 2 for a, b in zip(self.shape, other.shape))
        if not same_size or self.grid != other.grid:
            return True
        a = np.frombuffer(self.cells, dtype=np.uint8).astype(np.int16)
        b = np.frombuffer(other.cells, dtype=np.uint8).astype(np.int16)
        return bool(np.abs(a - b).max(initial=0) > tolerance)


@dataclass(frozen=True)
class PlannedClick:
    """One point of a plan: marker number ``index + 1``, in pointer coordinates."""

    index: int
    x: int
    y: int
    action: str
    label: str
    confidence: float
    image_x: int
    image_y: int
    step: int = 0


@dataclass(frozen=True)
class Plan:
    """What the app would click for one instruction on one capture, awaiting confirmation."""

    plan_id: str
    instruction: str
    result: GroundingResult
    mapping: ScreenMapping
    region: Box
    captured_at: float
    digest: ScreenDigest
    clicks: tuple[PlannedClick, ...]

    @property
    def empty(self) -> bool:
        return not self.clicks

    @property
    def wants_all(self) -> bool:
        """The instruction asked for several targets ("all", "the first three", several steps)."""
        steps = self.result.intent.steps
        return len(steps) > 1 or any(s.wants_many for s in steps)

    @property
    def default_indices(self) -> tuple[int, ...]:
        """What Enter accepts: every target for an "all" instruction, else the best one."""
        if self.empty:
            return ()
        return tuple(c.index for c in self.clicks) if self.wants_all else (0,)

    @property
    def fingerprint(self) -> str:
        """A hash of the exact points, actions and screen: a confirmation binds to it."""
        h = hashlib.blake2b(digest_size=16)
        h.update(self.plan_id.encode())
        h.update(self.digest.cells)
        for c in self.clicks:
            h.update(f"{c.index}:{c.x}:{c.y}:{c.action};".encode())
        return h.hexdigest()

    def age(self, now: float | None = None) -> float:
        return (time.monotonic() if now is None else now) - self.captured_at


def _ordered(predictions: Sequence[Prediction]) -> list[Prediction]:
    # Steps run in the order the person said them; within a step the engine's
    # order (by confidence) is the marker order.
    return sorted(predictions, key=lambda p: p.step)


def make_plan(capture: Capture, instruction: str, result: GroundingResult) -> Plan:
    """Bind ``result`` (grounded on ``capture.image``) to ``capture``'s mapping, time and digest."""
    clicks = []
    for i, p in enumerate(_ordered(result.predictions)):
        sx, sy = capture.mapping.to_screen(p.x, p.y)
        clicks.append(PlannedClick(i, sx, sy, p.action, p.label, float(p.confidence),
                                   int(p.x), int(p.y), p.step))
    return Plan(uuid.uuid4().hex, instruction, result, capture.mapping, capture.region,
                capture.captured_at, ScreenDigest.of(capture.image), tuple(clicks))


@dataclass(frozen=True)
class Confirmation:
    """A person's acceptance of exactly these indices of exactly this plan.

    Create it with :func:`confirm` from a person's action (a key, a number, a
    click on a marker, a voice command), never from code that decides on its own.
    """

    plan_id: str
    fingerprint: str
    indices: tuple[int, ...]
    via: str
    created_at: float


def confirm(plan: Plan, indices: Sequence[int], via: str) -> Confirmation:
    """The confirmation for ``indices`` of ``plan``, made from a person's action ``via``.

    Raises
    ------
    NotConfirmed
        When ``indices`` is empty, repeats an index or names one the plan does not have.
    """
    chosen = tuple(int(i) for i in indices)
    if via not in CONFIRM_VIA:
        raise ValueError(f"unknown confirmation kind {via!r}")
    if not chosen or len(set(chosen)) != len(chosen) or not all(0 <= i < len(plan.clicks) for i in chosen):
        raise NotConfirmed("Nothing valid was chosen to click.", hint="Pick a marker by its number.")
    return Confirmation(plan.plan_id, plan.fingerprint, chosen, via, time.monotonic())


def auto_confirmation(plan: Plan, enabled: bool, threshold: float) -> Confirmation | None:
    """The automatic confirmation for a single confident target, when the person opted in."""
    if not enabled or len(plan.clicks) != 1 or plan.wants_all:
        return None
    if plan.clicks[0].confidence < threshold:
        return None
    return confirm(plan, (0,), "auto")


class Clicker(Protocol):
    """Performs clicks at pointer coordinates (pyautogui in the app, a recorder in tests)."""

    def perform(self, clicks: Sequence[PlannedClick], return_pointer: bool) -> None:
        ...


class Capturer(Protocol):
    """Takes screenshots with their mapping back to the pointer."""

    def capture_under_pointer(self, pointer: tuple[float, float] | None = None) -> Capture:
        ...

    def capture_region(self, region: Box) -> Capture:
        ...


@dataclass(frozen=True)
class ExecutionReport:
    """What was clicked, in order, and how long the guarded execution took."""

    plan_id: str
    clicked: tuple[PlannedClick, ...]
    elapsed_ms: float


class PlanExecutor:
    """Clicks a confirmed plan after checking that it is still safe to.

    Parameters
    ----------
    clicker
        Performs the clicks.
    recapture
        Grabs ``region`` (pointer coordinates) again, with the app's windows
        hidden, to check that the screen has not changed since the plan's capture.
    own_windows
        The app's visible windows in pointer coordinates; nothing is clicked inside them.
    max_age_s
        Plans captured longer ago than this are refused.
    allow_auto
        Whether ``auto`` confirmations are honoured (the person opted in).
    clock
        ``time.monotonic`` or a fake one in tests.
    """

    def __init__(self, clicker: Clicker, recapture: Callable[[Box], np.ndarray],
                 own_windows: Callable[[], Sequence[Box]] = lambda: (),
                 max_age_s: float = 10.0, allow_auto: bool = False,
                 clock: Callable[[], float] = time.monotonic, tolerance: int = 10,
                 retry_delay_s: float = 0.15) -> None:
        self.clicker = clicker
        self.recapture = recapture
        self.own_windows = own_windows
        self.max_age_s = max_age_s
        self.allow_auto = allow_auto
        self.clock = clock
        self.tolerance = tolerance
        self.retry_delay_s = retry_delay_s

    def check(self, plan: Plan, confirmation: Confirmation | None) -> tuple[PlannedClick, ...]:
        """The clicks to perform, or an error saying why none may be.

        Raises
        ------
        NotConfirmed
            No confirmation, one for another plan or other points, or an
            automatic one while auto-click is off.
        StalePlan
            The plan is too old, or the screen changed since its capture.
        UnsafeTarget
            A point lies inside one of the app's own windows.
        """
        chosen = self._confirmed_clicks(plan, confirmation)
        age = plan.age(self.clock())
        if age > self.max_age_s:
            raise StalePlan(f"The targets were found {age:.0f} seconds ago, which is too long.",
                            hint="Finding them again on the current screen.")
        if self._screen_changed(plan):
            raise StalePlan("The screen changed since the targets were found.",
                            hint="Finding them again on the current screen.")
        boxes = list(self.own_windows())
        for c in chosen:
            if any(b.contains(c.x, c.y) for b in boxes):
                raise UnsafeTarget(f"Target {c.index + 1} ({c.label}) is inside Click Assist's own window.",
                                   hint="Move that window away and try again.")
        return chosen

    def _screen_changed(self, plan: Plan) -> bool:
        # Windows uncovered by the overlay may still be repainting (slowly on a
        # busy machine): look again a few times before calling the screen changed.
        for attempt in range(3):
            if attempt:
                time.sleep(self.retry_delay_s * attempt)
            if not ScreenDigest.of(self.recapture(plan.region)).differs(plan.digest, self.tolerance):
                return False
        return True

    def _confirmed_clicks(self, plan: Plan, confirmation: Confirmation | None) -> tuple[PlannedClick, ...]:
        if confirmation is None:
            raise NotConfirmed("Nothing was clicked because nothing was confirmed.")
        if confirmation.plan_id != plan.plan_id or confirmation.fingerprint != plan.fingerprint:
            raise NotConfirmed("That confirmation was for other targets; nothing was clicked.",
                               hint="Confirm the targets shown now.")
        if confirmation.via == "auto" and not self.allow_auto:
            raise NotConfirmed("Automatic clicking is off; nothing was clicked.",
                               hint="Confirm the target, or turn auto-click on in Settings.")
        if not confirmation.indices or not all(0 <= i < len(plan.clicks) for i in confirmation.indices):
            raise NotConfirmed("The confirmation names no target of this plan.")
        return tuple(plan.clicks[i] for i in confirmation.indices)

    def execute(self, plan: Plan, confirmation: Confirmation | None,
                return_pointer: bool = True) -> ExecutionReport:
        """Check ``plan`` against ``confirmation`` (see :meth:`check`), then click."""
        start = time.perf_counter()
        chosen = self.check(plan, confirmation)
        logger.info("clicking %d target(s) of plan %s", len(chosen), plan.plan_id[:8])
        self.clicker.perform(chosen, return_pointer)
        return ExecutionReport(plan.plan_id, chosen, (time.perf_counter() - start) * 1000)


def ground_capture(engine: GroundingEngine, capture: Capture, instruction: str,
                   cancel: CancelToken | None = None) -> Plan:
    """Ground ``instruction`` on ``capture`` and bind the result into a :class:`Plan`.

    The engine call itself cannot be interrupted; ``cancel`` is checked before
    and after it, so a cancelled request never produces a plan.
    """
    if cancel is not None:
        cancel.check()
    # A live capture: its mapping lets the accessibility tree take part.
    result = engine.ground(Screen(capture.image), instruction, mapping=capture.mapping)
    if cancel is not None:
        cancel.check()
    return make_plan(capture, instruction, result)


