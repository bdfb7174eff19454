"""The engine on real Tk widgets: an order form in Tk's classic look and three ttk themes, under Xvfb.

Tk has no accessibility tree on Linux, so the screenshot is all a person's
screen gives the engine; Tk's own geometry is the truth.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.geometry import Box
from desktop.core.images import load_image
from tests.e2e.conftest import _free_display, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.gui]

APP = Path(__file__).with_name("tk_form.py")
THEMES = ("classic-tk", "clam", "alt", "default")
#: What a person says for each kind of control (all must land on it).
SAY = {"button": ("click {}", "click the {} button"), "checkbox": ("click the {} checkbox", "tick {}"),
       "radio": ("select {}", "click the {} radio button"), "entry": ("click the {} field", "click the {} box"),
       "spin": ("click the {} box", "click the {} spin box"), "tab": ("click the {} tab",), "item": ("click {}",)}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[dict]]]:
    pytest.importorskip("tkinter")
    for tool in ("Xvfb", "import"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    tmp = tmp_path_factory.mktemp("tk")
    display = f":{_free_display()}"
    env = {"DISPLAY": display, "PATH": "/usr/bin:/bin"}
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, tuple[Path, list[dict]]] = {}
    try:
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{display[1:]}").exists(), 10, "Xvfb did not start")
        for theme in THEMES:
            truth, shot = tmp / f"{theme}.json", tmp / f"{theme}.png"
            app = subprocess.Popen([sys.executable, str(APP), theme, str(truth)], env=env)
            try:
                wait_for(truth.exists, 20, f"the Tk form ({theme}) did not start")
                time.sleep(0.3)
                subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True)
            finally:
                app.terminate()
                app.wait(timeout=5)
            out[theme] = (shot, json.loads(truth.read_text()))
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=5)
    return out


@pytest.mark.parametrize("theme", THEMES)
def test_every_control_of_a_tk_form_is_found_on_the_screenshot(shots, theme: str) -> None:
    from desktop.grounding.engine import Engine

    shot, truth = shots[theme]
    engine = Engine(sources=["ocr", "controls", "icons"])
    image = load_image(str(shot))
    misses = []
    for control in truth:
        x, y, w, h = control["box"]
        box = Box(x, y, x + w, y + h)
        says = SAY[control["role"]]
        if control.get("checked"):
            says = tuple(p.replace("tick", "untick") for p in says)
        for pattern in says:
            instruction = pattern.format(control["name"])
            best = engine.ground(image, instruction).best
            if best is None or not box.contains(best.x, best.y):
                misses.append((instruction, None if best is None else (best.x, best.y, best.label)))
        if control["role"] == "checkbox":
            # Asked for the state it is already in, a box whose state the engine reads is left alone
            # (that click would undo it). Only a bare label, state unknown, may be clicked as asked:
            # the ticked box here sits flush against its frame's edge line, which in two themes
            # merges it into the frame, so only its label is found there.
            again = ("tick {}" if control.get("checked") else "untick {}").format(control["name"])
            result = engine.ground(image, again)
            refused = not result.predictions and "already" in result.message
            if not refused and (control["name"] == "Express delivery"
                                or not result.predictions or result.predictions[0].role != "text"):
                misses.append((again, result.message or [(p.x, p.y, p.label) for p in result.predictions]))
    assert not misses, misses
