"""The X11 adapters against a real X server: global hotkeys, mss capture, pyautogui clicks.

pyautogui and python-xlib read ``DISPLAY`` when first used, so each check runs
in a child process pointed at the test's own Xvfb.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[2]


def run(env: dict[str, str], code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


HOTKEYS = r"""
import json, subprocess, threading, time
from desktop.ui.hotkeys import parse_hotkey
from desktop.ui.hotkeys_x11 import X11Hotkeys
got, done = [], threading.Event()
first = X11Hotkeys()
failed = first.start({"ground": parse_hotkey("Ctrl+Alt+Space"), "region": parse_hotkey("Ctrl+Alt+R")},
                     lambda name: (got.append(name), done.set()))
second = X11Hotkeys()  # another program holding the same keys
clash = second.start({"ground": parse_hotkey("Ctrl+Alt+Space")}, lambda name: None)
second.stop()
subprocess.run(["xdotool", "key", "ctrl+alt+space"], check=True)
subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+alt+r"], check=True)
subprocess.run(["xdotool", "key", "ctrl+shift+space"], check=True)  # not ours
time.sleep(0.5)
# Num Lock on must not break the hotkey.
subprocess.run(["xdotool", "key", "Num_Lock", "ctrl+alt+space", "Num_Lock"], check=True)
time.sleep(0.5)
first.stop()
print(json.dumps({"failed": failed, "clash": clash, "got": got}))
"""


def test_global_hotkeys_fire_and_clashes_are_reported(xvfb: dict[str, str]) -> None:
    r = run(xvfb, HOTKEYS)
    assert r["failed"] == [] and r["clash"] == ["ground"]
    assert r["got"] == ["ground", "region", "ground"]


CLICKER = r"""
import json, pyautogui
from desktop.actions.clicker import ClickFailed, PyAutoGuiClicker
from desktop.core.flow import PlannedClick
pyautogui.FAILSAFE = False  # someone turned it off...
pyautogui.moveTo(500, 400)
c = PyAutoGuiClicker()
c.perform([PlannedClick(0, 640, 300, "click", "x", 0.9, 640, 300)], return_pointer=True)
after_return = list(pyautogui.position())
failsafe_on = pyautogui.FAILSAFE
c.perform([PlannedClick(0, 700, 350, "right_click", "x", 0.9, 0, 0)], return_pointer=False)
stayed = list(pyautogui.position())
pyautogui.FAILSAFE = True
pyautogui.moveTo(0, 0, _pause=False)  # the emergency corner
try:
    c.perform([PlannedClick(0, 10, 10, "click", "x", 0.9, 0, 0)], return_pointer=False)
    stopped = False
except ClickFailed:
    stopped = True
print(json.dumps({"after_return": after_return, "failsafe_on": failsafe_on, "stayed": stayed,
                  "stopped": stopped}))
"""


def test_pyautogui_clicker_keeps_failsafe_and_returns_pointer(xvfb: dict[str, str]) -> None:
    r = run(xvfb, CLICKER)
    assert r["failsafe_on"] is True
    assert r["after_return"] == [500, 400] and r["stayed"] == [700, 350]
    assert r["stopped"] is True


CAPTURE = r"""
import json, subprocess
from desktop.capture import MssCapture
from desktop.core.geometry import Box
cap = MssCapture()
whole = cap.capture_under_pointer()
part = cap.capture_region(Box(100, 50, 420, 290))
print(json.dumps({"whole": list(whole.image.shape), "origin": [whole.mapping.origin_x, whole.mapping.origin_y],
                  "part": list(part.image.shape), "part_origin": [part.mapping.origin_x, part.mapping.origin_y],
                  "ppu": whole.mapping.pixels_per_unit_x}))
"""


def test_mss_capture_on_x11(xvfb: dict[str, str]) -> None:
    r = run(xvfb, CAPTURE)
    assert r["whole"] == [800, 1280, 3] and r["origin"] == [0.0, 0.0] and r["ppu"] == 1.0
    assert r["part"] == [240, 320, 3] and r["part_origin"] == [100.0, 50.0]
