"""The exceptions revue2md raises on purpose. The CLI turns each into one line on stderr."""


class Revue2mdError(Exception):
    """Base class: the message is meant for the user, as is."""

    exit_code = 1


class UsageError(Revue2mdError):
    """The command line asks for something that cannot be done (exit code 2)."""

    exit_code = 2


class SourceError(Revue2mdError):
    """A source cannot be read as Revue data."""


class FetchError(Revue2mdError):
    """A network request failed for good."""


class TooLargeError(FetchError):
    """A response body was over the size limit the caller set."""


class WriteError(Revue2mdError):
    """A file could not be written where it belongs."""


class DiskFullError(WriteError):
    """The disk (or the quota) is full: the run stops, since every later write would fail too."""

    def __init__(self, path: object):
        super().__init__(f"no space left on device: {path}")
