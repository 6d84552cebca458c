"""What a page kept of its source: the comparison behind `check`."""
