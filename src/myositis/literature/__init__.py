"""Literature and trial-registry adapters: file formats (PubMed XML, ClinicalTrials.gov v2 JSON)
and the HTTP clients (E-utilities, ClinicalTrials.gov API v2)."""
