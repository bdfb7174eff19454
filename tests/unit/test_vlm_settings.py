"""The vision-language settings: off by default, validated, overridable from the environment."""

from __future__ import annotations

import pytest

from desktop.core.settings import Settings, SettingsError, load_settings


def test_off_by_default_with_a_30_s_timeout() -> None:
    s = Settings()
    assert s.vlm_backend == "" and s.vlm_timeout_s == 30.0


@pytest.mark.parametrize("changes", [{"vlm_backend": "Qwen 2.5"}, {"vlm_backend": "../x"},
                                     {"vlm_timeout_s": 0.5}, {"vlm_timeout_s": 601.0}])
def test_bad_values_are_refused(changes: dict) -> None:
    with pytest.raises(SettingsError):
        Settings(**changes)


def test_environment_overrides(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("CLICK_ASSIST_VLM_BACKEND", "qwen2.5-vl")
    monkeypatch.setenv("CLICK_ASSIST_VLM_TIMEOUT_S", "12.5")
    s = load_settings()
    assert (s.vlm_backend, s.vlm_timeout_s) == ("qwen2.5-vl", 12.5)
