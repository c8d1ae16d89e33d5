"""Member ID cards: the card faces, the card copied onto a letter page (front and back, as a front
desk photocopies or scans it), and a phone photo of the card front lying on a table.

A face is drawn in card coordinates (3.375 x 2.125 in, 243 x 153 pt): a rounded outline, a dark
band or a logo block with the plan's name in white or black, small labels over (or before) the
values, pharmacy routing numbers (Rx BIN / PCN / GRP) and phone numbers. `sheets.placed` moves a
face onto a letter page for the copy.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps
from reportlab.lib.utils import simpleSplit

from sample_docs.degrade import EXIF_ORIENTATION, TURN, _lighting, _perspective_coeffs
from sample_docs.sheets import Box, Flow, InkRun, placed
from sample_docs.spec import Labelled, Patient

CARD = (243.0, 153.0)  # points: an ID-1 card, 3.375 x 2.125 in


@dataclass(frozen=True)
class CardLine:
    """One line of a card face: label/value pairs at x positions (points from the card's left
    edge); `stacked` puts each label in small grey type over its value."""

    pairs: tuple[tuple[float, str, str], ...]  # (x, label, value); an empty label prints the value alone
    size: float = 7.5
    bold_values: bool = True
    stacked: bool = False


def _face(
    *, band: tuple[str, str], lines: tuple[CardLine, ...], footer: tuple[str, ...], logo: str = "", dark_band: bool = True
) -> list:
    """The ops of one card face, in card coordinates."""
    w, h = CARD
    ops: list = [Box(0, 0, w, h, fill=0.97, stroke=0.8, radius=10)]
    if dark_band:
        ops += [Box(0, h - 36, w, 36, fill=0.25, stroke=0, radius=10), Box(0, h - 36, w, 14, fill=0.25, stroke=0)]
        ops.append(InkRun(12, h - 19, "Helvetica-Bold", 10.5, band[0], grey=1.0))
        ops.append(InkRun(12, h - 30, "Helvetica", 7, band[1], grey=0.92))
    else:
        ops.append(Box(10, h - 38, 30, 28, fill=0.3, stroke=0, radius=4))
        ops.append(InkRun(13.5, h - 28, "Helvetica-Bold", 10, logo, grey=1.0))
        ops.append(InkRun(47, h - 21, "Helvetica-Bold", 11, band[0], grey=0.1))
        ops.append(InkRun(47, h - 32, "Helvetica", 7, band[1], grey=0.25))
        ops.append(Box(10, h - 44, w - 20, 0.6, fill=0.4, stroke=0))
    y = h - (50 if dark_band else 58)
    for line in lines:
        for x, label, value in line.pairs:
            if line.stacked:
                ops.append(InkRun(x, y + line.size + 0.5, "Helvetica", 5.6, label, grey=0.35))
                ops.append(InkRun(x, y - 1, "Helvetica-Bold" if line.bold_values else "Helvetica", line.size, value, grey=0.0))
            else:
                text = f"{label} {value}" if label else value
                ops.append(InkRun(x, y, "Helvetica-Bold" if line.bold_values else "Helvetica", line.size, text, grey=0.0))
        y -= line.size + (10 if line.stacked else 4.2)
    fy = 8.0 + 7.6 * (len(footer) - 1)
    for text in footer:
        ops.append(InkRun(10, fy, "Helvetica", 6.2, text, grey=0.15))
        fy -= 7.6
    return ops


def _card_fields(patient: Patient, member_ids: tuple[str, ...], *, dob: bool) -> dict[str, list[Any]]:
    """A card's labels: member IDs, name, plan, group and (when printed) date of birth. A card has
    no document date: its effective date is the coverage's, not the document's."""
    fields: dict[str, list[Any]] = {
        "member_id": list(member_ids),
        "patient_name": [patient.name_truth],
        "payer_name": [patient.payer],
    }
    if dob:
        fields["patient_dob"] = [patient.dob.isoformat()]
    if patient.group:
        fields["group_number"] = [patient.group]
    return fields


def card_front(
    *,
    patient: Patient,
    band: tuple[str, str],
    lines: tuple[CardLine, ...],
    footer: tuple[str, ...],
    member_ids: tuple[str, ...],
    dob: bool,
    decoys: tuple[str, ...],
    effective: date,
    logo: str = "",
) -> Labelled:
    """The front of a card on a card-sized page: what a phone photo shows."""
    f = Flow(font="Helvetica", size=7.5, page_size=CARD)
    for op in _face(band=band, lines=lines, footer=footer, logo=logo, dark_band=not logo):
        f.add(op)
    sheet = f.sheet(title="Member ID card", footer=False, card=True)
    return Labelled(sheet, "insurance_card", effective, _card_fields(patient, member_ids, dob=dob), {}, decoys)


def card_copy(
    *,
    patient: Patient,
    band: tuple[str, str],
    front: tuple[CardLine, ...],
    front_footer: tuple[str, ...],
    back: tuple[str, ...],
    member_ids: tuple[str, ...],
    dob: bool,
    decoys: tuple[str, ...],
    effective: date,
    logo: str = "",
    scale: float = 1.4,
) -> Labelled:
    """Front and back of a card copied onto one letter page, enlarged as a copier's ID-card mode
    does: the front at the top, the back under it."""
    f = Flow(font="Helvetica", size=7.5)
    w, h = CARD
    x = (f.page_size[0] - w * scale) / 2
    top_y = f.page_size[1] - 60 - h * scale
    for op in placed(
        tuple(_face(band=band, lines=front, footer=front_footer, logo=logo, dark_band=not logo)), dx=x, dy=top_y, scale=scale
    ):
        f.add(op)
    back_ops: list = [Box(0, 0, w, h, fill=0.98, stroke=0.8, radius=10), Box(0, h - 10, w, 3, fill=0.3, stroke=0)]
    y = h - 24
    for text in back:
        face = "Helvetica-Bold" if text.isupper() else "Helvetica"
        for line in simpleSplit(text, face, 6.2, w - 20):
            back_ops.append(InkRun(10, y, face, 6.2, line, grey=0.1))
            y -= 8.4
        y -= 1.5
    if y < 4:
        raise ValueError("the back of the card holds too much text")
    for op in placed(tuple(back_ops), dx=x, dy=top_y - 30 - h * scale, scale=scale):
        f.add(op)
    sheet = f.sheet(title="Member ID card copy", footer=False)
    return Labelled(sheet, "insurance_card", effective, _card_fields(patient, member_ids, dob=dob), {}, decoys)


CARD_PHOTO_DPI = 380  # the card about 1,280 px wide in the photo


def make_card_photo(
    card: Image.Image,
    *,
    rng: random.Random,
    rotation: int,
    exif_orientation: int | None,
    tint: tuple[tuple[int, int, int], tuple[int, int, int]],
    size: tuple[int, int] = (1500, 2000),
    quality: int = 85,
) -> bytes:
    """A phone photo of a card on a table, taken with the phone held upright: the card lies
    across the middle of a portrait frame, a little off square, with a soft shadow. `tint` maps
    the card's black and white to the card stock's colours. The pixels are stored turned so that
    they need `rotation` degrees clockwise; `exif_orientation` says so when given."""
    w, h = size
    cw, ch = card.size
    face = ImageOps.colorize(card.convert("L"), black=tint[0], white=tint[1])
    # Round the corners: the rendered page is square-cornered, the card is not.
    corner = Image.new("L", card.size, 0)
    ImageDraw.Draw(corner).rounded_rectangle((0, 0, cw - 1, ch - 1), radius=round(cw * 10 / CARD[0]), fill=255)
    width = 1280
    height = round(width * ch / cw)
    cx, cy = w / 2 + rng.uniform(-40, 40), h / 2 + rng.uniform(-60, 60)

    def corner_at(dx: float, dy: float) -> tuple[float, float]:
        return (cx + dx + rng.uniform(-28, 28), cy + dy + rng.uniform(-22, 22))

    quad = [
        corner_at(-width / 2, -height / 2),
        corner_at(width / 2, -height / 2),
        corner_at(width / 2, height / 2),
        corner_at(-width / 2, height / 2),
    ]
    coeffs = _perspective_coeffs(quad, [(0, 0), (cw, 0), (cw, ch), (0, ch)])
    warped = face.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = corner.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    # A table top: a warm grey with faint streaks of grain, and the card's shadow on it.
    table = Image.new("RGB", (w, h), (138, 124, 108))
    draw = ImageDraw.Draw(table)
    for _ in range(90):
        y = rng.randrange(h)
        shade = rng.randrange(-14, 14)
        draw.line(
            (0, y, w, y + rng.randrange(-30, 30)), fill=(138 + shade, 124 + shade, 108 + shade), width=rng.choice((1, 2, 3))
        )
    table = table.filter(ImageFilter.GaussianBlur(2.5))
    shadow = ImageChops.offset(mask, 14, 18).filter(ImageFilter.GaussianBlur(16))
    table = Image.composite(Image.new("RGB", (w, h), (70, 62, 54)), table, shadow.point(lambda v: v * 0.55))
    photo = Image.composite(warped, table, mask)
    light = _lighting((w, h), rng)
    photo = ImageChops.multiply(photo, Image.merge("RGB", (light, light, light)))
    photo = photo.filter(ImageFilter.GaussianBlur(0.9))
    exif = Image.Exif()
    exif[0x010F] = "SynthCam"  # Make
    exif[0x0110] = "Sample Phone 2"  # Model
    exif[0x0132] = "2026:01:01 09:00:00"  # DateTime, fixed for reproducibility
    if rotation:
        photo = photo.transpose(TURN[rotation])
    if exif_orientation is not None:
        exif[EXIF_ORIENTATION] = exif_orientation
    buf = io.BytesIO()
    photo.save(buf, format="JPEG", quality=quality, exif=exif.tobytes(), dpi=(72, 72))
    return buf.getvalue()
