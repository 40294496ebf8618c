"""Clean a plan's general text for this patient: agents the patient cannot have are taken out
of the lists and choices that general rule texts offer (a drug stopped for a severe reaction, the
'with a normal G6PD' choices beside a known deficiency)."""

from __future__ import annotations

import re

G6PD_NORMAL_CHOICES = (
    (" (or dapsone only with a normal G6PD)", ""),
    (", or dapsone only with a normal G6PD", ""),
    (" (dapsone only after a normal G6PD)", ""),
    (" (or dapsone if G6PD is normal and the sulfonamide reaction was mild - never after a "
     "severe skin reaction such as SJS, TEN or DRESS)", ""),
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


def brief(text: str, limit: int = 260) -> str:
    """A long reason shortened for a one-screen summary at a clause or sentence boundary, never
    mid-word, saying where the rest is (specialist reviews Z30a-d: withheld reasons cut off
    mid-word, 'revisit once the', '...; re')."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind("; "), head.rfind(". "), head.rfind(": "))
    if cut < limit // 3:
        cut = head.rfind(" ")
    head = head[:cut].rstrip(" ;,:.")
    while head.count("(") > head.count(")"):
        head = head[:head.rindex("(")].rstrip(" ;,:")
    return head + " ... (in full in the Markdown or HTML plan)"


GENERIC_OPENINGS = ("Boxed warning", "Label", "Caution", "Warning")
"""Caution openings that say where a warning comes from, not what this patient has."""


def caution_label(text: str, limit: int = 110, condition: str = "") -> str:
    """A caution's finding in plain words for a table cell ('TPMT and NUDT15 status not both
    recorded'), not its rule code ('thiopurine deficient', read as a result by specialist
    reviews Z30b and Z30d)."""
    clauses = text.split("; ")
    head = clauses[0].strip().rstrip(".")
    # a kidney figure leads its advice ('eGFR 24: mycophenolate started low ...'): the advice
    # stays with it, however the figure is named (re-score of specialist reviews Z41a P1 and
    # Z41b P1: 'started low (about 500 mg twice daily)' lost once the clearance was named)
    kidney_first = head.startswith(("eGFR ", "creatinine clearance "))
    if ":" in head and len(head.split(":", 1)[0]) >= 15 and not kidney_first:
        head = head.split(":", 1)[0]  # the finding, not the advice after it
    elif len(head) < 30 and len(clauses) > 1:
        # a bare finding ('Co-trimoxazole taken') keeps the clause that says why it matters
        # (specialist review Z32l P2 and P7: methotrexate beside co-trimoxazole read as safe)
        head = head + "; " + clauses[1].strip().rstrip(".")
    while head.count("(") > head.count(")"):
        head = head[:head.rindex("(")].strip()
    if condition and head.startswith(GENERIC_OPENINGS):
        # 'Boxed warning: increased malignancy risk' says nothing of the patient: the condition
        # that fired leads (re-score of specialist review Z30b P2: 'active malignancy' lost)
        head = condition.replace("_", " ").capitalize() + " - " + head
    if len(head) > limit:
        head = head[:head[:limit].rfind(" ")].rstrip(" ,") + " ..."
    return head
