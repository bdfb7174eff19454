"""The GUI's side of the flow: hotkey → capture → bar → grounding → overlay → confirmation → clicks.

Everything slow runs in :class:`~desktop.ui.worker.BackgroundOp`; everything
that decides whether a click is allowed lives in :mod:`desktop.core.flow`.
This module only moves between the widgets and tells the person what happens.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QObject, QPoint, QRect, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QImage

from desktop.core.commands import AppCommand
from desktop.core.errors import ClickAssistError, StalePlan
from desktop.core.flow import (Capture, Confirmation, ExecutionReport, Plan, PlanExecutor,
                               ScreenDigest, auto_confirmation, confirm, ground_capture)
from desktop.core.geometry import Box
from desktop.core.settings import Settings
from desktop.core.work import Cancelled, CancelToken, GroundingEngine
from desktop.ui.command_modes import CommandModes
from desktop.ui.history import History
from desktop.ui.instruction_bar import InstructionBar, bar_position
from desktop.ui.model_progress import ModelProgressView
from desktop.ui.overlay import Overlay, OverlayLook, markers_for_plan
from desktop.ui.own_windows import OwnWindows
from desktop.ui.qt_geometry import logical_to_pointer, pointer_box_to_logical, qt_screen_layouts
from desktop.ui.region_selector import RegionSelector
from desktop.ui.worker import BackgroundOp

__all__ = ["Controller", "qimage_from_rgb"]

logger = logging.getLogger(__name__)

NOTHING_HINT = "Try other words (the text on the control), or select a region first (Ctrl+Alt+R)."
MAX_REGROUNDS = 2


def qimage_from_rgb(image: np.ndarray) -> QImage:
    """A deep-copied ``QImage`` of an RGB ``uint8`` array."""
    h, w = image.shape[:2]
    data = np.ascontiguousarray(image)
    return QImage(data.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def _qrect(box: Box) -> QRect:
    return QRect(round(box.x0), round(box.y0), max(1, round(box.width)), max(1, round(box.height)))


class Controller(QObject):
    """Runs the assistant flow between the widgets, the engine, capture and the click guard.

    Signals
    -------
    state_changed(str)
        ``idle``, ``capturing``, ``typing``, ``grounding``, ``confirming``, ``clicking``.
    planned(Plan)
        A plan is on the overlay (or about to be auto-clicked).
    executed(ExecutionReport)
        Clicks were performed.
    message_shown(str, str)
        A message (and hint) was shown in the bar: nothing matched, or an error.
    """

    state_changed = Signal(str)
    planned = Signal(object)
    executed = Signal(object)
    message_shown = Signal(str, str)

    def __init__(self, settings: Settings, engine: GroundingEngine, capturer: Any,
                 executor: PlanExecutor, history: History, own: OwnWindows,
                 notify: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.engine = engine
        self.capturer = capturer
        self.executor = executor
        self.own = own
        self.notify = notify or (lambda text: None)
        self.bar = InstructionBar(history)
        self.overlay = Overlay(OverlayLook.from_settings(settings))
        self.selector = RegionSelector()
        for w in (self.bar, self.overlay, self.selector):
            own.register(w)
            w.winId()  # create the native windows now: the first hotkey then only shows them
        self.modes = CommandModes(self, self.overlay.look)  # "show numbers", "show grid"
        self.bar.submitted.connect(self.run_instruction)
        self.bar.cancel_requested.connect(self._escape_while_busy)
        self.bar.closed.connect(self._bar_closed)
        self.overlay.confirmed.connect(self._confirmed)
        self.overlay.cancelled.connect(self._overlay_cancelled)
        self.selector.selected.connect(self._region_selected)
        self.selector.cancelled.connect(self._region_cancelled)
        self.state = "idle"
        self.capture: Capture | None = None
        self.full_capture: Capture | None = None
        self.plan: Plan | None = None
        self.op: BackgroundOp[Any] | None = None
        self.anchor = QPoint(0, 0)
        self.regrounds = 0
        self.timings: dict[str, float] = {}
        self._t: dict[str, float] = {}
        # A vision-language model asked besides the default sources (attach_model): its progress.
        self.model_view = ModelProgressView(self.bar, lambda: self.state == "grounding",
                                            lambda text: self.notify(text), self)

    # -- plumbing ------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    def _run(self, name: str, op: Callable[[CancelToken], Any], success: Callable[[Any], None]) -> None:
        if self.op is not None:
            self.op.cancel()
        self.op = BackgroundOp(op, success, self._failed, name=name)
        self.op.run_in_background()

    def attach_model(self, source: Any) -> None:
        """Show the vision-language ``source``'s progress in the bar; Esc while it runs drops only it.

        ``None``: no model (any earlier one is forgotten).
        """
        self.model_view.attach(source)

    def _escape_while_busy(self) -> None:
        if self.model_view.running and self.state == "grounding":
            self.model_view.cancel()  # the other sources' answer still comes
            return
        self.cancel_work()

    def cancel_work(self) -> None:
        """Stop the work in progress (its result is dropped)."""
        if self.model_view.running:
            self.model_view.source.cancel()
        if self.op is not None:
            self.op.cancel()
            self.op = None
        if self.state in ("capturing", "grounding"):
            self._set_state("typing" if self.bar.isVisible() else "idle")

    def _mark(self, name: str) -> None:
        self._t[name] = time.perf_counter()

    def _timing(self, name: str, since: str) -> None:
        if since in self._t:
            self.timings[name] = (time.perf_counter() - self._t[since]) * 1000
            logger.info("timing %s: %.0f ms", name, self.timings[name])

    # -- entry points ----------------------------------------------------------
    def start_ground(self, text: str = "") -> None:
        """Capture the screen under the pointer and open the instruction bar (the hotkey)."""
        self._mark("hotkey")
        self._reset()
        self.anchor = QCursor.pos()
        pointer = self._pointer()
        self._set_state("capturing")
        self._run("capture", lambda token: self.capturer.capture_under_pointer(pointer),
                  lambda cap: self._open_bar(cap, text))

    def start_region(self) -> None:
        """Freeze the screen under the pointer and let the person select a region."""
        self._mark("hotkey")
        self._reset()
        self.anchor = QCursor.pos()
        pointer = self._pointer()
        self._set_state("capturing")
        self._run("capture", lambda token: self.capturer.capture_under_pointer(pointer), self._show_selector)

    def start_command(self, command: AppCommand) -> None:
        """Capture the screen under the pointer and go straight to numbers or the grid (their hotkeys)."""
        self._mark("hotkey")
        self._reset()
        self.anchor = QCursor.pos()
        pointer = self._pointer()
        self._set_state("capturing")

        def start(capture: Capture) -> None:
            self.op = None
            self.capture = capture
            self.modes.start(command, capture)

        self._run("capture", lambda token: self.capturer.capture_under_pointer(pointer), start)

    def _pointer(self) -> tuple[float, float]:
        """Where the pointer is, in pointer coordinates (Qt knows it without a round trip)."""
        return logical_to_pointer(qt_screen_layouts(), self.anchor.x(), self.anchor.y())

    def _reset(self) -> None:
        self.cancel_work()
        for w in (self.overlay, self.selector, self.bar):
            w.hide()
        self.modes.hide()
        self.plan = None
        self.regrounds = 0

    # -- region ------------------------------------------------------------------
    def _show_selector(self, capture: Capture) -> None:
        self.full_capture = capture
        rect = _qrect(pointer_box_to_logical(qt_screen_layouts(), capture.region))
        self._set_state("selecting")
        self.selector.start(qimage_from_rgb(capture.image), rect)
        logger.info("region selector shown")
        self._timing("hotkey_to_selector_ms", "hotkey")

    def _region_selected(self, box: Box) -> None:
        self.selector.hide()
        if self.full_capture is None:
            return
        region = self.full_capture.crop(box)
        logical = pointer_box_to_logical(qt_screen_layouts(), region.region)
        self.anchor = QPoint(round(logical.x0), round(logical.y1))
        self._mark("region")
        self._open_bar(region, since="region")

    def _region_cancelled(self) -> None:
        self.selector.hide()
        self._set_state("idle")

    # -- instruction -----------------------------------------------------------
    def _place_bar(self) -> None:
        screen = QGuiApplication.screenAt(self.anchor) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        self.bar.fit(area)
        s = self.settings
        pos = bar_position(self.anchor, (self.bar.width(), self.bar.height()), area,
                           s.bar_position, (s.bar_fixed_x, s.bar_fixed_y))
        self.bar.move(pos)

    def _open_bar(self, capture: Capture, text: str = "", since: str = "hotkey") -> None:
        self.capture = capture
        self._place_bar()
        self.bar.open(text)
        self._set_state("typing")
        self._timing(f"{since}_to_bar_ms", since)

    def run_instruction(self, text: str) -> None:
        """Ground ``text`` on the current capture (Enter in the bar)."""
        capture = self.capture
        if capture is None or self.modes.handle(text, capture):
            return
        self._mark("enter")
        self.bar.set_busy(f"Looking for \u201c{text}\u201d…")
        self._set_state("grounding")
        self._run("ground", lambda token: self._ground_and_verify(capture, text, token), self._show_plan)

    def _ground_and_verify(self, capture: Capture, text: str,
                           token: CancelToken) -> tuple[Plan, Capture]:
        """Ground, then check the screen is as captured (the bar hides meanwhile) and date the plan now."""
        plan = ground_capture(self.engine, capture, text, token)
        if plan.empty:
            return plan, capture
        for attempt in range(3):
            if attempt:  # what the bar covered may still be repainting
                time.sleep(0.1 * attempt)
            fresh = self.capturer.capture_region(capture.region)
            token.check()
            if not ScreenDigest.of(fresh.image).differs(plan.digest, self.executor.tolerance):
                return dataclasses.replace(plan, captured_at=fresh.captured_at), capture
        logger.info("screen changed while grounding; grounding the new screen")
        return ground_capture(self.engine, fresh, text, token), fresh

    def _show_plan(self, result: tuple[Plan, Capture]) -> None:
        plan, capture = result
        self.op = None
        self.plan, self.capture = plan, capture
        if plan.empty:
            message = plan.result.message or f"Nothing matched \u201c{plan.instruction}\u201d."
            # "Remember me is already ticked": found, and left alone on purpose; no other words needed.
            by_state = bool(plan.result.message) and any(s.goal or s.state for s in plan.result.intent.steps)
            self._show_error(message, "" if by_state else NOTHING_HINT)
            return
        self.planned.emit(plan)
        auto = auto_confirmation(plan, self.settings.auto_click, self.settings.auto_click_threshold)
        if auto is not None:
            self._execute(plan, auto)
            return
        self.bar.hide()
        screens = qt_screen_layouts()
        area = pointer_box_to_logical(screens, plan.region)
        markers = markers_for_plan(plan, screens, (area.x0, area.y0))
        self.overlay.present(plan.plan_id, markers, _qrect(area), qimage_from_rgb(capture.image),
                             plan.wants_all, plan.instruction)
        self._set_state("confirming")
        self._timing("enter_to_overlay_ms", "enter")
        self.timings["engine_ms"] = plan.result.elapsed_ms
        logger.info("timing engine: %.0f ms", plan.result.elapsed_ms)

    # -- confirmation and clicks -------------------------------------------------
    def _confirmed(self, plan_id: str, indices: tuple[int, ...], via: str) -> None:
        plan = self.plan
        if plan is None or plan.plan_id != plan_id or self.state != "confirming":
            logger.warning("a confirmation for a plan no longer shown was ignored")
            return
        self._execute(plan, confirm(plan, indices, via))

    def _execute(self, plan: Plan, confirmation: Confirmation) -> None:
        self._set_state("clicking")
        return_pointer = self.settings.return_pointer

        def op(token: CancelToken) -> ExecutionReport:
            self.own.hide_transient()  # the overlay is hidden before any click
            return self.executor.execute(plan, confirmation, return_pointer)

        self._run("click", op, self._executed)

    def _executed(self, report: ExecutionReport) -> None:
        self.op = None
        self.plan = None
        self.regrounds = 0
        self._set_state("idle")
        n = len(report.clicked)
        self.notify(f"Clicked {n} target{'s' if n != 1 else ''}.")
        self.executed.emit(report)

    def _overlay_cancelled(self, plan_id: str) -> None:
        self.overlay.hide()
        self.plan = None
        self._set_state("idle")
        self.notify("Cancelled; nothing was clicked.")

    def _bar_closed(self) -> None:
        self.cancel_work()
        self.capture = None
        self._set_state("idle")

    # -- errors --------------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        self.op = None
        if isinstance(exc, Cancelled):
            return
        plan = self.plan
        if isinstance(exc, StalePlan) and plan is not None and self.regrounds < MAX_REGROUNDS:
            self.regrounds += 1
            logger.info("plan refused (%s); grounding again", exc.user_message)
            self._reground(plan, exc)
            return
        if isinstance(exc, ClickAssistError):
            self._show_error(exc.user_message, exc.hint)
        else:
            logger.error("unexpected failure", exc_info=exc)
            self._show_error("Something went wrong.", str(exc))

    def _reground(self, plan: Plan, reason: ClickAssistError) -> None:
        self.overlay.hide()
        self._set_state("capturing")

        def after_capture(capture: Capture) -> None:
            self._open_bar(capture, plan.instruction)
            self.run_instruction(plan.instruction)
            self.bar.set_busy(f"{reason.user_message} Finding the targets again…")

        self._run("capture", lambda token: self.capturer.capture_region(plan.region), after_capture)

    def _show_error(self, message: str, hint: str = "") -> None:
        """The one place that tells the person what went wrong; the bar stays open for another try."""
        self.overlay.hide()
        self.selector.hide()
        self.modes.hide()
        if not self.bar.isVisible():
            self._place_bar()
            self.bar.show()
            self.bar.raise_()
            self.bar.activateWindow()
        self.bar.show_message(message, hint)
        self.message_shown.emit(message, hint)
        self._set_state("typing" if self.capture is not None else "idle")

    # -- settings --------------------------------------------------------------------
    def apply_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on (overlay look, confirmation policy, plan expiry)."""
        self.settings = settings
        self.overlay.look = OverlayLook.from_settings(settings)
        self.modes.set_look(self.overlay.look)
        self.executor.max_age_s = settings.plan_max_age_s
        self.executor.allow_auto = settings.auto_click
        self.bar.history.limit = settings.history_size
