"""WAV files in and out, resampling and levels."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from desktop.speech.audio import (clipped_fraction, level_dbfs, raise_noise_floor, read_wav, resample,
                                  speech_bounds, to_mono_int16, trim, write_wav)
from desktop.speech.types import SAMPLE_RATE, AudioUnreadable


def tone(seconds: float, rate: int = SAMPLE_RATE, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * freq * t) * amp * 32767).astype(np.int16)


def write_raw(path: Path, data: bytes, rate: int, width: int, channels: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(data)


def test_round_trip(tmp_path: Path) -> None:
    x = tone(0.5)
    assert np.array_equal(read_wav(write_wav(tmp_path / "a.wav", x)), x)


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_any_rate_becomes_16k_and_keeps_the_pitch(tmp_path: Path, rate: int) -> None:
    write_wav(tmp_path / "a.wav", tone(1.0, rate), rate)
    y = read_wav(tmp_path / "a.wav").astype(np.float64)
    assert abs(len(y) - SAMPLE_RATE) <= 2
    peak = np.argmax(np.abs(np.fft.rfft(y))) * SAMPLE_RATE / len(y)
    assert abs(peak - 440) < 3


def test_stereo_8_24_and_32_bit(tmp_path: Path) -> None:
    x = tone(0.2)
    stereo = np.stack([x, x], axis=1).astype("<i2").tobytes()
    write_raw(tmp_path / "s.wav", stereo, SAMPLE_RATE, 2, 2)
    assert np.array_equal(read_wav(tmp_path / "s.wav"), x)
    u8 = ((x.astype(np.int32) >> 8) + 128).astype(np.uint8).tobytes()
    write_raw(tmp_path / "u8.wav", u8, SAMPLE_RATE, 1, 1)
    assert np.max(np.abs(read_wav(tmp_path / "u8.wav").astype(int) - x)) <= 256
    i32 = (x.astype(np.int32) << 16).astype("<i4").tobytes()
    write_raw(tmp_path / "i32.wav", i32, SAMPLE_RATE, 4, 1)
    assert np.array_equal(read_wav(tmp_path / "i32.wav"), x)
    b24 = b"".join((int(v) << 8).to_bytes(4, "little", signed=True)[:3] for v in x)
    write_raw(tmp_path / "b24.wav", b24, SAMPLE_RATE, 3, 1)
    assert np.array_equal(read_wav(tmp_path / "b24.wav"), x)


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    with pytest.raises(AudioUnreadable, match="no audio file"):
        read_wav(tmp_path / "missing.wav")
    (tmp_path / "text.wav").write_text("not audio")
    with pytest.raises(AudioUnreadable) as info:
        read_wav(tmp_path / "text.wav")
    assert "sox" in info.value.hint


def test_levels_clipping_and_bounds() -> None:
    assert level_dbfs(np.zeros(512, np.int16)) == -100.0
    assert -10 < level_dbfs(tone(0.1, amp=0.5)) < -8  # a sine's RMS is 3 dB under its peak
    loud = np.clip(tone(0.1).astype(np.int32) * 4, -32768, 32767).astype(np.int16)
    assert clipped_fraction(loud) > 0.3 and clipped_fraction(tone(0.1)) == 0
    x = np.concatenate([np.zeros(8000, np.int16), tone(0.5), np.zeros(8000, np.int16)])
    start, end = speech_bounds(x)
    assert abs(start - 0.5) < 0.011 and abs(end - 1.0) < 0.011
    assert speech_bounds(np.zeros(16000, np.int16)) is None
    assert len(trim(x, start, end, margin_s=0.25)) == pytest.approx(16000, abs=200)


def test_conversions() -> None:
    assert to_mono_int16(np.array([0.5, -1.0, 2.0])).tolist() == [16384, -32767, 32767]
    assert resample(np.zeros(0, np.int16), 48000).size == 0


def test_trim_fills_missing_context_with_the_recordings_own_background() -> None:
    rng = np.random.default_rng(1)
    hiss = rng.normal(0, 30, 8000).astype(np.int16)
    # Recognition at a pause: only 64 ms after the speech have arrived.
    x = np.concatenate([hiss, tone(0.5), hiss[:1024]])
    out = trim(x, 0.5, 1.0, margin_s=0.25)
    assert len(out) == 16000  # 0.25 s + 0.5 s + 0.25 s, as with room to spare
    tail = out[-3000:]
    assert 25 < np.sqrt(np.mean(np.square(tail.astype(np.float64)))) < 35  # background, not digital silence
    assert np.array_equal(out[:4000 + 8000], x[4000:16000])  # what was there is kept as it was


def test_raise_noise_floor_tops_up_clean_audio_only() -> None:
    clean = np.concatenate([np.zeros(8000, np.int16), tone(0.5, amp=0.3), np.zeros(8000, np.int16)])
    out = raise_noise_floor(clean, 35.0)
    speech_db, floor_db = level_dbfs(out[8000:16000]), level_dbfs(out[:8000])
    assert 33 < speech_db - floor_db < 37  # the pauses now sit 35 dB under the speech
    assert np.array_equal(out, raise_noise_floor(clean, 35.0))  # the same audio always gives the same input
    noisy = (clean + np.random.default_rng(2).normal(0, 300, len(clean))).astype(np.int16)
    assert np.array_equal(raise_noise_floor(noisy, 35.0), noisy)  # a floor already that high is left alone
    assert np.array_equal(raise_noise_floor(np.zeros(16000, np.int16)), np.zeros(16000, np.int16))
