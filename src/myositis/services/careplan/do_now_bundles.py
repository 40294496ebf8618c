"""Do-now lines that say one thing between them, printed as one line.

Four vaccines or four screening tests as four lines made the first screen long and repetitive,
and the urgent lines were lost among them (specialist reviews Z27-Z32). The bundles are reviewed
data (``bundles`` in ``rules.yaml``); this module only applies them. A line is bundled only with
its stock wording: one the plan reworded for this patient (a declined treatment, an allergy, a
pregnancy) says something its bundle item does not, so it stays whole.
"""

from __future__ import annotations

from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Action

URGENCY_ORDER = ("urgent", "soon", "routine")


def _stock_texts(kb: KnowledgeBase) -> dict[str, str]:
    """The unchanged text of every do-now code a bundle may hold."""
    texts: dict[str, str] = {}
    for rule in kb.rules.rules:
        texts[rule.id] = rule.text
        if rule.if_unknown is not None:
            texts[rule.id + "_not_recorded"] = rule.if_unknown.text
    return texts


def bundle_do_now(actions: list[Action], kb: KnowledgeBase) -> list[Action]:
    """The do-now list with each bundle that has two or more stock lines printed as one, at the
    place of its most pressing line and with that line's urgency."""
    stock = _stock_texts(kb)
    by_code = {a.code: a for a in actions}
    replaced: dict[str, Action] = {}
    dropped: set[str] = set()
    for bundle in kb.rules.bundles:
        items = [item for item in bundle.items if item.code in by_code
                 and by_code[item.code].text == stock.get(item.code)]
        if len(items) < 2:
            continue
        members = [by_code[item.code] for item in items]
        lead = min(members, key=lambda a: (URGENCY_ORDER.index(a.urgency), actions.index(a)))
        replaced[lead.code] = Action(
            code=bundle.id, urgency=lead.urgency,
            text=bundle.text.replace("{items}", "; ".join(item.text for item in items)),
            therapies=list(dict.fromkeys(t for a in members for t in a.therapies)),
            kb_entry=lead.kb_entry,
            citations=list(dict.fromkeys(c for a in members for c in a.citations)),
            covers=[a.code for a in members])
        dropped |= {a.code for a in members} - {lead.code}
    return [replaced.get(a.code, a) for a in actions if a.code not in dropped]
