"""Safe loading of screenshots and reference images into RGB ``uint8`` arrays.

Everything a person or a calling tool hands us as an image (a path, raw bytes,
an array) goes through :func:`load_image`, so every later stage can assume an
RGB ``uint8`` array of shape ``(H, W, 3)`` and every failure surfaces as a
:class:`~desktop.core.errors.ClickAssistError` with a stable code. Pillow and
numpy only: the core stays free of OpenCV.

Transparency
------------
Pixels that are not fully opaque are composited onto **white**, unless the
visible content is itself light (alpha-weighted mean luma above
:data:`LIGHT_CONTENT_LUMA`), in which case onto **black**. The alternative,
the image's own most common opaque colour, suits a window capture with a
transparent drop shadow, but erases exactly the images that most often carry
alpha here: icons and glyphs drawn on a transparent background, whose most
common opaque colour is the glyph itself (white text on transparent would
become white on white). Choosing the background for contrast never hides
content, and it is cheap and deterministic. Where the shape of the
transparency matters (template matching), :func:`load_reference` keeps the
alpha channel instead.
"""

from __future__ import annotations

import io
import logging
import os
import struct
from typing import Union

import numpy as np
from PIL import Image, UnidentifiedImageError

from desktop.core.errors import (
    ClickAssistError,
    EmptyImage,
    ImageTooLarge,
    ImageUnreadable,
    ReferenceTooLarge,
    ReferenceUnreadable,
    ReferenceUnusable,
)

__all__ = ["ImageSource", "load_image", "load_reference", "DEFAULT_MAX_PIXELS", "LIGHT_CONTENT_LUMA"]

log = logging.getLogger(__name__)

ImageSource = Union[str, os.PathLike, bytes, bytearray, memoryview, np.ndarray]

#: Default pixel limit: an 8K screen is 33 Mpx; anything larger is a mistake or an attack.
DEFAULT_MAX_PIXELS = 40_000_000

#: Visible content lighter than this (0-255 luma) is composited onto black, not white.
LIGHT_CONTENT_LUMA = 160.0

#: Formats we decode. The list is explicit so that Pillow never reaches for a
#: plugin that shells out (EPS runs Ghostscript) or that we never test.
_FORMATS = ("PNG", "JPEG", "BMP", "DIB", "WEBP", "GIF", "TIFF", "PPM", "ICO")

#: How the formats we read begin (WebP is RIFF....WEBP), to tell "damaged" from "not an image".
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")

_READABLE = "PNG, JPEG, BMP, WebP, GIF or TIFF"
_TOO_LARGE_HINT = "Crop or scale the image down, or capture a smaller region."

# EXIF orientation tag value -> the Pillow transpose that displays the image upright.
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def load_image(source: ImageSource, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Load an image as a contiguous RGB ``uint8`` array of shape ``(H, W, 3)``.

    Parameters
    ----------
    source
        A file path, the encoded bytes of a file (PNG, JPEG, BMP, WebP, GIF
        (first frame), TIFF (first page), PPM, ICO), or an array. Arrays are
        taken as RGB(A) channel order; ``(H, W)``, ``(H, W, 1)`` (grey),
        ``(H, W, 2)`` (grey + alpha), ``(H, W, 3)`` and ``(H, W, 4)`` are
        accepted, in ``uint8``, ``uint16`` (16-bit), other integer types with
        values in 0-255 or 0-65535, ``bool``, or floats in 0-1 or 0-255.
    max_pixels
        Refuse images with more pixels than this. Files are checked from the
        header, before anything is decoded. Pillow's own decompression-bomb
        limit (about 179 Mpx) applies on top of this one.

    Returns
    -------
    numpy.ndarray
        A new C-contiguous ``uint8`` array of shape ``(H, W, 3)``, upright
        (EXIF orientation applied), with any transparency composited as the
        module docstring explains.

    Raises
    ------
    ImageUnreadable
        Missing file, a folder, not an image, truncated or corrupt data, or an
        array that cannot be converted safely.
    EmptyImage
        Zero width or height.
    ImageTooLarge
        More than ``max_pixels`` pixels, or a decompression bomb.
    """
    pixels = _load(source, max_pixels)
    if pixels.shape[2] == 4:
        pixels = _composite(pixels)
    return np.ascontiguousarray(pixels)


def load_reference(source: ImageSource, *, max_pixels: int = 4_000_000) -> np.ndarray:
    """Load a reference image ("click what looks like this"), keeping its transparency.

    Like :func:`load_image`, but returns ``(H, W, 4)`` RGBA when some pixel
    is not fully opaque, so that a template matcher can ignore the
    transparent background; otherwise ``(H, W, 3)`` RGB. Errors carry the
    reference codes, so a caller can tell the person which of the two images
    is at fault.

    Parameters
    ----------
    source
        As for :func:`load_image`.
    max_pixels
        References are small; a larger one is a mistake (a whole screenshot).

    Returns
    -------
    numpy.ndarray
        ``uint8``, ``(H, W, 4)`` with transparency or ``(H, W, 3)`` without.

    Raises
    ------
    ReferenceUnreadable
        The reference cannot be read (see :class:`ImageUnreadable`).
    ReferenceUnusable
        It has no pixels.
    ReferenceTooLarge
        It has more than ``max_pixels`` pixels.
    """
    try:
        return np.ascontiguousarray(_load(source, max_pixels))
    except ImageUnreadable as exc:
        raise ReferenceUnreadable(f"reference image: {exc.user_message}", exc.hint) from exc
    except EmptyImage as exc:
        raise ReferenceUnusable(
            f"reference image: {exc.user_message}", exc.hint or "Cut a reference around the thing to click."
        ) from exc
    except ImageTooLarge as exc:
        raise ReferenceTooLarge(f"reference image: {exc.user_message}", exc.hint) from exc


def _load(source: ImageSource, max_pixels: int) -> np.ndarray:
    """Decode ``source`` into ``uint8`` RGB, or RGBA when some pixel is not opaque."""
    if isinstance(source, np.ndarray):
        return _from_array(source, max_pixels, "the image array")
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _from_bytes(bytes(source), max_pixels, "the image data")
    if isinstance(source, (str, os.PathLike)):
        return _from_path(source, max_pixels)
    raise ImageUnreadable(
        f"cannot read an image from a {type(source).__name__}",
        "Pass a file path, the file's bytes, or an RGB array.",
    )


def _from_path(path: str | os.PathLike[str], max_pixels: int) -> np.ndarray:
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if name and os.path.isdir(name):
        raise ImageUnreadable(f"cannot read {name!r}: it is a folder, not an image file")
    try:
        with open(name, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > _max_file_bytes(max_pixels):
                raise ImageTooLarge(
                    f"{name!r} is too large: the file is {size / 2**20:,.0f} MiB", _TOO_LARGE_HINT
                )
            data = handle.read()
    except FileNotFoundError:
        raise ImageUnreadable(f"cannot read {name!r}: no such file", "Check the path.") from None
    except PermissionError:
        raise ImageUnreadable(f"cannot read {name!r}: permission denied") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise ImageUnreadable(f"cannot read {name!r}: {exc}") from None
    # Reading the whole file first means no handle outlives this function,
    # whatever Pillow's lazy loaders do on an error path.
    return _from_bytes(data, max_pixels, repr(name))


def _max_file_bytes(max_pixels: int) -> int:
    # No format we read spends more than 16 bytes a pixel (plain-text PPM
    # needs up to 12, 16-bit RGBA TIFF 8), plus room for metadata.
    return 16 * max_pixels + 16 * 2**20


def _from_bytes(data: bytes, max_pixels: int, name: str) -> np.ndarray:
    if not data:
        raise ImageUnreadable(f"cannot read {name}: the file is empty")
    zero = _declared_zero_size(data)
    if zero is not None:
        raise EmptyImage(f"{name} has no pixels: its size is {zero[0]}\u00d7{zero[1]}")
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
            _check_size(image.size, max_pixels, name)
            image.load()
            raw = _pil_to_array(_upright(image), name)
    except ClickAssistError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(f"{name} is too large to decode safely: {exc}", _TOO_LARGE_HINT) from None
    except Image.DecompressionBombWarning as exc:  # only reached when warnings are errors
        raise ImageTooLarge(f"{name} is too large to decode safely: {exc}", _TOO_LARGE_HINT) from None
    except UnidentifiedImageError:
        if data.startswith(_SIGNATURES):
            raise ImageUnreadable(f"cannot read {name}: the file is truncated or corrupt") from None
        raise ImageUnreadable(
            f"cannot read {name}: it is not an image Click Assist can read ({_READABLE})"
        ) from None
    except MemoryError:
        raise ImageTooLarge(f"{name} does not fit in memory", _TOO_LARGE_HINT) from None
    except Exception as exc:  # noqa: BLE001 - a decoder may raise anything on hostile input
        log.debug("decoding %s failed", name, exc_info=True)
        raise ImageUnreadable(f"cannot read {name}: {_describe(exc)}") from None
    return _from_array(raw, max_pixels, name)


def _describe(exc: Exception) -> str:
    text = str(exc)
    if "truncated" in text.lower() or isinstance(exc, EOFError):
        return "the file is truncated"
    return f"the file is corrupt ({type(exc).__name__}: {text})" if text else "the file is corrupt"


def _declared_zero_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG, GIF or BMP header when one of them is zero.

    Pillow refuses to identify such files at all; reading the header here lets
    the person hear "the image is empty" rather than "not an image".
    """
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
        elif data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
        elif data[:2] == b"BM" and struct.unpack("<I", data[14:18])[0] >= 40:
            width, height = struct.unpack("<ii", data[18:26])
        else:
            return None
    except struct.error:
        return None
    return (abs(width), abs(height)) if width == 0 or height == 0 else None


def _check_size(size: tuple[int, int], max_pixels: int, name: str) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise EmptyImage(f"{name} has no pixels: its size is {width}\u00d7{height}")
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"{name} is too large: {width}\u00d7{height} pixels ({width * height:,}),"
            f" more than the limit of {max_pixels:,}.",
            _TOO_LARGE_HINT,
        )


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, ignoring EXIF blocks too broken to read."""
    try:
        orientation = int(image.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - a bad EXIF block should not make a good image unreadable
        log.debug("ignoring unreadable EXIF data", exc_info=True)
        return image
    method = _ORIENTATION.get(orientation)
    return image.transpose(method) if method is not None else image


def _pil_to_array(image: Image.Image, name: str) -> np.ndarray:
    """The decoded pixels as an array, at their native depth, alpha kept when present."""
    mode = image.mode
    if mode.startswith("I;16"):
        # Pillow's convert("RGB") clips 16-bit grey at 255 instead of scaling it.
        return np.asarray(image).astype(np.uint16, copy=False)
    if mode in ("I", "F"):
        return np.asarray(image)
    has_alpha = "A" in mode or "a" in mode or "transparency" in image.info
    try:
        return np.asarray(image.convert("RGBA" if has_alpha else "RGB"))
    except ValueError as exc:  # e.g. LAB, which needs a colour profile to convert
        raise ImageUnreadable(f"cannot read {name}: unsupported colour mode {mode} ({exc})") from None


def _from_array(array: np.ndarray, max_pixels: int, name: str) -> np.ndarray:
    """Check and convert an array to ``uint8`` RGB, or RGBA when alpha is not all opaque."""
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3 or array.shape[2] not in (1, 2, 3, 4):
        raise ImageUnreadable(
            f"cannot use {name}: shape {array.shape} is not (H, W), (H, W, 1), (H, W, 2), (H, W, 3) or (H, W, 4)"
        )
    height, width = array.shape[:2]
    _check_size((width, height), max_pixels, name)
    pixels = _to_uint8(array, name)
    if pixels.shape[2] in (1, 2):  # grey, grey + alpha
        grey = np.repeat(pixels[:, :, :1], 3, axis=2)
        pixels = grey if pixels.shape[2] == 1 else np.concatenate([grey, pixels[:, :, 1:]], axis=2)
    if pixels.shape[2] == 4 and bool((pixels[:, :, 3] == 255).all()):
        pixels = pixels[:, :, :3]
    return np.array(pixels, dtype=np.uint8, order="C", copy=True)


def _to_uint8(array: np.ndarray, name: str) -> np.ndarray:
    kind = array.dtype.kind
    if array.dtype == np.uint8:
        return array
    if kind == "b":
        return array.astype(np.uint8) * 255
    if array.dtype == np.uint16:
        return _from_16bit(array)
    if kind in "iu":
        low, high = int(array.min()), int(array.max())
        if low >= 0 and high <= 255:
            return array.astype(np.uint8)
        if low >= 0 and high <= 65535:
            return _from_16bit(array)
        raise ImageUnreadable(f"cannot use {name}: integer values {low}..{high} are outside 0-65535")
    if kind == "f":
        return _float_to_uint8(array, name)
    raise ImageUnreadable(f"cannot use {name}: unsupported pixel type {array.dtype}")


def _from_16bit(array: np.ndarray) -> np.ndarray:
    # 65535 / 257 == 255 exactly, so white stays white and each 8-bit value round-trips.
    return ((array.astype(np.uint32) + 128) // 257).astype(np.uint8)


def _float_to_uint8(array: np.ndarray, name: str) -> np.ndarray:
    values = array.astype(np.float64, copy=False)
    if not bool(np.isfinite(values).all()):
        raise ImageUnreadable(f"cannot use {name}: it contains NaN or infinite values")
    low, high = float(values.min()), float(values.max())
    # Small tolerances absorb rounding left by earlier arithmetic (1.0000001, -1e-9).
    if low >= -0.01 and high <= 1.01:
        scaled = np.clip(values, 0.0, 1.0) * 255.0
    elif low >= -0.5 and high <= 255.5:
        scaled = np.clip(values, 0.0, 255.0)
    else:
        raise ImageUnreadable(
            f"cannot use {name}: float values {low:g}..{high:g} are neither in 0-1 nor in 0-255"
        )
    return np.rint(scaled).astype(np.uint8)


def _composite(rgba: np.ndarray) -> np.ndarray:
    """Flatten RGBA onto white, or onto black when the visible content is light."""
    rgb = rgba[:, :, :3].astype(np.float32)
    alpha = rgba[:, :, 3:].astype(np.float32) / 255.0
    weight = float(alpha.sum())
    background = 255.0
    if weight > 0:
        luma = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        if float((luma * alpha[:, :, 0]).sum()) / weight > LIGHT_CONTENT_LUMA:
            background = 0.0
    flat = rgb * alpha + background * (1.0 - alpha)
    return np.rint(flat).astype(np.uint8)
