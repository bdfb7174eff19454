"""The controller's "show numbers" and "show grid" modes: capture → overlay → a guarded click.

Both end the same way as a grounded instruction: a :class:`~desktop.core.flow.Plan`
bound to the capture, a :class:`~desktop.core.flow.Confirmation` made from
the person's own choice, and the controller's guarded executor, which
re-captures the region and refuses to click if the screen changed.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any, Sequence

from PySide6.QtCore import QObject, QRect

from desktop.core.commands import AppCommand, parse_command
from desktop.core.flow import CONFIRM_VIA, Capture, Plan, confirm, make_plan
from desktop.core.geometry import Box
from desktop.core.intent import Intent, Step
from desktop.core.numbers import NumberTarget, targets_from_candidates
from desktop.core.results import GroundingResult, Prediction
from desktop.core.sources import Screen
from desktop.core.work import CancelToken, all_candidates
from desktop.ui.grid_overlay import GridOverlay
from desktop.ui.numbers_overlay import NumbersOverlay
from desktop.ui.overlay import OverlayLook
from desktop.ui.qt_geometry import pointer_box_to_logical, qt_screen_layouts

if TYPE_CHECKING:
    from desktop.ui.controller import Controller

__all__ = ["CommandModes", "plan_for_targets"]

logger = logging.getLogger(__name__)

NOTHING_CLICKABLE = "Nothing clickable was found here."
NOTHING_HINT = "Say or type \u201cshow grid\u201d to point anywhere."


def plan_for_targets(capture: Capture, instruction: str, targets: Sequence[NumberTarget]) -> Plan:
    """A plan whose click ``i`` is ``targets[i]`` (the person then confirms one of them)."""
    preds = tuple(Prediction(int(t.point[0]), int(t.point[1]), 1.0, t.label, t.box, t.source, role=t.role)
                  for t in targets)
    h, w = capture.image.shape[:2]
    result = GroundingResult(preds, Intent(instruction, (Step(raw=instruction),)), 0.0, (w, h))
    return make_plan(capture, instruction, result)


def _qrect(box: Box) -> QRect:
    return QRect(round(box.x0), round(box.y0), max(1, round(box.width)), max(1, round(box.height)))


class CommandModes(QObject):
    """Runs the app commands of :mod:`desktop.core.commands` for a :class:`Controller`."""

    def __init__(self, controller: "Controller", look: OverlayLook) -> None:
        super().__init__(controller)
        self.c = controller
        self.numbers = NumbersOverlay(look)
        self.grid = GridOverlay(look)
        for w in (self.numbers, self.grid):
            controller.own.register(w)
            w.winId()  # native windows now, so a hotkey only shows them
        self.numbers.chosen.connect(self._number_chosen)
        self.numbers.cancelled.connect(self._cancelled)
        self.grid.clicked.connect(self._grid_clicked)
        self.grid.cancelled.connect(self._cancelled)
        self.plan: Plan | None = None
        self.capture: Capture | None = None
        self.targets: list[NumberTarget] = []

    def set_look(self, look: OverlayLook) -> None:
        self.numbers.look = self.grid.look = look

    def hide(self) -> None:
        self.numbers.hide()
        self.grid.hide()

    def handle(self, text: str, capture: Capture) -> bool:
        """Start the mode ``text`` names, if it names one; False for an ordinary instruction."""
        command = parse_command(text)
        if command is None:
            return False
        self.start(command, capture)
        return True

    def start(self, command: AppCommand, capture: Capture) -> None:
        """Show numbers or the grid over ``capture``."""
        self.capture = capture
        self.plan = None
        if command is AppCommand.GRID:
            self._show_grid(capture)
            return
        self.c.bar.set_busy("Finding everything you can click\u2026")
        self.c._set_state("grounding")
        self.c._run("numbers", lambda token: self._find(capture, token),
                    lambda found: self._show_numbers(capture, found))

    def _geometry(self, capture: Capture) -> QRect:
        return _qrect(pointer_box_to_logical(qt_screen_layouts(), capture.region))

    def _background(self, capture: Capture) -> Any:
        from desktop.ui.controller import qimage_from_rgb

        return qimage_from_rgb(capture.image)

    # -- numbers ---------------------------------------------------------------------
    def _find(self, capture: Capture, token: CancelToken) -> tuple[list[NumberTarget], Plan]:
        token.check()
        start = time.perf_counter()
        found = all_candidates(self.c.engine, Screen(capture.image), capture.mapping)
        targets = targets_from_candidates(found)
        token.check()
        logger.info("timing numbers: %d targets from %d candidates in %.0f ms", len(targets), len(found),
                    (time.perf_counter() - start) * 1000)
        return targets, plan_for_targets(capture, "show numbers", targets)

    def _show_numbers(self, capture: Capture, found: tuple[list[NumberTarget], Plan]) -> None:
        self.c.op = None
        targets, plan = found
        if not targets:
            self.c._show_error(NOTHING_CLICKABLE, NOTHING_HINT)
            return
        self.targets, self.plan = targets, plan
        self.c.bar.hide()
        h, w = capture.image.shape[:2]
        self.numbers.present(targets, (w, h), self._geometry(capture), self._background(capture))
        self.c._set_state("confirming")
        logger.info("numbers shown: %d targets on %d page(s)", len(targets), len(self.numbers.pages))

    def _number_chosen(self, index: int, via: str) -> None:
        plan = self.plan
        if plan is None or self.c.state != "confirming" or not 0 <= index < len(plan.clicks):
            logger.warning("a number chosen for a plan no longer shown was ignored")
            return
        self._click(plan, index, via)

    # -- grid ----------------------------------------------------------------------------
    def _show_grid(self, capture: Capture) -> None:
        self.c.bar.hide()
        h, w = capture.image.shape[:2]
        self.grid.present((w, h), self._geometry(capture), self._background(capture))
        self.c._set_state("confirming")

    def _grid_clicked(self, x: float, y: float, via: str) -> None:
        capture = self.capture
        if capture is None or self.c.state != "confirming":
            return
        point = Box(x - 0.5, y - 0.5, x + 0.5, y + 0.5)
        target = NumberTarget(point, (x, y), f"grid {self.grid.state.describe()}", "image", "grid", point)
        self._click(plan_for_targets(capture, "show grid", [target]), 0, via)

    # -- both -------------------------------------------------------------------------------
    def _click(self, plan: Plan, index: int, via: str) -> None:
        # The person chose just now from the frozen image: the plan is dated now, and the
        # executor still re-captures and refuses if the screen no longer matches that image.
        plan = dataclasses.replace(plan, captured_at=time.monotonic())
        self.hide()
        self.c.plan = plan
        self.c._execute(plan, confirm(plan, (index,), via if via in CONFIRM_VIA else "key"))

    def _cancelled(self) -> None:
        self.hide()
        self.plan = None
        self.c.plan = None
        self.c._set_state("idle")
        self.c.notify("Cancelled; nothing was clicked.")
