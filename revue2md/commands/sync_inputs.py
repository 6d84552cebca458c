"""One digest of everything a sync reads, so that a run whose inputs are the last run's reads nothing.

What sync writes for an issue depends on the issue as its source gives it, on the other
issues of the archive (names, links between issues), on the options and on the output
folder (whether it is a Hugo section). When every source is a plain file, all of that is
fixed by: revue2md's version and options, whether the folder is a section, and each source
file's path and bytes. Equal digests mean the same issues, so the last run's record of them holds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from revue2md.commands.options import ExportOptions
from revue2md.convert.links import is_section
from revue2md.hugo.state import options_fingerprint, sha256_file
from revue2md.sources.detect import local_files


def inputs_digest(paths: Sequence[str | Path], options: ExportOptions, out: Path) -> str | None:
    """The digest of this run's inputs; None when a source is not a set of plain files that can be read."""
    files = local_files(paths)
    if files is None:
        return None
    settings = {"options": options_fingerprint(options), "drafts": options.drafts,
                "senders": list(options.sources.mail_senders), "section": is_section(out)}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    for file in files:
        try:
            file_digest = sha256_file(file)
        except OSError:  # unreadable: the full run reads it and says why
            return None
        if file_digest is None:
            return None
        # A path can hold any character but a NUL: the NUL and the line break keep entries apart.
        digest.update(os.fsencode(file) + b"\0" + file_digest.encode("ascii") + b"\n")
    return digest.hexdigest()
