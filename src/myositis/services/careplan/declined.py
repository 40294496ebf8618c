"""A treatment the patient has declined, or that is withheld for them, is not recommended
anywhere in the plan without saying so.

The options list already withholds a declined glucocorticoid; the urgent lines written for a
severe presentation ("IV glucocorticoids with early IVIG or rituximab", "IV pulses with
cardiology") did not know of the refusal (specialist review Z4c: three such lines for a woman
who had declined all glucocorticoids after a steroid-induced hyperglycaemic crisis). Each line
that recommends a glucocorticoid then says, in the line itself, that it was declined.
"""

from __future__ import annotations

import re

from myositis.services.careplan.model import Action, Flag

RECOMMENDS_GLUCOCORTICOID = re.compile(
    r"IV glucocorticoids|IV (?:methylprednisolone )?pulses|methylprednisolone pulses"
    r"|high-dose glucocorticoids|raise prednisolone|oral prednisolone|prednisolone \d"
    r"|glucocorticoids? (?:at|from) \d|restart (?:the )?glucocorticoid", re.IGNORECASE)
DECLINED_NOTE = (" Glucocorticoids were declined by the patient: none is given unless the "
                 "patient chooses otherwise after discussion - act on the rest of this line "
                 "(see Withheld for the alternatives).")


def without_declined_glucocorticoids(items: list[Action] | list[Flag]) -> list[Action] | list[Flag]:
    """Each line that recommends a glucocorticoid gains the note that it was declined."""
    return [item.model_copy(update={"text": item.text + DECLINED_NOTE})
            if RECOMMENDS_GLUCOCORTICOID.search(item.text)
            and DECLINED_NOTE not in item.text else item
            for item in items]  # type: ignore[return-value]


RECOMMENDS_IVIG = re.compile(r"(?:early|add|with|then) (?:IVIG|intravenous immunoglobulin)"
                             r"|IVIG or |or IVIG", re.IGNORECASE)
IVIG_WITHHELD_NOTE = (" IVIG is withheld for this patient (see Withheld): use the other options "
                      "this line names.")


def without_withheld_ivig(items: list[Action] | list[Flag]) -> list[Action] | list[Flag]:
    """Each line that recommends IVIG says in the line that it is withheld for this patient
    (specialist review Z6b: 'IV glucocorticoids with early IVIG or rituximab' a day after an
    IVIG-associated pulmonary embolism, with IVIG withheld elsewhere in the same plan)."""
    return [item.model_copy(update={"text": item.text + IVIG_WITHHELD_NOTE})
            if RECOMMENDS_IVIG.search(item.text) and IVIG_WITHHELD_NOTE not in item.text
            else item for item in items]  # type: ignore[return-value]


SULFONAMIDE_NOTE = (" (Sulfonamide allergy recorded: not co-trimoxazole - the alternatives are "
                    "in Do now.)")


def without_allergic_co_trimoxazole(items: list[Action] | list[Flag]
                                    ) -> list[Action] | list[Flag]:
    """Each line that names co-trimoxazole says, in the line, that a sulfonamide allergy rules
    it out (specialist review Z6b: treatment-dose co-trimoxazole proposed after a severe
    mucosal reaction to it)."""
    return [item.model_copy(update={"text": item.text + SULFONAMIDE_NOTE})
            if "co-trimoxazole" in item.text.lower() and SULFONAMIDE_NOTE not in item.text
            and item.code != "sulfonamide_allergy_no_co_trimoxazole" else item
            for item in items]  # type: ignore[return-value]


__all__ = [
    "DECLINED_NOTE",
    "IVIG_WITHHELD_NOTE",
    "RECOMMENDS_GLUCOCORTICOID",
    "RECOMMENDS_IVIG",
    "SULFONAMIDE_NOTE",
    "without_allergic_co_trimoxazole",
    "without_declined_glucocorticoids",
    "without_withheld_ivig",
]
