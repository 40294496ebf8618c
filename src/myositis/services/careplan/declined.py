"""A treatment the patient has declined is not recommended anywhere in the plan.

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


__all__ = ["DECLINED_NOTE", "RECOMMENDS_GLUCOCORTICOID", "without_declined_glucocorticoids"]
