"""pocketsphinx's acoustic model as numbers, and its own front end, for adapting the model to a voice.

Speaker adaptation (:mod:`desktop.speech.adapt`) needs three things the
recognizer keeps inside its C library: the model's Gaussians (``means``,
``variances``), the mixture weights of every senone (``sendump``, 8-bit
quantised) and the features the decoder computes from the audio. The first
two are read here from the model files, following the formats in
pocketsphinx's own readers (``ms_gauden.c``, ``ptm_mgau.c``, ``bin_mdef.c``).
The features come from pocketsphinx's front end itself (its exported
``fe_*`` functions, through ``ctypes``), so that they match what the decoder
sees exactly; only the batch mean normalisation and the delta features are
done in numpy, as ``feat.c`` does them for ``1s_c_d_dd``.

Only phonetically-tied models with quantised weights (the bundled English
model) are supported; anything else raises :class:`AdaptationError`.
"""

from __future__ import annotations

import ctypes
import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.speech._front_end import FRONT_END_LOCK
from desktop.speech.types import SAMPLE_RATE, AdaptationError

__all__ = ["AcousticModel", "FrontEnd", "load_model", "stream_sizes", "features", "VARIANCE_FLOOR"]

#: pocketsphinx's default ``-varfloor``: smaller variances are raised to it when scoring.
VARIANCE_FLOOR = 1e-4
_BYTE_ORDER = 0x11223344
_LOG_BASE = math.log(1.0001)  # pocketsphinx's log base for mixture weights
_SENSCR_SHIFT = 10
_DELTA_WINDOW = 2  # ``1s_c_d_dd``: deltas over ±2 frames, accelerations over ±3


@dataclass(frozen=True, eq=False)
class AcousticModel:
    """The Gaussians and mixture weights of a phonetically-tied (PTM) model.

    Parameters
    ----------
    means, variances
        One array per feature stream, ``[codebook, density, dimension]``.
    log_weights
        Natural-log mixture weights, ``[stream, density, senone]``.
    codebooks
        The codebook of each context-independent phone (by its name), which
        is also the codebook of every senone of that phone.
    """

    means: tuple[np.ndarray, ...]
    variances: tuple[np.ndarray, ...]
    log_weights: np.ndarray
    codebooks: dict[str, int]

    @property
    def stream_sizes(self) -> tuple[int, ...]:
        return tuple(m.shape[2] for m in self.means)


def load_model(hmm_dir: str | Path) -> AcousticModel:
    """Read the model in ``hmm_dir`` (``means``, ``variances``, ``sendump``, ``mdef``).

    Raises
    ------
    AdaptationError
        Missing files, or a kind of model this reader does not handle.
    """
    hmm = Path(hmm_dir)
    for name in ("means", "variances", "sendump", "mdef"):
        if not (hmm / name).is_file():
            raise AdaptationError(f"The speech model in {hmm} has no {name} file, so it cannot be adapted.",
                                  "Voice adaptation works with pocketsphinx's bundled English model.")
    try:
        means = _read_gaussians(hmm / "means")
        variances = _read_gaussians(hmm / "variances")
        phones = _read_ciphones(hmm / "mdef")
        n_density = means[0].shape[1]
        log_weights = _read_sendump(hmm / "sendump", len(means), n_density)
    except (OSError, ValueError, struct.error) as exc:
        raise AdaptationError(f"The speech model in {hmm} could not be read for adaptation ({exc}).",
                              "Reinstall pocketsphinx.") from exc
    if len(phones) != means[0].shape[0] or [v.shape for v in variances] != [m.shape for m in means]:
        raise AdaptationError(f"The speech model in {hmm} is not a phonetically-tied model.",
                              "Voice adaptation works with pocketsphinx's bundled English model.")
    return AcousticModel(tuple(means), tuple(np.maximum(v, VARIANCE_FLOOR) for v in variances), log_weights,
                         {p: i for i, p in enumerate(phones)})


def stream_sizes(hmm_dir: str | Path) -> tuple[int, ...]:
    """The length of each feature stream of the model in ``hmm_dir`` (from its ``means`` header).

    Raises
    ------
    AdaptationError
        The file is missing or not a Gaussian parameter file.
    """
    path = Path(hmm_dir) / "means"
    try:
        with open(path, "rb") as f:
            return _gaussian_header(f.read(4096))[3]
    except (OSError, ValueError, struct.error) as exc:
        raise AdaptationError(f"The speech model's {path} could not be read ({exc}).",
                              "Reinstall pocketsphinx.") from exc


def _gaussian_header(data: bytes) -> tuple[int, int, int, tuple[int, ...], int]:
    """(codebooks, densities, streams, stream sizes, where the values start) of a Gaussian parameter file."""
    end = data.index(b"endhdr\n") + len(b"endhdr\n")
    order, n_mgau, n_feat, n_density = struct.unpack("<4i", data[end:end + 16])
    if order != _BYTE_ORDER or not 0 < n_feat < 16:
        raise ValueError("not a Gaussian parameter file in this byte order")
    sizes = struct.unpack(f"<{n_feat}i", data[end + 16:end + 16 + 4 * n_feat])
    return n_mgau, n_density, n_feat, sizes, end + 16 + 4 * n_feat + 4  # after the total count


def _read_gaussians(path: Path) -> list[np.ndarray]:
    """``means`` or ``variances``: a text header, then ``[codebook][stream][density][dim]`` float32."""
    data = path.read_bytes()
    n_mgau, n_density, _, sizes, start = _gaussian_header(data)
    values = np.frombuffer(data, dtype="<f4", count=n_mgau * n_density * sum(sizes), offset=start)
    rows = values.reshape(n_mgau, n_density * sum(sizes))
    out, at = [], 0
    for size in sizes:
        out.append(rows[:, at:at + n_density * size].reshape(n_mgau, n_density, size).astype(np.float64))
        at += n_density * size
    return out


def _read_sendump(path: Path, n_feat: int, n_density: int) -> np.ndarray:
    """Quantised mixture weights: ``-log(w)`` in base 1.0001, shifted right by 10 bits, one byte each."""
    data = path.read_bytes()
    at, clusters = 0, 0
    while True:  # length-prefixed header strings, ended by a zero length
        (n,) = struct.unpack("<i", data[at:at + 4])
        at += 4
        if n == 0:
            break
        line = data[at:at + n].rstrip(b"\0").decode("ascii", "replace")
        if line.startswith("cluster_count "):
            clusters = int(line.split()[1])
        at += n
    if clusters:
        raise ValueError("clustered (4-bit) mixture weights are not supported")
    rows, n_sen = struct.unpack("<2i", data[at:at + 8])
    q = np.frombuffer(data, dtype=np.uint8, count=n_feat * rows * n_sen, offset=at + 8)
    if rows != n_density:
        raise ValueError(f"{rows} mixture weights per senone, expected {n_density}")
    return -q.reshape(n_feat, rows, n_sen).astype(np.float64) * (1 << _SENSCR_SHIFT) * _LOG_BASE


def _read_ciphones(path: Path) -> list[str]:
    """The context-independent phone names of a binary ``mdef`` (in id order)."""
    data = path.read_bytes()
    if data[:4] != b"BMDF":
        raise ValueError("not a binary model definition in this byte order")
    (header,) = struct.unpack("<i", data[8:12])
    at = 12 + header
    n_ciphone = struct.unpack("<i", data[at:at + 4])[0]
    names = data[at + 40:].split(b"\0", n_ciphone)[:n_ciphone]
    return [n.decode("ascii") for n in names]


class FrontEnd:
    """pocketsphinx's own MFCC front end, configured like the decoder (model's ``feat.params``, frame rate)."""

    def __init__(self, hmm_dir: str | Path, frame_rate: int = 100) -> None:
        try:
            from pocketsphinx import _pocketsphinx

            lib = ctypes.CDLL(_pocketsphinx.__file__)
            self._bind(lib)
        except (ImportError, OSError, AttributeError) as exc:
            raise AdaptationError("This pocketsphinx does not expose its front end, so the model cannot "
                                  f"be adapted ({exc}).", "Install pocketsphinx 5.") from exc
        self._lib = lib
        self.hmm_dir = str(hmm_dir)
        self.frame_rate = frame_rate

    @staticmethod
    def _bind(lib: ctypes.CDLL) -> None:
        p, i32, f32p = ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_float)
        signatures = {
            "ps_config_parse_json": (p, [p, ctypes.c_char_p]),
            "ps_expand_model_config": (None, [p]),
            "ps_config_free": (ctypes.c_int, [p]),
            "fe_init_auto_r": (p, [p]),
            "fe_free": (ctypes.c_int, [p]),
            "fe_start_utt": (i32, [p]),
            "fe_get_output_size": (ctypes.c_int, [p]),
            "fe_process_frames_int16": (ctypes.c_int, [p, ctypes.POINTER(ctypes.POINTER(ctypes.c_int16)),
                                                       ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(f32p),
                                                       ctypes.POINTER(i32)]),
            "fe_end_utt": (i32, [p, f32p, ctypes.POINTER(i32)]),
        }
        for name, (restype, argtypes) in signatures.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes

    def cepstra(self, samples: np.ndarray) -> np.ndarray:
        """MFCCs of ``samples`` (16 kHz int16), one row per frame, as a fresh decoder computes them."""
        lib = self._lib
        settings = {"hmm": self.hmm_dir, "samprate": SAMPLE_RATE, "frate": self.frame_rate}
        config = lib.ps_config_parse_json(None, json.dumps(settings).encode())
        if not config:
            raise AdaptationError("The speech front end could not be configured.", "Reinstall pocketsphinx.")
        lib.ps_expand_model_config(config)  # the model's feat.params (filters, noise removal)
        # An unwarped front end, computed while no decoder can set the process-wide warp.
        with FRONT_END_LOCK:
            fe = lib.fe_init_auto_r(config)
            try:
                if not fe:
                    raise AdaptationError("The speech front end could not be started.", "Reinstall pocketsphinx.")
                return self._run(fe, np.ascontiguousarray(samples, dtype=np.int16))
            finally:
                if fe:
                    lib.fe_free(fe)
                lib.ps_config_free(config)

    def _run(self, fe: int, x: np.ndarray) -> np.ndarray:
        lib = self._lib
        n_frames = len(x) * self.frame_rate // SAMPLE_RATE + 4
        out = np.zeros((n_frames + 1, lib.fe_get_output_size(fe)), dtype=np.float32)
        f32p = ctypes.POINTER(ctypes.c_float)
        rows = (f32p * len(out))(*(row.ctypes.data_as(f32p) for row in out))
        samples = ctypes.pointer(x.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)))
        left, made, tail = ctypes.c_size_t(len(x)), ctypes.c_int32(n_frames), ctypes.c_int32(0)
        lib.fe_start_utt(fe)
        if lib.fe_process_frames_int16(fe, samples, ctypes.byref(left), rows, ctypes.byref(made)) < 0:
            raise AdaptationError("The speech front end failed on a recording.", "Record the command again.")
        lib.fe_end_utt(fe, rows[made.value], ctypes.byref(tail))
        return out[:made.value + tail.value].astype(np.float64)


def features(cepstra: np.ndarray) -> np.ndarray:
    """``1s_c_d_dd`` features with batch mean normalisation, as the decoder makes them from ``cepstra``.

    The mean skips frames of negative energy (``cmn.c``); the first and last
    frames are repeated to fill the delta windows (``feat.c``).
    """
    if len(cepstra) == 0:
        return np.zeros((0, 3 * cepstra.shape[1]))
    voiced = cepstra[:, 0] >= 0
    c = cepstra - (cepstra[voiced].mean(axis=0) if voiced.any() else 0.0)
    pad = _DELTA_WINDOW + 1
    padded = np.concatenate([np.repeat(c[:1], pad, axis=0), c, np.repeat(c[-1:], pad, axis=0)])
    n = len(c)

    def at(k: int) -> np.ndarray:
        return padded[pad + k:pad + k + n]

    w = _DELTA_WINDOW
    delta = at(w) - at(-w)
    accel = (at(w + 1) - at(-w + 1)) - (at(w - 1) - at(-w - 1))
    return np.concatenate([c, delta, accel], axis=1)
