"""The app's settings: one typed, frozen object with defaults, a schema version and a JSON file.

The file lives in the user's config dir (``platformdirs``), or in
``$CLICK_ASSIST_CONFIG_DIR`` when that is set. Every field can be overridden
for one run with an environment variable named ``CLICK_ASSIST_<FIELD>``
(``CLICK_ASSIST_CONFIRM_POLICY=auto_single``; tuples are comma-separated,
booleans are ``1/0``, ``true/false``, ``yes/no``). Unknown keys in the file
are rejected with a clear error rather than silently ignored, so a typo never
turns a safety setting off.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from desktop.core.errors import ClickAssistError

__all__ = [
    "SCHEMA_VERSION",
    "CONFIRM_POLICIES",
    "BAR_POSITIONS",
    "KNOWN_SOURCES",
    "HOTKEY_FIELDS",
    "SPEECH_RECOGNIZERS",
    "SPOKEN_FEEDBACK",
    "Settings",
    "SettingsError",
    "config_dir",
    "settings_path",
    "load_settings",
    "save_settings",
    "settings_from_dict",
    "settings_to_dict",
]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
ENV_PREFIX = "CLICK_ASSIST_"
FILE_NAME = "settings.json"

#: ``always``: every click needs the person's confirmation (the default).
#: ``auto_single``: a single target at or above ``auto_click_threshold`` is
#: clicked without asking (opt-in).
CONFIRM_POLICIES = ("always", "auto_single")
#: Where the instruction bar opens: next to the pointer, or at a fixed spot
#: given as fractions of the screen (``bar_fixed_x``, ``bar_fixed_y``).
BAR_POSITIONS = ("pointer", "fixed")
#: Candidate sources the settings dialog offers; the engine decides which of
#: them can actually run here.
KNOWN_SOURCES = ("ocr", "controls", "theme", "icons", "a11y", "template")

#: Every global hotkey setting (each must be a distinct key combination).
HOTKEY_FIELDS = ("hotkey_ground", "hotkey_region", "hotkey_numbers", "hotkey_grid", "hotkey_voice")

#: Speech recognizers: pocketsphinx (bundled, offline) or Whisper from a local model.
SPEECH_RECOGNIZERS = ("pocketsphinx", "whisper")
#: When the app talks back: never, when the instruction was spoken (the default), or always.
SPOKEN_FEEDBACK = ("off", "voice", "always")

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_HOTKEY = re.compile(r"^(?:[A-Za-z]+\+)*[A-Za-z0-9]+$")
_VLM_BACKEND = re.compile(r"^(?:[a-z0-9][a-z0-9.\-]*)?$")


class SettingsError(ClickAssistError):
    """The settings file or an environment override is not valid."""

    code = "invalid_settings"


@dataclass(frozen=True)
class Settings:
    """Everything a person can configure; validated on construction.

    Parameters
    ----------
    hotkey_ground, hotkey_region
        Global hotkeys in ``Ctrl+Alt+Space`` form.
    hotkey_numbers, hotkey_grid
        Global hotkeys that number every clickable thing under the pointer
        ("show numbers") or open the 3×3 grid there ("show grid").
    bar_position
        ``pointer`` or ``fixed`` (see :data:`BAR_POSITIONS`).
    bar_fixed_x, bar_fixed_y
        The fixed spot as fractions of the screen, used with ``fixed``.
    confirm_policy, auto_click_threshold
        See :data:`CONFIRM_POLICIES`; the threshold is a confidence in [0, 1].
    marker_size
        Marker diameter in logical pixels.
    marker_color, highlight_color, marker_text_color
        ``#RRGGBB`` colours of markers, the highlighted marker and their numbers.
    high_contrast
        Use the high-contrast style for the app's own windows.
    sources
        Enabled candidate sources; empty means every available source.
    return_pointer
        Move the pointer back to where it was after clicking.
    start_on_login
        Install the desktop entry in the autostart folder.
    plan_max_age_s
        A plan older than this (since capture) is refused and grounded again.
    history_size, save_history
        How many instructions to remember, and whether to keep them on disk.
    speech_input, hotkey_voice
        Push-to-talk (the hotkey, or the bar's hold-to-talk button).
    speech_recognizer, whisper_model
        See :data:`SPEECH_RECOGNIZERS`; ``whisper_model`` is a local folder or a
        model id already in the Hugging Face cache (never downloaded).
    models_dir
        A folder of vision-language checkpoints (one sub-folder each) for the
        optional model backends; "" looks only in the Hugging Face cache.
    vlm_backend, vlm_timeout_s
        A vision-language backend to ask besides the default sources
        (``owlv2``, ``qwen2.5-vl``, … as ``click-assist models`` lists them);
        "" is off. A query running longer than the timeout is dropped and the
        default sources answer.
    spoken_feedback
        See :data:`SPOKEN_FEEDBACK`.
    voice_auto_run_s
        A spoken instruction runs after this many seconds unless the person
        starts editing it; 0 waits for Enter.
    speech_keep_samples
        Keep recordings of confirmed voice commands on this computer (never
        sent anywhere) so that ``click-assist adapt-voice`` can adapt the
        recognizer to the person's voice. Off unless the person turns it on.
    """

    schema_version: int = SCHEMA_VERSION
    hotkey_ground: str = "Ctrl+Alt+Space"
    hotkey_region: str = "Ctrl+Alt+R"
    hotkey_numbers: str = "Ctrl+Alt+N"
    hotkey_grid: str = "Ctrl+Alt+M"  # M as in mouse grid
    bar_position: str = "pointer"
    bar_fixed_x: float = 0.5
    bar_fixed_y: float = 0.25
    confirm_policy: str = "always"
    auto_click_threshold: float = 0.9
    marker_size: int = 40
    marker_color: str = "#FFD400"
    highlight_color: str = "#00E5FF"
    marker_text_color: str = "#000000"
    high_contrast: bool = True
    sources: tuple[str, ...] = field(default_factory=tuple)
    return_pointer: bool = True
    start_on_login: bool = False
    plan_max_age_s: float = 10.0
    history_size: int = 50
    save_history: bool = True
    speech_input: bool = True
    hotkey_voice: str = "Ctrl+Alt+V"
    speech_recognizer: str = "pocketsphinx"
    whisper_model: str = ""
    models_dir: str = ""
    vlm_backend: str = ""
    vlm_timeout_s: float = 30.0
    spoken_feedback: str = "voice"
    voice_auto_run_s: float = 1.0
    speech_keep_samples: bool = False

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise SettingsError("These settings are not valid: " + "; ".join(problems) + ".",
                                hint="Fix them in Settings, or delete the settings file to start over.")

    @property
    def auto_click(self) -> bool:
        """Whether auto-click of a single confident target was explicitly turned on."""
        return self.confirm_policy == "auto_single"

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied (validated like any new settings)."""
        return dataclasses.replace(self, **changes)


def _problems(s: Settings) -> list[str]:
    problems: list[str] = []
    if s.schema_version != SCHEMA_VERSION:
        problems.append(f"schema_version {s.schema_version} is not {SCHEMA_VERSION}")
    for name in HOTKEY_FIELDS:
        value = getattr(s, name)
        if not _HOTKEY.match(value.replace(" ", "")):
            problems.append(f"{name} {value!r} is not a key combination like 'Ctrl+Alt+Space'")
    keys = [getattr(s, name).replace(" ", "").lower() for name in HOTKEY_FIELDS]
    for i, name in enumerate(HOTKEY_FIELDS):
        for other, key in zip(HOTKEY_FIELDS[i + 1:], keys[i + 1:]):
            if keys[i] == key:
                problems.append(f"{name} and {other} are the same keys")
    if s.speech_recognizer not in SPEECH_RECOGNIZERS:
        problems.append(f"speech_recognizer must be one of {', '.join(SPEECH_RECOGNIZERS)}")
    if s.spoken_feedback not in SPOKEN_FEEDBACK:
        problems.append(f"spoken_feedback must be one of {', '.join(SPOKEN_FEEDBACK)}")
    if not 0.0 <= s.voice_auto_run_s <= 10.0:
        problems.append("voice_auto_run_s must be between 0 and 10 seconds")
    if s.bar_position not in BAR_POSITIONS:
        problems.append(f"bar_position must be one of {', '.join(BAR_POSITIONS)}")
    if s.confirm_policy not in CONFIRM_POLICIES:
        problems.append(f"confirm_policy must be one of {', '.join(CONFIRM_POLICIES)}")
    for name in ("bar_fixed_x", "bar_fixed_y", "auto_click_threshold"):
        if not 0.0 <= getattr(s, name) <= 1.0:
            problems.append(f"{name} must be between 0 and 1")
    if not 16 <= s.marker_size <= 160:
        problems.append("marker_size must be between 16 and 160")
    for name in ("marker_color", "highlight_color", "marker_text_color"):
        if not _COLOUR.match(getattr(s, name)):
            problems.append(f"{name} must be a colour like '#FFD400'")
    if any(not src or not src.replace("_", "").isalnum() for src in s.sources):
        problems.append("sources must be names like 'ocr'")
    if not _VLM_BACKEND.match(s.vlm_backend):
        problems.append("vlm_backend must be a backend name like 'owlv2', or empty")
    if not 1.0 <= s.vlm_timeout_s <= 600.0:
        problems.append("vlm_timeout_s must be between 1 and 600 seconds")
    if not 1.0 <= s.plan_max_age_s <= 120.0:
        problems.append("plan_max_age_s must be between 1 and 120 seconds")
    if not 0 <= s.history_size <= 1000:
        problems.append("history_size must be between 0 and 1000")
    return problems


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_TYPES: dict[str, type] = {
    name: (tuple if name == "sources" else type(getattr(Settings(), name))) for name in _FIELDS
}


def _coerce(name: str, value: Any, origin: str, from_env: bool = False) -> Any:
    """Turn a JSON or environment value into the field's type, or explain why not.

    Strings become numbers, booleans or lists only when they come from the
    environment, where everything is a string; the file must use JSON types.
    """
    kind = _TYPES[name]
    bad = SettingsError(f"{origin}: {name} has the wrong type ({value!r}).",
                        hint=f"Expected {kind.__name__}.")
    if kind is tuple:
        if isinstance(value, str) and from_env:
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise bad
        return tuple(value)
    if kind is bool:
        if isinstance(value, str) and from_env:
            lowered = value.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
        if isinstance(value, bool):
            return value
        raise bad
    if kind in (int, float) and isinstance(value, str) and from_env:
        try:
            value = kind(value.strip())
        except ValueError:
            raise bad from None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise bad
    return value


def settings_from_dict(data: Mapping[str, Any], origin: str = "settings") -> Settings:
    """Build settings from a mapping (a parsed settings file); unknown keys are an error.

    Raises
    ------
    SettingsError
        On an unknown key, a value of the wrong type, a newer schema version
        or a value out of range.
    """
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise SettingsError(f"{origin}: unknown setting(s) {', '.join(unknown)}.",
                            hint=f"Known settings: {', '.join(_FIELDS)}.")
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise SettingsError(f"{origin} was written by a newer Click Assist "
                            f"(schema {version}, this one reads {SCHEMA_VERSION}).",
                            hint="Update Click Assist or delete the settings file.")
    values = {k: _coerce(k, v, origin) for k, v in data.items()}
    # Older schemas would be migrated here; version 1 is the first.
    values["schema_version"] = SCHEMA_VERSION
    return Settings(**values)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The JSON-ready form of ``settings`` (tuples become lists)."""
    out = dataclasses.asdict(settings)
    out["sources"] = list(settings.sources)
    return out


def env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``CLICK_ASSIST_<FIELD>`` values present in ``env``, coerced to their types.

    Other ``CLICK_ASSIST_*`` variables belong to other parts of the app and are ignored.
    """
    out: dict[str, Any] = {}
    for name in _FIELDS:
        key = ENV_PREFIX + name.upper()
        if key in env and name != "schema_version":
            out[name] = _coerce(name, env[key], f"environment variable {key}", from_env=True)
    return out


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the settings file lives: ``$CLICK_ASSIST_CONFIG_DIR`` or the user config dir."""
    env = os.environ if env is None else env
    override = env.get(ENV_PREFIX + "CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs  # imported here so that importing the core stays cheap

    return Path(platformdirs.user_config_dir("click-assist", appauthor=False))


def settings_path(env: Mapping[str, str] | None = None) -> Path:
    """The settings file's path."""
    return config_dir(env) / FILE_NAME


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings file (defaults when it does not exist) and apply environment overrides.

    Parameters
    ----------
    path
        The settings file; :func:`settings_path` when ``None``.
    env
        The environment to read overrides from; ``os.environ`` when ``None``.

    Raises
    ------
    SettingsError
        When the file is not valid JSON or holds invalid settings, or an
        override is invalid.
    """
    env = os.environ if env is None else env
    path = settings_path(env) if path is None else path
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SettingsError(f"The settings file {path} cannot be read ({exc}).",
                                hint="Fix or delete it to start from the defaults.") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"The settings file {path} does not hold a JSON object.",
                                hint="Fix or delete it to start from the defaults.")
    settings = settings_from_dict(data, origin=str(path))
    overrides = env_overrides(env)
    if overrides:
        logger.info("settings overridden from the environment: %s", ", ".join(sorted(overrides)))
        settings = settings.replace(**overrides)
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically (a half-written file never replaces a good one)."""
    path = settings_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(settings_to_dict(settings), indent=2, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    logger.debug("settings saved to %s", path)
    return path
