"""The skin regimen: first choice, alternatives and decision point for cutaneous disease.

Split out of ``regimens`` so each domain's approach can be read alone; the agents named come
from the plan's own options, as everywhere in the approach.
"""

from __future__ import annotations

from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import EVIDENCE_ORDER
from myositis.services.careplan.model import Option, Regimen
from myositis.services.careplan.regimen_lines import (
    FAILED,
    REFRACTORY,
    SKIN_CONVENTIONAL,
    SKIN_LAST,
    evidence_tag,
    names_of,
    pick,
    ranked,
    safest_first,
    usable,
)
from myositis.services.state import DiseaseState


def skin_regimen(state: DiseaseState, options: list[Option], complications: set[str],
                 current: frozenset[str], held: dict[str, str], kb: KnowledgeBase, *,
                 pregnant: bool, jdm: bool, provisional: bool) -> Regimen | None:
    """The skin approach for the skin's state, or None when the skin is uninvolved or in
    remission; it defers to the lung and muscle regimens while they treat active disease."""
    skin = state.of("skin")
    if skin not in ("not_involved", "remission"):
        key = "refractory_skin" if skin == "inadequate_response" else "skin_disease"
        # while the lung regimen is escalating, its agents treat the skin too: a conventional
        # agent added for the skin alone adds marrow and lung toxicity (specialist review T:
        # methotrexate beside pulses, tacrolimus and cyclophosphamide in anti-MDA5 RP-ILD)
        # the same while the muscle regimen is treating active disease (specialist review T:
        # methotrexate for the skin during checkpoint-inhibitor myositis induction)
        treating_elsewhere = any(state.of(d) in ("new_onset", "active", "flare",
                                                 "inadequate_response")
                                 for d in ("lung", "muscle"))
        skin_opts = pick(sorted([o for o in options if key in o.complications
                                  and o.therapy not in current
                                  and not (treating_elsewhere and (
                                      kb.therapies[o.therapy].category
                                      == "conventional_immunosuppressant"
                                      or o.therapy in SKIN_LAST))],
                                 # at equal evidence, the refractory order (IVIG, with a
                                 # published phase 3 trial, before newer agents)
                                 # corticotropin adds glucocorticoid exposure: last (review
                                 # B: it led while the plan asked for a steroid taper)
                                 key=lambda o: (o.therapy in SKIN_LAST,
                                                -EVIDENCE_ORDER[o.evidence_level],
                                                REFRACTORY.index(o.therapy)
                                                if o.therapy in REFRACTORY
                                                else len(REFRACTORY))))
        # corticotropin with a glucocorticoid risk of its own never leads (specialist review
        # Z10a: first choice beside hypertension and a recent thrombosis)
        skin_opts = sorted(skin_opts, key=lambda o: o.therapy in SKIN_LAST and any(
            c.severity in ("high", "absolute") for c in o.cautions))
        if key == "refractory_skin" and not treating_elsewhere:
            # skin refractory to an antimalarial alone: methotrexate (or mycophenolate) comes
            # before IVIG and the newer agents (review B: IVIG first for amyopathic DM after
            # hydroxychloroquine alone; ProDERM excluded amyopathic DM)
            conventional = [o for o in options if o.therapy in SKIN_CONVENTIONAL
                            and o.therapy not in current and o.therapy not in held]
            if conventional and all(o.previously is None for o in conventional):
                first_agent = sorted(conventional,
                                     key=lambda o: SKIN_CONVENTIONAL.index(o.therapy))[0]
                skin_opts = [first_agent,
                             *[o for o in skin_opts if o.therapy != first_agent.therapy]]
        # a conventional agent taken now is the muscle regimen's to continue: with the skin
        # still active on it, it is not 'continued' as the skin treatment (re-score of review
        # S: methotrexate for 18 months, skin worse, offered again as the skin's first choice)
        continuing_opts = [o for o in options if key in o.complications
                           and o.therapy in current and o.therapy not in held
                           and not (skin == "inadequate_response"
                                    and o.previously in FAILED)
                           and kb.therapies[o.therapy].category
                           != "conventional_immunosuppressant"][:1]
        continuing = [f"Continue {o.name}" for o in continuing_opts]
        # one new agent at a time for refractory skin; first-line skin care pairs two
        new_count = max(0, (1 if skin == "inadequate_response" else 2) - len(continuing))
        skin_basis = next(d.basis for d in state.domains if d.domain == "skin")
        if skin == "active" and any("failed" in b or "not tolerated" in b for b in skin_basis):
            new_count = 2  # the agent taken now has not worked: add, do not only continue
            # and it is not 'continued' as if it worked (specialist review X)
            failed_text = " ".join(skin_basis).lower()
            continuing = [c.replace("Continue ", "Review ", 1)
                          + " (no response: stop it, or keep it only beside the next agent)"
                          if o.therapy.replace("_", " ") in failed_text
                          or o.name.lower() in failed_text else c
                          for c, o in zip(continuing, continuing_opts, strict=True)]
        ulcers = ["systemic treatment for ulcerating (vasculopathic) skin disease, as in the "
                  "muscle or lung regimen, with wound care"] if "skin_ulceration" in \
            complications else []
        if ulcers and state.of("muscle") in ("not_involved", "remission") \
                and state.of("lung") == "not_involved":
            # no muscle or lung regimen to point to (specialist review W: anti-MDA5 skin
            # ulcers given hydroxychloroquine alone): name the systemic agents here, from the
            # options this patient may have (breastfeeding and pregnancy already applied)
            lung_doubt = bool({"ild", "lung_unassessed", "anti_mda5"} & complications)
            systemic = names_of(ranked([
                o for o in usable(options) if o.therapy not in held
                and not (lung_doubt and o.therapy == "methotrexate")
                and kb.therapies[o.therapy].category in ("conventional_immunosuppressant",
                                                         "immunoglobulin")], False)[:3])
            if not systemic:
                # none offered in this state (amyopathic anti-MDA5 without ILD): name the
                # usual agents from the knowledge base (review C: no drug named at all);
                # tacrolimus alone in pregnancy (mycophenolate is a teratogen)
                candidates = (["tacrolimus"] if pregnant else
                              ["mycophenolate", "tacrolimus"] if lung_doubt
                              else ["methotrexate", "mycophenolate"])
                systemic = [kb.therapies[t].name for t in candidates
                            if t in kb.therapies and t not in held]
            ulcers = [("HRCT and lung function first (chest symptoms, and ulcers with them "
                       "suggest anti-MDA5 disease), then " if "lung_unassessed" in complications
                       else "") + "systemic treatment for ulcerating (vasculopathic) skin "
                      "disease: prednisolone 0.5-1 mg/kg/day with a steroid-sparing agent"
                      + (f" ({' or '.join(systemic)})" if systemic else "")
                      + ", PJP prophylaxis at that dose, and wound care"]
        if skin == "stable":
            # inactive skin: keep what is taken (antimalarial, topical), add nothing
            continuing = [f"Continue {kb.therapies[t].name}" for t in sorted(current)
                          if t in kb.therapies and t not in held
                          and kb.therapies[t].category in ("antimalarial", "topical")]
            new_count = 0
        if skin == "inadequate_response" and treating_elsewhere \
                and state.of("muscle") in ("inadequate_response", "flare"):
            # the muscle is escalating: its new systemic agent treats the skin too, and no
            # skin-only systemic agent is added beside it (review B: corticotropin, then an
            # investigational agent, led the skin while rituximab was started for muscle)
            continuing = ["the new systemic agent of the muscle regimen treats the skin too: "
                          "reassess the skin after it", *continuing]
            new_count = 0
        if ulcers:
            # the ulcer line names the systemic agent: no second systemic one beside it
            # (specialist review R: methotrexate added to prednisolone with mycophenolate or
            # tacrolimus in anti-MDA5 disease with a raised ALT)
            skin_opts = [o for o in skin_opts if kb.therapies[o.therapy].category not in (
                "conventional_immunosuppressant", "immunoglobulin", "jak_inhibitor", "biologic")]
        if "anti_mda5" in complications:
            # anti-MDA5: the lung sets the systemic agents; methotrexate (pneumonitis,
            # hepatotoxicity) is not added for the skin
            skin_opts = [o for o in skin_opts if o.therapy != "methotrexate"]
        first_skin = ulcers + continuing + names_of(skin_opts[:new_count])
        unscored = skin == "active" and any(b.startswith("not scored") for b in skin_basis)
        if unscored and not ulcers:
            # no skin sign and no score on record: examine and score before a skin drug
            # (review of a five-year remission: hydroxychloroquine started for an unscored skin)
            new_names = names_of(skin_opts[:new_count])
            topical_now = next((o for o in options if o.therapy == "topical_corticosteroids"
                                and o.therapy not in current and o.therapy not in held), None)
            if topical_now is not None and topical_now.name not in new_names:
                new_names.append(f"{topical_now.name} (adjunct)")
            first_skin = [*continuing, "Examine the skin and score it (CDASI activity) before "
                          "adding a skin agent" + (f"; if active: {' + '.join(new_names)}"
                                                    if new_names else "")]
            return Regimen(domain="skin", state="not scored", first_choice=first_skin,
                           alternatives=[], decision_point="Skin activity (CDASI) at each "
                           "visit, recorded so the plan can follow it.",
                           provisional=provisional)
        if skin == "stable" and not first_skin:
            first_skin = ["no skin-directed treatment needed while the skin is inactive"]
        topical = next((o for o in options if o.therapy == "topical_corticosteroids"
                        and o.therapy not in current and o.therapy not in held), None)
        # a topical steroid impairs the healing of open ulcers (specialist review N)
        if topical is not None and skin in ("new_onset", "active", "flare") and not ulcers \
                and topical.name not in first_skin:
            first_skin.append(f"{topical.name} (adjunct)")  # first-line local therapy
        if skin == "inadequate_response" and not ulcers and not any(
                t in kb.therapies and kb.therapies[t].category == "topical" for t in current):
            # refractory skin keeps a topical adjunct beside the systemic step (re-scores of
            # specialist review Z27: topical tacrolimus dropped once IVIG joined the JDM
            # refractory-skin options)
            # the one without a high caution first: in pregnancy the topical steroid, not the
            # calcineurin inhibitor with limited data (re-score of specialist review Z38a P3)
            local = next(iter(safest_first([
                o for o in options if o.therapy in ("topical_calcineurin_inhibitors",
                                                    "topical_corticosteroids")
                and o.therapy not in held])), None)
            if local is not None and not any(local.name in e for e in first_skin):
                first_skin.append(f"{local.name} (adjunct)")
                topical = local
        return Regimen(domain="skin", state=skin,
                           first_choice=first_skin,
                           # the evidence travels with a weak alternative (review E:
                           # dazukibart and naltrexone listed like licensed agents)
                           alternatives=list(dict.fromkeys(
                               evidence_tag(o) for o in skin_opts[new_count:new_count + 5]
                               if not (topical and o.name == topical.name))),
                           decision_point=("Skin activity (CAT or DAS skin score in JDM) at each "
                                           "visit" if jdm else "Skin activity (CDASI) at each "
                                           "visit") + "; active skin despite two systemic "
                                                      "agents: refractory-skin options.",
                           provisional=provisional)
    return None
