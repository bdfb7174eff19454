"""Push-to-talk on a real X server: a held hotkey reports one press and one release, whatever auto-repeat does.

Xvfb auto-repeats a key held through XTest (after 660 ms, 25 times a
second), sending release + press pairs; only the real release may come
through. Each check runs in a child process pointed at the test's own Xvfb,
as python-xlib reads ``DISPLAY`` when first used.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_x11_adapters import run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

HOLD = r"""
import json, subprocess, time
from desktop.ui.hotkeys import parse_hotkey
from desktop.ui.hotkeys_x11 import X11Hotkeys
events, t0 = [], time.monotonic()
keys = X11Hotkeys()
keys.start({"voice": parse_hotkey("Ctrl+Alt+V"), "ground": parse_hotkey("Ctrl+Alt+Space")},
           lambda name: events.append(["press", name, time.monotonic() - t0]),
           on_release=lambda name: events.append(["release", name, time.monotonic() - t0]))
def xdo(*args):
    subprocess.run(["xdotool", *args], check=True)
xdo("keydown", "ctrl+alt+v")
time.sleep(1.5)                      # long enough for many auto-repeats
xdo("keyup", "ctrl"); xdo("keyup", "alt")   # modifiers let go first...
time.sleep(0.1)
let_go = time.monotonic() - t0
xdo("keyup", "v")                    # ...then the key
time.sleep(0.3)
xdo("key", "ctrl+alt+space")         # a tap of another hotkey
time.sleep(0.3)
keys.stop()
print(json.dumps({"events": events, "let_go": let_go}))
"""


def test_holding_the_hotkey_reports_one_press_and_one_release(xvfb: dict[str, str]) -> None:
    r = run(xvfb, HOLD)
    kinds = [(e[0], e[1]) for e in r["events"]]
    assert kinds == [("press", "voice"), ("release", "voice"), ("press", "ground"), ("release", "ground")]
    press, release = r["events"][0][2], r["events"][1][2]
    assert release - press > 1.4  # not an auto-repeat release in between
    assert release >= r["let_go"]  # when the key itself went up, not the modifiers
