"""Sources: each reads one kind of Revue data and yields `Issue` or `Skipped` values."""
