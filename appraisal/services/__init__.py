"""The only writers of the appraisal app, one module per area (frameworks, ratings)."""
