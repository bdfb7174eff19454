"""Settings: defaults, validation, the JSON file, environment overrides, unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.settings import (SCHEMA_VERSION, Settings, SettingsError, load_settings,
                                   save_settings, settings_from_dict, settings_path, settings_to_dict)


def test_defaults_are_safe() -> None:
    s = Settings()
    assert s.confirm_policy == "always" and not s.auto_click
    assert s.hotkey_ground == "Ctrl+Alt+Space" and s.hotkey_region == "Ctrl+Alt+R"
    assert s.sources == () and s.schema_version == SCHEMA_VERSION


def test_voice_recordings_are_kept_only_when_the_person_turns_it_on(tmp_path: Path) -> None:
    assert Settings().speech_keep_samples is False
    on = load_settings(tmp_path / "nope.json", env={"CLICK_ASSIST_SPEECH_KEEP_SAMPLES": "yes"})
    assert on.speech_keep_samples is True


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.json", env={}) == Settings()


def test_round_trip_through_file(tmp_path: Path) -> None:
    s = Settings(hotkey_ground="Ctrl+Shift+G", confirm_policy="auto_single", auto_click_threshold=0.95,
                 marker_size=64, marker_color="#FF00FF", sources=("ocr", "a11y"), return_pointer=False,
                 plan_max_age_s=4.5)
    path = save_settings(s, tmp_path / "cfg" / "settings.json")
    assert json.loads(path.read_text())["sources"] == ["ocr", "a11y"]
    assert load_settings(path, env={}) == s


def test_unknown_key_is_rejected_with_the_key_named(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"confirm_polcy": "auto_single"}))
    with pytest.raises(SettingsError) as err:
        load_settings(path, env={})
    assert "confirm_polcy" in err.value.user_message
    assert "confirm_policy" in err.value.hint  # the known keys are listed


@pytest.mark.parametrize("data, word", [
    ({"marker_size": "big"}, "marker_size"),
    ({"auto_click_threshold": 1.5}, "auto_click_threshold"),
    ({"confirm_policy": "never"}, "confirm_policy"),
    ({"marker_color": "yellow"}, "marker_color"),
    ({"hotkey_ground": "Ctrl+Alt+"}, "hotkey_ground"),
    ({"hotkey_region": "Ctrl+Alt+Space"}, "same keys"),
    ({"return_pointer": "maybe"}, "return_pointer"),
    ({"sources": "ocr"}, "sources"),
    ({"history_size": True}, "history_size"),
])
def test_invalid_values_are_explained(data: dict, word: str) -> None:
    with pytest.raises(SettingsError) as err:
        settings_from_dict(data)
    assert word in err.value.user_message


def test_newer_schema_is_refused() -> None:
    with pytest.raises(SettingsError, match="newer"):
        settings_from_dict({"schema_version": SCHEMA_VERSION + 1})


def test_broken_json_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(path, env={})


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = save_settings(Settings(marker_size=50), tmp_path / "settings.json")
    env = {"CLICK_ASSIST_MARKER_SIZE": "72", "CLICK_ASSIST_SOURCES": "ocr, template",
           "CLICK_ASSIST_RETURN_POINTER": "no", "CLICK_ASSIST_AUTO_CLICK_THRESHOLD": "0.8",
           "CLICK_ASSIST_MODELS_DIR": "/elsewhere"}  # another module's variable: ignored here
    s = load_settings(path, env=env)
    assert (s.marker_size, s.sources, s.return_pointer, s.auto_click_threshold) == (
        72, ("ocr", "template"), False, 0.8)


def test_bad_environment_override_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="CLICK_ASSIST_MARKER_SIZE"):
        load_settings(tmp_path / "x.json", env={"CLICK_ASSIST_MARKER_SIZE": "huge"})


def test_config_dir_override(tmp_path: Path) -> None:
    assert settings_path({"CLICK_ASSIST_CONFIG_DIR": str(tmp_path)}) == tmp_path / "settings.json"


def test_settings_are_frozen_and_replace_validates() -> None:
    s = Settings()
    with pytest.raises(AttributeError):
        s.marker_size = 10  # type: ignore[misc]
    with pytest.raises(SettingsError):
        s.replace(marker_size=2)
    assert s.replace(marker_size=80).marker_size == 80


def test_to_dict_has_every_field_and_loads_back() -> None:
    d = settings_to_dict(Settings())
    assert settings_from_dict(d) == Settings()
