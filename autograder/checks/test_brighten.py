"""Checks of brighten(image, gain): clip(round(image · gain), 0, 255) as uint8, one gain per
pixel applied to every channel."""
import numpy as np
import pytest

from autograder.checking.cases import ints, rng
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import DoesNotApply, Mistake

SECTION_GAIN = "Images: per-pixel gain"
SECTION_UINT8 = "uint8: rounding, clipping and wrap-around"


def _scaled(image, gain):
    """image · gain in float64, with gain given a channel axis on a colour image."""
    return image * (gain if image.ndim == 2 else gain[:, :, None])


def _first_channel_only(image, gain):
    out = image.astype(np.float64)
    out[..., 0] *= gain
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def _finish(values):
    return np.clip(np.round(values), 0, 255).astype(np.uint8)


COLOUR, GRAY = 3, 2  # axes of an (H, W, C) and an (H, W) image


def _only_for(ndim, model):
    """A mistake only an image of `ndim` axes can show."""
    def on_image(image, gain):
        if np.ndim(image) != ndim:
            raise DoesNotApply(f"not an image of {ndim} axes")
        return model(image, gain)
    return on_image


NO_CHANNEL_AXIS = Mistake(
    "gain lined up with the last two axes (W, C) of the image instead of (H, W)",
    _only_for(COLOUR, lambda image, gain: _finish(image * gain)),
    "Broadcasting aligns shapes at the right, so an (H, W) gain meets (W, C); give it a "
    "channel axis, gain[:, :, None], to scale every channel of each pixel.", SECTION_GAIN)
GRAY_CHANNEL_AXIS = Mistake(
    "a channel axis added to gain for a grayscale (H, W) image",
    _only_for(GRAY, lambda image, gain: _finish(image * gain[:, :, None])),
    "A grayscale image has the shape of gain already: use gain[:, :, None] only when "
    "image.ndim == 3.", SECTION_GAIN)
# No models: named by what the function raised or returned.
KEPT_IN_UINT8 = Mistake(
    "the float products kept in a uint8 array (image *= gain)", None,
    "A uint8 array cannot hold the float products: compute image * gain as a new float array, "
    "round, clip to [0, 255], then convert with .astype(np.uint8).", SECTION_UINT8)
NO_SHAPE_CHECK = Mistake(
    "no shape check: broadcasting accepted a gain whose shape is not image.shape[:2]", None,
    "Check gain.shape == image.shape[:2] first and raise ValueError otherwise: broadcasting "
    "alone would quietly accept a gain of shape (1, W) or (H, 1).", SECTION_GAIN)

MISTAKES = [
    Mistake("the right values, but not as uint8",
            lambda image, gain: np.clip(np.round(_scaled(image, gain)), 0, 255),
            "Convert at the very end, after rounding and clipping: .astype(np.uint8).",
            SECTION_UINT8),
    Mistake("fractions truncated instead of rounded (astype(np.uint8) without np.round)",
            lambda image, gain: np.clip(_scaled(image, gain), 0, 255).astype(np.uint8),
            "astype cuts the fraction off (3.5 becomes 3); round first with np.round.",
            SECTION_UINT8),
    Mistake("values above 255 wrapped around instead of being clipped (uint8 overflow)",
            lambda image, gain: np.round(_scaled(image, gain)).astype(np.uint8),
            "Clip to [0, 255] before converting: a uint8 keeps only the value modulo 256, so "
            "256 becomes 0.", SECTION_UINT8),
    Mistake("values above 255 wrapped around (no clip), and fractions truncated (no round)",
            lambda image, gain: _scaled(image, gain).astype(np.uint8),
            "Round with np.round, clip to [0, 255], and only then convert with "
            ".astype(np.uint8).", SECTION_UINT8),
    Mistake("halves rounded up instead of to even",
            lambda image, gain: np.clip(np.floor(_scaled(image, gain) + 0.5), 0, 255)
            .astype(np.uint8),
            "Use np.round (or np.rint), which rounds halves to even: 2.5 becomes 2 and 3.5 "
            "becomes 4.", SECTION_UINT8),
    NO_CHANNEL_AXIS,
    Mistake("gain indexed by (row, channel) instead of (row, column): gain[:, None] adds the "
            "axis in the middle",
            _only_for(COLOUR, lambda image, gain: _finish(image * gain[:, None])),
            "The new axis goes last, for the channels: gain[:, :, None], of shape (H, W, 1).",
            SECTION_GAIN),
    Mistake("gain applied to one channel only", _only_for(COLOUR, _first_channel_only),
            "Scale every channel of a pixel by that pixel's gain: image * gain[:, :, None].",
            SECTION_GAIN),
    GRAY_CHANNEL_AXIS, KEPT_IN_UINT8, NO_SHAPE_CHECK,
]


def _advise_raise(case, raised) -> Mistake | None:
    """A broadcasting error is gain lined up with the wrong axes of the image; a failed cast,
    the float products written into the uint8 image."""
    if raised.is_a(ValueError) and "broadcast" in raised.message:
        return NO_CHANNEL_AXIS if np.ndim(case.args[0]) == 3 else GRAY_CHANNEL_AXIS
    if raised.is_a(TypeError) and "cast" in raised.message:
        return KEPT_IN_UINT8
    return None


def _image(shape, seed):
    return ints(shape, seed, low=0, high=256, dtype=np.uint8)


def _gains(shape, seed, high):
    return rng(seed).uniform(0.0, high, size=shape)


def _u8(rows):
    return np.array(rows, dtype=np.uint8)


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"2-d", "3-d", "uint8", "float64"}
PUBLIC = [
    Case("gain 1 leaves a 2x2 image unchanged", (_u8([[0, 17], [128, 255]]), np.ones((2, 2)))),
    Case("products ending in .5 round to even: 0.5 to 0, 1.5 to 2, 2.5 to 2",
         (_u8([[1, 3, 5], [7, 9, 11]]), np.array([[0.5, 0.5, 0.5], [1.5, 1.5, 1.5]]))),
    Case("products above 255 clip to 255 instead of wrapping around",
         (_u8([[100, 128, 200], [255, 253, 7]]), np.array([[2.0, 2.0, 2.0], [2.0, 1.5, 2.5]]))),
    Case("3x3 RGB image: a pixel's gain scales all 3 channels",
         (_image((3, 3, 3), 1), np.linspace(0.2, 1.8, 9).reshape(3, 3))),
    Case("random 4x5 RGB image, gains from 0 to 3", (_image((4, 5, 3), 2), _gains((4, 5), 3, 3.0))),
]
HIDDEN = [
    Case("gain 0 makes a black image", (_image((2, 3), 4), np.zeros((2, 3)))),
    Case("1x1 image", (_u8([[201]]), np.array([[1.25]]))),
    Case("(1, 3, 3) image: one row of RGB pixels",
         (_image((1, 3, 3), 5), np.array([[0.5, 1.25, 1.75]]))),
    Case("(2, 3, 4) RGBA image, products ending in .5",
         (_u8(2 * ints((2, 3, 4), 6, low=0, high=100) + 1),
          np.array([[0.5, 1.5, 2.5], [2.5, 1.5, 0.5]]))),
    Case("gain 1000 saturates at 255, except where the image is 0",
         (_u8([[[0, 1, 2], [3, 0, 250]], [[0, 0, 0], [255, 128, 1]]]), np.full((2, 2), 1000.0))),
    Case("random 7x5 grayscale image, gains from 0 to 3",
         (_image((7, 5), 7), _gains((7, 5), 8, 3.0))),
    Case("random 6x4 RGB image, gains from 0 to 1",
         (_image((6, 4, 3), 9), _gains((6, 4), 10, 1.0))),
    Case("random 5x5 RGB image, gains from 0 to 2",
         (_image((5, 5, 3), 11), _gains((5, 5), 12, 2.0))),
]


@points(2, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same uint8 image as clip(round(image * gain), 0, 255)."""
    expect_same(student, reference, case, advise_raised=_advise_raise)


VALID = Case("2x2 image", (_u8([[10, 20], [30, 40]]), np.array([[0.5, 1.0], [1.5, 2.0]])))
INVALID = [
    Case("ValueError for a (1, 4) gain with a (3, 4) image, which * would broadcast",
         (_image((3, 4), 20), _gains((1, 4), 21, 2.0))),
    Case("ValueError for a (2, 3, 3) gain, one per channel, with a (2, 3, 3) image",
         (_image((2, 3, 3), 24), _gains((2, 3, 3), 25, 2.0))),
]
HIDDEN_INVALID = [
    Case("ValueError for a (3, 1) gain with a (3, 4, 3) image",
         (_image((3, 4, 3), 22), _gains((3, 1), 23, 2.0))),
]


@points(0.5, hidden=0.5)
@pytest.mark.parametrize("case", cases(INVALID, HIDDEN_INVALID))
def test_rejects(student, case):
    """A gain whose shape is not image.shape[:2] raises ValueError."""
    expect_raises(student, ValueError, case, why="gain.shape is not image.shape[:2]",
                  valid=VALID, advise_returned=NO_SHAPE_CHECK)
