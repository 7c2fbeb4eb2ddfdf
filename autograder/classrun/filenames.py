"""The one mapping from a student id to the stem of that student's files.

A student id is a folder name and may be anything a file system allows: 255
bytes, spaces, any script, a leading dot, bytes that are not UTF-8. The
grader writes ``.state/students/<stem>.json``, ``feedback/<stem>.md`` and
``.html`` and ``gradescope/<stem>.json``, and the class report links to
``feedback/<stem>.html``; every one of those names comes from ``safe_stem``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_KEPT = 100          # longest id kept as it is; atomic_write's temporary name adds 23 characters at most
SLUG_CHARS = 40
HASH_CHARS = 16         # 64 bits of sha256
_SAFE = re.compile(r"[A-Za-z0-9._-]+")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_HASHED = re.compile(rf".*-[0-9a-f]{{{HASH_CHARS}}}")


def safe_stem(student: str) -> str:
    """A file-name stem for ``student``: the id itself when it is short and made
    of ``[A-Za-z0-9._-]`` not starting with a dot; otherwise a readable slug of
    it followed by ``-`` and 16 hex digits of the sha256 of the whole id.

    Distinct ids give distinct stems: a kept id never has the shape of a hashed
    stem (those are hashed too), and two hashed stems differ in their hash.
    """
    if (len(student) <= MAX_KEPT and _SAFE.fullmatch(student) and not student.startswith(".")
            and not _HASHED.fullmatch(student)):
        return student
    ascii_text = unicodedata.normalize("NFKD", student).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE_RUN.sub("-", ascii_text).strip(".-_")[:SLUG_CHARS].rstrip(".-_") or "student"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    return f"{slug}-{digest}"
