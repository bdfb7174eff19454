"""End-to-end harness: a private Xvfb display, the target window, the real app, driven by xdotool.

Nothing is faked: the app runs as ``python -m desktop.app`` with the real
engine (real OCR), real mss capture, real global hotkeys (XGrabKey) and real
pyautogui clicks; the target window logs every click it receives.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(__file__).with_name("target_app.py")
REPORTS = ROOT / "reports"
#: Screenshots of the overlay taken during the run, to look at (not compared automatically).
SHOTS = REPORTS / "e2e-shots"


def _missing_tools() -> list[str]:
    return [t for t in ("Xvfb", "xdotool") if shutil.which(t) is None]


def _free_display() -> int:
    for _ in range(200):
        n = random.randint(90, 599)
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number")


class Desktop:
    """One Xvfb display with the target window and Click Assist running on it."""

    def __init__(self, tmp: Path, scale: float, target_args: tuple[str, ...] = ()) -> None:
        self.tmp, self.scale, self.target_args = tmp, scale, target_args
        self.procs: list[subprocess.Popen[bytes]] = []
        self.external_bar_ms: list[float] = []
        self.display = f":{_free_display()}"
        self.click_log = tmp / "clicks.jsonl"
        self.app_log = tmp / "app.log"
        xauth = tmp / "Xauthority"
        xauth.touch()  # python-xlib wants an authority file, even an empty one
        self.env = {**os.environ, "DISPLAY": self.display, "XAUTHORITY": str(xauth),
                    "QT_QPA_PLATFORM": "xcb", "QT_SCALE_FACTOR": str(scale),
                    "QT_ENABLE_HIGHDPI_SCALING": "1", "CLICK_ASSIST_CONFIG_DIR": str(tmp / "config"),
                    "XDG_CONFIG_HOME": str(tmp / "xdg"), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
                    "NO_AT_BRIDGE": "1"}
        self.env.pop("WAYLAND_DISPLAY", None)

    # -- processes --------------------------------------------------------
    def _spawn(self, args: list[str], log: Path) -> subprocess.Popen[bytes]:
        out = open(log, "ab")
        proc = subprocess.Popen(args, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def start(self) -> None:
        self._spawn(["Xvfb", self.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                    self.tmp / "xvfb.log")
        n = self.display[1:]
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{n}").exists(), 10, "Xvfb did not start")
        time.sleep(0.3)
        self._spawn([sys.executable, str(TARGET), str(self.click_log), *self.target_args], self.tmp / "target.log")
        wait_for(lambda: any(r.get("event") == "ready" for r in self.records()), 20, "target did not start")
        self.app_started = time.perf_counter()
        self.app = self._spawn([sys.executable, "-m", "desktop.app", "--no-tray"], self.app_log)
        wait_for(lambda: "start-up to tray" in self.log(), 30, "the app did not start")
        self.startup_wall_ms = (time.perf_counter() - self.app_started) * 1000
        wait_for(lambda: "grounding engine ready" in self.log(), 120, "the engine did not warm up")
        time.sleep(0.5)  # let XGrabKey settle before the first hotkey

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)

    # -- observing ----------------------------------------------------------
    def log(self) -> str:
        return self.app_log.read_text(errors="replace") if self.app_log.exists() else ""

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.log()))

    def timings(self, name: str) -> list[float]:
        return [float(v) for v in re.findall(rf"timing {name}: (\d+) ms", self.log())]

    def records(self) -> list[dict[str, Any]]:
        if not self.click_log.exists():
            return []
        return [json.loads(line) for line in self.click_log.read_text().splitlines() if line.strip()]

    def target_geometry(self) -> dict[str, Any]:
        return next(r for r in self.records() if r["event"] == "ready")

    def screenshot(self, path: Path) -> None:
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # -- acting like a person ---------------------------------------------------
    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True)

    def bar_visible(self) -> bool:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Click Assist instruction$"],
                               env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return found.returncode == 0

    def open_bar(self, pointer: tuple[int, int] = (300, 200)) -> None:
        """Press the hotkey and wait for the bar, timing it from outside the app as a person would."""
        before = self.count(r"timing hotkey_to_bar_ms")
        self.xdotool("mousemove", str(pointer[0]), str(pointer[1]))
        start = time.perf_counter()
        self.xdotool("key", "ctrl+alt+space")
        wait_for(self.bar_visible, 10, "the bar did not become visible")
        self.external_bar_ms.append((time.perf_counter() - start) * 1000)
        wait_for(lambda: self.count(r"timing hotkey_to_bar_ms") > before, 10, "the bar did not open")
        time.sleep(0.2)

    def run_instruction(self, text: str) -> None:
        """Type ``text`` in the open bar, press Enter, wait for the overlay (or a message)."""
        before = self.count(r"timing enter_to_overlay_ms")
        self.xdotool("type", "--delay", "15", text)
        self.xdotool("key", "Return")
        wait_for(lambda: self.count(r"timing enter_to_overlay_ms") > before, 60, "no overlay appeared")
        time.sleep(0.3)

    def confirm(self, key: str = "Return") -> None:
        before = self.count(r"clicking \d+ target")
        self.xdotool("key", key)
        wait_for(lambda: self.count(r"clicking \d+ target") > before, 15, "nothing was clicked")
        time.sleep(0.8)  # the target logs the click


def wait_for(cond: Any, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(what)


@pytest.fixture(scope="module")
def desktop(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """The running desktop for a test module; ``SCALE`` in the module picks the scale factor."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    missing = _missing_tools()
    if missing:
        pytest.skip(f"end-to-end tests need {', '.join(missing)} (apt-get install xvfb xdotool)")
    scale = float(getattr(request.module, "SCALE", 1.0))
    d = Desktop(tmp_path_factory.mktemp(f"e2e-{scale}"), scale, tuple(getattr(request.module, "TARGET_ARGS", ())))
    try:
        d.start()
    except AssertionError:
        log = d.log()
        d.stop()
        pytest.fail(f"the desktop did not start; app log:\n{log[-3000:]}")
    yield d
    d.stop()
    _report(d)


@pytest.fixture(scope="module")
def xvfb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A bare Xvfb display (no windows); yields the environment that points at it."""
    missing = _missing_tools()
    if missing:
        pytest.skip(f"end-to-end tests need {', '.join(missing)} (apt-get install xvfb xdotool)")
    d = Desktop(tmp_path_factory.mktemp("xvfb"), 1.0)
    d._spawn(["Xvfb", d.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], d.tmp / "xvfb.log")
    wait_for(lambda: Path(f"/tmp/.X11-unix/X{d.display[1:]}").exists(), 10, "Xvfb did not start")
    time.sleep(0.3)
    yield d.env
    d.stop()


def _report(d: Desktop) -> None:
    """Keep the measured timings (hotkey → bar, Enter → overlay, engine) for the README and reviews."""
    REPORTS.mkdir(exist_ok=True)
    out = REPORTS / f"e2e_timings_scale{d.scale:g}.json"
    out.write_text(json.dumps({
        "scale": d.scale, "startup_wall_ms": round(d.startup_wall_ms),
        "startup_to_tray_ms": d.timings("start-up to tray"),
        "hotkey_to_bar_ms": d.timings("hotkey_to_bar_ms"),
        "hotkey_to_selector_ms": d.timings("hotkey_to_selector_ms"),
        "hotkey_to_visible_bar_external_ms": [round(v) for v in d.external_bar_ms],
        "enter_to_overlay_ms": d.timings("enter_to_overlay_ms"), "engine_ms": d.timings("engine"),
    }, indent=1))
