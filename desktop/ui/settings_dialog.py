"""The Settings dialog: every field of :class:`~desktop.core.settings.Settings`, keyboard-first."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QColor, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QKeySequenceEdit,
                               QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox, QVBoxLayout,
                               QWidget)

from desktop.core.settings import HOTKEY_FIELDS, KNOWN_SOURCES, Settings, SettingsError
from desktop.ui.voice_adaptation import VoiceAdaptationRow

__all__ = ["SettingsDialog"]

logger = logging.getLogger(__name__)

_POLICIES = (("always", "Always ask me before clicking (recommended)"),
             ("auto_single", "Click a single target without asking when confidence is above the threshold"))
_POSITIONS = (("pointer", "Next to the pointer"), ("fixed", "At a fixed spot on the screen"))
_SOURCE_NAMES = {"a11y": "Accessibility tree", "ocr": "Text recognition (OCR)",
                 "controls": "Control shapes (checkboxes, buttons)", "theme": "Icons of the installed icon theme",
                 "icons": "Icon model",
                 "template": "Reference image (when one is given)"}


_HOTKEYS = {
    "hotkey_ground": ("Ground on screen hotkey", "opens the instruction bar"),
    "hotkey_region": ("Select region hotkey", "starts a region selection"),
    "hotkey_numbers": ("Show numbers hotkey", "numbers everything clickable"),
    "hotkey_grid": ("Show grid hotkey", "shows the 3 by 3 grid"),
    "hotkey_voice": ("Talk hotkey", "starts and stops listening"),
}


def _name(widget: QWidget, name: str, description: str) -> QWidget:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    widget.setToolTip(description)
    return widget


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`result_settings` returns the validated new ones."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Click Assist settings")
        self.setObjectName("settingsDialog")
        self.setAccessibleName("Click Assist settings")
        self.setAccessibleDescription("Hotkeys, confirmation, overlay look, candidate sources and start-up.")
        self._original = settings
        layout = QVBoxLayout(self)
        # Scrolls rather than overflowing the screen at 200% scaling or with large fonts.
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        for group in (self._keys_group(body), self._confirm_group(body), self._look_group(body),
                      self._sources_group(body), self._speech_group(body), self._other_group(body)):
            body_layout.addWidget(group)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setAccessibleName("Settings")
        self.scroll_area.setAccessibleDescription("All settings; scroll for more.")
        layout.addWidget(self.scroll_area, 1)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        _name(self.error, "Settings problem", "Why the settings could not be saved.")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        for role, (name, desc) in {
            QDialogButtonBox.StandardButton.Save: ("Save settings", "Save and apply these settings."),
            QDialogButtonBox.StandardButton.Cancel: ("Cancel", "Close without changing anything."),
            QDialogButtonBox.StandardButton.RestoreDefaults: ("Restore defaults",
                                                              "Put every setting back to its default."),
        }.items():
            _name(self.buttons.button(role), name, desc)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            lambda: self.load(Settings()))
        layout.addWidget(self.buttons)
        self.load(settings)

    # -- building -----------------------------------------------------------
    def _keys_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Hotkeys", parent)
        form = QFormLayout(box)
        self.hotkey_edits: dict[str, QKeySequenceEdit] = {}
        for field_name in HOTKEY_FIELDS:
            label, desc = _HOTKEYS[field_name]
            edit = QKeySequenceEdit(box)
            edit.setMaximumSequenceLength(1)
            _name(edit, label, f"Press the new key combination that {desc}.")
            form.addRow(label, edit)
            self.hotkey_edits[field_name] = edit
        self.hotkey_ground = self.hotkey_edits["hotkey_ground"]
        self.hotkey_region = self.hotkey_edits["hotkey_region"]
        self.bar_position = QComboBox(box)
        for value, text in _POSITIONS:
            self.bar_position.addItem(text, value)
        _name(self.bar_position, "Instruction bar position", "Where the instruction bar opens.")
        form.addRow("Instruction bar opens", self.bar_position)
        return box

    def _confirm_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Confirmation", parent)
        form = QFormLayout(box)
        self.confirm_policy = QComboBox(box)
        for value, text in _POLICIES:
            self.confirm_policy.addItem(text, value)
        _name(self.confirm_policy, "Confirmation policy", "Whether every click needs your confirmation.")
        form.addRow("Before clicking", self.confirm_policy)
        self.threshold = QSpinBox(box)
        self.threshold.setRange(50, 100)
        self.threshold.setSuffix(" %")
        _name(self.threshold, "Auto-click threshold",
              "Lowest confidence at which a single target is clicked without asking (auto-click only).")
        form.addRow("Auto-click above", self.threshold)
        self.max_age = QDoubleSpinBox(box)
        self.max_age.setRange(1.0, 120.0)
        self.max_age.setSuffix(" s")
        _name(self.max_age, "Plan expiry", "Targets older than this are found again before clicking.")
        form.addRow("Find targets again after", self.max_age)
        self.confirm_policy.currentIndexChanged.connect(self._sync_enabled)
        return box

    def _colour_row(self, parent: QWidget, name: str) -> tuple[QWidget, QLineEdit]:
        row = QWidget(parent)
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(row)
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"#[0-9A-Fa-f]{6}"), edit))
        _name(edit, name, f"{name} as #RRGGBB.")
        pick = QPushButton("Choose…", row)
        _name(pick, f"Choose {name.lower()}", f"Open a colour chooser for the {name.lower()}.")

        def choose() -> None:
            colour = QColorDialog.getColor(QColor(edit.text()), self, name)
            if colour.isValid():
                edit.setText(colour.name().upper())

        pick.clicked.connect(choose)
        h.addWidget(edit, 1)
        h.addWidget(pick)
        return row, edit

    def _look_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Overlay look", parent)
        form = QFormLayout(box)
        self.marker_size = QSpinBox(box)
        self.marker_size.setRange(16, 160)
        self.marker_size.setSuffix(" px")
        _name(self.marker_size, "Marker size", "Diameter of the target markers.")
        form.addRow("Marker size", self.marker_size)
        row, self.marker_color = self._colour_row(box, "Marker colour")
        form.addRow("Marker colour", row)
        row, self.highlight_color = self._colour_row(box, "Highlight colour")
        form.addRow("Highlight colour", row)
        row, self.text_color = self._colour_row(box, "Number colour")
        form.addRow("Number colour", row)
        self.high_contrast = QCheckBox("High-contrast style for Click Assist's windows", box)
        _name(self.high_contrast, "High contrast", "White on black with a yellow focus ring.")
        form.addRow(self.high_contrast)
        return box

    def _sources_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Where to look for targets", parent)
        v = QVBoxLayout(box)
        self.source_boxes: dict[str, QCheckBox] = {}
        for name in KNOWN_SOURCES:
            cb = QCheckBox(_SOURCE_NAMES.get(name, name), box)
            _name(cb, f"Source: {_SOURCE_NAMES.get(name, name)}",
                  f"Use the '{name}' candidate source when it is available.")
            v.addWidget(cb)
            self.source_boxes[name] = cb
        form = QFormLayout()
        self.vlm_backend = QComboBox(box)
        _name(self.vlm_backend, "Vision-language model",
              "Also ask a vision-language model found on this computer (slower; 'click-assist models' lists them).")
        form.addRow("Vision-language model", self.vlm_backend)
        self.vlm_timeout = QDoubleSpinBox(box)
        self.vlm_timeout.setRange(1.0, 600.0)
        self.vlm_timeout.setSuffix(" s")
        _name(self.vlm_timeout, "Model time limit",
              "After this many seconds the model is dropped and the other sources answer.")
        form.addRow("Model time limit", self.vlm_timeout)
        v.addLayout(form)
        return box

    def _fill_models(self, current: str) -> None:
        """Off, each backend with a model on this computer, and ``current`` even when its model is gone."""
        from desktop.grounding.vlm.models import find_models

        self.vlm_backend.clear()
        self.vlm_backend.addItem("Off", "")
        try:
            found = find_models(self._original.models_dir or None)
        except OSError:  # an unreadable folder: offer what the settings already say
            logger.warning("could not look for models", exc_info=True)
            found = []
        for model in found:
            if model.backend and self.vlm_backend.findData(model.backend) < 0:
                self.vlm_backend.addItem(f"{model.family} ({model.backend}): {model.repo_id}", model.backend)
        if current and self.vlm_backend.findData(current) < 0:
            self.vlm_backend.addItem(f"{current} (no model found on this computer)", current)
        self.vlm_backend.setCurrentIndex(self.vlm_backend.findData(current))

    def _speech_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Speech", parent)
        form = QFormLayout(box)
        self.speech_input = QCheckBox("Listen for spoken instructions", box)
        _name(self.speech_input, "Speech input", "Let the voice hotkey and the Hold to talk button listen.")
        form.addRow(self.speech_input)
        self.speech_recognizer = QComboBox(box)
        for value, text in (("pocketsphinx", "Built in (pocketsphinx, offline)"),
                            ("whisper", "Whisper from a local folder")):
            self.speech_recognizer.addItem(text, value)
        _name(self.speech_recognizer, "Speech recognizer", "Which offline recognizer turns speech into text.")
        form.addRow("Recognizer", self.speech_recognizer)
        self.whisper_model = QLineEdit(box)
        self.whisper_model.setPlaceholderText("/path/to/whisper-base.en")
        _name(self.whisper_model, "Whisper model folder", "A Whisper model folder on this computer.")
        form.addRow("Whisper model", self.whisper_model)
        self.spoken_feedback = QComboBox(box)
        for value, text in (("off", "Never"), ("voice", "After a spoken instruction"), ("always", "Always")):
            self.spoken_feedback.addItem(text, value)
        _name(self.spoken_feedback, "Spoken feedback", "When to say how many targets were found.")
        form.addRow("Speak results", self.spoken_feedback)
        self.speech_keep_samples = QCheckBox("Keep my confirmed voice commands on this computer to adapt to my voice",
                                             box)
        _name(self.speech_keep_samples, "Keep voice commands",
              "Recordings stay on this computer; click-assist adapt-voice then adapts the recognizer to your voice.")
        form.addRow(self.speech_keep_samples)
        self.voice_adaptation = VoiceAdaptationRow(box)
        form.addRow(self.voice_adaptation)
        self.speech_recognizer.currentIndexChanged.connect(self._sync_enabled)
        return box

    def _other_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Other", parent)
        form = QFormLayout(box)
        self.return_pointer = QCheckBox("Move the pointer back after clicking", box)
        _name(self.return_pointer, "Return pointer", "Put the pointer back where it was after clicking.")
        self.start_on_login = QCheckBox("Start Click Assist when I log in", box)
        _name(self.start_on_login, "Start on login", "Add Click Assist to the desktop's autostart.")
        self.save_history = QCheckBox("Remember my instructions between sessions", box)
        _name(self.save_history, "Save history", "Keep the instruction history on this computer.")
        self.history_size = QSpinBox(box)
        self.history_size.setRange(0, 1000)
        _name(self.history_size, "History length", "How many instructions to remember.")
        for w in (self.return_pointer, self.start_on_login, self.save_history):
            form.addRow(w)
        form.addRow("Instructions to remember", self.history_size)
        return box

    def _sync_enabled(self) -> None:
        self.threshold.setEnabled(self.confirm_policy.currentData() == "auto_single")
        self.whisper_model.setEnabled(self.speech_recognizer.currentData() == "whisper")

    # -- values -------------------------------------------------------------
    def load(self, s: Settings) -> None:
        """Show ``s`` in the widgets."""
        for field_name, edit in self.hotkey_edits.items():
            edit.setKeySequence(QKeySequence(getattr(s, field_name)))
        self.speech_input.setChecked(s.speech_input)
        self.speech_recognizer.setCurrentIndex(self.speech_recognizer.findData(s.speech_recognizer))
        self.whisper_model.setText(s.whisper_model)
        self.spoken_feedback.setCurrentIndex(self.spoken_feedback.findData(s.spoken_feedback))
        self.speech_keep_samples.setChecked(s.speech_keep_samples)
        self.bar_position.setCurrentIndex(self.bar_position.findData(s.bar_position))
        self.confirm_policy.setCurrentIndex(self.confirm_policy.findData(s.confirm_policy))
        self.threshold.setValue(round(s.auto_click_threshold * 100))
        self.max_age.setValue(s.plan_max_age_s)
        self.marker_size.setValue(s.marker_size)
        self.marker_color.setText(s.marker_color)
        self.highlight_color.setText(s.highlight_color)
        self.text_color.setText(s.marker_text_color)
        self.high_contrast.setChecked(s.high_contrast)
        for name, cb in self.source_boxes.items():
            cb.setChecked(not s.sources or name in s.sources)
        self._fill_models(s.vlm_backend)
        self.vlm_timeout.setValue(s.vlm_timeout_s)
        self.return_pointer.setChecked(s.return_pointer)
        self.start_on_login.setChecked(s.start_on_login)
        self.save_history.setChecked(s.save_history)
        self.history_size.setValue(s.history_size)
        self._sync_enabled()

    def result_settings(self) -> Settings:
        """The settings as edited.

        Raises
        ------
        SettingsError
            When the edited values are not valid.
        """
        on = tuple(n for n, cb in self.source_boxes.items() if cb.isChecked())
        if not on:
            raise SettingsError("Turn on at least one place to look for targets.")
        # Every source on means "all available", which also takes in sources added later.
        sources = () if len(on) == len(self.source_boxes) else on
        fmt = QKeySequence.SequenceFormat.PortableText
        hotkeys = {name: edit.keySequence().toString(fmt) for name, edit in self.hotkey_edits.items()}
        return self._original.replace(
            **hotkeys,
            speech_input=self.speech_input.isChecked(),
            speech_recognizer=self.speech_recognizer.currentData(),
            whisper_model=self.whisper_model.text().strip(),
            spoken_feedback=self.spoken_feedback.currentData(),
            speech_keep_samples=self.speech_keep_samples.isChecked(),
            bar_position=self.bar_position.currentData(),
            confirm_policy=self.confirm_policy.currentData(),
            auto_click_threshold=self.threshold.value() / 100,
            plan_max_age_s=float(self.max_age.value()),
            marker_size=self.marker_size.value(),
            marker_color=self.marker_color.text().upper(),
            highlight_color=self.highlight_color.text().upper(),
            marker_text_color=self.text_color.text().upper(),
            high_contrast=self.high_contrast.isChecked(),
            sources=sources,
            vlm_backend=self.vlm_backend.currentData(),
            vlm_timeout_s=float(self.vlm_timeout.value()),
            return_pointer=self.return_pointer.isChecked(),
            start_on_login=self.start_on_login.isChecked(),
            save_history=self.save_history.isChecked(),
            history_size=self.history_size.value(),
        )

    def accept(self) -> None:
        try:
            self.result_settings()
        except SettingsError as exc:
            self.error.setText(f"{exc.user_message} {exc.hint}".strip())
            self.error.show()
            self.error.setFocus()
            return
        super().accept()
