"""Listening: voice activity, end of speech, key release, and every way audio can go wrong."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from desktop.speech.capture import ArraySource, SoundDeviceSource
from desktop.speech.listen import Listener, ListenLimits
from desktop.speech.types import SAMPLE_RATE, AudioDeviceLost, MicrophoneUnavailable, NoSpeechHeard
from desktop.speech.vad import FRAME, EndpointConfig, Endpointer, EnergyVad, SileroVad, silero_model_path


class LoudVad:
    """A detector that calls loud frames speech (the boundary with the model, faked)."""

    name = "loud"

    def reset(self) -> None:
        pass

    def __call__(self, frame: np.ndarray) -> float:
        return 1.0 if np.abs(frame.astype(np.int32)).mean() > 1000 else 0.0


def speech_like(seconds: float, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (np.sin(2 * np.pi * 220 * t) * amp * 32767).astype(np.int16)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), np.int16)


class RecordingSource(ArraySource):
    def __init__(self, audio: np.ndarray, realtime: bool = False) -> None:
        super().__init__(audio, realtime)
        self.started = self.stopped = 0

    def start(self) -> None:
        self.started += 1
        super().start()

    def stop(self) -> None:
        self.stopped += 1
        super().stop()


def test_speech_then_silence_ends_by_itself() -> None:
    audio = np.concatenate([silence(0.5), speech_like(1.0), silence(2.0)])
    source = RecordingSource(audio)
    levels: list[float] = []
    u = Listener(LoudVad()).listen(source, on_level=levels.append)
    assert u.ended_by == "vad"
    assert abs(u.speech_start_s - 0.5) < 0.1 and abs(u.speech_end_s - 1.5) < 0.05
    assert u.duration_s < 1.5 + ListenLimits().long_end_s + 0.1  # did not wait for the whole file
    assert min(levels) == -100.0 and max(levels) > -15
    assert source.stopped == 1


def test_a_pause_is_offered_for_early_recognition_and_a_whole_command_ends_sooner() -> None:
    audio = np.concatenate([silence(0.3), speech_like(0.6), silence(2.0)])
    pauses: list[tuple[int, float, float]] = []
    u = Listener(LoudVad()).listen(ArraySource(audio), on_pause=lambda a, s, e: pauses.append((len(a), s, e)),
                                   accept=lambda: True)
    assert len(pauses) == 1 and abs(pauses[0][2] - 0.9) < 0.05
    assert u.duration_s < 0.9 + EndpointConfig().end_s + 0.1
    # Not a whole command yet: keep listening for the rest of the sentence.
    v = Listener(LoudVad()).listen(ArraySource(audio), accept=lambda: False)
    assert v.duration_s >= 0.9 + ListenLimits().long_end_s - 0.05


def test_silence_is_no_speech_and_never_hangs() -> None:
    limits = ListenLimits(no_speech_s=1.0)
    with pytest.raises(NoSpeechHeard):
        Listener(LoudVad(), limits=limits).listen(ArraySource(silence(10.0)))
    with pytest.raises(NoSpeechHeard):  # a file that ends in silence
        Listener(LoudVad()).listen(ArraySource(silence(0.5)))


def test_endless_speech_is_cut_off_with_a_note() -> None:
    u = Listener(LoudVad(), limits=ListenLimits(max_s=2.0)).listen(ArraySource(speech_like(10.0)))
    assert u.ended_by == "max_length" and 1.9 < u.duration_s < 2.2
    assert u.notes == ("Stopped listening after 2 seconds.",)


def test_clipping_is_reported() -> None:
    loud = np.clip(speech_like(1.0, 1.0).astype(np.int32) * 3, -32768, 32767).astype(np.int16)
    u = Listener(LoudVad()).listen(ArraySource(np.concatenate([loud, silence(1.5)])))
    assert u.clipped > 0.1 and any("too loud" in n for n in u.notes)


def test_letting_go_of_the_key_ends_listening() -> None:
    stop = threading.Event()
    audio = np.concatenate([silence(0.2), speech_like(5.0)])
    threading.Timer(0.8, stop.set).start()
    started = time.monotonic()
    u = Listener(LoudVad()).listen(ArraySource(audio, realtime=True), stop=stop)
    assert u.ended_by == "release" and time.monotonic() - started < 1.5


class DyingSource(ArraySource):
    """A microphone unplugged mid-utterance."""

    def read(self, timeout: float) -> np.ndarray | None:
        if self._pos > SAMPLE_RATE // 2:
            raise AudioDeviceLost("The microphone stopped sending sound.")
        return super().read(timeout)


def test_a_device_that_disappears_is_a_clear_error_and_is_closed() -> None:
    source = DyingSource(speech_like(3.0))
    with pytest.raises(AudioDeviceLost):
        Listener(LoudVad()).listen(source)
    assert source._pos == len(source.audio)  # stopped


def test_sounddevice_source_detects_a_stalled_device() -> None:
    source = SoundDeviceSource()
    source._last = time.monotonic() - 5
    with pytest.raises(AudioDeviceLost):
        source.read(0.01)
    source._queue.put(np.ones(512, np.int16))
    assert len(source.read(0.1)) == 512
    source._finished()  # PortAudio says the stream ended (device gone)
    with pytest.raises(AudioDeviceLost):
        source.read(0.1)


def test_no_microphone_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    sd = pytest.importorskip("sounddevice")

    def no_device(*args: object, **kwargs: object) -> None:
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "query_devices", no_device)
    with pytest.raises(MicrophoneUnavailable) as info:
        SoundDeviceSource().start()
    assert "microphone" in info.value.user_message.lower() and info.value.hint


def test_endpointer_events() -> None:
    e = Endpointer(EndpointConfig(start_s=0.064, tentative_s=0.064, end_s=0.128))
    events = [e.update(p) for p in [0, 1, 1, 1, 0.2, 0.2, 0.9, 0.1, 0.1, 0.1, 0.1]]
    assert events == ["", "", "start", "", "", "tentative_end", "", "", "tentative_end", "", "end"]
    assert e.speech_start == 1 and e.last_speech == 6


def test_energy_vad_separates_loud_from_quiet() -> None:
    vad = EnergyVad()
    quiet = [vad(np.random.default_rng(i).normal(0, 30, FRAME).astype(np.int16)) for i in range(20)]
    loud = vad(speech_like(FRAME / SAMPLE_RATE))
    assert max(quiet) < 0.5 < loud


@pytest.mark.slow
@pytest.mark.skipif(silero_model_path() is None or shutil.which("espeak-ng") is None,
                    reason="needs silero-vad and espeak-ng")
def test_silero_finds_espeak_speech(tmp_path: Path) -> None:
    from desktop.speech.audio import read_wav

    wav = tmp_path / "s.wav"
    subprocess.run(["espeak-ng", "-v", "en-us+klatt", "-w", str(wav), "click the save button"], check=True)
    speech = read_wav(wav)
    audio = np.concatenate([silence(0.6), speech, silence(1.5)])
    audio = (audio + np.random.default_rng(1).normal(0, 20, len(audio))).astype(np.int16)
    u = Listener(SileroVad()).listen(ArraySource(audio))
    end = 0.6 + len(speech) / SAMPLE_RATE
    assert u.ended_by == "vad"
    assert abs(u.speech_start_s - 0.6) < 0.2 and abs(u.speech_end_s - end) < 0.25
