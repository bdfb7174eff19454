"""A slow vision-language model in the app: progress in the bar, Esc drops it, a timeout falls back.

Real widgets, the real engine and the real :class:`VlmSource`; the fakes are
at the boundaries: the model (a backend that sleeps, watching its cancel
flag), a text source that sees "Save", the screen and the clicker.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.core.settings import Settings
from desktop.grounding.engine import Engine
from desktop.grounding.vlm.base import Detection, ModelBackend
from desktop.grounding.vlm.source import VlmSource

pytestmark = pytest.mark.gui
# ModelBackend.__call__ imports torch; paid here, not inside the timed waits below.
pytest.importorskip("torch")


class SlowModel(ModelBackend):
    """Answers (400, 300) after ``delay_s``, unless told to stop first."""

    name = "fake-vlm"

    def __init__(self, delay_s: float) -> None:
        super().__init__("/nonexistent")
        self.delay_s = delay_s
        self.cancelled = threading.Event()

    def available(self) -> bool:
        return True

    def load(self) -> None:
        pass

    def _load(self) -> None:
        pass

    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        return {"phrase": phrase}

    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        if cancel.wait(self.delay_s):
            self.cancelled.set()
        return inputs

    def postprocess(self, raw: Any, inputs: dict[str, Any]) -> list[Detection]:
        return [Detection((400.0, 300.0), 0.97, Box(380, 290, 420, 310), inputs["phrase"])]


class SaveText:
    name = "fake-ocr"

    def available(self) -> bool:
        return True

    def candidates(self, screen: Any, request: Any) -> list[Candidate]:
        return [Candidate(box=Box(100, 100, 180, 130), text="Save", role="button", source=self.name, score=0.95)]


@pytest.fixture
def make_app(qtbot: Any, capturer: Any, clicker: Any, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[float, float], Any]]:
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    from desktop.app import build_app

    built: list[Any] = []

    def make(delay_s: float, timeout_s: float) -> Any:
        model = SlowModel(delay_s)
        source = VlmSource(model, timeout_s=timeout_s)
        engine = Engine(sources=[SaveText(), source], semantic=False, calibration="default")
        parts = build_app(Settings(return_pointer=False), engine=engine, model=source, clicker=clicker,
                          capturer=capturer, use_tray=False, hotkeys=False, persist=False)
        statuses: list[str] = []
        parts.controller.model_view.status.connect(statuses.append)
        built.append(parts)
        return parts, model, statuses

    yield make
    for parts in built:
        c = parts.controller
        c.cancel_work()
        for w in (c.bar, c.overlay, c.selector):
            w.hide()
        if parts.menu.window is not None:
            parts.menu.window.close()


def _enter(qtbot: Any, parts: Any, text: str) -> None:
    c = parts.controller
    c.start_ground()
    qtbot.waitUntil(lambda: c.bar.isVisible() and c.state == "typing", timeout=3000)
    qtbot.keyClicks(c.bar.edit, text)
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)


def _shown(parts: Any) -> list[tuple[str, int, int, str]]:
    """What the overlay offers: label, image pixel and source of each target."""
    return [(p.label, p.x, p.y, p.source) for p in parts.controller.plan.result.predictions]


def test_progress_counts_seconds_and_esc_falls_back(qtbot: Any, make_app: Any, clicker: Any) -> None:
    parts, model, statuses = make_app(30.0, 60.0)
    c = parts.controller
    _enter(qtbot, parts, "click Save")
    qtbot.waitUntil(lambda: c.bar.status.text() == "Asking fake-vlm\u2026 1 s \u2014 Esc to cancel", timeout=4000)
    assert c.bar.busy and statuses[0] == "Asking fake-vlm\u2026 0 s \u2014 Esc to cancel"
    started = time.monotonic()
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: c.overlay.isVisible(), timeout=3000)
    assert time.monotonic() - started < 2.5 and model.cancelled.wait(10.0)
    # The default sources' answer, not nothing and not the model's.
    assert _shown(parts) == [("Save", 140, 115, "fake-ocr")]
    assert any("was cancelled. Showing what the other sources found." in s for s in statuses)
    assert clicker.clicks == [] and c.state == "confirming"


def test_a_timeout_falls_back_with_a_clear_message(qtbot: Any, make_app: Any) -> None:
    parts, model, statuses = make_app(30.0, 0.5)
    _enter(qtbot, parts, "click Save")
    qtbot.waitUntil(lambda: parts.controller.overlay.isVisible(), timeout=4000)
    assert _shown(parts) == [("Save", 140, 115, "fake-ocr")]
    assert statuses[-1] == ("The fake-vlm model took longer than 0.5 s. Showing what the other sources found.")
    assert model.cancelled.wait(10.0)  # the query was told to stop, not left running


def test_a_model_that_answers_in_time_joins_the_overlay(qtbot: Any, make_app: Any) -> None:
    parts, _model, statuses = make_app(0.3, 10.0)
    _enter(qtbot, parts, "click Save")
    qtbot.waitUntil(lambda: parts.controller.overlay.isVisible(), timeout=4000)
    assert sorted(_shown(parts)) == [("Save", 140, 115, "fake-ocr"), ("Save", 400, 300, "fake-vlm")]
    assert statuses == ["Asking fake-vlm\u2026 0 s \u2014 Esc to cancel"]


def test_esc_when_no_model_runs_still_cancels_everything(qtbot: Any, make_app: Any) -> None:
    parts, _model, _statuses = make_app(0.0, 10.0)
    c = parts.controller
    c.start_ground()
    qtbot.waitUntil(lambda: c.bar.isVisible() and c.state == "typing", timeout=3000)
    c.bar.set_busy("Looking…")
    c.state = "grounding"
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Escape)
    assert c.state == "typing" and not c.bar.busy


def test_settings_dialog_offers_the_models_found(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.settings_dialog import SettingsDialog

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    (tmp_path / "models" / "owlv2-base").mkdir(parents=True)
    (tmp_path / "models" / "owlv2-base" / "config.json").write_text('{"model_type": "owlv2"}')
    dialog = SettingsDialog(Settings(models_dir=str(tmp_path / "models"), vlm_backend="florence2"))
    qtbot.addWidget(dialog)
    combo = dialog.vlm_backend
    items = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
    assert items == [("", "Off"), ("owlv2", "OWLv2 (owlv2): owlv2-base"),
                     ("florence2", "florence2 (no model found on this computer)")]
    assert combo.currentData() == "florence2"
    combo.setCurrentIndex(1)
    dialog.vlm_timeout.setValue(12.0)
    result = dialog.result_settings()
    assert (result.vlm_backend, result.vlm_timeout_s) == ("owlv2", 12.0)
