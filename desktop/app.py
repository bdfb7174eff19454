"""The composition root: settings, engine, capture, click guard and UI, wired once.

``click-assist`` with no arguments (and ``python -m desktop``) ends up in
:func:`main`. Qt and the models are imported inside functions so that
importing this module stays cheap; the models warm up in the background
while the tray is already there.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from desktop.core.errors import ClickAssistError
from desktop.core.flow import Clicker, PlanExecutor
from desktop.core.settings import Settings, config_dir, load_settings, save_settings
from desktop.core.work import GroundingEngine, LazyEngine

if TYPE_CHECKING:  # Qt types only for annotations; Qt is imported when the app starts
    from desktop.ui.controller import Controller
    from desktop.ui.hotkeys import HotkeyBridge
    from desktop.ui.tray import AppMenu

__all__ = ["main", "build_app", "AppParts", "engine_factory", "model_source"]

logger = logging.getLogger(__name__)


def engine_factory(sources: Sequence[str], model: Any = None) -> Callable[[], GroundingEngine]:
    """A builder for the real engine restricted to ``sources`` (all available when empty),
    plus the vision-language source ``model`` when one is given."""
    def build() -> GroundingEngine:
        from desktop.core.errors import BackendUnavailable
        from desktop.grounding.engine import Engine
        from desktop.grounding.registry import DEFAULT_ORDER, create_source

        if not sources and model is None:
            return Engine()
        usable = []
        for name in sources or DEFAULT_ORDER:
            try:
                usable.append(create_source(name))
            except BackendUnavailable as exc:
                # A source turned on in settings but missing here should not stop the others.
                logger.warning("candidate source %s is off: %s %s", name, exc.user_message, exc.hint)
        if not usable:
            raise BackendUnavailable("None of the candidate sources turned on in Settings can run here.",
                                     "Turn on text recognition (OCR) in Settings.")
        return Engine(sources=[*usable, *([model] if model is not None else [])])

    return build


def model_source(settings: Settings) -> tuple[Any, str]:
    """The vision-language source ``settings.vlm_backend`` names, and a problem to tell the person.

    ``(None, "")`` when off; ``(None, reason)`` when its model is not on this
    machine (the app then runs with the default sources).
    """
    if not settings.vlm_backend:
        return None, ""
    from desktop.core.errors import BackendUnavailable
    from desktop.grounding.registry import create_source

    try:
        source: Any = create_source(settings.vlm_backend, models_dir=settings.models_dir or None)
    except BackendUnavailable as exc:
        logger.warning("vision-language backend %s is off: %s %s", settings.vlm_backend, exc.user_message,
                       exc.hint)
        return None, f"{exc.user_message} {exc.hint}".strip()
    source.timeout_s = settings.vlm_timeout_s
    return source, ""


def _lazy_engine(sources: Sequence[str], model: Any) -> LazyEngine:
    """The engine, building in the background now."""
    # With a model, no warm-up request: the model would answer it too, holding its one worker
    # for up to its time limit while the first real request waits (warm_up() still loads it).
    engine = LazyEngine(engine_factory(sources, model), _warm_image() if model is None else None)
    engine.start()
    return engine


def _warm_image() -> np.ndarray:
    # A tiny light image: grounding on it loads every lazily loaded model.
    return np.full((48, 160, 3), 235, dtype=np.uint8)


@dataclass
class AppParts:
    """Everything :func:`build_app` wired, for the app and for tests."""

    settings: Settings
    controller: "Controller"
    menu: "AppMenu"
    hotkeys: "HotkeyBridge | None"
    engine: Any
    executor: PlanExecutor
    capturer: Any = None
    problems: list[str] = field(default_factory=list)
    dialogs: dict[str, Any] = field(default_factory=dict)
    #: Push-to-talk and spoken feedback (:class:`desktop.ui.voice_controller.VoiceController`), when on.
    voice: Any = None


def build_app(settings: Settings, engine: GroundingEngine | None = None, clicker: Clicker | None = None,
              capturer: Any = None, use_tray: bool | None = None, hotkeys: bool = True,
              persist: bool = True, hotkey_backend: Any = None, voice_session: Any = None,
              speaker: Any = None, model: Any = None) -> AppParts:
    """Wire the app (a ``QApplication`` must exist); fakes may replace the engine, clicker,
    capturer, hotkey backend, speech session (microphone) and speaker (the boundaries with the system).
    ``model`` is the vision-language source already in ``engine`` (by default the one settings name)."""
    from desktop.actions import PyAutoGuiClicker
    from desktop.capture import MssCapture
    from desktop.ui.controller import Controller
    from desktop.ui.history import History
    from desktop.ui.hotkeys import HotkeyBridge, make_backend
    from desktop.ui.own_windows import OwnWindows
    from desktop.ui.style import apply_style
    from desktop.ui.tray import AppMenu
    from desktop.ui.worker import GuiInvoker

    apply_style(settings.high_contrast)
    invoker = GuiInvoker()
    own = OwnWindows(invoker)
    capturer = capturer or MssCapture(hide_windows=own.hidden)
    model_problem = ""
    if engine is None:
        model, model_problem = model_source(settings)
        engine = _lazy_engine(settings.sources, model)
    executor = PlanExecutor(clicker or PyAutoGuiClicker(),
                            recapture=lambda region: capturer.capture_region(region).image,
                            own_windows=own.boxes, max_age_s=settings.plan_max_age_s,
                            allow_auto=settings.auto_click)
    history_path = config_dir() / "history.json" if persist and settings.save_history else None
    history = History(settings.history_size, history_path)
    shortcuts = _shortcuts(settings)
    menu = AppMenu(shortcuts, use_tray=use_tray)
    if menu.window is not None:
        own.register(menu.window, persistent=True)
    controller = Controller(settings, engine, capturer, executor, history, own, notify=menu.notify)
    if model is not None:
        controller.attach_model(model)
    voice = None
    if settings.speech_input:
        from desktop.ui.voice_controller import build_voice

        voice = build_voice(controller, settings, (lambda: voice_session) if voice_session else None, speaker)
    bridge, problems = None, []
    if hotkeys:
        bridge = HotkeyBridge(hotkey_backend or make_backend())
        problems = bridge.apply(shortcuts)
        bridge.activated.connect(lambda name: voice.hotkey() if name == "voice" and voice is not None
                                 else _hotkey(controller, name))
        # Holding the talk key and letting go ends the utterance (push-to-talk).
        bridge.released.connect(lambda name: voice.hotkey_released() if name == "voice" and voice is not None
                                else None)
    problems += [model_problem] if model_problem else []
    parts = AppParts(settings, controller, menu, bridge, engine, executor, capturer, problems, voice=voice)
    _connect_menu(parts, persist)
    return parts


def _shortcuts(settings: Settings) -> dict[str, str]:
    """Every global hotkey by name."""
    keys = {"ground": settings.hotkey_ground, "region": settings.hotkey_region,
            "numbers": settings.hotkey_numbers, "grid": settings.hotkey_grid}
    if settings.speech_input:
        keys["voice"] = settings.hotkey_voice
    return keys


def _hotkey(controller: "Controller", name: str) -> None:
    from desktop.core.commands import AppCommand

    if name == "region":
        controller.start_region()
    elif name in ("numbers", "grid"):
        controller.start_command(AppCommand.NUMBERS if name == "numbers" else AppCommand.GRID)
    else:
        controller.start_ground()


def _connect_menu(parts: AppParts, persist: bool) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.tray import HistoryDialog

    c = parts.controller
    parts.menu.ground.connect(lambda: c.start_ground())
    parts.menu.region.connect(c.start_region)
    parts.menu.settings.connect(lambda: _open_settings(parts, persist))

    def show_history() -> None:
        dialog = HistoryDialog(c.bar.history)
        dialog.run_requested.connect(lambda text: c.start_ground(text))
        dialog.open()
        parts.dialogs["history"] = dialog  # keeps it alive while open

    parts.menu.history.connect(show_history)

    def quit_app() -> None:
        if parts.hotkeys is not None:
            parts.hotkeys.stop()
        QApplication.quit()

    parts.menu.quit.connect(quit_app)


def _open_settings(parts: AppParts, persist: bool) -> None:
    from desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(parts.settings)
    dialog.accepted.connect(lambda: apply_settings(parts, dialog.result_settings(), persist))
    dialog.open()
    parts.dialogs["settings"] = dialog


def apply_settings(parts: AppParts, new: Settings, persist: bool = True) -> None:
    """Save ``new`` and apply it everywhere it matters, now."""
    from desktop.ui.autostart import set_autostart
    from desktop.ui.style import apply_style

    old, parts.settings = parts.settings, new
    if persist:
        save_settings(new)
        if new.start_on_login != old.start_on_login:
            set_autostart(new.start_on_login)
    parts.controller.apply_settings(new)
    if parts.voice is not None:  # turning speech on later takes a restart
        parts.voice.apply_settings(new)
    apply_style(new.high_contrast)
    if parts.hotkeys is not None and _shortcuts(new) != _shortcuts(old):
        parts.problems = parts.hotkeys.apply(_shortcuts(new))
        for problem in parts.problems:
            parts.menu.notify(problem)
    vlm = ("vlm_backend", "vlm_timeout_s", "models_dir")
    vlm_changed = any(getattr(new, name) != getattr(old, name) for name in vlm)
    if (new.sources != old.sources or vlm_changed) and isinstance(parts.engine, LazyEngine):
        model, problem = model_source(new)
        if problem:
            parts.menu.notify(problem)
        parts.engine = _lazy_engine(new.sources, model)
        parts.controller.engine = parts.engine
        parts.controller.attach_model(model)


def _preload(capturer: Any) -> None:
    """Open the capture connection and import pyautogui now, so the first hotkey and click are quick."""
    try:
        warm = getattr(capturer, "warm", None)
        if callable(warm):
            warm()
        import pyautogui  # noqa: F401  (opens the display on import)
    except Exception:  # reported when they are really used
        logger.debug("preloading capture/click libraries failed", exc_info=True)


def _configure_logging(level: str | None) -> None:
    """Log to stderr once; a caller that configured logging already (the CLI) keeps its level."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        level = level or "INFO"
    if level:
        root.setLevel(level.upper())


def main(argv: list[str] | None = None) -> int:
    """Start the desktop app; returns the exit status."""
    parser = argparse.ArgumentParser(prog="click-assist", description="Click Assist desktop app.")
    parser.add_argument("--log-level", default=os.environ.get("CLICK_ASSIST_LOG_LEVEL"),
                        help="DEBUG, INFO (default), WARNING or ERROR")
    parser.add_argument("--no-tray", action="store_true", help="Use a small window instead of the tray.")
    args = parser.parse_args(argv if argv is not None else [])
    _configure_logging(args.log_level)
    start = time.perf_counter()
    try:
        settings = load_settings()
    except ClickAssistError as exc:
        logger.error("%s %s", exc.user_message, exc.hint)
        return 2
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Click Assist")
    app.setDesktopFileName("click-assist")
    app.setQuitOnLastWindowClosed(False)
    parts = build_app(settings, use_tray=False if args.no_tray else None)
    parts.menu.show()
    for problem in parts.problems:
        parts.menu.notify(problem)
    logger.info("timing start-up to tray: %.0f ms", (time.perf_counter() - start) * 1000)
    threading.Thread(target=_preload, args=(parts.capturer,), name="preload", daemon=True).start()
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
