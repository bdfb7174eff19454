"""The same person's steps under a 2.0 scale factor (Qt logical pixels are half the physical ones)."""

from __future__ import annotations

import pytest

from tests.e2e import scenarios
from tests.e2e.conftest import SHOTS, Desktop

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(240)]

SCALE = 2.0


def test_click_button_once_at_scale_2(desktop: Desktop) -> None:
    scenarios.click_button(desktop, SHOTS)


def test_escape_on_overlay_clicks_nothing_at_scale_2(desktop: Desktop) -> None:
    scenarios.escape_clicks_nothing(desktop)


def test_region_flow_at_scale_2(desktop: Desktop) -> None:
    scenarios.region_flow(desktop)


def test_click_all_checkboxes_at_scale_2(desktop: Desktop) -> None:
    scenarios.click_all_checkboxes(desktop, SHOTS)
