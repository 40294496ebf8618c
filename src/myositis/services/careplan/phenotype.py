"""Complications present in this patient, in the knowledge base's vocabulary."""

from __future__ import annotations

import datetime as dt

from myositis.domain.antibodies import Antibody
from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import HOME_VENTILATION
from myositis.services.careplan.lab_trends import above_uln, ferritin_rise, troponin_i_settling
from myositis.services.state import DiseaseState

SSC_OVERLAP_ANTIBODIES = (Antibody.PMSCL, Antibody.KU, Antibody.U1RNP)



LOCALISING_RED_FLAGS = frozenset({"new_lump", "rectal_bleeding", "postmenopausal_bleeding",
                                  "haemoptysis"})
"""Cancer red flags that point at a tumour, rather than the weight loss or sweats of active
disease."""


HCQ_CARDIAC_YEARS = 5
"""Years of hydroxychloroquine after which a new heart finding may be its cardiomyopathy."""


def long_hydroxychloroquine(record: PatientRecord) -> bool:
    """Hydroxychloroquine taken now for 5 years or more: a suspected heart involvement may be
    its cardiomyopathy or conduction disease, not myocarditis to pulse (specialist review Z47b
    P8: pulses advised in a remission of 10 years, on hydroxychloroquine for 10 years, with a
    new bifascicular block)."""
    return any(t.therapy == "hydroxychloroquine" and t.stop is None and t.start is not None
               and (record.on() - t.start).days >= HCQ_CARDIAC_YEARS * 365
               for t in record.treatments)

def ssc_overlap(record: PatientRecord) -> bool | None:
    """Scleroderma-overlap features: an SSc-overlap antibody or sclerodactyly. A clinician's
    overlap diagnosis outranks the antibodies: a lupus overlap with anti-Ku is not scleroderma
    (specialist review U: 'taper towards 15 mg/day' for lupus cytopenias with anti-Ku)."""
    overlap = record.diagnosis.overlap_with
    if overlap:
        return bool({"systemic_sclerosis", "mctd"} & set(overlap)) \
            or record.organs.sclerodactyly is True
    positive = record.all_antibodies().positive()
    if any(a in positive for a in SSC_OVERLAP_ANTIBODIES) or record.organs.sclerodactyly:
        return True
    return False if record.organs.sclerodactyly is False else None

def ssc_features(record: PatientRecord) -> bool | None:
    """Scleroderma itself, not only an overlap antibody: sclerodactyly, a clinician's systemic
    sclerosis overlap, or anti-PM/Scl with no other overlap named. Anti-U1RNP (mixed connective
    tissue disease) and anti-Ku mark lupus and myositis overlaps as often, and renal crisis is rare
    in them: they keep the blood-pressure watch of `ssc_overlap` but not the 15 mg/day
    glucocorticoid ceiling (specialist review Z30d P5: an adolescent with MCTD, active myositis
    and dysphagia capped at 15 mg/day; review Z25c P2 for anti-Ku)."""
    overlap = record.diagnosis.overlap_with
    if record.organs.sclerodactyly is True or "systemic_sclerosis" in overlap \
            or record.diagnosis.ssc_subset is not None or (
            not overlap and Antibody.PMSCL in record.all_antibodies().positive()):
        return True
    return None if record.organs.sclerodactyly is None and ssc_overlap(record) is not False \
        else False


EARLY_DIFFUSE_SSC_DAYS = 5 * 365


def early_diffuse_ssc(record: PatientRecord) -> bool | None:
    """Diffuse systemic sclerosis within 5 years of its first non-Raynaud feature (an unknown
    onset read as early): the subset where glucocorticoids above 15 mg/day most often bring on a
    renal crisis (specialist review Z52c P7: 60 mg/day planned with a rising skin score)."""
    subset = record.diagnosis.ssc_subset
    if subset is None:
        return None
    if subset != "diffuse":
        return False
    onset = record.diagnosis.ssc_onset
    return onset is None or (record.on() - onset).days <= EARLY_DIFFUSE_SSC_DAYS


def screening_results(record: PatientRecord, result: str) -> frozenset[str]:
    """Names of the cancer-screening tests of the last 12 months with this result. An abnormal
    result followed by a cancer recorded and treated (a cancer treatment started on or after
    the test, completed or under way) is explained by that cancer: its follow-up belongs to the
    cancer team, not to a new suspected-cancer referral (specialist review Z69b P8: an urgent
    referral for the CT that found a kidney cancer removed a month later)."""
    cancer = record.cancer
    diagnosed = bool(cancer.past_cancer) or cancer.active_cancer is True

    def explained(test_date: dt.date) -> bool:
        return result == "abnormal" and diagnosed and any(
            t.start is not None and t.start >= test_date and t.status in ("completed", "ongoing")
            for t in cancer.treatment)

    return frozenset(t.test for t in cancer.screening_done
                     if t.result == result and 0 <= (record.on() - t.date).days <= 365
                     and not explained(t.date))


SEVERE_MMT_FRACTION = 0.75
MINOR_CALCINOSIS_MM = 20
"""Calcinosis lesions this size or smaller, none ulcerated, are watched in quiet disease (a
project threshold; no guideline sets one)."""


def _latest_mmt_fraction(record: PatientRecord) -> float | None:
    for visit in reversed(record.visits):
        if visit.core_set.mmt8 is not None:
            return visit.core_set.mmt8 / visit.core_set.mmt_max
    return None


MDA5_HIGH_FERRITIN = 1000  # ng/mL: a marker of rapid progression and death in anti-MDA5 ILD


def dysphagia(record: PatientRecord) -> bool:
    """Dysphagia now. A graded entry (organs.dysphagia) is the current state and wins over the
    diagnostic-criteria field, which records dysphagia at diagnosis (review C: a swallowing
    problem of years ago, graded "none" now, brought IVIG and an aspiration flag)."""
    if record.organs.dysphagia is not None:
        return record.organs.dysphagia != "none"
    return record.systemic.dysphagia or record.classification.dysphagia_or_esophageal_dysmotility


def rp_ild(record: PatientRecord) -> bool:
    return record.systemic.rapidly_progressive_ild_suspected or (
        record.lung is not None and record.lung.course == "rapidly_progressive")


def ild(record: PatientRecord) -> bool:
    return record.systemic.interstitial_lung_disease or rp_ild(record) or (
        record.lung is not None and record.lung.shows_ild())


def severe_imnm(record: PatientRecord, phenotypes: list[str]) -> bool:
    """Anti-SRP myopathy, or anti-HMGCR myopathy with dysphagia (moderate or severe where it is
    graded: a mild one brought IV pulses to a frail diabetic woman three weeks after a pulmonary
    embolism, specialist review Z7d), respiratory-muscle weakness, persistent high activity or
    MMT-8 below 75 % of its maximum (project definition)."""
    if "imnm" not in phenotypes:
        return False
    positive = record.all_antibodies().positive()
    if Antibody.SRP in positive:
        return True
    mmt = _latest_mmt_fraction(record)
    swallowing = dysphagia(record) and record.organs.dysphagia != "mild"
    return Antibody.HMGCR in positive and (
        swallowing or record.organs.respiratory_muscle_weakness is True
        or record.persistent_high_activity or (mmt is not None and mmt < SEVERE_MMT_FRACTION))


JDM_SECOND_LINE_AFTER = frozenset({"methotrexate", "mycophenolate", "ciclosporin", "azathioprine",
                                   "tacrolimus"})
"""Steroid-sparing agents a JDM flare can occur on that make the next step second-line."""


def heart_involvement_shown(record: PatientRecord) -> bool:
    """Myocarditis confirmed, or suspected with the heart-specific troponin I raised (not
    explained by cardiotoxic cancer treatment or years of hydroxychloroquine), and not settling:
    the heart is threatened."""
    return (record.organs.cardiac == "confirmed" or (
        record.organs.cardiac == "suspected" and above_uln(record, "troponin_i") is True
        and not record.cancer.cardiotoxic_therapy()
        and not long_hydroxychloroquine(record))) \
        and troponin_i_settling(record) is not True


def complications(record: PatientRecord, phenotypes: list[str], state: DiseaseState
                  ) -> set[str]:
    positive = record.all_antibodies().positive()
    found: set[str] = set()
    ferritin = record.latest_lab("ferritin")
    high_risk = ferritin is not None and ferritin.value >= MDA5_HIGH_FERRITIN
    if rp_ild(record) or (Antibody.MDA5 in positive and ild(record)
                          and (high_risk
                               or not (record.lung and record.lung.course == "stable"))):
        # anti-MDA5 ILD is managed as (potentially) rapidly progressive, and so is "stable"
        # anti-MDA5 ILD with a very high ferritin (H106)
        found.add("rp_ild")
    if Antibody.MDA5 in positive:
        found.add("anti_mda5")  # not a knowledge-base code: JAK inhibitors for lung (below)
        rise = ferritin_rise(record)
        # an undated cough beside a lung assessed stable in the last 3 months is not a new
        # symptom (specialist review L: 'hold the taper ... rising ferritin' with ferritin
        # falling from 2450 to 320 and a stable lung)
        assessed_stable = (record.lung is not None and record.lung.course == "stable"
                           and record.lung.date is not None
                           and (record.on() - record.lung.date).days <= 92)
        if (record.systemic.dyspnoea_or_cough and not assessed_stable) \
                or record.systemic.rapidly_progressive_ild_suspected \
                or (rise is not None and rise[0] >= 2):
            # new chest symptoms or a ferritin doubling: no glucocorticoid taper until the lung
            # is assessed (specialist review F); not a knowledge-base code
            found.add("mda5_lung_warning")
    if record.systemic.dyspnoea_or_cough and not ild(record):
        # chest symptoms with no lung assessment yet: methotrexate waits for the HRCT
        # (specialist review Z14a P1: methotrexate for the ulcers of a febrile, coughing
        # probable anti-MDA5 patient before any HRCT); not a knowledge-base code
        found.add("lung_unassessed")
    if ild(record):
        found.add("ild")
        if record.lung is not None and record.lung.oxygen in ("at_rest", "ventilated"):
            # oxygen at rest: IV pulses lead the lung regimen (review A)
            found.add("hypoxaemic_ild")
        elif record.lung is not None and record.lung.oxygen == "exertional" \
                and record.lung.course == "progressive":
            # exertional desaturation as the ILD progresses, not rapidly: pulses are an option,
            # not the first choice (specialist review E: pulses and 60 mg for slowly progressive
            # ASyS-ILD with a fragility fracture)
            found.add("exertional_progressive_ild")
    if record.lung is not None and record.lung.course == "progressive":
        found.add("progressive_fibrosing_ild")
        if record.lung.hrct_pattern == "uip":
            # a UIP pattern progressing is fibrosis, not inflammation waiting on an agent's
            # trial: the antifibrotic comes now (specialist review Z41d P5: nintedanib deferred
            # 'until 3 months of adequate immunosuppression' for a frail man of 79 whose UIP had
            # progressed for a year on glucocorticoids); not a knowledge-base code
            found.add("uip_progressing")
    if record.skin.calcinosis or record.organs.calcinosis_lesions:
        found.add("calcinosis")
        lesions = record.organs.calcinosis_lesions
        if lesions and all(lesion.ulcerated is False for lesion in lesions):
            # every recorded deposit intact: watched in quiet disease whatever its size (review
            # F: sodium thiosulfate 'first choice' for stable lesions while methotrexate stops)
            found.add("calcinosis_intact")
        if lesions and all(lesion.size_mm is not None and lesion.size_mm <= MINOR_CALCINOSIS_MM
                           and lesion.ulcerated is False for lesion in lesions):
            # small, intact deposits: watched, not treated (review C: sodium thiosulfate
            # proposed for small stable nodules in remission); not a knowledge-base code
            found.add("calcinosis_minor")
    if dysphagia(record):
        found.add("dysphagia")
    # mild or moderate dysphagia already improving on induction is followed, not re-induced
    # (specialist review Z20a P1: pulses and IVIG again two weeks after the first course)
    improving_dysphagia_only = (
        dysphagia(record) and record.organs.dysphagia in ("mild", "moderate")
        and not record.skin.cutaneous_ulceration
        and record.organs.respiratory_muscle_weakness is not True
        and record.organs.gut_symptoms is not True
        and any(b.startswith("still improving") for d in state.domains
                if d.domain == "muscle" for b in d.basis))
    if "jdm" in phenotypes and not improving_dysphagia_only and (
            record.skin.cutaneous_ulceration or dysphagia(record)
            or record.organs.respiratory_muscle_weakness is True
            or record.organs.gut_symptoms is True):
        found.add("severe_jdm")  # not a knowledge-base code: steers the regimen only
    if "jdm" in phenotypes and state.of("muscle") == "flare" and any(
            t.therapy in JDM_SECOND_LINE_AFTER and (t.stop is None or t.stop > record.on())
            for t in record.treatments):
        # a JDM flare on methotrexate (or another steroid-sparing agent) opens the second-line
        # agents (SHARE 2017: MMF, IVIG, ciclosporin; review W: none offered after 2 years on
        # methotrexate); not a knowledge-base code
        found.add("jdm_flare_on_treatment")
    if "jdm" in phenotypes and state.of("muscle") in ("active", "flare", "inadequate_response") \
            and set(state.steroid_sparing_failed) & JDM_SECOND_LINE_AFTER:
        # active JDM after a steroid-sparing agent failed or was not tolerated: the second-line
        # agents open, to be ordered by this patient's cautions (SHARE 2017: MMF, IVIG,
        # ciclosporin; specialist review T: ciclosporin the only choice for a hypertensive,
        # pre-diabetic girl after methotrexate intolerance); not a knowledge-base code
        found.add("jdm_second_line")
    if ssc_overlap(record):
        found.add("ssc_overlap")  # not a knowledge-base code: no push above 15 mg/day (review B)
        if ssc_features(record) is True:
            # scleroderma features or anti-PM/Scl, not anti-U1RNP alone (mixed connective
            # tissue disease; review F re-score) nor anti-Ku alone, which marks lupus and
            # myositis overlaps as often (specialist review Z25c P2: a necrotising flare kept at
            # 15 mg/day for a scleroderma nobody had recorded): the flare keeps prednisolone at
            # 15 mg/day or less
            found.add("ssc_specific")
    if record.skin.cutaneous_ulceration:
        found.add("skin_ulceration")  # not a knowledge-base code: steers the regimen only
    if record.cancer.internal_active_cancer() is True \
            or record.comorbidities.active_malignancy is True \
            or screening_results(record, "abnormal") \
            or set(record.cancer.red_flags) & LOCALISING_RED_FLAGS:
        # a red flag that points at a tumour (bleeding, a lump, haemoptysis) counts as a
        # suspected cancer too (specialist review I: anti-TIF1-gamma at 76 with postmenopausal
        # bleeding given azathioprine first); weight loss and night sweats, common in active
        # myositis, do not by themselves (review X: methotrexate first at 58)
        # a known or suspected cancer: IVIG (quick, not immunosuppressive) before an
        # antimetabolite that adds marrow toxicity to chemotherapy (specialist review E:
        # azathioprine first with a lung mass, IVIG left out; ProDERM)
        found.add("cancer_suspected")  # not a knowledge-base code: steers the regimen only
    if (record.systemic.fever or record.comorbidities.active_infection) \
            and record.lung is not None and record.lung.oxygen in ("at_rest", "ventilated"):
        # an infection with hypoxaemia at rest: antimetabolites are held while it is treated
        # (review F); a milder infection keeps the drug that holds the lung (review U)
        found.add("severe_infection")  # not a knowledge-base code: steers the regimen only
    if record.organs.respiratory_muscle_weakness is True \
            and record.organs.home_ventilation not in HOME_VENTILATION:
        # not on established home ventilation, chronic supported weakness that is not pulsed
        # (specialist review Z51a)
        found.add("respiratory_weakness")  # not a knowledge-base code: steers the regimen only
    if record.organs.dysphagia in ("moderate", "severe"):
        found.add("severe_dysphagia")  # not a knowledge-base code: steers the regimen only
    if record.organs.dysphagia == "severe":
        found.add("dysphagia_severe_grade")  # not a knowledge-base code: IV pulses (regimen)
    if state.of("muscle") == "flare" and len(state.steroid_sparing_failed) >= 2:
        # a flare after two steroid-sparing agents failed is refractory disease: the refractory
        # options open (specialist review O: a third flare escalated with prednisolone alone)
        found.add("flare_after_failures")  # not a knowledge-base code: opens refractory lines
    skin = state.of("skin")
    if skin == "inadequate_response":
        found.add("refractory_skin")
    if skin in ("new_onset", "active", "flare", "inadequate_response", "unknown"):
        found.add("skin_disease")
    if Antibody.HMGCR in positive and record.statin_exposure:
        found.add("imnm_statin")
    if Antibody.HMGCR in positive and "imnm" in phenotypes:
        # IVIG early whatever the statin history (ENMC 224; statin-naive anti-HMGCR disease is
        # the more refractory: specialist review W found IVIG, and so its anti-IgA
        # contraindication, missing for a statin-naive patient)
        found.add("anti_hmgcr")
    # cardiac symptoms count unless the clinician has recorded no heart involvement: chest pain
    # of a myocardial infarction is not myositis of the heart (specialist review Z72c P7,
    # dangerous: IV pulses for a moderate statin-triggered relapse three weeks after an NSTEMI,
    # on dialysis, before a sternotomy)
    if (record.systemic.cardiac_symptoms and record.organs.cardiac != "none") \
            or record.organs.cardiac in ("suspected", "confirmed"):
        found.add("cardiac")
    if heart_involvement_shown(record):
        # an organ-threatening state that brings IV pulses (not a knowledge-base code;
        # specialist review I: oral prednisolone and mycophenolate only, beside a raised
        # troponin I)
        found.add("myocarditis")
    if record.care_goals.frailty_scale is not None and record.care_goals.frailty_scale >= 6:
        # moderately frail or worse (Clinical Frailty Scale 6+): a severe necrotising myopathy
        # without a threatened organ is not met with IV pulses on top of IVIG (specialist
        # review Z23b P6: pulses, IVIG and a thiopurine rise at once for a frail 81-year-old on
        # dialysis with mild dysphagia)
        found.add("frail")  # not a knowledge-base code: steers the regimen only
    if record.comorbidities.heart_failure is True:
        # heart failure: IV pulses bring salt and water on, so a severe necrotising myopathy
        # without a threatened organ is escalated with IVIG and a moderate oral dose
        # (specialist review Z73d P4: pulses at an ejection fraction of 35 %, eGFR 24 and
        # insulin-treated diabetes, with IVIG already booked)
        found.add("heart_failure")  # not a knowledge-base code: steers the regimen only
    if severe_imnm(record, phenotypes):
        found.add("severe_imnm")
        if Antibody.SRP in positive:
            found.add("imnm_srp")  # not a knowledge-base code: early rituximab (ENMC 224)
    if "immune_checkpoint_inhibitor" in record.other_medicines:
        found.add("ici_myositis")  # not a knowledge-base code: ASCO 2021 regimen (summary)
        troponin = record.latest_lab("troponin_i") or record.latest_lab("troponin_t")
        if (troponin is not None and troponin.uln is not None and troponin.value > troponin.uln
                and record.latest_lab("troponin_i") is not None) \
                or record.organs.cardiac in ("suspected", "confirmed") \
                or record.organs.respiratory_muscle_weakness is True \
                or record.organs.dysphagia in ("mild", "moderate", "severe") \
                or record.systemic.dysphagia:
            # any swallowing difficulty in checkpoint-inhibitor myositis is a bulbar feature
            # (myasthenic overlap) until shown otherwise (specialist review N)
            found.add("severe_ici")
    if "ibm" in phenotypes:
        found -= {"refractory_skin", "skin_disease"}
    return found
