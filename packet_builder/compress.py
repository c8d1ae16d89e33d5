"""How a page image is stored in the packet: 1-bit pages as CCITT G4, photos and grey scans as
JPEG, each no finer than the resolution a reviewer (and a fax server) can use.

Fax servers and payer portals cap a file's size, and a scan stored as 8-bit Flate is ten times
the size of the same page as G4. The rule that keeps text legible: a page becomes 1-bit only
when it already is, or when it measurably is in all but name (`near_bilevel`: almost no pixels
between ink and paper) at a resolution where thresholding loses no strokes.

`encode_image` picks the encoding for one PIL image; `recompress_pdf` applies it to the big
images of a PDF that arrived as a scan, keeping every page's geometry (so the OCR text layer
drawn over it later stays aligned).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import pikepdf
from PIL import Image, ImageChops

BILEVEL_MAX_DPI = 300  # G4 at 300 DPI is already as sharp as any reviewer's screen or printer
GREY_MAX_DPI = 300
COLOUR_MAX_DPI = 200  # colour is for photos of documents: 200 DPI keeps their text readable
MIN_TEXT_DPI = 200  # below this, thresholding a grey scan may break thin strokes: keep it grey
JPEG_QUALITY = 75
# A grey page is "near-bilevel" when at most this share of its pixels lies between ink and
# paper (anti-aliased edges of text are ~1-3%; a page with a photo or shaded boxes is > 5%).
NEAR_BILEVEL_MIDTONES = 0.035
MIDTONE_RANGE = (64, 192)
RECOMPRESS_MIN_BYTES = 16_000  # smaller images (logos, signatures) are not worth touching
RECOMPRESS_GAIN = 0.75  # replace an image only when the new stream is at most 75% of the old


@dataclass(frozen=True)
class EncodedImage:
    """An image stream ready to be a PDF image XObject."""

    data: bytes
    filter: str  # /CCITTFaxDecode | /DCTDecode
    colour_space: str  # /DeviceGray | /DeviceRGB
    bits: int
    width: int
    height: int
    kind: str  # bilevel | grey | colour

    def decode_parms(self) -> dict[str, Any] | None:
        if self.filter != "/CCITTFaxDecode":
            return None
        return {"/K": -1, "/Columns": self.width, "/Rows": self.height, "/BlackIs1": False}


def midtone_share(grey: Image.Image) -> float:
    hist = grey.histogram()
    total = sum(hist) or 1
    lo, hi = MIDTONE_RANGE
    return sum(hist[lo:hi]) / total


def near_bilevel(grey: Image.Image, dpi: float) -> bool:
    """True when a grey page can be stored 1-bit without losing what a reader needs."""
    if dpi < MIN_TEXT_DPI:
        return False
    sample = grey if grey.width * grey.height <= 4_000_000 else grey.reduce(2)
    return midtone_share(sample) <= NEAR_BILEVEL_MIDTONES


def otsu_threshold(grey: Image.Image) -> int:
    """The grey level that best separates ink from paper (Otsu), kept in a sane band so a
    near-blank page does not turn its paper grain into ink."""
    hist = grey.histogram()
    total = sum(hist)
    if total == 0:
        return 128
    sum_all = sum(i * h for i, h in enumerate(hist))
    weight_b = sum_b = 0.0
    best, best_t = -1.0, 128
    for t in range(256):
        weight_b += hist[t]
        if weight_b == 0:
            continue
        weight_f = total - weight_b
        if weight_f == 0:
            break
        sum_b += t * hist[t]
        mean_b, mean_f = sum_b / weight_b, (sum_all - sum_b) / weight_f
        between = weight_b * weight_f * (mean_b - mean_f) ** 2
        if between > best:
            best, best_t = between, t
    return min(max(best_t, 96), 200)


def flatten(img: Image.Image) -> Image.Image:
    """The image in one of "1", "L", "RGB": transparency composited over white paper."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if img.mode in ("1", "L", "RGB"):
        return img
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        return img.convert("L")
    return img.convert("RGB")


def _is_grey(rgb: Image.Image) -> bool:
    """An RGB image whose colour carries nothing (a scanner set to colour for a B/W page)."""
    sample = rgb if rgb.width * rgb.height <= 1_000_000 else rgb.reduce(4)
    saturation = sample.convert("HSV").getchannel("S").histogram()
    return sum(saturation[24:]) / (sum(saturation) or 1) < 0.002


def _fit(img: Image.Image, dpi: tuple[float, float], cap: int) -> Image.Image:
    """Downsample to at most `cap` DPI on each axis (fax's unequal axes are kept)."""
    w = round(img.width * cap / dpi[0]) if dpi[0] > cap * 1.05 else img.width
    h = round(img.height * cap / dpi[1]) if dpi[1] > cap * 1.05 else img.height
    if (w, h) == img.size:
        return img
    if img.mode == "1":
        # Resample as grey and threshold again: nearest-neighbour on 1-bit drops thin strokes.
        grey = img.convert("L").resize((max(w, 1), max(h, 1)), Image.LANCZOS)
        return grey.point(lambda v: 255 if v >= 128 else 0, mode="1")
    return img.resize((max(w, 1), max(h, 1)), Image.LANCZOS)


def g4(img: Image.Image) -> bytes:
    """CCITT G4 data of a 1-bit image (one strip of a Pillow TIFF: the PDF filter's input)."""
    # libtiff codes 0-bits as white runs whatever the TIFF's photometric tag says, and Pillow's
    # 1-bit images have paper as 1: invert, so the stream is standard G4 (BlackIs1 false).
    buf = io.BytesIO()
    ImageChops.invert(img).save(buf, format="TIFF", compression="group4", tiffinfo={278: img.height})  # one strip
    tiff = Image.open(io.BytesIO(buf.getvalue()))
    offsets, counts = tiff.tag_v2[273], tiff.tag_v2[279]
    if len(offsets) != 1:
        raise ValueError("G4 encoder wrote several strips")
    raw = buf.getvalue()
    return raw[offsets[0] : offsets[0] + counts[0]]


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def to_bilevel(grey: Image.Image) -> Image.Image:
    t = otsu_threshold(grey)
    return grey.point(lambda v: 255 if v > t else 0, mode="1")


def encode_image(img: Image.Image, dpi: tuple[float, float]) -> EncodedImage:
    """The smallest faithful encoding of a page image shown at `dpi` (pixels per inch of page)."""
    img = flatten(img)
    if img.mode == "RGB" and _is_grey(img):
        img = img.convert("L")
    if img.mode == "L" and near_bilevel(img, min(dpi)):
        img = to_bilevel(_fit(img, dpi, BILEVEL_MAX_DPI))
    if img.mode == "1":
        img = _fit(img, dpi, BILEVEL_MAX_DPI)
        return EncodedImage(g4(img), "/CCITTFaxDecode", "/DeviceGray", 1, img.width, img.height, "bilevel")
    if img.mode == "L":
        img = _fit(img, dpi, GREY_MAX_DPI)
        return EncodedImage(_jpeg(img), "/DCTDecode", "/DeviceGray", 8, img.width, img.height, "grey")
    img = _fit(img, dpi, COLOUR_MAX_DPI)
    return EncodedImage(_jpeg(img), "/DCTDecode", "/DeviceRGB", 8, img.width, img.height, "colour")


def image_xobject(pdf: pikepdf.Pdf, enc: EncodedImage) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, enc.data)
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    _describe(stream, enc)
    return stream


def _describe(stream: pikepdf.Stream, enc: EncodedImage) -> None:
    stream.Width, stream.Height = enc.width, enc.height
    stream.ColorSpace = pikepdf.Name(enc.colour_space)
    stream.BitsPerComponent = enc.bits
    stream.Filter = pikepdf.Name(enc.filter)
    parms = enc.decode_parms()
    if parms is None:
        if "/DecodeParms" in stream:
            del stream["/DecodeParms"]
    else:
        stream.DecodeParms = pikepdf.Dictionary({k: v for k, v in parms.items()})


# ---- images inside PDFs -----------------------------------------------------------------


def _replaceable(img: pikepdf.Stream) -> bool:
    """Plain grey or RGB raster images only: masks, decode arrays, palettes, CMYK and 16-bit
    images would need their meaning carried over, and scans do not use them."""
    if img.get("/Subtype") != pikepdf.Name.Image or img.get("/ImageMask", False):
        return False
    if any(k in img for k in ("/SMask", "/Mask", "/Decode", "/SMaskInData")):
        return False
    if int(img.get("/BitsPerComponent", 8)) not in (1, 8):
        return False
    cs = img.get("/ColorSpace")
    if cs in (pikepdf.Name.DeviceGray, pikepdf.Name.DeviceRGB):
        return True
    if isinstance(cs, pikepdf.Array) and len(cs) == 2 and cs[0] == pikepdf.Name.ICCBased:
        return int(cs[1].get("/N", 0)) in (1, 3)
    return False


def _page_dpi(img: pikepdf.Stream, page: pikepdf.Page) -> tuple[float, float]:
    """The image's resolution if it fills the page: a lower bound when it is drawn smaller,
    which is the safe side for a downsampling decision."""
    box = page.mediabox
    pw, ph = abs(float(box[2]) - float(box[0])) / 72, abs(float(box[3]) - float(box[1])) / 72
    iw, ih = int(img.Width), int(img.Height)
    if (iw > ih) != (pw > ph):  # drawn turned a quarter
        pw, ph = ph, pw
    return (iw / max(pw, 0.1), ih / max(ph, 0.1))


def recompress_pdf(data: bytes) -> bytes:
    """`data` with its big scan images stored as G4 or JPEG where that saves a lot; the same
    bytes back when nothing is worth changing or anything is unexpected."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:
        return data
    changed, seen = False, set()
    with pdf:
        for page in pdf.pages:
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            for _name, img in xobjects.items():
                if not isinstance(img, pikepdf.Stream) or img.objgen in seen:
                    continue
                seen.add(img.objgen)
                try:
                    changed |= _unwrap_text_filters(img)
                    changed |= _recompress_one(img, page)
                except Exception:
                    continue  # an image we cannot decode stays as it came
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


TEXT_FILTERS = (pikepdf.Name.ASCII85Decode, pikepdf.Name.ASCIIHexDecode)


def _unwrap_text_filters(img: pikepdf.Stream) -> bool:
    """JPEG data wrapped in ASCII85 (as some scanners and reportlab write it) is a quarter
    larger than the JPEG itself: keep the JPEG, drop the wrapping. Lossless."""
    filters = img.get("/Filter")
    if not isinstance(filters, pikepdf.Array) or len(filters) < 2 or filters[-1] != pikepdf.Name.DCTDecode:
        return False
    if not all(f in TEXT_FILTERS for f in list(filters)[:-1]):
        return False
    parms = img.get("/DecodeParms")
    data = img.read_raw_bytes()
    for f in list(filters)[:-1]:  # qpdf will not decode part of a filter chain: by hand
        data = _ascii85(data) if f == pikepdf.Name.ASCII85Decode else _asciihex(data)
    img.write(data, filter=pikepdf.Name.DCTDecode)
    if isinstance(parms, pikepdf.Array) and len(parms) and parms[-1] is not None:
        img.DecodeParms = parms[-1]
    elif "/DecodeParms" in img:
        del img["/DecodeParms"]
    return True


def _ascii85(data: bytes) -> bytes:
    data = b"".join(data.split())
    if not data.startswith(b"<~"):
        data = b"<~" + data
    if not data.endswith(b"~>"):
        data += b"~>"
    return base64.a85decode(data, adobe=True)


def _asciihex(data: bytes) -> bytes:
    text = b"".join(data.split()).rstrip(b">")
    return bytes.fromhex((text + b"0" * (len(text) % 2)).decode("ascii"))


def _recompress_one(img: pikepdf.Stream, page: pikepdf.Page) -> bool:
    if not _replaceable(img):
        return False
    old = len(img.read_raw_bytes())
    if old < RECOMPRESS_MIN_BYTES:
        return False
    pil = pikepdf.PdfImage(img).as_pil_image()
    cs = img.get("/ColorSpace")
    enc = encode_image(pil, _page_dpi(img, page))
    if len(enc.data) > old * RECOMPRESS_GAIN:
        return False
    if enc.colour_space == "/DeviceRGB" and isinstance(cs, pikepdf.Array):
        enc_cs: Any = cs  # keep the ICC profile the colours were defined in
    else:
        enc_cs = pikepdf.Name(enc.colour_space)
    img.write(enc.data, filter=pikepdf.Name(enc.filter))
    _describe(img, enc)
    img.ColorSpace = enc_cs
    return True
