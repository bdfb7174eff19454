"""The Tk benchmark's truth: the driver's widget report becomes the same truth the AT-SPI benchmark uses."""

from __future__ import annotations

from tests.benchmarks.real_apps_tk import snapshot
from tests.benchmarks.real_apps_truth import controls, make_cases


def _node(name, role, box, window=0, disabled=False, native="TButton"):
    return {"name": name, "role": role, "native": native, "disabled": disabled, "box": box, "window": window}


def test_dialog_widgets_are_truth_and_what_it_hides_is_not():
    report = {"screen": "settings", "windows": [{"box": [0, 0, 900, 640], "z": 0}, {"box": [40, 40, 500, 500], "z": 1}],
              "nodes": [_node("File", "menu", [1, 1, 38, 28]),
                        _node("Run", "menu", [143, 1, 41, 28]),
                        _node("Hidden", "button", [100, 100, 60, 24]),           # the editor's, under the dialog
                        _node(" Fonts ", "tab", [47, 47, 57, 24], window=1),
                        _node("Keys", "tab", [104, 47, 50, 24], window=1),
                        _node("Ok", "button", [91, 500, 97, 27], window=1),
                        _node("Apply", "button", [199, 500, 97, 27], window=1, disabled=True),
                        _node("Help", "button", [415, 500, 97, 27], window=1),
                        _node("Help", "menu", [320, 1, 45, 28])]}               # drawn twice: no single answer
    truths = controls(snapshot(report))
    assert [(t.name, t.role) for t in truths] == [("File", "menu"), ("Run", "menu"), ("Fonts", "tab"),
                                                   ("Keys", "tab"), ("Ok", "button")]
    instructions = [c.instruction for c in make_cases("idle", "settings", snapshot(report), truths)]
    assert "click the Fonts tab" in instructions and "click the first tab" in instructions
