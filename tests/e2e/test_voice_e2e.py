"""End to end by voice: a private PulseAudio whose default microphone plays espeak-ng speech.

Nothing in the app is faked: it records from the default input through
sounddevice/PortAudio (ALSA → PulseAudio), runs silero-vad and pocketsphinx
with the grammar of what it read on the captured screen, shows the overlay,
hears "click" and clicks the real target window under Xvfb. The test only
speaks: ``espeak-ng | paplay`` into a null sink whose monitor is the
default source.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.e2e.conftest import REPORTS, Desktop, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]

TOOLS = ("Xvfb", "xdotool", "pulseaudio", "pactl", "paplay", "pacat", "sox", "espeak-ng")
VOICE = ("en-us+klatt", "160")
PULSE_CONFIG = """\
load-module module-native-protocol-unix socket={socket} auth-anonymous=1
load-module module-null-sink sink_name=speakers rate=16000 channels=1
load-module module-null-sink sink_name=mic_feed rate=16000 channels=1
load-module module-remap-source master=mic_feed.monitor source_name=virtual_mic
set-default-sink speakers
set-default-source virtual_mic
"""


class PulseAudio:
    """A private PulseAudio server: the app's microphone is whatever is played into ``mic_feed``."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.socket = tmp / "pulse.sock"
        self.env = {"PULSE_SERVER": f"unix:{self.socket}", "PULSE_RUNTIME_PATH": str(tmp / "runtime")}
        self.proc: subprocess.Popen[bytes] | None = None
        self.room: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        config = self.tmp / "pulse.pa"
        config.write_text(PULSE_CONFIG.format(socket=self.socket))
        env = {**os.environ, **self.env, "HOME": str(self.tmp)}
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "-F", str(config), "--daemonize=no", "--exit-idle-time=-1",
             "--disallow-exit", "--log-target=stderr"],
            env=env, stdout=subprocess.DEVNULL, stderr=open(self.tmp / "pulse.log", "wb"), start_new_session=True)
        wait_for(self._ready, 15, "PulseAudio did not start")
        # A real microphone always streams (room noise); so does this one, quietly, between phrases.
        self.room = subprocess.Popen(
            "sox -R -q -n -r 16000 -c 1 -b 16 -t raw - synth 600 whitenoise vol 0.002 "
            "| pacat --playback -d mic_feed --rate=16000 --channels=1 --format=s16le --latency-msec=40",
            shell=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def _ready(self) -> bool:
        done = subprocess.run(["pactl", "list", "short", "sources"], env={**os.environ, **self.env},
                              capture_output=True, text=True)
        return done.returncode == 0 and "virtual_mic" in done.stdout

    def say(self, text: str) -> None:
        """Speak ``text`` into the virtual microphone, in real time, with a little silence after it."""
        env = {**os.environ, **self.env}
        wav = self.tmp / "say.wav"
        subprocess.run(["espeak-ng", "-v", VOICE[0], "-s", VOICE[1], "-w", str(wav), text], check=True)
        subprocess.run(["paplay", "-d", "mic_feed", str(wav)], env=env, check=True, timeout=30)

    def stop(self) -> None:
        if self.room is not None and self.room.poll() is None:
            os.killpg(self.room.pid, signal.SIGTERM)
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def voice_desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Desktop, PulseAudio]]:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"the voice end-to-end test needs {', '.join(missing)} "
                    "(apt-get install xvfb xdotool pulseaudio pulseaudio-utils sox espeak-ng)")
    for module in ("sounddevice", "pocketsphinx"):
        pytest.importorskip(module)
    tmp = tmp_path_factory.mktemp("voice-e2e")
    pulse = PulseAudio(tmp)
    pulse.start()
    d = Desktop(tmp, 1.0)
    d.env.update(pulse.env)
    try:
        d.start()
    except AssertionError:
        log = d.log()
        d.stop()
        pulse.stop()
        pytest.fail(f"the desktop did not start; app log:\n{log[-3000:]}")
    yield d, pulse
    d.stop()
    pulse.stop()
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "e2e_voice_timings.json").write_text(json.dumps({
        "speech_to_text_ms": d.timings("speech_to_text_ms"), "screen_words_ms": d.timings("screen_words_ms"),
        "enter_to_overlay_ms": d.timings("enter_to_overlay_ms"), "engine_ms": d.timings("engine"),
    }, indent=1))


def test_spoken_click_save_then_spoken_click_clicks_save(voice_desktop: tuple[Desktop, PulseAudio]) -> None:
    d, pulse = voice_desktop
    before = len(d.records())
    overlays = d.count(r"timing enter_to_overlay_ms")
    d.xdotool("mousemove", "300", "200")
    mics = d.count(r"listening on ")
    d.xdotool("key", "ctrl+alt+v")
    wait_for(lambda: d.count(r"listening on ") > mics, 15, "the app did not open the microphone")
    time.sleep(0.3)
    pulse.say("click save")
    # What was heard runs by itself a moment later; the overlay then listens for the answer.
    wait_for(lambda: d.count(r"timing enter_to_overlay_ms") > overlays, 60,
             f"no overlay after speaking; log:\n{d.log()[-2500:]}")
    assert "heard (screen, fits)" in d.log()
    # The app says "One match: Save. Say click, or cancel." first and opens the microphone after it.
    wait_for(lambda: d.count(r"listening on ") > mics + 1, 20, "the overlay did not listen")
    time.sleep(0.3)
    pulse.say("click")
    wait_for(lambda: d.count(r"clicking \d+ target") >= 1, 30, f"nothing was clicked; log:\n{d.log()[-2500:]}")
    time.sleep(1.0)
    got = d.records()[before:]
    presses = [r for r in got if r["event"] in ("press", "double")]
    assert [(r["widget"], r["button"]) for r in presses] == [("Save", "left")], got
    assert [r["widget"] for r in got if r["event"] == "clicked"] == ["Save"], got
    latencies = d.timings("speech_to_text_ms")
    assert len(latencies) >= 2, d.log()[-2000:]
