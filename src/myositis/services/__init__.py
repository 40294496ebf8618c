"""Services: classification, scoring, care plan and analytics over the domain and knowledge."""
