"""The export's cleaning: one issue's text and HTML made into the canonical tree."""
