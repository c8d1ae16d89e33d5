"""Rebuilding damaged PDFs (truncated downloads, broken cross-reference tables) so their pages
can still be read. qpdf, through pikepdf, recovers the most; pypdf's lenient reader is the
fallback."""

from __future__ import annotations

import io

from extractors.errors import DamagedFileError, EncryptedPdfError

_PASSWORD_HELP = "The PDF is password-protected. Remove the password (print to a new PDF) and upload it again."


def repair_pdf(data: bytes) -> bytes:
    """The PDF re-written from what could be recovered; DamagedFileError when nothing could."""
    try:
        import pikepdf

        try:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                if len(pdf.pages):
                    out = io.BytesIO()
                    pdf.save(out)
                    return out.getvalue()
        except pikepdf.PasswordError as exc:
            raise EncryptedPdfError(_PASSWORD_HELP) from exc
    except ImportError:
        pass
    except EncryptedPdfError:
        raise
    except Exception:
        pass
    return _repair_with_pypdf(data)


def _repair_with_pypdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedPdfError(_PASSWORD_HELP)
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        if not writer.pages:
            raise DamagedFileError("The PDF is damaged and no page could be recovered. Re-export or re-scan the document.")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except (EncryptedPdfError, DamagedFileError):
        raise
    except Exception as exc:
        raise DamagedFileError("The PDF is damaged and could not be repaired. Re-export or re-scan the document.") from exc
