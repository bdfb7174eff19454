"""``click-assist adapt-voice``: adapt the recognizer to the person's voice, or undo it."""

from __future__ import annotations

import json
import logging
from typing import Any, TextIO

from desktop.core.errors import ClickAssistError

__all__ = ["adapt_voice_command", "adapted_message"]

logger = logging.getLogger(__name__)

_EXIT_ERROR = 2


def adapt_voice_command(samples_dir: str | None, *, reset: bool = False, forget: bool = False,
                        as_json: bool = False, force: bool = False, out: TextIO) -> int:
    """Adapt from the kept recordings (or ``samples_dir``); ``reset`` removes the adaptation, ``forget`` the recordings.

    The adaptation is installed only when it helps on recordings held out
    from its estimation (``force``: whatever that check says); either way the
    check's numbers are printed (``check`` in the JSON, ``installed`` says which).

    Returns the exit status: 0 (also when the check kept the current state),
    or 2 with the reason on stderr (and in the JSON).
    """
    import sys

    from desktop.speech.samples import SampleStore, transform_path

    store = SampleStore(samples_dir)
    result: dict[str, Any] = {"adaptation": str(transform_path())}
    try:
        if reset or forget:
            if reset:
                result["removed"] = _remove(transform_path())
            if forget:
                result["recordings_deleted"] = store.clear()
            _say(out, as_json, result, _undo_message(result))
            return 0
        from desktop.speech.adapt import adapt_voice

        report = adapt_voice(store.load(), transform_path(), force=force)
    except ClickAssistError as exc:
        logger.debug("adapt-voice failed", exc_info=True)
        print(f"click-assist: {exc.user_message}" + (f" {exc.hint}" if exc.hint else ""), file=sys.stderr)
        if as_json:
            _say(out, True, {**result, "error": exc.to_dict()}, "")
        return _EXIT_ERROR
    result.update(installed=report.installed, recordings=report.used, skipped=report.skipped,
                  frames=report.frames, elapsed_s=round(report.elapsed_s, 1))
    if report.check is not None:
        result.update(check=report.check.to_dict(), reason=report.check.reason())
    _say(out, as_json, result, adapted_message(report))
    return 0


def adapted_message(report: Any) -> str:
    """What an :class:`~desktop.speech.adapt.AdaptationReport` means for the person (CLI and Settings)."""
    check = report.check
    if not report.installed:
        kept = "The current adaptation stays." if report.path.exists() else "The original model stays in use."
        return f"Not adapted. {check.reason() if check else 'It was not installed.'} {kept}"
    said = f"Adapted to your voice from {report.used} recordings" \
           f"{f' ({report.skipped} could not be used)' if report.skipped else ''}."
    if check is not None and not check.helps:
        said += f" Installed although the check found no gain (--force): {check.summary()}."
    elif check is not None:
        said += f" {check.reason()}"
    return said + " Speech input uses it from the next command."


def _remove(path: Any) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise ClickAssistError(f"The voice adaptation {path} could not be removed ({exc}).") from exc
    return True


def _undo_message(result: dict[str, Any]) -> str:
    parts = []
    if "removed" in result:
        parts.append("Removed the voice adaptation." if result["removed"] else "There was no voice adaptation.")
    if "recordings_deleted" in result:
        parts.append(f"Deleted {result['recordings_deleted']} kept recordings.")
    return " ".join(parts)


def _say(out: TextIO, as_json: bool, payload: dict[str, Any], message: str) -> None:
    if as_json:
        out.write(json.dumps(payload) + "\n")
    elif message:
        out.write(message + "\n")
    out.flush()
