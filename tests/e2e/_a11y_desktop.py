"""An Xvfb display with its own D-Bus session and accessibility bus, for the tree's end-to-end tests.

Everything is private to the test: the X display, the session bus
(``dbus-daemon --session``), the runtime directory where
``at-spi-bus-launcher`` puts the accessibility bus, and the applications
(gtk3-widget-factory, the Qt target window with Qt's AT-SPI bridge forced on).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.e2e.conftest import TARGET, Desktop, wait_for

__all__ = ["A11yDesktop", "missing_a11y_tools"]


def missing_a11y_tools() -> list[str]:
    """The programs these tests need that are not installed (with their Debian packages)."""
    needs = {"Xvfb": "xvfb", "xdotool": "xdotool", "dbus-daemon": "dbus",
             "gtk3-widget-factory": "gtk-3-examples"}
    out = [f"{tool} ({pkg})" for tool, pkg in needs.items() if shutil.which(tool) is None]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        out.append("at-spi-bus-launcher (at-spi2-core)")
    return out


class A11yDesktop(Desktop):
    """A :class:`Desktop` whose display also has a session bus and an accessibility bus."""

    def __init__(self, tmp: Path, scale: float = 1.0, app_log_level: str = "INFO",
                 screen: str = "1280x800x24") -> None:
        super().__init__(tmp, scale)
        self.screen = screen
        runtime = tmp / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.env.update({"XDG_RUNTIME_DIR": str(runtime), "NO_AT_BRIDGE": "0", "GTK_A11Y": "atspi",
                         "CLICK_ASSIST_LOG_LEVEL": app_log_level, "GDK_BACKEND": "x11"})
        self.env.pop("AT_SPI_BUS_ADDRESS", None)
        self.pids: dict[str, int] = {}

    def start_x_and_bus(self) -> None:
        self._spawn(["Xvfb", self.display, "-screen", "0", self.screen, "-nolisten", "tcp"],
                    self.tmp / "xvfb.log")
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{self.display[1:]}").exists(), 10, "Xvfb did not start")
        # Its own process group: the accessibility bus it starts on demand goes down with it.
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], env=self.env,
                               stdout=subprocess.PIPE, stderr=open(self.tmp / "dbus.log", "ab"),
                               start_new_session=True)
        self.procs.append(bus)
        assert bus.stdout is not None
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        assert self.env["DBUS_SESSION_BUS_ADDRESS"], "dbus-daemon did not start"

    def start_apps(self, gtk: bool = True, qt: bool = True) -> None:
        """The GTK widget factory, then the Qt target window (mapped last, so on top of it)."""
        if gtk:
            proc = self._spawn_env(["gtk3-widget-factory"], self.tmp / "gtk.log", self.env)
            self.pids["gtk"] = proc.pid
            time.sleep(1.5)  # mapped before the Qt window, so stacked below it
        if qt:
            qt_env = {**self.env, "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
            proc = self._spawn_env([sys.executable, str(TARGET), str(self.click_log)], self.tmp / "target.log", qt_env)
            self.pids["qt"] = proc.pid
            wait_for(lambda: any(r.get("event") == "ready" for r in self.records()), 20, "target did not start")
        time.sleep(1.0)  # both register with the accessibility registry

    def start_app(self) -> None:
        """Click Assist itself, as the e2e harness starts it (real engine, hotkeys, clicks)."""
        self.app_started = time.perf_counter()
        self.app = self._spawn([sys.executable, "-m", "desktop.app", "--no-tray"], self.app_log)
        wait_for(lambda: "start-up to tray" in self.log(), 30, "the app did not start")
        self.startup_wall_ms = (time.perf_counter() - self.app_started) * 1000
        wait_for(lambda: "grounding engine ready" in self.log(), 120, "the engine did not warm up")
        time.sleep(0.5)

    def _spawn_env(self, args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
        out = open(log, "ab")
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def pause(self, name: str) -> None:
        os.kill(self.pids[name], signal.SIGSTOP)

    def resume(self, name: str) -> None:
        os.kill(self.pids[name], signal.SIGCONT)

    def in_process_env(self) -> dict[str, Any]:
        """What this test process needs in its environment to reach this display and its buses."""
        return {k: self.env[k] for k in ("DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")}
