"""Which diagnosis the plan follows: the 2017 EULAR/ACR result beside the criteria made for the
subgroups it misses (ENMC 2011 IBM, ENMC 224 IMNM, Solomon/Connors antisynthetase syndrome), and
the clinician's confirmed diagnosis over all of them.

An unclassified patient gets a diagnostic plan; treatment options appear only when the clinician
marks that treatment cannot wait, and are then labelled provisional (clinical-safety principle 9).
Suspected IBM (the ENMC clinical pattern, anti-cN1A, or the EULAR/ACR IBM branch) is handled as
IBM, without requiring anti-cN1A or a failed steroid trial, so it is never routed to
immunosuppression.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from myositis.domain.antibodies import ANTISYNTHETASE, MYOSITIS_SPECIFIC, Antibody
from myositis.domain.criteria import CriteriaResult
from myositis.domain.criteria import antisynthetase as asys
from myositis.domain.criteria import enmc_ibm_2011 as ibm
from myositis.domain.criteria import imnm_enmc224 as imnm
from myositis.domain.instruments.eular_acr_2017 import EularAcrResult
from myositis.domain.labs import Enzyme
from myositis.domain.record import PatientRecord
from myositis.services.careplan.record_readers import confirmed_positive, weak_blot_antibodies

SUBGROUP_PHENOTYPE = {
    "DM": "dm", "ADM": "adm", "PM": "pm", "IBM": "ibm", "JDM": "jdm", "juvenile_non_dm": "jdm",
}
OVERLAP = {Antibody.PMSCL, Antibody.KU, Antibody.U1RNP}
DM_ANTIBODIES = {Antibody.MI2, Antibody.MDA5, Antibody.TIF1G, Antibody.NXP2, Antibody.SAE}
MIMICS = [
    "hypothyroidism (TSH)", "drug and toxin myopathy, statins included (medication history)",
    "HIV and hepatitis C infection (serology)",
    "muscular dystrophies (family history, pattern; genetic testing)",
    "metabolic myopathies (exercise intolerance, lactate, acylcarnitines)",
    "neuropathy and motor neurone disease (nerve conduction, EMG)",
    "Pompe disease (acid alpha-glucosidase dried blood spot)",
    "electrolyte and endocrine causes (potassium, calcium, phosphate, vitamin D, PTH)",
    "exercise or injury (CK repeated after 5-7 days without strenuous exercise)",
]


@dataclass
class Diagnosis:
    phenotypes: list[str]
    followed: str
    provisional: bool
    unclassified: bool
    ibm_suspected: bool
    criteria: list[CriteriaResult]
    explanation: list[str] = field(default_factory=list)
    ibm_against_diagnosis: str = "none"
    """"met" when the ENMC 2011 IBM criteria are met against a recorded non-IBM diagnosis,
    "pattern" when only the IBM clinical pattern is, else "none"."""


def ibm_input(record: PatientRecord) -> ibm.IbmInput:
    # the ENMC ceiling (CK at most 15 x ULN) describes the disease's usual CK: the lowest
    # recorded value is read, so one spike after a fall or a long lie does not overturn a
    # confirmed IBM (specialist review Z37a P6: biopsy-proven IBM with a baseline CK of 3 x ULN
    # 'not followed' at 32 x ULN after a long lie)
    ck = record.labs.enzymes.get(Enzyme.CK)
    multiples = [r.value / r.uln for r in record.lab_results
                 if r.analyte == "ck" and r.uln] + ([ck.multiple_of_uln] if ck else [])
    ck_x_uln = min(multiples) if multiples else None
    b = record.biopsy
    legacy = record.classification.biopsy
    pattern = record.ibm_pattern
    ff = pattern.finger_flexion_weaker_than_shoulder_abduction
    if ff is None and (record.classification.finger_flexor_weakness
                       or record.systemic.finger_flexor_weakness):
        ff = True
    return ibm.IbmInput(
        age_at_onset=record.classification.age_at_onset,
        weakness_duration_months=(pattern.weakness_duration_months
                                  if pattern.weakness_duration_months is not None
                                  else record.months_since_onset or None),
        ck_x_uln=ck_x_uln,  # a dated CK counts too (review U: "missing ck_x_uln")
        knee_extension_weaker_or_equal_hip_flexion=pattern.knee_extension_weaker_or_equal_hip_flexion,
        finger_flexion_weaker_than_shoulder_abduction=ff,
        endomysial_infiltrate=(b.endomysial_infiltrate if b and b.endomysial_infiltrate is not None
                               else (legacy.endomysial_infiltrate or None) if legacy else None),
        mhc1_upregulation=b.mhc1_upregulation if b else None,
        rimmed_vacuoles=(b.rimmed_vacuoles if b and b.rimmed_vacuoles is not None
                         else (legacy.rimmed_vacuoles or None) if legacy else None),
        protein_aggregates=b.protein_aggregates if b else None,
    )


def _status(record: PatientRecord, antibody: Antibody) -> str:
    return record.all_antibodies().result(antibody).status


def imnm_input(record: PatientRecord) -> imnm.ImnmInput:
    enzymes = record.labs.enzymes
    ck_elevated: bool | None = (record.labs.any_enzyme_elevated() if enzymes else None)
    if record.classification.elevated_muscle_enzymes:
        ck_elevated = True
    weakness = record.classification.weakness
    proximal = (weakness.proximal_upper or weakness.proximal_lower) or None
    necrotising = record.necrotising_biopsy or (
        record.biopsy is not None and record.biopsy.necrosis_with_little_inflammation is True)
    return imnm.ImnmInput(
        anti_srp=_status(record, Antibody.SRP),
        anti_hmgcr=_status(record, Antibody.HMGCR),
        ck_elevated=ck_elevated, proximal_weakness=proximal,
        necrotising_biopsy=True if necrotising else None)


def unconfirmed_antibody(result: CriteriaResult, record: PatientRecord) -> CriteriaResult:
    """An IMNM subtype met on an antibody that rests on a lone weak line-blot band is not
    assessable until the antibody is confirmed (specialist review Z17d P7: 'ENMC 224 IMNM: met,
    anti-HMGCR myopathy' for a 9-year-old with a probable dystrophy and a weak blot band)."""
    weak = {a for a in weak_blot_antibodies(record) if a in (Antibody.SRP, Antibody.HMGCR)}
    if result.met is not True or not weak:
        return result
    names = " and ".join(f"anti-{a.value.upper()}" for a in sorted(weak, key=lambda a: a.value))
    return result.model_copy(update={
        "met": None, "category": None,
        "reasons": [f"cannot be assessed: {names} rests on a weak line-blot band only - confirm "
                    "it by a second method (ELISA for anti-HMGCR) and exclude a dystrophy"]})


PANEL_CORE = (Antibody.JO1, Antibody.PL7, Antibody.PL12)
"""The antisynthetase antibodies of every myositis line blot: all three negative before the
criteria read 'no antisynthetase antibody' (specialist review Z17d P5: 'not met' with only
anti-Jo-1 tested)."""


def asys_input(record: PatientRecord) -> asys.AsysInput:
    profile = record.all_antibodies()
    tested = [profile.result(a).status for a in ANTISYNTHETASE]
    positive = "positive" in tested or record.classification.anti_jo1
    anti = True if positive else (
        False if all(profile.result(a).status == "negative" for a in PANEL_CORE) else None)
    w = record.classification.weakness
    s = record.systemic
    ild = s.interstitial_lung_disease or s.rapidly_progressive_ild_suspected or (
        record.lung is not None and record.lung.shows_ild())
    return asys.AsysInput(
        anti_synthetase=anti, ild=ild,
        myositis=(w.proximal_upper or w.proximal_lower) and (
            record.classification.elevated_muscle_enzymes or record.labs.any_enzyme_elevated()),
        arthritis=s.arthritis, raynaud=s.raynaud, mechanics_hands=record.skin.mechanics_hands,
        fever=s.fever)


def decide(record: PatientRecord, eular: EularAcrResult) -> Diagnosis:
    if record.diagnosis.not_myositis:
        # the clinician's working diagnosis outranks any criteria set (specialist review Y:
        # polymyalgia, a hydroxyurea rash and a resolving statin myopathy were given muscle
        # states and a myositis work-up)
        return Diagnosis(
            phenotypes=[], followed="not myositis (clinician's working diagnosis)",
            provisional=False, unclassified=True, ibm_suspected=False, criteria=[],
            explanation=[
                f"The clinician's working diagnosis is not myositis: {record.diagnosis.not_myositis}. "
                "This plan proposes no myositis treatment, work-up or cancer screening; it keeps "
                "the safety checks of the medicines taken. Reconsider myositis if weakness "
                "progresses, the CK rises, a myositis rash appears or a myositis antibody is "
                "found."] + ([
                    "A checkpoint inhibitor is recorded: its myositis, myocarditis and "
                    "myasthenia overlap does not wait for a myositis label - the "
                    "checkpoint-inhibitor lines in Do now apply whatever the working diagnosis."]
                    if "immune_checkpoint_inhibitor" in record.other_medicines else []))
    positive = record.all_antibodies().positive()
    eular_category = (eular.category or "not_iim").replace("_", " ")
    i = ibm_input(record)
    ibm_result = ibm.assess(i)
    imnm_result = unconfirmed_antibody(imnm.assess(imnm_input(record)), record)
    a = asys_input(record)
    solomon, connors = asys.solomon(a), asys.connors(a)
    # Show each set where it could matter, so a classic DM plan is not cluttered with
    # "undecided" IMNM or IBM lines (they stay computable through the library).
    skin = record.classification.skin
    dm_skin = skin.heliotrope_rash or skin.gottron_papules or skin.gottron_sign \
        or record.skin.any_dm_hallmark()
    imnm_relevant = imnm_result.met is True or record.necrotising_biopsy or bool(
        positive & {Antibody.SRP, Antibody.HMGCR}) or not dm_skin
    asys_relevant = a.anti_synthetase is not None or a.ild or a.mechanics_hands is True
    ibm_relevant = (record.classification.age_at_onset > ibm.MIN_AGE_AT_ONSET
                    and not dm_skin) or ibm_result.met is True \
        or record.diagnosis.subgroup == "ibm"
    criteria = [c for c, keep in ((ibm_result, ibm_relevant), (imnm_result, imnm_relevant),
                                  (solomon, asys_relevant), (connors, asys_relevant)) if keep]
    explanation: list[str] = []
    found: list[str] = []
    chosen = record.diagnosis.subgroup
    ibm_pattern = (i.age_at_onset or 0) > ibm.MIN_AGE_AT_ONSET and (
        i.weakness_duration_months or 0) > ibm.MIN_DURATION_MONTHS and (
        i.finger_flexion_weaker_than_shoulder_abduction is True
        or i.knee_extension_weaker_or_equal_hip_flexion is True) and (
        i.ck_x_uln is None or i.ck_x_uln <= ibm.MAX_CK_X_ULN)
    other_myositis = record.skin.any_dm_hallmark() or record.classification.skin.heliotrope_rash \
        or record.classification.skin.gottron_papules or record.classification.skin.gottron_sign \
        or bool(positive & (DM_ANTIBODIES | ANTISYNTHETASE | {Antibody.SRP, Antibody.HMGCR}))
    ibm_suspected = bool(ibm_result.met) or chosen == "ibm" or (not other_myositis and (
        Antibody.CN1A in positive or eular.subgroup == "IBM"
        or (ibm_pattern and ibm_result.met is not False)))
    against = "none"
    lung_led_asys = False
    if chosen not in (None, "unclassified", "ibm") and not other_myositis:
        steroid_failed = any(t.therapy == "glucocorticoids_oral"
                             and (t.outcome == "ineffective" or t.response == "none")
                             for t in record.treatments)
        # the pattern with glucocorticoids that did not help is IBM until shown otherwise
        against = "met" if ibm_result.met or (ibm_pattern and steroid_failed) \
            else "pattern" if ibm_pattern else "none"
    if against == "met":
        # a referral label of PM must not silently route biopsy- or clinically-defined IBM to
        # escalating immunosuppression (specialist review Q: methotrexate added in IBM)
        found.append("ibm")
        why = (f"ENMC 2011 says {ibm_result.category}" if ibm_result.met else
               "the IBM clinical pattern is present and glucocorticoids did not help")
        explanation.append(f"Recorded diagnosis {chosen}, but {why}: the plan follows IBM until "
                           "the diagnosis is reviewed.")
    elif chosen == "unclassified" and ibm_suspected:
        # the clinician's "unclassified, under review" stands: the plan does not classify over
        # it (specialist review F: a vacuolar myopathy with falling FVC, a likely mimic, was
        # labelled IBM and lost its mimic work-up); IBM's rule of no escalation still holds
        explanation.append(
            "Recorded as unclassified by the clinician; the criteria point to IBM ("
            + (f"ENMC 2011: {ibm_result.category}" if ibm_result.met
               else "EULAR/ACR 2017 IBM branch or the ENMC clinical pattern")
            + "): no immunosuppression is escalated while the diagnosis is reviewed, and the "
            "mimics of IBM and of a vacuolar myopathy are excluded first.")
    elif chosen in ("dm", "jdm", "adm") and not dm_skin and not positive & DM_ANTIBODIES \
            and "immune_checkpoint_inhibitor" in record.other_medicines:
        # a DM label with no DM skin sign and no DM antibody, during a checkpoint inhibitor, is
        # the inhibitor's myositis until shown otherwise (specialist review N: a 17-year-old on
        # pembrolizumab labelled JDM got methotrexate and gut-vasculopathy advice)
        explanation.append(
            f"Recorded as {chosen.upper()}, with no DM skin sign and no DM antibody, during a "
            "checkpoint inhibitor: managed as checkpoint-inhibitor myositis (ASCO 2021); "
            "review the label with the referring team.")
    elif chosen == "imnm" and positive & {Antibody.SRP, Antibody.HMGCR} \
            and positive & {Antibody.SRP, Antibody.HMGCR} <= set(weak_blot_antibodies(record)) \
            and not record.necrotising_biopsy:
        # an IMNM label resting on a weak line-blot band, with no necrotising biopsy, is not
        # treated as IMNM (specialist review S: prednisolone, IVIG and azathioprine for full
        # strength, CK 3 x ULN and a weak anti-HMGCR band in a statin user with hypothyroidism)
        names = ", ".join(f"anti-{a.value.upper()}" for a in sorted(
            positive & {Antibody.SRP, Antibody.HMGCR}, key=lambda a: a.value))
        explanation.append(
            f"Recorded as IMNM, but {names} rests on a weak line-blot band only and no "
            "necrotising biopsy is recorded: not followed until it is confirmed (anti-HMGCR by "
            "ELISA, the validated method; anti-SRP by a second method) - exclude the mimics "
            "first (statin myalgia and toxic myopathy, hypothyroidism, exercise).")
    elif chosen == "imnm" and not positive & {Antibody.SRP, Antibody.HMGCR} \
            and not record.necrotising_biopsy and imnm_result.met is not True \
            and not (record.biopsy is not None
                     and record.biopsy.necrosis_with_little_inflammation) \
            and not _weak(record):
        # an IMNM label with neither antibody, nor a necrotising biopsy, nor weakness is not
        # followed: the statin, colchicine or thyroid cause goes first (specialist review Z11d:
        # 'statin IMNM' with no weakness, anti-HMGCR negative and TSH 28 given prednisolone and
        # azathioprine)
        explanation.append(
            "Recorded as IMNM, but neither anti-HMGCR nor anti-SRP is positive and no "
            "necrotising biopsy is recorded: the IMNM criteria (ENMC 224) are not met, so it is "
            "not followed - exclude the toxic, drug and thyroid causes first (statin, colchicine "
            "and interacting drugs, hypothyroidism), then a muscle MRI and biopsy if the CK stays "
            "raised or weakness appears (seronegative IMNM needs a necrotising biopsy).")
    elif chosen == "ibm" and ibm_result.met is False and (
            (i.age_at_onset is not None and i.age_at_onset <= ibm.MIN_AGE_AT_ONSET)
            # a CK above the ceiling alone does not overturn an IBM the biopsy (rimmed
            # vacuoles) or anti-cN1A supports: a fall or a long lie raises it too (re-score of
            # specialist review Z37a P6, with no baseline CK on record)
            or (i.ck_x_uln is not None and i.ck_x_uln > ibm.MAX_CK_X_ULN
                and not (i.rimmed_vacuoles
                         or record.all_antibodies().cn1a.status == "positive"))
            or (record.ibm_pattern.weakness_duration_months is not None
                and record.ibm_pattern.weakness_duration_months <= ibm.MIN_DURATION_MONTHS)):
        # an outside IBM label the record contradicts (onset, duration, CK) closes the door on a
        # treatable myositis (specialist review O: onset at 43, 9 months, CK 18 x ULN)
        explanation.append(
            "Recorded as IBM, but the record fails ENMC 2011 (" + "; ".join(ibm_result.reasons)
            + "): the IBM label is not followed until the diagnosis is reviewed - a second "
            "pathology opinion (p62 or TDP-43 and the myositis stains), Sjogren's (anti-Ro60, "
            "anti-La, ANA; anti-cN1A is also found in Sjogren's and lupus) and the other mimics"
            + ("; with onset this young, a genetic myopathy panel (GNE, VCP and the other "
               "hereditary inclusion-body or distal myopathies) and HIV and HTLV-1"
               if i.age_at_onset is not None and i.age_at_onset <= ibm.MIN_AGE_AT_ONSET else "")
            + "; a treatable myositis is not excluded, so immunosuppression is not ruled out.")
    elif chosen and chosen != "unclassified":
        found.append(chosen)
        # no confirmation date: the clinician's working diagnosis, not called confirmed
        # (specialist review Z67d P8: a 'suspected' antisynthetase syndrome headed
        # 'Clinician-confirmed')
        label = "Clinician-confirmed diagnosis" if record.diagnosis.confirmed_on else \
            "Clinician's working diagnosis (no confirmation date recorded)"
        explanation.append(f"{label}: {chosen}"
                           + (f" ({record.diagnosis.criteria})" if record.diagnosis.criteria
                              else ""))
    elif ibm_suspected:
        found.append("ibm")
        if ibm_result.met:
            explanation.append(f"ENMC 2011: {ibm_result.category}")
        else:
            if record.all_antibodies().cn1a.status == "not_tested":
                explanation.append("Anti-cN1A not tested: supports IBM when positive (not "
                                   "required).")
            explanation.append("IBM suspected (ENMC clinical pattern, anti-cN1A or the EULAR/ACR "
                               "IBM branch); " + (
                                   "review the recorded biopsy for the IBM features (rimmed "
                                   "vacuoles with endomysial inflammation, p62 or TDP-43 "
                                   "aggregates, COX-negative fibres) and for mimics"
                                   if record.biopsy is not None else
                                   "muscle biopsy needed to confirm")
                               + ". Treated as IBM: no immunosuppression is offered meanwhile.")
            if record.all_antibodies().hmgcr.status == "not_tested" and (
                    record.statin_exposure or "statin" in record.other_medicines):
                # statin-associated anti-HMGCR myopathy can look like IBM and is treatable
                # (specialist review M: IBM settled on with no biopsy and anti-HMGCR untested)
                explanation.append("Statin exposure with anti-HMGCR not tested: IBM is not "
                                   "settled until it is - anti-HMGCR myopathy can look like IBM "
                                   "and responds to treatment; test it now, with the biopsy.")
        if eular.subgroup not in (None, "IBM"):
            explanation.append(f"EULAR/ACR 2017 says {eular.subgroup}; the IBM criteria take "
                               "precedence for treatment decisions.")
    elif chosen == "unclassified":
        # the clinician's "unclassified" stands in every branch: the 2017 criteria assume the
        # mimics are excluded, so a score lifted by a biopsy does not settle the diagnosis
        # (specialist review O: granulomatous myopathy given 'probable PM' induction)
        if eular.subgroup:
            explanation.append(f"EULAR/ACR 2017 says {eular_category} ({eular.subgroup}); the "
                               "criteria assume the mimics are excluded, so it is shown for "
                               "information and not followed while the diagnosis is open.")
    else:
        if eular.subgroup:
            found.append(SUBGROUP_PHENOTYPE[eular.subgroup])
        if imnm_result.met:
            if "pm" in found:
                found.remove("pm")
            found.append("imnm")
            if imnm_result.category == "antibody-negative IMNM":
                explanation.append("Antibody-negative IMNM: exclude mimics with necrosis "
                                   "(hypothyroidism, statin or other toxic myopathy, muscular "
                                   "dystrophies such as dysferlin or FKRP by genetic testing).")
            if eular.category == "not_iim" or not eular.subgroup:
                explanation.append(f"EULAR/ACR 2017 says {eular_category}; "
                                   f"ENMC 224 classifies {imnm_result.category} (rule from "
                                   "secondary descriptions).")
        elif record.necrotising_biopsy and "pm" in found:
            found.remove("pm")
            found.append("imnm")
        synthetase = positive & ANTISYNTHETASE
        weak_only = bool(synthetase) and synthetase <= set(weak_blot_antibodies(record)) \
            and record.diagnosis.subgroup != "asys"
        statin = record.statin_exposure or "statin" in record.other_medicines
        if (solomon.met or connors.met) and weak_only and a.ild and not statin \
                and (i.ck_x_uln is None or i.ck_x_uln < 10):
            # ILD with the antisynthetase features is treated while the band is confirmed: the
            # lung cannot wait weeks for a second method (specialist review Z14a P3: NSIP
            # worsening on prednisolone with mechanic's hands and a weak anti-PL-12 band, left
            # with no treatment section); not with a statin or a necrotising-range CK, where
            # anti-HMGCR myopathy is the likelier story (review V)
            found.append("asys")
            lung_led_asys = True
            explanation.append("Antisynthetase syndrome likely from the lung and its features; "
                               "the antibody rests on a weak line-blot band only, so it is "
                               "confirmed by a second method (immunoprecipitation or ELISA) "
                               "while the lung is treated - followed provisionally.")
        elif (solomon.met or connors.met) and weak_only:
            # a weak line-blot band alone does not make the diagnosis (To 2020; specialist
            # review V: a statin user with CK 70 x ULN and one weak anti-PL-12 band)
            explanation.append("Antisynthetase criteria would be met, but the antisynthetase "
                               "antibody rests on a weak line-blot band only: not followed "
                               "until a second method confirms it.")
        elif solomon.met or connors.met:
            found.append("asys")
            if not solomon.met:
                explanation.append("Antisynthetase syndrome by Connors 2010 (Solomon 2011 not "
                                   "met): ILD-predominant disease is possible.")
        if positive & OVERLAP and found:
            found.append("overlap")
    if "adm" in found:
        found.append("dm")
    if "ibm" in found:
        found = ["ibm"]
    unclassified = not found
    provisional = lung_led_asys
    ici = "immune_checkpoint_inhibitor" in record.other_medicines
    likely_dm = _dm_likely(record) if unclassified and not chosen and not ici else None
    if likely_dm is not None:
        # a DM-specific antibody with DM skin beyond the three scored signs: dermatomyositis in
        # practice (specialist review Z10c: strong anti-TIF1-gamma, V-sign, periungual changes,
        # dysphagia - left unclassified with no treatment and no cancer screening)
        found = ["jdm" if record.classification.age_at_onset < 18 else "dm"]
        unclassified, provisional = False, True
        explanation.append(
            f"Dermatomyositis likely ({likely_dm}): the 2017 EULAR/ACR criteria score only "
            "heliotrope and Gottron signs, and a DM-specific antibody with a typical rash is "
            "accepted as DM without a muscle biopsy (239th ENMC workshop, 2018); followed as DM, "
            "provisionally - a skin biopsy (interface dermatitis) and a muscle MRI support it; "
            "confirm it in the record when settled.")
    if unclassified:
        explanation.append(("Not classified (recorded as unclassified by the clinician; EULAR/ACR "
                            f"2017 {eular_category}). " if chosen == "unclassified" else
                            f"Not classified while the {chosen.upper()} label is reviewed "
                            f"(EULAR/ACR 2017 {eular_category}). " if chosen in ("ibm", "imnm")
                            else
                            f"Not classified: EULAR/ACR 2017 {eular_category}, "
                            "no subgroup criteria met. ")
                           + ("Myositis during a checkpoint inhibitor is treated as an immune-"
                              "related adverse event (ASCO 2021) without waiting for the "
                              "criteria; a biopsy must not delay treatment." if ici
                              else "Diagnostic work-up first."
                              # each clause only where it fits the record (specialist review
                              # Z10c: both printed with no biopsy and a positive band)
                              + (" A negative antibody panel does not exclude myositis."
                                 if not confirmed_positive(record) & MYOSITIS_SPECIFIC else "")
                              + (" Ask for the myositis stains on the biopsy (MHC-I, MxA, "
                                 "C5b-9, p62, COX/SDH), read at a neuromuscular centre."
                                 if record.biopsy is not None
                                 or record.classification.biopsy is not None else "")))
        # checkpoint-inhibitor myositis is treated from grade 2 without waiting for
        # classification (ASCO 2021): the provisional options are needed whether or not the
        # clinician marked that treatment cannot wait
        lung = record.lung
        lung_cannot_wait = not ici and not record.diagnosis.not_myositis and lung is not None \
            and lung.course in ("progressive", "rapidly_progressive") \
            and (record.systemic.interstitial_lung_disease or lung.shows_ild())
        if lung_cannot_wait and not record.diagnosis.treatment_cannot_wait:
            # a progressive ILD in a myositis-spectrum patient not yet classified is treated as
            # antisynthetase-type ILD while the diagnosis is settled (specialist review Z28b P5:
            # 'unclassified' left a hypoxaemic, progressive ILD with no treatment section)
            provisional = True
            found = ["asys"]
            explanation.append("Progressive interstitial lung disease: the lung cannot wait for "
                               "the classification, so it is treated as myositis-associated "
                               "(antisynthetase-type) ILD with the ILD team - options below "
                               "are provisional, for the lung.")
        elif chosen == "unclassified" and record.diagnosis.confirmed_on is not None \
                and not record.diagnosis.not_myositis and not ibm_suspected \
                and eular.category in ("definite", "probable"):
            # a myositis the clinician has confirmed but cannot place in a subgroup (anti-
            # mitochondrial antibody myositis, say) is treated, not left to the work-up
            # (specialist review Z52a P6: IV pulses for the heart and nothing else - no
            # maintenance, PJP prophylaxis, vaccines or cancer screening)
            provisional = True
            unclassified = False
            found = _provisional(record, positive)
            explanation = [e for e in explanation if not e.startswith(
                ("Not classified (recorded as unclassified", "EULAR/ACR 2017 says"))]
            explanation.append(
                f"Confirmed by the clinician on {record.diagnosis.confirmed_on.isoformat()} as a "
                "myositis of no recognised subgroup, with EULAR/ACR 2017 "
                f"{eular_category}: options below are provisional, as for "
                f"{', '.join(found)}; the biopsy reading for mimics (granulomatous myositis, "
                "sarcoidosis, inclusion body myositis) goes on beside them, and swallowing, "
                "breathing (FVC sitting and lying) and an ECG with troponin I are checked now.")
        elif record.diagnosis.treatment_cannot_wait or ici:
            provisional = True
            found = _provisional(record, positive)
            explanation.append(("Checkpoint-inhibitor myositis" if ici and not
                                record.diagnosis.treatment_cannot_wait
                                else "Clinician marked that treatment cannot wait")
                               + ": options below are "
                               f"provisional, for {', '.join(found)}.")
    followed = ", ".join(found) if found else "unclassified"
    if ici:
        # the idiopathic label ('pm') misnames an immune-related adverse event (review X)
        followed = ("immune checkpoint inhibitor-associated myositis (immune-related adverse "
                    f"event; options as for {followed})")
    return Diagnosis(phenotypes=list(dict.fromkeys(found)), followed=followed,
                     provisional=provisional, unclassified=unclassified,
                     ibm_suspected="ibm" in found, criteria=criteria, explanation=explanation,
                     ibm_against_diagnosis=against)


def _weak(record: PatientRecord) -> bool:
    """Objective weakness recorded: a classification weakness item, or MMT-8 below 95 % of
    its scale at the latest visit."""
    if any(record.classification.weakness.model_dump().values()):
        return True
    if record.visits and (cs := record.visits[-1].core_set).mmt8 is not None:
        scale = cs.mmt_max or (80 if cs.mmt8 <= 80 else 150)
        return float(cs.mmt8) < 0.95 * scale
    return False


DM_SKIN_BEYOND_CRITERIA = {"v_sign_or_shawl_sign": "V or shawl sign",
                           "periungual_changes": "periungual changes",
                           "photosensitivity": "photosensitivity",
                           "cutaneous_ulceration": "skin ulceration"}


def _dm_likely(record: PatientRecord) -> str | None:
    """A DM-specific antibody (not a weak line-blot band alone) with a DM skin sign outside the
    three the 2017 criteria score: the reason in words, else None (a project reading of the
    239th ENMC workshop's clinico-serological DM; confidence medium)."""
    antibodies = confirmed_positive(record) & DM_ANTIBODIES
    signs = [label for name, label in DM_SKIN_BEYOND_CRITERIA.items()
             if getattr(record.skin, name)]
    if not antibodies or not signs:
        return None
    names = ", ".join(f"anti-{a.value.upper()}" for a in sorted(antibodies,
                                                                  key=lambda a: a.value))
    return f"{names} with {', '.join(signs)}"


def _provisional(record: PatientRecord, positive: frozenset[Antibody]) -> list[str]:
    skin = record.classification.skin
    if skin.heliotrope_rash or skin.gottron_papules or skin.gottron_sign or \
            positive & DM_ANTIBODIES:
        return ["jdm" if record.classification.age_at_onset < 18 else "dm"]
    if positive & {Antibody.SRP, Antibody.HMGCR}:
        return ["imnm"]
    if positive & ANTISYNTHETASE:
        return ["asys"]
    return ["pm"]
