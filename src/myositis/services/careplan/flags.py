"""Phenotype and risk flags with urgency, each traced to knowledge-base entries and sources."""

from __future__ import annotations

import datetime as dt

from myositis.domain.antibodies import DISPLAY_NAMES, MYOSITIS_SPECIFIC, Antibody
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.kidney_function import read_egfr
from myositis.services.careplan.lab_trends import ck_x_uln, ferritin_rise
from myositis.services.careplan.model import Flag
from myositis.services.careplan.phenotype import dysphagia, ild, rp_ild
from myositis.services.careplan.record_readers import (
    confirmed_positive,
    end_of_life,
    weak_blot_antibodies,
)
from myositis.services.careplan.screening import present_factors, vasculopathic_ulcer
from myositis.services.course import course
from myositis.services.muscle_activity import (
    measures,
    muscle_quiet,
    muscle_strong_enzymes_near_normal,
)
from myositis.services.muscle_trend import (
    globals_and_function_only,
    globals_only,
    lung_disease_recorded,
    muscle_worse,
    steroid_myopathy_possible,
    strength_fell,
)

ASSOC = "Antibody association: "
ESTABLISHED_MONTHS = 24
CANCER_WINDOW_MONTHS = 36
"""IMACS 2023 screens for 3 years after onset; after that, national screening."""
# antibody risk code -> (flag code, urgency when the antibody alone is present, label)
RISK_FLAGS: dict[str, tuple[str, str, str]] = {
    "rp_ild": ("rp_ild_risk", "soon", ASSOC + "risk of rapidly progressive ILD"),
    "ild": ("ild_risk", "soon", ASSOC + "risk of interstitial lung disease"),
    "cancer": ("cancer_risk", "soon", ASSOC + "increased cancer risk"),
    "calcinosis": ("calcinosis_risk", "routine", ASSOC + "risk of calcinosis"),
    "skin_ulceration": ("skin_ulceration_risk", "routine",
                        ASSOC + "risk of skin ulceration"),
    "severe_muscle": ("severe_muscle_disease", "soon",
                      ASSOC + "risk of severe muscle disease"),
    "refractory_muscle": ("refractory_muscle_disease", "routine",
                          ASSOC + "often refractory myopathy"),
    "cardiac": ("cardiac_involvement_risk", "soon",
                ASSOC + "risk of cardiac involvement"),
    "dysphagia": ("dysphagia_risk", "routine", ASSOC + "risk of dysphagia"),
}


NECROTISING_CK_X_ULN = 10.0
"""A CK this many times the ULN is in the necrotising range (a project threshold; ENMC 224
describes IMNM CK as usually markedly raised)."""


def _antibody_flags(profile: PatientRecord, kb: KnowledgeBase,
                    muscle_involved: bool = True) -> list[Flag]:
    flags: dict[str, Flag] = {}
    weak = [DISPLAY_NAMES[a] for a in weak_blot_antibodies(profile, associated=True)]
    if weak:
        flags["weak_blot_only"] = Flag(
            code="weak_blot_only", urgency="soon",
            text=f"{', '.join(weak)} rests on a weak line-blot band only: confirm it by a second "
                 "method (immunoprecipitation or ELISA) before it defines the diagnosis or the "
                 "treatment - weak bands are often false positives"
                 # the statin clause only where a statin is recorded (review N: printed for a
                 # patient with CK 1.5 x ULN and no statin)
                 + ((", and a necrotising-range CK with a statin points to anti-HMGCR (test it)."
                     if (ck_x_uln(profile) or 0) >= NECROTISING_CK_X_ULN
                     # a CK twice the ULN is not necrotising (specialist review Z7c)
                     else ", and with a statin taken, test anti-HMGCR too.")
                    if (profile.statin_exposure or "statin" in profile.other_medicines)
                    and profile.all_antibodies().result(Antibody.HMGCR).status == "not_tested"
                    else "."),
            basis=["antibody_tests"], citations=["to2020_line_blot_iim"])
    positive = profile.all_antibodies().positive()
    weak_only = set(weak_blot_antibodies(profile))
    for antibody in sorted(profile.all_antibodies().positive(), key=lambda a: a.value):
        entry = kb.autoantibodies.get(antibody.value)
        if entry is None or antibody in weak_only:
            # a lone weak band is confirmed before its risks drive tests (specialist review
            # Z7c: HRCT 'soon' and lung function every 3 months on an unconfirmed anti-PL-12)
            continue
        if antibody not in MYOSITIS_SPECIFIC and not confirmed_positive(profile) \
                & MYOSITIS_SPECIFIC and profile.all_antibodies().result(antibody).level == "weak":
            # a weak myositis-associated band (anti-Ro52) with no confirmed specific antibody
            # carries no risk flag of its own (specialist review Z10c: an ILD warning for a weak
            # Ro52 beside a normal HRCT in a patient without myositis)
            continue
        for risk in entry.risks:
            if risk.level == "reduced" or risk.code not in RISK_FLAGS:
                continue
            if risk.only_with and not {a.value for a in positive} & set(risk.only_with):
                continue
            if risk.code in ("severe_muscle", "refractory_muscle") and not muscle_involved:
                continue
            if risk.code == "cancer" and profile.classification.age_at_onset < 18:
                continue  # cancer associations and screening concern adult-onset disease
            code, urgency, label = RISK_FLAGS[risk.code]
            if profile.months_since_onset >= ESTABLISHED_MONTHS and risk.code in (
                    "severe_muscle", "refractory_muscle", "dysphagia", "calcinosis",
                    "skin_ulceration"):
                # years into the disease the association is known, not news (specialist
                # review Z10a: 'risk of severe muscle disease' as a 'soon' item 15 years on)
                urgency = "routine"
            if risk.code == "cancer" and profile.months_since_onset >= CANCER_WINDOW_MONTHS:
                # past the IMACS window the association is known and screening is national
                # (specialist review Z17a: 'soon' cancer flags 4 and 12 years after onset)
                urgency = "routine"
                label = ASSOC + ("increased cancer risk (past the 3-year screening window: "
                                 "national screening, and prompt investigation of new "
                                 "symptoms or a relapse)")
            flag = flags.setdefault(code, Flag(code=code, urgency=urgency,
                                               text=label))
            flag.text += f"; {DISPLAY_NAMES[antibody]}: {risk.text}"
            flag.basis.append(entry.id)
            flag.citations.extend(k for k in risk.sources if k not in flag.citations)
    return list(flags.values())


def _mda5_markers(profile: PatientRecord) -> list[str]:
    """Recorded values that carry prognosis in anti-MDA5 disease (thresholds from FLAIR)."""
    out = []
    ferritin = profile.labs.ferritin_ng_ml
    latest = profile.latest_lab("ferritin")
    if latest is not None:
        ferritin = latest.value
    if ferritin is not None:
        out.append(f"ferritin {ferritin:g} ng/mL" + (" (high: 636 or more scores in FLAIR)"
                                                      if ferritin >= 636 else ""))
    lymphocytes = profile.latest_lab("lymphocytes")
    if lymphocytes is not None:
        out.append(f"lymphocytes {lymphocytes.value:g} x10^9/L")
    kl6 = profile.latest_lab("kl6")
    if kl6 is not None or profile.labs.kl6_u_ml is not None:
        out.append(f"KL-6 {kl6.value if kl6 else profile.labs.kl6_u_ml:g} U/mL")
    return out


LUNG_STABLE_DAYS = 183


FERRITIN_DOUBLING = 2.0


def lung_stable_recently(record: PatientRecord) -> bool:
    """ILD recorded as stable on a lung assessment of the last 6 months: the "suspected RP-ILD"
    alarm then clears (it stays while the course is unknown, progressive or the record old)."""
    lung = record.lung
    if lung is None or lung.course != "stable" or lung.date is None \
            or (record.on() - lung.date).days > LUNG_STABLE_DAYS:
        return False
    # the clinician's current suspicion of RP-ILD, or a ferritin doubling dated after the
    # assessment, is never cleared by an earlier 'stable' entry (specialist review F)
    rise = ferritin_rise(record)
    newer_warning = rise is not None and rise[0] >= FERRITIN_DOUBLING and rise[1] > lung.date
    return not record.systemic.rapidly_progressive_ild_suspected and not newer_warning


def treated_before(record: PatientRecord, kb: KnowledgeBase, when: dt.date) -> bool:
    """Any immunosuppressive treatment started before ``when`` (or a glucocorticoid dose at a
    visit before it): the IMACS worsening definition is about disease on treatment."""
    immunosuppressive = set(kb.group_members("immunosuppressive")) | set(
        kb.group_members("immunoglobulin_group"))  # IVIG treats the disease too
    # an antimalarial (or an FcRn or complement blocker) treats the disease as well: skin worse
    # on hydroxychloroquine is refractory, not untreated (specialist review U)
    immunosuppressive |= {t.id for t in kb.therapies.values() if t.category in (
        "antimalarial", "fcrn_blocker", "complement_inhibitor")}
    return any(t.therapy in immunosuppressive and (t.start is None or t.start < when)
               for t in record.treatments) or any(
        (v.glucocorticoid_mg_per_day or 0) > 0 for v in record.visits if v.date < when)


def _course_flags(record: PatientRecord, phenotype_list: list[str],
                  kb: KnowledgeBase) -> list[Flag]:
    """Flare (IMACS 2005 worsening) or worsening signals at the latest visit vs the previous;
    worsening before any treatment is progression of untreated disease, not a flare."""
    change = course(record)
    if change.previous is None:
        return []
    compared = f"{change.latest} vs {change.previous}"
    # weaker (strength down by more than 2 points) before any treatment is urgent even without
    # the full IMACS definition (specialist review T: MMT-8 58 to 52, CK rising, dysphagia)
    weaker = strength_fell(record.visits[-2], record.visits[-1])
    if (change.flare or change.signals or weaker) and change.latest is not None \
            and not treated_before(record, kb, change.latest) and "ibm" not in phenotype_list:
        # IBM progresses and is not treated with immunosuppression: no "start treatment" (H108)
        reasons = change.worsening.reasons if change.flare and change.worsening \
            else (change.signals or weaker)
        return [Flag(code="worse_before_treatment",
                     urgency="urgent" if change.flare or weaker else "soon",
                     text=f"Worse than at the previous visit before any treatment ({compared}: "
                          + "; ".join(reasons) + "): progression of untreated disease; "
                          + ("start treatment without delay." if phenotype_list else
                             # unclassified: no treatment is offered yet (re-score of specialist
                             # review O: 'start treatment' beside 'diagnostic work-up first')
                             "finish the diagnostic work-up within days (biopsy, antibodies, "
                             "mimics) and mark in the record that treatment cannot wait if it "
                             "must start before the diagnosis is settled."),
                     basis=["visit_comparison"], citations=["oddis2005_imacs_trials"])]
    if change.flare and "ibm" not in phenotype_list:
        assert change.worsening is not None
        latest = record.with_visit_enzymes().visits[-1]
        muscle_evidence = muscle_worse(change.worsening, measures(latest))
        extramuscular_only = all(r.startswith("B:") for r in change.worsening.reasons)
        # quiet or nearly so (MMT-8 95 % or more, CK at most 1.5 x ULN; review T: a joint
        # flare at MMT-8 78/80 and CK 1.2 x ULN read as a muscle flare)
        # strength down by more than 2 points is the muscle worse, whatever else moved (review
        # U: MMT-8 112 to 104 with CK rising read as 'muscle not worse')
        quiet = extramuscular_only or globals_only(change.worsening) \
            or (lung_disease_recorded(record) and globals_and_function_only(change.worsening)) \
            or muscle_quiet(latest, record) or muscle_strong_enzymes_near_normal(latest, record)
        if not muscle_evidence and not weaker and quiet:
            # the extramuscular score alone, or full strength and normal CK: the globals (or a
            # liver-derived ALT) are worse, not the muscle; raising glucocorticoids is not the
            # answer by itself (review S: a renal crisis read as a flare to treat)
            return [Flag(code="worse_muscle_quiet", urgency="soon",
                         text=f"Worse against the previous visit by the IMACS 2005 definition "
                              f"({compared}: " + "; ".join(change.worsening.reasons)
                              + "), from the global or extramuscular scores with the muscle "
                              "not worse: find the organ that is worse (skin, lung, joints, "
                              "heart, kidney; a raised transaminase with a normal CK is the "
                              "liver) and treat that; not by itself a reason to raise "
                              "glucocorticoids.",
                         basis=["visit_comparison"], citations=["oddis2005_imacs_trials"])]
        with_enzymes = record.with_visit_enzymes().visits
        steroid = steroid_myopathy_possible(record, with_enzymes[-2], with_enzymes[-1])
        if steroid:
            return [Flag(code="weaker_normal_enzymes_on_glucocorticoids", urgency="soon",
                         text=f"Worse against the previous visit ({compared}: "
                              + "; ".join([*change.worsening.reasons, *weaker])
                              + f"), {steroid}; examine for hip-flexor weakness and other "
                              "glucocorticoid harm (glucose, fractures, Cushingoid features), "
                              "and keep the taper going while the MRI is quiet.",
                         basis=["visit_comparison"], citations=["oldroyd2022_bsr"])]
        return [Flag(code="flare", urgency="urgent",
                     text=f"Flare: the latest visit meets the IMACS 2005 definition of "
                          f"worsening against the previous visit ({compared}: "
                          + "; ".join([*change.worsening.reasons, *weaker])
                          + "). Review treatment.",
                     basis=["visit_comparison"], citations=["oddis2005_imacs_trials"])]
    if change.signals:
        return [Flag(code="worse_since_last_visit", urgency="soon",
                     text=f"Worse since the last visit ({compared}): "
                          + "; ".join(change.signals) + ". Assess for a flare or progression.",
                     basis=["visit_comparison"], citations=["oddis2005_imacs_trials"])]
    return []


RP_ILD_RESCUE = (" Involve intensive care early, a lung-transplant centre where realistic, palliative "
                 "care alongside; if respiratory failure progresses anyway: plasma exchange, "
                 "polymyxin-B haemoperfusion or veno-venous ECMO as a bridge to transplant (case "
                 "series; very low evidence); goals of care agreed early.")


RP_ILD_RESCUE_KIDNEY = (" Involve intensive care early, palliative care alongside: if "
                        "respiratory failure progresses despite combined treatment, rescue options "
                        "reported are plasma exchange, polymyxin-B haemoperfusion and veno-venous "
                        "ECMO (case series; very low evidence); a lung transplant needs kidney "
                        "function this patient does not have now (reassessed if a kidney injury "
                        "recovers); agree the goals of care with the patient and family.")


RP_ILD_WITHIN_CEILING = (" Agree the ceiling of treatment now with the patient (or, without "
                         "capacity, the attorney or family in the patient's best interests): "
                         "within it, rescue on the ward (plasma exchange where available, "
                         "oxygen), and palliative care for breathlessness alongside from the start.")
# plasma exchange is an anti-MDA5 rescue; in other ILD it removes the antibodies a patient with
# an infection or a low IgG needs (specialist review Z20d P7: anti-OJ, IgG 3.9, a chest infection)
RP_ILD_WITHIN_CEILING_OTHER = RP_ILD_WITHIN_CEILING.replace(
    "rescue on the ward (plasma exchange where available, oxygen)",
    "oxygen and the treatment the ceiling allows")


GRAFT_WORSENING = ("A transplanted lung worsening fast: the lung-transplant centre today - "
                   "infection (CMV, Pneumocystis, bacterial, fungal), acute rejection and drug "
                   "toxicity are the causes to exclude, with bronchoscopy, lavage and biopsy as "
                   "the centre decides; the anti-rejection drugs are changed only with that team, "
                   "and myositis lung disease in the graft is not assumed.")


def intensive_care_realistic(profile: PatientRecord) -> bool:
    """Intensive care and ECMO may be realistic and wanted whatever the kidney does: under 70,
    not frail, no ceiling set below full care, not at the end of life (specialist review Z41b
    P7: a fit woman of 45 with full care agreed, told 'agree the ceiling ... rescue on the ward'
    because an acute kidney injury ruled out a lung transplant)."""
    goals = profile.care_goals
    short = goals.prognosis in ("weeks_to_months", "days_to_weeks") \
        and goals.treatment_ceiling != "full"
    return (profile.age_years() < 70
            and (goals.frailty_scale is None or goals.frailty_scale < 5)
            and goals.treatment_ceiling in (None, "full")
            and not short)


def transplant_realistic(profile: PatientRecord) -> bool:
    """Intensive care, ECMO and transplantation are named only where they may be realistic and
    wanted: under 70, not frail, no ceiling set below full care, not at the end of life
    (specialist review V: ECMO as a bridge to transplant for a frail 78-year-old who had refused
    ventilation). The age of 70 is a project threshold."""
    goals = profile.care_goals
    # full treatment agreed keeps them whatever the prognosis reads (specialist review Z8b:
    # a 29-year-old never-smoker with anti-MDA5 RP-ILD lost intensive care and transplant)
    short = goals.prognosis in ("weeks_to_months", "days_to_weeks") \
        and goals.treatment_ceiling != "full"
    # kidney failure rules out a lung alone (ISHLT 2021: GFR below 40 unless multi-organ;
    # specialist review Z13d P2, a referral for a man on haemodialysis)
    egfr = read_egfr(profile)
    return (profile.age_years() < 70
            and profile.comorbidities.dialysis is not True and (egfr is None or egfr >= 40)
            and (goals.frailty_scale is None or goals.frailty_scale < 5)
            and goals.treatment_ceiling in (None, "full")
            # an active cancer rules out listing (specialist review Z71a P7: a transplant-centre
            # referral beside a newly found lung adenocarcinoma)
            and profile.cancer.internal_active_cancer() is not True
            and not short)


def flags(profile: PatientRecord, kb: KnowledgeBase, phenotype_list: list[str],
          muscle_involved: bool = True) -> list[Flag]:
    out = _antibody_flags(profile, kb, muscle_involved)
    out.extend(_course_flags(profile, phenotype_list, kb))
    s = profile.systemic
    positive = profile.all_antibodies().positive()
    mda5 = kb.autoantibodies["mda5"]
    if Antibody.MDA5 in positive and not lung_stable_recently(profile) and (
            rp_ild(profile) or ild(profile) or s.dyspnoea_or_cough):
        out.insert(0, Flag(
            code="suspected_rp_ild", urgency="urgent",
            # a hospital without myositis and ILD expertise discusses the patient today and
            # transfers (specialist review Z52c P1: a district hospital left to start tacrolimus
            # and cyclophosphamide alone)
            # near the end of life, with a ceiling short of full treatment agreed: no transfer or
            # escalation beyond it (specialist review Z73b P2, dangerous: 'admit ... and
            # transfer' for a dying inpatient on high-flow oxygen with a no-ICU ceiling)
            text="Anti-MDA5 lung disease near the end of life (the prognosis and ceiling of "
                 "treatment recorded): no transfer or escalation beyond the agreed ceiling - "
                 "relief of breathlessness (an opioid, oxygen for comfort, positioning) and "
                 "anxiety, with the palliative care team; the myositis centre by telephone for "
                 "any treatment within the ceiling; the family told today."
            if end_of_life(profile) is True else
            "Anti-MDA5 with lung involvement: suspected rapidly progressive ILD - admit "
                 "and treat urgently under a centre with myositis and ILD expertise (none on "
                 "site: discuss today and transfer, with "
                 + ("glucocorticoid pulses decided with the infection team meanwhile)"
                    if profile.comorbidities.active_infection is True
                    or profile.comorbidities.sepsis is True else
                    "IV methylprednisolone meanwhile, after cultures)")
                 + "; HRCT, lung function, oxygen saturation, infection excluded.",
            basis=["mda5", "rp_ild_urgent_combination"],
            citations=sorted({k for r in mda5.risks if r.code == "rp_ild" for k in r.sources}
                             | {"tsuji2020_mda5_triple"}),
        ))
    elif rp_ild(profile) and not lung_stable_recently(profile):
        out.insert(0, Flag(code="suspected_rp_ild", urgency="urgent",
                           text="Suspected rapidly progressive ILD: urgent assessment.",
                           basis=["ild_screening"],
                           citations=["johnson2024_acrchest_ild_screening"]))
    if rp_ild(profile) and not lung_stable_recently(profile) and out \
            and out[0].code == "suspected_rp_ild" \
            and "lung" in profile.comorbidities.transplanted_organs:
        # a transplanted lung worsening fast is the transplant centre's emergency, not native
        # myositis ILD (specialist review Z41d P8: plasma exchange and ECMO 'as a bridge to
        # transplantation' for a lung-transplant recipient with CMV viraemia)
        out[0] = out[0].model_copy(update={"text": GRAFT_WORSENING})
    elif rp_ild(profile) and not lung_stable_recently(profile) and out \
            and out[0].code == "suspected_rp_ild":
        # rescue has to be prepared before it is needed: a patient not listed for a transplant
        # when respiratory failure comes is bridged to nothing (specialist review X)
        out[0] = out[0].model_copy(update={
            "text": out[0].text + (RP_ILD_RESCUE if transplant_realistic(profile)
                                   else RP_ILD_RESCUE_KIDNEY
                                   if intensive_care_realistic(profile)
                                   else RP_ILD_WITHIN_CEILING if Antibody.MDA5 in positive
                                   else RP_ILD_WITHIN_CEILING_OTHER),
            "basis": [*out[0].basis, "rp_ild_rescue"],
            "citations": sorted(set(out[0].citations) | {"romerobueno2020_mda5_rpild",
                                                          "selva2021_mda5_rpild_review"})})
    if Antibody.MDA5 in positive:
        markers = _mda5_markers(profile)
        if markers:
            out.append(Flag(code="mda5_prognosis", urgency="soon",
                            text="Anti-MDA5 prognostic markers: " + "; ".join(markers)
                                 + " (FLAIR score: `myositis score flair`).",
                            basis=["mda5_biomarkers"],
                            citations=["lian2020_flair", "hkmr2022_mda5_flaw"]))
    confirmed = confirmed_positive(profile)
    if (Antibody.MDA5 in confirmed or confirmed & {Antibody.JO1, Antibody.PL7, Antibody.PL12}) \
            and not ild(profile):
        # the interval agrees with the monitoring table (review C: 3-6 months here, 4-6 weeks
        # there, for anti-MDA5 in its first 6 months)
        early_mda5 = Antibody.MDA5 in positive and profile.months_since_onset < 6
        out.append(Flag(code="ild_surveillance", urgency="soon",
                        text="No ILD recorded in a high-risk antibody profile: lung function "
                             + ("every 4-6 weeks in the first 6 months of anti-MDA5 disease"
                                if early_mda5 else "every 3 months in the first year")
                             + " and HRCT on any decline or new symptoms.",
                        basis=["ild_monitoring"], citations=["johnson2024_acrchest_ild_screening"]))
    if ild(profile):
        out.append(Flag(code="ild", urgency="soon", text="Interstitial lung disease present.",
                        basis=["ild_monitoring"], citations=["johnson2024_acrchest_ild_screening"]))
    severe_srp = Antibody.SRP in positive and (
        profile.organs.dysphagia in ("moderate", "severe")
        or profile.organs.respiratory_muscle_weakness is True)
    if severe_srp:
        # an infection or a limited ceiling changes the escalation (specialist review Z45c P7:
        # 'IV glucocorticoids with early rituximab' first for a septic 90-year-old with a
        # ward-based ceiling)
        infected = profile.comorbidities.active_infection is True \
            or profile.comorbidities.sepsis is True
        limited = profile.care_goals.treatment_ceiling in ("ward_based", "no_icu") \
            or profile.care_goals.severely_frail()
        escalation = ("escalation within the goals of care agreed - IVIG first (it adds no "
                      "immunosuppression), glucocorticoid pulses or rituximab only if they fit "
                      "those goals" + (" and once the infection is controlled" if infected
                                       else "")
                      if limited else
                      "escalation alongside the infection treatment - IVIG first (it adds no "
                      "immunosuppression), IV glucocorticoids as the infection team agrees, "
                      "rituximab once the infection is controlled" if infected else
                      # pregnancy: IVIG is the compatible add-on, rituximab depletes the
                      # newborn's B cells (specialist review Z72a P3: 'early rituximab' as an
                      # urgent line at 24 weeks beside the plan's own pregnancy lines)
                      "early escalation compatible with pregnancy - IV glucocorticoids with "
                      "IVIG; rituximab only if they fail and the disease threatens life (it "
                      "depletes the newborn's B cells), with the obstetric team"
                      if profile.is_pregnant() else
                      "early escalation - IV glucocorticoids with early rituximab or IVIG")
        # IVIG after a severe reaction to it, or declined, is never 'first' (specialist review
        # Z56d P8: 'IVIG first' after aseptic meningitis on it, beside the withheld list's 'a
        # re-challenge after a severe reaction is contraindicated')
        reacted = any(t.therapy in ("ivig", "scig") and t.reaction_severity == "severe"
                      for t in profile.treatments)
        declined = "blood_products" in profile.preferences.declines
        if reacted or declined:
            escalation = (escalation.replace(
                "IVIG first (it adds no immunosuppression), ", "").replace(
                "with early rituximab or IVIG", "with early rituximab")
                + " (no IVIG: " + ("a severe reaction to it before" if reacted
                                   else "blood products declined") + " - see the withheld list)")
        out.insert(0, Flag(code="severe_anti_srp", urgency="urgent",
                           text="Severe anti-SRP myopathy with dysphagia or respiratory-muscle "
                                f"weakness: urgent assessment and {escalation}; swallowing and "
                                "respiratory support.",
                           basis=["srp", "rituximab"],
                           citations=["allenbach2018_enmc_imnm", "imnm_review_pmc6019613"]))
    if dysphagia(profile):
        out.append(Flag(code="dysphagia", urgency="soon",
                        text="Dysphagia: aspiration risk; formal swallowing assessment.",
                        basis=["workup_swallowing"], citations=["oldroyd2022_bsr"]))
    if Antibody.HMGCR in positive and profile.statin_exposure:
        out.append(Flag(code="statin_associated_imnm", urgency="soon",
                        text="Anti-HMGCR with statin exposure: statin-associated IMNM; the statin "
                             "should be stopped and not restarted.",
                        basis=["hmgcr", "ivig"],
                        citations=["allenbach2018_enmc_imnm", "mammen2015_ivig_statin"]))
    if "ibm" in phenotype_list:
        out.append(Flag(code="ibm_immunosuppression_ineffective", urgency="routine",
                        text="Inclusion body myositis: immunosuppressive treatment has not been "
                             "shown to be effective; focus on exercise, swallowing and trials.",
                        basis=["immunosuppression_in_ibm"],
                        citations=list(kb.therapies["immunosuppression_in_ibm"].uses[0].sources)))
    if profile.skin.cutaneous_ulceration and "jdm" in phenotype_list:
        out.append(Flag(code="cutaneous_ulceration", urgency="soon",
                        text="Cutaneous ulceration in JDM: a marker of severe, vasculopathic "
                             "disease (escalate with an expert centre); check ulcers for "
                             "infection and give wound care.",
                        basis=["cancer_screening"], citations=["bellutti_enders2017_share_jdm"]))
    elif profile.skin.cutaneous_ulceration and vasculopathic_ulcer(profile):
        out.append(Flag(code="cutaneous_ulceration", urgency="soon",
                        text="Cutaneous ulceration with anti-MDA5 or scleroderma-overlap "
                             "features: vasculopathic (digital) ulcers, not counted as the "
                             "IMACS 'cutaneous necrosis' cancer factor; wound care, check for "
                             "infection, and treat the vasculopathy (Raynaud's measures, "
                             "vasodilator) with the systemic regimen.",
                        basis=["cancer_screening"],
                        citations=["oldroyd2023_imacs_cancer"]))
    elif profile.skin.cutaneous_ulceration \
            and "cutaneous_necrosis" not in present_factors(profile, phenotype_list):
        # the same test as the cancer screen (review B: the flag said 'counted' while the
        # screen did not count a digital ulcer in antisynthetase syndrome)
        out.append(Flag(code="cutaneous_ulceration", urgency="soon",
                        text="Cutaneous ulceration (a digital ulcer, or an ulcer over "
                             "calcinosis): not counted as the IMACS 'cutaneous necrosis' cancer "
                             "factor; wound care and a check for infection"
                             + ("; for Raynaud digital ulcers a calcium-channel blocker, with a "
                                "PDE-5 inhibitor or IV iloprost when ulcers persist (EULAR 2017 "
                                "SSc), and no smoking." if profile.systemic.raynaud else "."),
                        basis=["cancer_screening"],
                        citations=["oldroyd2023_imacs_cancer", "kowalbielecka2017_eular_ssc"]))
    elif profile.skin.cutaneous_ulceration:
        out.append(Flag(code="cutaneous_ulceration", urgency="soon",
                        text="Cutaneous ulceration present: counted as the IMACS 'cutaneous "
                             "necrosis' high-risk cancer factor (ulceration RR 2.73 in the 2021 "
                             "meta-analysis); confirm it is necrosis, not trauma or calcinosis"
                             + ("; in anti-MDA5 disease it reflects vasculopathy."
                                if Antibody.MDA5 in positive else "; anti-MDA5 "
                                "vasculopathy if anti-MDA5 is positive or untested."),
                        basis=["cancer_screening"],
                        citations=["bmjbp_iim_monitoring", "oldroyd2021_cancer_sr"]))
    order = {"urgent": 0, "soon": 1, "routine": 2}
    return sorted(out, key=lambda f: order[f.urgency])
