"""Safe image loading: real files in every format we claim, every way a file can be bad, and fuzzing."""

from __future__ import annotations

import base64
import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from desktop.core.errors import (
    ClickAssistError,
    EmptyImage,
    ImageTooLarge,
    ImageUnreadable,
    ReferenceTooLarge,
    ReferenceUnreadable,
    ReferenceUnusable,
)
from desktop.core.images import load_image, load_reference

# Pillow warns about the damaged metadata the fuzzers make; that noise is expected.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

RNG = np.random.default_rng(7)
PICTURE = RNG.integers(0, 256, (24, 32, 3), dtype=np.uint8)
# Smooth content, so that lossy formats keep it close.
_XS, _YS = np.meshgrid(np.linspace(0, 255, 32), np.linspace(0, 255, 24))
SMOOTH = np.dstack([_XS, _YS, np.full((24, 32), 90.0)]).astype(np.uint8)


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_header(width: int, height: int, bit_depth: int = 8, colour_type: int = 2, rows: bytes = b"") -> bytes:
    """A PNG written by hand, so its IHDR can claim any size whatever the data holds."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(rows)) + png_chunk(b"IEND", b""))


def assert_rgb(array: np.ndarray, shape: tuple[int, int]) -> None:
    assert array.dtype == np.uint8
    assert array.shape == (*shape, 3)
    assert array.flags.c_contiguous


# --- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "BMP", "TIFF", "PPM"])
def test_lossless_formats_round_trip_exactly(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"picture.{fmt.lower()}"
    path.write_bytes(encode(Image.fromarray(PICTURE), fmt))
    loaded = load_image(path)
    assert_rgb(loaded, (24, 32))
    np.testing.assert_array_equal(loaded, PICTURE)


@pytest.mark.parametrize("fmt, options", [("JPEG", {"quality": 95}), ("WEBP", {"quality": 95})])
def test_lossy_formats_load_close_to_the_original(fmt: str, options: dict[str, object]) -> None:
    loaded = load_image(encode(Image.fromarray(SMOOTH), fmt, **options))
    assert_rgb(loaded, (24, 32))
    assert np.abs(loaded.astype(int) - SMOOTH).mean() < 4


def test_str_path_and_bytearray_sources_work(tmp_path: Path) -> None:
    path = tmp_path / "picture.png"
    path.write_bytes(encode(Image.fromarray(PICTURE), "PNG"))
    np.testing.assert_array_equal(load_image(str(path)), PICTURE)
    np.testing.assert_array_equal(load_image(bytearray(path.read_bytes())), PICTURE)


def test_gif_gives_its_first_frame() -> None:
    red, green = Image.new("RGB", (8, 6), (255, 0, 0)), Image.new("RGB", (8, 6), (0, 255, 0))
    loaded = load_image(encode(red, "GIF", save_all=True, append_images=[green], duration=50))
    assert_rgb(loaded, (6, 8))
    assert tuple(loaded[3, 3]) == (255, 0, 0)


def test_palette_image_with_transparency_is_composited() -> None:
    image = Image.new("P", (2, 1))
    image.putpalette([200, 0, 0, 0, 0, 255] + [0] * 762)
    image.putpixel((1, 0), 1)
    loaded = load_image(encode(image, "PNG", transparency=1))
    assert tuple(loaded[0, 0]) == (200, 0, 0)
    assert tuple(loaded[0, 1]) == (255, 255, 255)  # transparent, dark content: onto white


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    # Pillow's own convert("RGB") would turn every value above 255 into 255.
    grey = np.array([[0, 257 * 10, 257 * 128, 65535]], dtype=np.uint16)
    loaded = load_image(encode(Image.fromarray(grey), "PNG"))
    assert loaded[0, :, 0].tolist() == [0, 10, 128, 255]
    assert (loaded[..., 0] == loaded[..., 2]).all()


def test_sixteen_bit_rgb_png() -> None:
    rows = b"\x00" + np.array([[65535, 0, 0, 0, 32896, 0]], dtype=">u2").tobytes()
    loaded = load_image(png_with_header(2, 1, bit_depth=16, colour_type=2, rows=rows))
    assert loaded[0].tolist() == [[255, 0, 0], [0, 128, 0]]


@pytest.mark.parametrize("mode, colour", [("1", 1), ("L", 77), ("CMYK", (0, 255, 255, 0))])
def test_other_colour_modes_become_rgb(mode: str, colour: object) -> None:
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    loaded = load_image(encode(Image.new(mode, (4, 3), colour), fmt))
    assert_rgb(loaded, (3, 4))
    expected = {"1": (255, 255, 255), "L": (77, 77, 77), "CMYK": (255, 0, 0)}[mode]
    assert np.abs(loaded[1, 1].astype(int) - expected).max() <= 2


def test_exif_orientation_is_applied() -> None:
    pixels = np.zeros((2, 3, 3), np.uint8)
    pixels[0, 0] = 255  # top-left marker
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display turned 90 degrees clockwise
    loaded = load_image(encode(Image.fromarray(pixels), "PNG", exif=exif.tobytes()))
    assert loaded.shape == (3, 2, 3)
    assert loaded[0, 1, 0] == 255 and loaded[0, 0, 0] == 0


def test_alpha_dark_content_goes_onto_white_and_light_content_onto_black() -> None:
    dark = np.zeros((4, 4, 4), np.uint8)
    dark[1:3, 1:3] = (20, 20, 20, 255)
    light = np.zeros((4, 4, 4), np.uint8)
    light[1:3, 1:3] = (250, 250, 250, 255)
    assert tuple(load_image(dark)[0, 0]) == (255, 255, 255)
    assert tuple(load_image(light)[0, 0]) == (0, 0, 0)
    # White text on a transparent background stays readable: the reason for the rule.
    flat = load_image(encode(Image.fromarray(light, "RGBA"), "PNG"))
    assert tuple(flat[1, 1]) == (250, 250, 250) and tuple(flat[0, 0]) == (0, 0, 0)


def test_half_transparent_pixels_blend() -> None:
    pixel = np.array([[[0, 0, 0, 128]]], np.uint8)
    assert load_image(pixel)[0, 0].tolist() == [127, 127, 127]


# --- arrays ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "array, expected",
    [
        (np.array([[0.0, 0.5, 1.0]]), [0, 128, 255]),
        (np.array([[0.0, 127.6, 255.0]], np.float32), [0, 128, 255]),
        (np.array([[0, 257, 65535]], np.uint16), [0, 1, 255]),
        (np.array([[0, 200, 255]], np.int64), [0, 200, 255]),
        (np.array([[False, True, True]]), [0, 255, 255]),
        (np.array([[[0], [9], [255]]], np.uint8), [0, 9, 255]),
    ],
)
def test_arrays_are_converted_when_safe(array: np.ndarray, expected: list[int]) -> None:
    loaded = load_image(array)
    assert_rgb(loaded, (1, 3))
    assert loaded[0, :, 1].tolist() == expected


def test_rgba_and_grey_alpha_arrays() -> None:
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[..., 3] = 255
    assert_rgb(load_image(rgba), (2, 2))
    grey_alpha = np.zeros((2, 2, 2), np.uint8)
    grey_alpha[..., 1] = 255
    assert load_image(grey_alpha).tolist() == np.zeros((2, 2, 3), np.uint8).tolist()


def test_array_result_is_a_contiguous_copy() -> None:
    source = np.ascontiguousarray(PICTURE[:, ::-1])
    strided = PICTURE[:, ::2]
    loaded = load_image(strided)
    assert loaded.flags.c_contiguous
    np.testing.assert_array_equal(loaded, strided)
    assert not np.shares_memory(load_image(source), source)


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((3, 3, 5), np.uint8),
        np.zeros((2, 2, 2, 3), np.uint8),
        np.zeros(7, np.uint8),
        np.array([[np.nan, 0.5]]),
        np.array([[np.inf, 0.5]]),
        np.array([[-3.0, 0.5]]),
        np.array([[0.0, 400.0]]),
        np.array([[-1, 5]], np.int16),
        np.array([[0, 70000]], np.int32),
        np.array([[1 + 2j]]),
        np.array([["a", "b"]]),
    ],
)
def test_unsafe_arrays_are_refused(array: np.ndarray) -> None:
    with pytest.raises(ImageUnreadable):
        load_image(array)


@pytest.mark.parametrize("shape", [(0, 5, 3), (5, 0), (0, 0, 4)])
def test_arrays_without_pixels_are_empty(shape: tuple[int, ...]) -> None:
    with pytest.raises(EmptyImage):
        load_image(np.zeros(shape, np.uint8))


def test_wrong_source_type_is_unreadable() -> None:
    with pytest.raises(ImageUnreadable, match="int"):
        load_image(42)  # type: ignore[arg-type]


# --- bad files ---------------------------------------------------------------------------------


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.png"
    with pytest.raises(ImageUnreadable, match="nowhere.png': no such file") as info:
        load_image(path)
    assert info.value.code == "image_unreadable"


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ImageUnreadable, match="folder"):
        load_image(tmp_path)


def test_empty_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ImageUnreadable, match="empty.png': the file is empty"):
        load_image(path)


def test_text_file_named_png_is_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("Remember to buy milk.\n" * 20)
    with pytest.raises(ImageUnreadable, match="notes.png': it is not an image"):
        load_image(path)


@pytest.mark.parametrize("keep", [0.9, 0.5])
def test_truncated_png_says_so(tmp_path: Path, keep: float) -> None:
    data = encode(Image.fromarray(PICTURE), "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ImageUnreadable, match="cut.png': the file is truncated"):
        load_image(path)


def test_truncated_jpeg_is_unreadable() -> None:
    data = encode(Image.fromarray(SMOOTH), "JPEG")
    with pytest.raises(ImageUnreadable, match="truncated"):
        load_image(data[: len(data) // 2])


def test_unsupported_format_is_refused_rather_than_run() -> None:
    # EPS would make Pillow run Ghostscript; we never hand such a file to a plugin.
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    with pytest.raises(ImageUnreadable, match="not an image"):
        load_image(eps)


@pytest.mark.parametrize("width, height", [(1, 0), (0, 1)])
def test_png_declaring_zero_size_is_empty(tmp_path: Path, width: int, height: int) -> None:
    path = tmp_path / "flat.png"
    path.write_bytes(png_with_header(width, height))
    with pytest.raises(EmptyImage, match=f"{width}\u00d7{height}") as info:
        load_image(path)
    assert info.value.code == "image_empty"


def test_gif_declaring_zero_size_is_empty() -> None:
    gif = b"GIF89a" + struct.pack("<HH", 0, 5) + b"\x00\x00\x00" + b";"
    with pytest.raises(EmptyImage):
        load_image(gif)


def test_huge_header_is_refused_before_decoding(tmp_path: Path) -> None:
    # 100000 x 100000 claimed, a few bytes of data: decoding would need 30 GB.
    path = tmp_path / "bomb.png"
    path.write_bytes(png_with_header(100_000, 100_000))
    with pytest.raises(ImageTooLarge) as info:
        load_image(path)
    assert info.value.code == "image_too_large"
    assert "100000" in info.value.user_message and info.value.hint


def test_header_over_our_limit_but_under_pillows_is_refused_with_the_size() -> None:
    with pytest.raises(ImageTooLarge, match="9000\u00d77000 pixels"):
        load_image(png_with_header(9000, 7000))  # 63 Mpx: Pillow alone would only warn


def test_max_pixels_is_honoured() -> None:
    data = encode(Image.fromarray(PICTURE), "PNG")
    assert load_image(data, max_pixels=24 * 32).shape == (24, 32, 3)
    with pytest.raises(ImageTooLarge, match="limit of 767"):
        load_image(data, max_pixels=767)
    with pytest.raises(ImageTooLarge):
        load_image(PICTURE, max_pixels=100)


def test_file_far_larger_than_any_image_of_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.bmp"
    with open(path, "wb") as handle:
        handle.truncate(16 * 100 + 17 * 2**20)  # sparse: costs no disk
    with pytest.raises(ImageTooLarge, match="MiB"):
        load_image(path, max_pixels=100)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_permissions(tmp_path: Path) -> None:
    path = tmp_path / "secret.png"
    path.write_bytes(encode(Image.fromarray(PICTURE), "PNG"))
    path.chmod(0)
    with pytest.raises(ImageUnreadable, match="permission denied"):
        load_image(path)


def test_error_dict_follows_the_ground_contract(tmp_path: Path) -> None:
    with pytest.raises(ClickAssistError) as info:
        load_image(tmp_path / "gone.png")
    assert info.value.to_dict()["code"] == "image_unreadable"
    assert "gone.png" in info.value.to_dict()["message"]


def test_no_file_handles_leak(tmp_path: Path) -> None:
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.exists():
        pytest.skip("needs /proc")
    good = tmp_path / "good.gif"
    red, green = Image.new("RGB", (8, 6), (255, 0, 0)), Image.new("RGB", (8, 6), (0, 255, 0))
    good.write_bytes(encode(red, "GIF", save_all=True, append_images=[green]))
    data = encode(Image.fromarray(PICTURE), "TIFF")
    cut = tmp_path / "cut.tiff"
    cut.write_bytes(data[: len(data) // 2])
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_with_header(100_000, 100_000))
    before = len(os.listdir(fd_dir))
    for _ in range(50):
        for path in (good, cut, bomb, tmp_path / "missing.png", tmp_path):
            try:
                load_image(path)
            except ClickAssistError:
                pass
    assert len(os.listdir(fd_dir)) <= before


# --- references --------------------------------------------------------------------------------


def test_reference_keeps_alpha_only_when_it_matters() -> None:
    icon = np.zeros((8, 8, 4), np.uint8)
    icon[2:6, 2:6] = (10, 20, 30, 255)
    assert load_reference(icon).shape == (8, 8, 4)
    icon[..., 3] = 255
    assert load_reference(icon).shape == (8, 8, 3)


def test_reference_errors_carry_reference_codes(tmp_path: Path) -> None:
    with pytest.raises(ReferenceUnreadable, match="reference image: cannot read"):
        load_reference(tmp_path / "none.png")
    with pytest.raises(ReferenceUnusable):
        load_reference(np.zeros((0, 4, 3), np.uint8))
    with pytest.raises(ReferenceTooLarge):
        load_reference(png_with_header(5000, 5000))


# --- fuzzing -----------------------------------------------------------------------------------


def _seed_files() -> list[bytes]:
    image = Image.fromarray(PICTURE[:12, :16])
    return [
        encode(image, "PNG"),
        encode(image.convert("P"), "PNG", transparency=3),
        encode(image.convert("RGBA"), "PNG"),
        encode(image, "JPEG", quality=80),
        encode(image, "JPEG", progressive=True),
        encode(image, "GIF"),
        encode(image, "BMP"),
        encode(image, "TIFF"),
        encode(image, "TIFF", compression="tiff_lzw"),
        encode(image, "WEBP"),
    ]


SEEDS = _seed_files()


def _load_or_error(data: bytes) -> None:
    try:
        loaded = load_image(data, max_pixels=4_000_000)
    except ClickAssistError:
        return
    assert loaded.dtype == np.uint8 and loaded.ndim == 3 and loaded.shape[2] == 3
    assert loaded.shape[0] > 0 and loaded.shape[1] > 0 and loaded.flags.c_contiguous


#: Inputs an earlier, longer fuzzing run found to make Pillow raise ValueError
#: (not OSError): the reason load_image catches every decoder exception.
FOUND_BY_FUZZING = {
    "PPM header cut short": "UDE=",
    "PPM token too long": "UDYg8AAAAOpty+NXreVER87p69AfAJ0BKhAADAABQCY=",
    "PNG with a truncated IHDR": "iVBORw0KGgoAAAAKSUhEUgAA/RAAAAAMCAMAAABcOc2zAAACplBMVEUAAAAAAAAAAAAAAAAA"
                                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAzAABmAACZAADMAAD/AAAAMwAzMwBmMwCZMwDMMwD/MwCvZgAzZgA=",
    "TIFF with invalid dimensions": "SUkqAAgAAAAKAAABBAABAAAAEAA/AAEBBwABAAAADAAAAAIBAwADAAAAhgAAAAMBAwABAAAABgEDAAEAAAACAAAAEQEEAAEX",
    "BMP with an unknown raw mode": "Qk12AgAAAAAAADYAAAAoAAAAEAAAAAwAAAABABgAAQAAAEACAADEDgAAxA4AAAAAAAAAAAAAhrQ+s2v8GlcOIzeWgqMyp+ZF"
                                    "LRbc87jcD0rVUu44mXHJM8ML+yaA3336LCh2g/lLbSKWRtT4/AOn3b2y4uHYY5qgNHw/ywOZxD1GM+rz5YNUFmRv0USD"
                                    "QWu5rTsMOfbjI1oNZbTdSFr850Ob46Numw==",
}


@pytest.mark.parametrize("name", sorted(FOUND_BY_FUZZING))
def test_inputs_found_by_fuzzing_are_unreadable(name: str) -> None:
    with pytest.raises(ImageUnreadable):
        load_image(base64.b64decode(FOUND_BY_FUZZING[name]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_fuzz_random_bytes(data: bytes) -> None:
    _load_or_error(data)


@st.composite
def mutated_image(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "cut"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 32))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_image())
def test_fuzz_mutated_real_images(data: bytes) -> None:
    _load_or_error(data)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([np.uint8, np.uint16, np.int32, np.float32, np.float64, np.bool_]),
    st.lists(st.integers(0, 5), min_size=0, max_size=4),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
)
def test_fuzz_arrays(dtype: type, shape: list[int], fill: float) -> None:
    try:
        with np.errstate(invalid="ignore", over="ignore"):
            array = np.full(shape, fill).astype(dtype)
    except (ValueError, OverflowError):
        return
    try:
        loaded = load_image(array)
    except ClickAssistError:
        return
    assert loaded.dtype == np.uint8 and loaded.ndim == 3 and loaded.shape[2] == 3
