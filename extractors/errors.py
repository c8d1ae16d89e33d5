"""The one error hierarchy of precert-intake.

Every message says what is wrong with the input and what the sender can do about it. Messages
never contain patient data (names, DOBs, member IDs, note text): at most a file type, a size
or a page count.
"""

from __future__ import annotations


class PrecertError(Exception):
    """Base of every error the service reports to a person or a tool."""

    code = "error"
    http_status = 400


class InputFileError(PrecertError):
    """The bytes handed in cannot be accepted as a clinical document."""

    code = "invalid_file"


class UnsupportedFileType(InputFileError):
    code = "unsupported_type"
    http_status = 415


class EmptyFileError(InputFileError):
    code = "empty_file"


class FileTooLargeError(InputFileError):
    code = "file_too_large"
    http_status = 413


class TooManyPagesError(InputFileError):
    code = "too_many_pages"
    http_status = 413


class ImageTooLargeError(InputFileError):
    code = "image_too_large"
    http_status = 413


class EncryptedPdfError(InputFileError):
    code = "encrypted_pdf"


class DamagedFileError(InputFileError):
    code = "damaged_file"


class UnknownServiceError(PrecertError):
    """A requested service code has no documentation requirements in the catalog."""

    code = "unknown_service"
    http_status = 422


class CatalogError(PrecertError):
    """A requirements data file is invalid (a bug in the catalog, not in the request)."""

    code = "catalog_invalid"
    http_status = 500


class InvalidRequestError(PrecertError):
    """A service request has a value outside the allowed vocabulary (plan type, urgency)."""

    code = "invalid_request"
    http_status = 422
