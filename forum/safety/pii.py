"""Personal data in posts: phone numbers, email addresses, street addresses and medical-record-like numbers.

`find(text)` lists what it saw; `scrub(text)` replaces each with "[removed]". The patterns lean towards
precision: dosages ("take 200 mg twice a day"), blood pressure ("150/95"), years and lab values must not
trigger a warning, because a warning on every post would teach people to click through it.
"""

import re
from dataclasses import dataclass

REMOVED = "[removed]"

KIND_LABELS = {
    "email": "an email address",
    "phone": "a phone number",
    "address": "a street address",
    "record": "a medical record or ID number",
}

_STREET_SUFFIX = (
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Court|Ct\.?|Way|Place|"
    r"Pl\.?|Terrace|Circle|Parkway|Pkwy\.?|Highway|Hwy\.?|Square|Sq\.?)"
)

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")),
    # Labelled numbers first, so "MRN 12345678" is reported as a record number, not as a phone number.
    (
        "record",
        re.compile(
            r"(?i:\b(?:MRN|medical\s+record(?:\s+(?:number|no\.?|#))?|patient\s+(?:id|number|no\.?)|"
            r"NHS\s+(?:number|no\.?)|chart\s+(?:number|no\.?)|insurance\s+(?:id|number|no\.?)|"
            r"member\s+id|SSN|social\s+security\s+(?:number|no\.?))"
            r"\s*(?:is\s+)?[:#]?\s*)(?P<value>[A-Z0-9][A-Z0-9 -]{3,18}[A-Z0-9])\b"
        ),
    ),
    # US social security numbers: 123-45-6789.
    ("record", re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")),
    # International (+44 20 7946 0958) and North American ((555) 123-4567, 555.123.4567, 5551234567).
    ("phone", re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w/])")),
    ("phone", re.compile(r"(?<![\w/.-])(?:1[ .-])?(?:\(\d{3}\)\s?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?![\w/-])")),
    (
        "address",
        re.compile(
            r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][A-Za-z'.-]*\s+){1,3}" + _STREET_SUFFIX + r"(?![A-Za-z])"
            r"|\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b"
        ),
    ),
]


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def find(text: str) -> list[Finding]:
    """Non-overlapping findings in reading order (the first pattern to claim a span wins)."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text or ""):
            # A labelled number ("MRN 1234567") reports only the number, so scrubbing keeps the label.
            group = "value" if "value" in pattern.groupindex else 0
            start, end = match.span(group)
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                continue
            taken.append((start, end))
            findings.append(Finding(kind, match.group(group), start, end))
    return sorted(findings, key=lambda f: f.start)


def kinds(text: str) -> list[str]:
    """The kinds found, in a stable order, without repeats (for moderators' notes)."""
    found = {f.kind for f in find(text)}
    return [kind for kind in KIND_LABELS if kind in found]


def scrub(text: str) -> str:
    """`text` with every finding replaced by "[removed]"."""
    out, cursor = [], 0
    for finding in find(text):
        out.append(text[cursor : finding.start])
        out.append(REMOVED)
        cursor = finding.end
    out.append(text[cursor:])
    return "".join(out)
