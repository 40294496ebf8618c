"""Clean a plan's general text for this patient: agents the patient cannot have are taken out
of the lists and choices that general rule texts offer (a drug stopped for a severe reaction, the
'with a normal G6PD' choices beside a known deficiency)."""

from __future__ import annotations

import re

G6PD_NORMAL_CHOICES = (
    (" (or dapsone only with a normal G6PD)", ""),
    (", or dapsone only with a normal G6PD", ""),
    (" (dapsone only after a normal G6PD)", ""),
    (" (or dapsone if G6PD is normal, watching for cross-reaction)", ""),
    (" - or dapsone with a normal G6PD - ", " "),
    ("primaquine with clindamycin after a normal G6PD, or IV pentamidine",
     "IV pentamidine (G6PD deficient: no primaquine)"),
    ("primaquine and clindamycin after a normal G6PD (and a pregnancy test where pregnancy is "
     "possible: primaquine is avoided in pregnancy), or IV pentamidine",
     "IV pentamidine (G6PD deficient: no primaquine)"),
    ("primaquine and clindamycin after a normal G6PD",
     "IV pentamidine (G6PD deficient: no primaquine)"),
)
"""The choices a line offers 'with a normal G6PD', and what they become with a known deficiency."""


def without_g6pd_choices(text: str) -> str:
    for old, new in G6PD_NORMAL_CHOICES:
        text = text.replace(old, new)
    return text


CLAUSE_OPENINGS = ("unless ", "if ", "when ", "while ", "but ", "except ", "as ")
"""How a bracketed part that is a clause, not another agent of a list, continues."""
LISTED = re.compile(r"\(([^()]*, [^()]*)\)")


def without_listed(text: str, words: tuple[str, ...]) -> str:
    """``text`` with the items that begin with one of ``words`` taken out of its bracketed
    lists ('(azathioprine, tacrolimus)' becomes '(tacrolimus)'); a list that would be left
    empty is kept as it was."""
    def drop(match: re.Match[str]) -> str:
        items = match.group(1).split(", ")
        if any(len(i) > 40 or i.startswith(CLAUSE_OPENINGS) for i in items):
            # a clause in brackets, not a list of agents (re-score of specialist review
            # Z28d P8: '(IVIG at the immunomodulatory dose also treats myositis, unless ...)')
            return match.group(0)
        kept = [i for i in items if not i.strip().lower().startswith(words)]
        return f"({', '.join(kept)})" if kept and len(kept) < len(items) else match.group(0)
    return LISTED.sub(drop, text) if words else text
