"""A marker for patient-facing text written in Python.

``N_("...")`` returns its argument unchanged; it only tells the catalogue extraction
(``myositis i18n update``) that the string is shown to patients and must be translated. The
translation happens where the text is rendered (the portal's templates call ``_()`` on it), so
the services stay free of any notion of the reader's language.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message
