"""Work-up still missing for this profile, each item from a cited guidance entry."""

from __future__ import annotations

from myositis.domain.antibodies import DISPLAY_NAMES, MYOSITIS_SPECIFIC, Antibody
from myositis.domain.instruments.eular_acr_2017 import EularAcrResult
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.endocrine_readers import read_hypothyroidism_overt
from myositis.services.careplan.lab_trends import ck_x_uln
from myositis.services.careplan.model import Urgency, WorkupItem
from myositis.services.careplan.phenotype import dysphagia, ild, rp_ild
from myositis.services.careplan.record_readers import (
    confirmed_positive,
    mild_hyperckemia_normal_strength,
)

# work-up code -> guidance entry id
ENTRIES = {
    "antibody_panel": "workup_antibody_panel", "muscle_enzymes": "workup_muscle_enzymes",
    "mri_emg": "workup_mri_emg", "muscle_biopsy": "workup_muscle_biopsy",
    "hrct_pft": "workup_hrct_pft", "swallowing": "workup_swallowing", "cardiac": "workup_cardiac",
    "capillaroscopy": "workup_capillaroscopy",
}
ESTABLISHED_MONTHS = 6
HRCT_RECENT_DAYS = 365
"""An HRCT in the last year is on file: the work-up does not ask for one again."""
BASELINE_CARDIAC_MONTHS = 36  # a "baseline at diagnosis" test is not asked for years later
ENZYME_ANALYTES = {"ck", "aldolase", "ldh", "ast", "alt"}
ILD_ANTIBODIES = {Antibody.JO1, Antibody.PL7, Antibody.PL12, Antibody.EJ, Antibody.OJ,
                  Antibody.KS, Antibody.ZO, Antibody.HA, Antibody.MDA5, Antibody.RO52,
                  Antibody.PMSCL}


TSH_RECENT_DAYS = 183
PANEL = (Antibody.JO1, Antibody.PL7, Antibody.PL12, Antibody.MI2, Antibody.MDA5, Antibody.TIF1G,
         Antibody.NXP2, Antibody.SAE, Antibody.SRP, Antibody.HMGCR)
"""The myositis-specific antibodies of a usual panel (line blot plus anti-HMGCR)."""
PANEL_MIN = 4
"""Fewer negative results than this is a single test, not a panel (a project threshold)."""


def needed(profile: PatientRecord, classification: EularAcrResult,
           phenotype_list: list[str]) -> dict[str, tuple[str, Urgency]]:
    """Work-up code -> (reason, urgency) for what this profile calls for."""
    positive = profile.all_antibodies().positive()
    s = profile.systemic
    out: dict[str, tuple[str, Urgency]] = {}
    if not profile.all_antibodies().tested_any_msa():
        # a mild hyperCKaemia with normal strength is not tested for myositis antibodies
        # first: weak false-positive bands mislead (specialist review Z12c)
        out["antibody_panel"] = (
            ("only if the CK stays raised after rest or weakness appears (weak line-blot "
             "bands are often false positives)", "routine")
            if mild_hyperckemia_normal_strength(profile, ck_x_uln(profile)) is True
            else ("no myositis antibody result recorded", "soon"))
    elif not positive & MYOSITIS_SPECIFIC and len(
            tested := [a for a in PANEL if profile.all_antibodies().result(a).status
                       != "not_tested"]) < PANEL_MIN:
        # one negative anti-Jo-1 is not a panel (specialist review Z17d P5: suspected
        # antisynthetase syndrome with only anti-Jo-1 tested, no panel asked for)
        names = ", ".join(DISPLAY_NAMES[a] for a in tested)
        out["antibody_panel"] = (f"only {names} tested, negative: a full myositis antibody "
                                 "panel (line blot, with anti-HMGCR by ELISA)", "soon")
    dated_enzymes = [r for r in profile.lab_results if r.analyte in ENZYME_ANALYTES]
    # dated results and visit labs count: a CK in lab_results was reported as "no muscle
    # enzyme result recorded" (H118)
    if not profile.labs.enzymes and not dated_enzymes \
            and not any(v.labs.enzymes for v in profile.visits):
        out["muscle_enzymes"] = ("no muscle enzyme result recorded", "soon")
    no_weakness = not any(profile.classification.weakness.model_dump().values())
    confirmed = profile.diagnosis.subgroup not in (None, "unclassified")
    # diagnostic tests belong to the diagnosis: a confirmed diagnosis of 6 months or more is
    # not sent back for MRI/EMG or capillaroscopy (review of a 30-month DM in remission)
    established = confirmed and profile.months_since_onset >= ESTABLISHED_MONTHS
    if ("adm" in phenotype_list or no_weakness or
            classification.category in ("possible", "biopsy_required")) and not established:
        out["mri_emg"] = ("confirm or exclude (subclinical) myositis", "routine")
    elif "jdm" in phenotype_list and not established:
        # juvenile DM: the muscle MRI is part of the diagnosis and a baseline for activity
        # (SHARE 2017; specialist review Z7b: absent from every JDM plan)
        # before treatment changes the picture: soon while nothing has been started (specialist
        # review Z66b P2: 'routine' for a 2-year-old about to receive pulses)
        untreated = not any(tr.therapy for tr in profile.treatments)
        out["mri_emg"] = ("juvenile DM: muscle MRI (STIR) at diagnosis shows the activity and "
                          "gives a baseline (EMG is rarely needed in a child)"
                          + ("; ideally before glucocorticoids change it, never delaying urgent "
                             "treatment" if untreated else ""),
                          "soon" if untreated else "routine")
    muscle_features = no_weakness is False or profile.classification.elevated_muscle_enzymes \
        or profile.labs.any_enzyme_elevated() \
        or any(r.uln is not None and r.value > r.uln for r in dated_enzymes)
    ild_only_asys = "asys" in phenotype_list and not muscle_features
    other_criteria = bool({"imnm", "asys"} & set(phenotype_list)) \
        or "immune_checkpoint_inhibitor" in profile.other_medicines
    if classification.category == "biopsy_required" and not ild_only_asys and not confirmed \
            and other_criteria:
        # the diagnosis already rests on other criteria (review Z4a: a biopsy 'soon' for a
        # textbook anti-HMGCR myopathy, antisynthetase syndrome and checkpoint-inhibitor
        # myositis, only because the EULAR/ACR tree needs one)
        out["muscle_biopsy"] = ("optional: the diagnosis rests on other criteria (IMNM by "
                                "ENMC 2018, antisynthetase syndrome, or checkpoint-inhibitor "
                                "myositis); biopsy if the picture is atypical or the response "
                                "poor", "routine")
    elif classification.category == "biopsy_required" and not ild_only_asys and not confirmed \
            and mild_hyperckemia_normal_strength(profile, ck_x_uln(profile)) is True:
        # EFNS 2010: no biopsy below 3 x ULN with normal strength unless the EMG is myopathic
        # (specialist review Z9d)
        out["muscle_biopsy"] = ("only if the CK stays at 3 x ULN or more after rest, the EMG is "
                                "myopathic or symptoms progress (EFNS hyperCKemia approach)",
                                "routine")
    elif classification.category == "biopsy_required" and not ild_only_asys and not confirmed \
            and {"dm", "jdm"} & set(phenotype_list):
        # DM followed on a DM-specific antibody with skin signs beyond the scored three (review
        # Z10c: 'no DM skin signs' printed beside the likely-DM headline)
        out["muscle_biopsy"] = ("DM followed on its antibody and skin signs: a skin biopsy "
                                "(interface dermatitis) and a muscle MRI support it; a muscle "
                                "biopsy if the picture is atypical", "routine")
    elif classification.category == "biopsy_required" and not ild_only_asys and not confirmed:
        out["muscle_biopsy"] = ("no DM skin signs: the classification criteria need biopsy "
                                "findings", "soon")
    elif "ibm" in phenotype_list and profile.classification.biopsy is None \
            and profile.biopsy is None:
        out["muscle_biopsy"] = ("suspected IBM: biopsy confirms rimmed vacuoles", "routine")
    ild_possible = bool(confirmed_positive(profile) & ILD_ANTIBODIES) or ild(profile) or \
        s.dyspnoea_or_cough or "asys" in phenotype_list
    scanned = [m for m in [*profile.lung_measures, *([profile.lung] if profile.lung else [])]
               if m.hrct_pattern is not None and m.date is not None
               and (profile.on() - m.date).days <= HRCT_RECENT_DAYS]
    if scanned and not rp_ild(profile):
        # an HRCT on file is not asked for again (review Z4c: 'HRCT and full lung function'
        # beside a normal HRCT recorded); lung function follows in the monitoring
        pass
    elif ild_possible:
        urgent = Antibody.MDA5 in positive or rp_ild(profile)
        why = ("ILD is possible with this antibody profile"
               if confirmed_positive(profile) & ILD_ANTIBODIES
               else "lung involvement recorded or suspected" if ild(profile) or s.dyspnoea_or_cough
               else "antisynthetase syndrome: ILD is common")
        out["hrct_pft"] = (why, "urgent" if urgent else "soon")
    elif phenotype_list and "ibm" not in phenotype_list:
        out["hrct_pft"] = ("baseline lung function at diagnosis, with HRCT when a risk factor "
                           "for ILD is present (ERS/EULAR 2026)", "routine")
    if "hrct_pft" in out and profile.age_years() < 6:
        # full lung function needs a child who can blow to order (about 6 years); below that,
        # saturation and examination first, HRCT only with lung signs or an ILD antibody
        # (specialist review Z9c: 'HRCT and full lung function' for a 2-year-old)
        why, urgency = out["hrct_pft"]
        out["hrct_pft"] = (why + "; under 6: oxygen saturation at rest and on activity and a "
                           "chest examination, HRCT only with lung signs or an ILD antibody "
                           "(lung function needs a child of about 6)", urgency)
    if dysphagia(profile) and profile.organs.dysphagia in ("moderate", "severe"):
        # the same urgency as the Do-now swallow line (specialist review Z33c: 'swallowing
        # assessment (soon)' beside an URGENT speech-therapy line)
        out["swallowing"] = (f"{profile.organs.dysphagia} dysphagia reported (see Do now)",
                             "urgent")
    elif dysphagia(profile):
        out["swallowing"] = ("dysphagia reported", "soon")
    elif "ibm" in phenotype_list:
        # not 'reported' when nobody reported it (specialist review O)
        out["swallowing"] = ("screen swallowing: dysphagia is common in IBM and often unreported",
                             "routine")
    # troponin T also comes from regenerating skeletal muscle: with a normal troponin I it is
    # not read as heart involvement (specialist review W: "a raised troponin" printed for a
    # troponin T of 62 with troponin I 8)
    trop_i = profile.latest_lab("troponin_i")
    trop_t = profile.latest_lab("troponin_t")
    i_raised = trop_i is not None and trop_i.uln is not None and trop_i.value > trop_i.uln
    t_raised = trop_t is not None and trop_t.uln is not None and trop_t.value > trop_t.uln
    t_only = t_raised and trop_i is not None and not i_raised
    troponin_raised = i_raised or (t_raised and trop_i is None)
    if s.cardiac_symptoms or Antibody.SRP in positive or troponin_raised \
            or profile.organs.cardiac in ("suspected", "confirmed"):
        out["cardiac"] = ("cardiac symptoms, a raised troponin or anti-SRP antibodies"
                          + ("; troponin T is raised with a normal troponin I, which points to "
                             "skeletal muscle rather than the heart: ECG, and echocardiography or "
                             "cardiac MRI when the ECG, symptoms or anti-SRP call for it"
                             if t_only else ""), "soon")
    elif "immune_checkpoint_inhibitor" in profile.other_medicines \
            and profile.organs.cardiac is None:
        # checkpoint-inhibitor myositis comes with myocarditis often enough that the heart is
        # checked now, not at leisure (specialist review N: 'routine' beside 'now')
        out["cardiac"] = ("checkpoint inhibitor: myocarditis often accompanies the myositis - "
                          "troponin I, ECG and echocardiography now", "urgent")
    elif t_only:
        out["cardiac"] = ("troponin T raised with a normal troponin I: most likely from "
                          "regenerating skeletal muscle (troponin I is heart-specific); a "
                          "baseline ECG", "routine")
    elif phenotype_list and "ibm" not in phenotype_list \
            and profile.organs.cardiac in (None, "none") \
            and not (confirmed and profile.months_since_onset > BASELINE_CARDIAC_MONTHS):
        # 'none' records no known involvement, not a baseline ECG (review Z3b: a new JDM and a
        # new DM in pregnancy with cardiac 'none' and no ECG anywhere)
        ck = ck_x_uln(profile)
        severe = (ck is not None and ck >= 20) or profile.organs.respiratory_muscle_weakness \
            is True or profile.organs.dysphagia == "severe"
        # severe new disease checks the heart now (specialist review P: 'routine' at CK 22,000
        # with respiratory-muscle weakness)
        out["cardiac"] = (("baseline ECG and echocardiography at diagnosis (SHARE 2017)"
                           if "jdm" in phenotype_list else
                           "baseline ECG and troponin I at diagnosis")
                          + ("; severe disease: now" if severe else ""),
                          "soon" if severe else "routine")
    if ({"dm", "adm", "jdm", "overlap", "asys"} & set(phenotype_list) or s.raynaud) \
            and not established:
        out["capillaroscopy"] = ("DM, overlap or antisynthetase features", "routine")
    tsh = profile.latest_lab("tsh")
    if "muscle_biopsy" in out and tsh is not None \
            and (profile.on() - tsh.date).days <= TSH_RECENT_DAYS \
            and tsh.value > (tsh.uln if tsh.uln is not None else 5.5) \
            and read_hypothyroidism_overt(profile, TSH_RECENT_DAYS) is not False:
        # a subclinical TSH (normal free T4, TSH below 10) delays no biopsy (review Z3c)
        # hypothyroidism first: the biopsy waits for the euthyroid recheck (specialist review
        # O: a biopsy 'soon' beside 'recheck once the thyroid is treated')
        reason, _ = out["muscle_biopsy"]
        out["muscle_biopsy"] = (reason + "; with the TSH raised, after CK and strength are "
                                "rechecked once euthyroid (6-12 weeks), unless the weakness is "
                                "severe or a myositis-specific antibody is positive", "routine")
    if "muscle_biopsy" in profile.preferences.declines:
        # declined after discussion: not re-ordered (re-score of specialist review V)
        out.pop("muscle_biopsy", None)
    anticoagulant = {"warfarin", "doac", "lmwh"} & set(profile.other_medicines)
    for code in ("muscle_biopsy", "mri_emg"):
        if code in out and anticoagulant:
            # a needle in an anticoagulated patient needs a plan (review D: biopsy and EMG
            # advised at 82 on warfarin with no word of it)
            reason, urgency = out[code]
            out[code] = (reason + "; on an anticoagulant: " + ("INR, and " if "warfarin" in
                                                              anticoagulant else "")
                         + "a hold or bridging plan agreed with its prescriber before the "
                         "biopsy or needle EMG", urgency)
    return out


CHILD_MRI_TITLE = "Muscle MRI (EMG rarely needed in a child)"


def missing_workup(profile: PatientRecord, kb: KnowledgeBase, classification: EularAcrResult,
                   phenotype_list: list[str]) -> list[WorkupItem]:
    done = set(profile.workup_done)
    # an HRCT and lung function recorded in the lung series are the work-up done (specialist
    # review Z36d P3: a repeat CT asked for two days after one recorded in lung_measures)
    lungs = profile.lung_series()
    if any(m.hrct_pattern is not None for m in lungs) and any(
            m.fvc_percent_predicted is not None for m in lungs):
        done.add("hrct_pft")
    items = []
    for code, (reason, urgency) in needed(profile, classification, phenotype_list).items():
        if code in done:
            continue
        entry = kb.guidance_item(ENTRIES[code])
        # a child's muscle study is the MRI: the title does not ask for an EMG (specialist
        # review Z66b P2: 'Muscle MRI and electromyography' for a 2-year-old)
        title = CHILD_MRI_TITLE if code == "mri_emg" and profile.age_years() < 18 \
            and "jdm" in phenotype_list else entry.title
        items.append(WorkupItem(
            code=code, title=title, reason=reason, urgency=urgency,
            kb_entry=entry.id, evidence_level=entry.evidence_level,
            citations=list(entry.sources) + (
                ["bellutti_enders2017_share_jdm"] if "SHARE 2017" in reason
                and "bellutti_enders2017_share_jdm" not in entry.sources else []),
        ))
    order = {"urgent": 0, "soon": 1, "routine": 2}
    return sorted(items, key=lambda i: order[i.urgency])
