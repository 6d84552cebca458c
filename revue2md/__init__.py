"""revue2md: move a Revue newsletter archive into a Hugo site."""

__version__ = "0.1.0"
