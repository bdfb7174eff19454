"""The settings dialog round-trips every field and saves to the user's config dir."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QKeySequence

from desktop.core.settings import Settings, load_settings
from desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui

CUSTOM = Settings(hotkey_ground="Ctrl+Shift+G", hotkey_region="Ctrl+Shift+R", bar_position="fixed",
                  confirm_policy="auto_single", auto_click_threshold=0.95, marker_size=64,
                  marker_color="#FF00FF", highlight_color="#00FF00", marker_text_color="#FFFFFF",
                  high_contrast=False, sources=("ocr", "a11y"), return_pointer=False, start_on_login=True,
                  plan_max_age_s=4.5, history_size=20, save_history=False)


@pytest.mark.parametrize("settings", [Settings(), CUSTOM], ids=["defaults", "custom"])
def test_dialog_round_trips_settings(qtbot: Any, settings: Settings) -> None:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.result_settings() == settings


def test_edits_become_settings(qtbot: Any) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.hotkey_ground.setKeySequence(QKeySequence("Ctrl+Alt+G"))
    dialog.confirm_policy.setCurrentIndex(dialog.confirm_policy.findData("auto_single"))
    dialog.threshold.setValue(85)
    dialog.marker_size.setValue(72)
    dialog.highlight_color.setText("#ff8800")
    dialog.source_boxes["controls"].setChecked(False)
    s = dialog.result_settings()
    assert (s.hotkey_ground, s.confirm_policy, s.auto_click_threshold, s.marker_size, s.highlight_color) == (
        "Ctrl+Alt+G", "auto_single", 0.85, 72, "#FF8800")
    assert s.sources == ("ocr", "theme", "icons", "a11y", "template")


def test_threshold_only_editable_with_auto_click(qtbot: Any) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert not dialog.threshold.isEnabled()
    dialog.confirm_policy.setCurrentIndex(dialog.confirm_policy.findData("auto_single"))
    assert dialog.threshold.isEnabled()


def test_invalid_choice_keeps_the_dialog_open_with_a_reason(qtbot: Any) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    for cb in dialog.source_boxes.values():
        cb.setChecked(False)
    dialog.accept()
    assert dialog.isVisible() and "at least one" in dialog.error.text()
    dialog.hotkey_region.setKeySequence(QKeySequence("Ctrl+Alt+Space"))  # same as the other hotkey
    dialog.source_boxes["ocr"].setChecked(True)
    dialog.accept()
    assert dialog.isVisible() and "same keys" in dialog.error.text()


def test_restore_defaults(qtbot: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = SettingsDialog(CUSTOM)
    qtbot.addWidget(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert dialog.result_settings() == Settings()


def test_saving_from_the_app_writes_the_config_dir_and_applies(qtbot: Any, app_parts: Any,
                                                              tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.app import apply_settings

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    apply_settings(app_parts, CUSTOM, persist=True)
    assert load_settings(tmp_path / "config" / "settings.json", env={}) == CUSTOM
    entry = tmp_path / "xdg" / "autostart" / "click-assist.desktop"
    assert entry.exists() and "Exec=" in entry.read_text()
    c = app_parts.controller
    assert c.overlay.look.marker_size == 64 and c.executor.allow_auto and c.executor.max_age_s == 4.5
    apply_settings(app_parts, CUSTOM.replace(start_on_login=False), persist=True)
    assert not entry.exists()


def test_every_hotkey_and_the_speech_options_round_trip(qtbot):
    from desktop.core.settings import HOTKEY_FIELDS, Settings
    from desktop.ui.settings_dialog import SettingsDialog

    original = Settings().replace(hotkey_numbers="Ctrl+Alt+7", hotkey_voice="Ctrl+Alt+9",
                                  speech_recognizer="whisper", whisper_model="/models/whisper-base.en",
                                  spoken_feedback="always", speech_input=False, speech_keep_samples=True)
    dialog = SettingsDialog(original)
    qtbot.addWidget(dialog)
    assert set(dialog.hotkey_edits) == set(HOTKEY_FIELDS)
    assert dialog.whisper_model.isEnabled()
    result = dialog.result_settings()
    assert result.hotkey_numbers == "Ctrl+Alt+7" and result.hotkey_voice == "Ctrl+Alt+9"
    assert (result.speech_recognizer, result.whisper_model, result.spoken_feedback, result.speech_input) == \
        ("whisper", "/models/whisper-base.en", "always", False)
    assert result.speech_keep_samples and dialog.speech_keep_samples.accessibleName() == "Keep voice commands"
    dialog.speech_keep_samples.setChecked(False)
    assert not dialog.result_settings().speech_keep_samples
    dialog.speech_recognizer.setCurrentIndex(dialog.speech_recognizer.findData("pocketsphinx"))
    assert not dialog.whisper_model.isEnabled()


def test_voice_adaptation_row_adapts_in_the_background_and_says_why_not(qtbot, tmp_path, monkeypatch):
    import numpy as np

    from desktop.speech import adapt
    from desktop.speech.samples import SampleStore, transform_path
    from desktop.ui.voice_adaptation import VoiceAdaptationRow

    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path))
    row = VoiceAdaptationRow()
    qtbot.addWidget(row)
    assert row.status.text() == "0 voice commands kept. No adaptation yet."
    assert not row.reset.isEnabled() and row.adapt.accessibleName() == "Adapt to my voice"
    row.adapt.click()  # the real adaptation, with nothing kept: a clear reason, not a crash
    qtbot.waitUntil(lambda: row.op is None, timeout=10000)
    assert "Only 0 of 0 recordings could be used" in row.status.text() and row.adapt.isEnabled()

    SampleStore().add(np.ones(8000, np.int16), "click save")
    calls = []

    def fake_adapt(samples, out):  # the estimation itself is tested in tests/unit/test_speech_adapt.py
        calls.append((len(samples), out))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("1")
        return adapt.AdaptationReport(out, len(samples), 0, 100, 0.1)

    monkeypatch.setattr(adapt, "adapt_voice", fake_adapt)
    row.adapt.click()
    qtbot.waitUntil(lambda: row.op is None, timeout=10000)
    assert calls == [(1, transform_path())]
    assert row.status.text() == "Adapted to your voice from 1 recordings. Speech input uses it from the next command."
    assert row.reset.isEnabled()
    row.reset.click()
    assert not transform_path().exists() and not row.reset.isEnabled()
    assert row.status.text().startswith("1 voice command kept. No adaptation yet. Removed")

    from desktop.speech.adapt_check import HeldOutCheck

    def no_gain(samples, out):  # the held-out check found no gain: nothing written, and the row says why
        return adapt.AdaptationReport(out, len(samples), 0, 100, 0.1, installed=False,
                                      check=HeldOutCheck(20, 43, 0, 1, 0, 1, 4))

    monkeypatch.setattr(adapt, "adapt_voice", no_gain)
    row.adapt.click()
    qtbot.waitUntil(lambda: row.op is None, timeout=10000)
    assert row.status.text() == ("Not adapted. Your voice is already heard without errors (word errors on 20 "
                                 "commands it was not estimated from: 0 without it, 1 with it). "
                                 "The original model stays in use.")
    assert not transform_path().exists() and not row.reset.isEnabled()
