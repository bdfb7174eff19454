"""Spoken feedback ("Three matches. Say a number.") through espeak-ng, without touching focus.

espeak-ng runs as a child process that plays the sentence itself; it opens no
window, so the overlay keeps the keyboard. A new sentence interrupts the one
still playing, and :meth:`EspeakSpeaker.wait` lets listening start only after
the app stopped talking (so the microphone does not hear it).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from typing import Protocol

__all__ = ["Speaker", "EspeakSpeaker", "NullSpeaker", "RecordingSpeaker", "make_speaker"]

logger = logging.getLogger(__name__)


class Speaker(Protocol):
    """Says short sentences aloud."""

    def say(self, text: str) -> None:
        """Start saying ``text`` (returns at once), interrupting anything still being said."""
        ...

    def stop(self) -> None:
        ...

    def wait(self, timeout: float = 5.0) -> None:
        """Return when nothing is being said (or after ``timeout`` seconds)."""
        ...


class EspeakSpeaker:
    """espeak-ng as a child process.

    Parameters
    ----------
    voice, speed
        espeak-ng's ``-v`` and ``-s`` (words per minute).
    binary
        The program; found on ``PATH`` when ``None``.
    """

    def __init__(self, voice: str = "en-us", speed: int = 175, binary: str | None = None) -> None:
        self.voice = voice
        self.speed = speed
        self.binary = binary or shutil.which("espeak-ng") or ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self.said: list[str] = []

    @property
    def available(self) -> bool:
        return bool(self.binary)

    def say(self, text: str) -> None:
        text = text.strip()
        if not text or not self.binary:
            return
        with self._lock:
            self._stop_locked()
            try:
                # The text goes on stdin so that nothing in it is read as an option.
                self._proc = subprocess.Popen([self.binary, "-v", self.voice, "-s", str(self.speed)],
                                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL)
                assert self._proc.stdin is not None
                self._proc.stdin.write(text.encode("utf-8"))
                self._proc.stdin.close()
            except OSError as exc:
                logger.warning("spoken feedback failed: %s", exc)
                self._proc = None
                return
            self.said.append(text)
        logger.debug("saying %r", text)

    def _stop_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(1.0)
            except subprocess.TimeoutExpired:
                proc.kill()

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def wait(self, timeout: float = 5.0) -> None:
        with self._lock:
            proc = self._proc
        if proc is None:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()


class NullSpeaker:
    """Says nothing (spoken feedback off, or no espeak-ng)."""

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def wait(self, timeout: float = 5.0) -> None:
        pass


class RecordingSpeaker(NullSpeaker):
    """Remembers what it was asked to say (tests)."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)


def make_speaker(enabled: bool = True) -> Speaker:
    """espeak-ng when enabled and installed, else silence."""
    if not enabled:
        return NullSpeaker()
    speaker = EspeakSpeaker()
    if not speaker.available:
        logger.warning("espeak-ng is not installed: no spoken feedback")
        return NullSpeaker()
    return speaker
