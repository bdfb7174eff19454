"""End to end at scale 1.0: hotkey → bar → real engine → overlay → Enter → a real click on the target."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e import scenarios
from tests.e2e.conftest import SHOTS, Desktop

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(240)]

SCALE = 1.0


def test_click_button_once(desktop: Desktop) -> None:
    scenarios.click_button(desktop, SHOTS)


def test_escape_on_overlay_clicks_nothing(desktop: Desktop) -> None:
    scenarios.escape_clicks_nothing(desktop)


def test_right_click_instruction(desktop: Desktop) -> None:
    scenarios.right_click(desktop)


def test_region_flow(desktop: Desktop) -> None:
    scenarios.region_flow(desktop)


def test_click_all_checkboxes(desktop: Desktop) -> None:
    scenarios.click_all_checkboxes(desktop, SHOTS)


def test_hotkey_to_bar_is_fast(desktop: Desktop) -> None:
    """Target: 150 ms from the key press to a visible bar (measured from outside the app)."""
    times = desktop.external_bar_ms
    assert times, "no hotkey was measured"
    # The machines running tests are shared, so allow slack on the median but catch regressions.
    assert sorted(times)[len(times) // 2] <= 300, times


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_idle_app_uses_no_cpu_and_bounded_memory(desktop: Desktop) -> None:
    pid = desktop.app.pid
    time.sleep(1.0)
    start = _cpu_seconds(pid)
    time.sleep(4.0)
    idle = (_cpu_seconds(pid) - start) / 4.0
    rss = _rss_mb(pid)
    print(f"idle CPU {idle * 100:.2f}%  RSS {rss:.0f} MB  start-up {desktop.startup_wall_ms:.0f} ms")
    assert idle < 0.02, f"idle CPU {idle:.1%}"
    assert rss < 1200, f"RSS {rss:.0f} MB"
