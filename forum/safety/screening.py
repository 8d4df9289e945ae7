"""What a post is checked for before it is saved: crisis language, personal data left in, spam signals.

`screen(...)` is called by the posting services (ask, answer, edits). A post with any note goes to the
moderation queue even if its author would otherwise skip review; crisis language also marks it urgent, so
it is listed first, and moderators are told live (forum.live.announce_urgent).
"""

from dataclasses import dataclass, field

from forum.models import is_moderator
from forum.safety import crisis, pii, spam


@dataclass
class Screening:
    crisis_phrases: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_urgent(self) -> bool:
        return bool(self.crisis_phrases)

    @property
    def needs_review(self) -> bool:
        return bool(self.notes)


def screen(*, author, title: str = "", body: str, exclude=None) -> Screening:
    if is_moderator(author):
        return Screening()
    text = f"{title}\n{body}" if title else body
    result = Screening(crisis_phrases=crisis.find(text))
    if result.crisis_phrases:
        result.notes.append("Crisis language: " + ", ".join(result.crisis_phrases))
    personal = pii.kinds(text)
    if personal:
        labels = ", ".join(pii.KIND_LABELS[k] for k in personal)
        result.notes.append(f"Personal data left in by the author: {labels}")
    result.notes += spam.signals(author, text, body=body, exclude=exclude)
    return result


def apply(item, result: Screening) -> None:
    """Copy the screening onto the post before it is saved."""
    item.is_urgent = result.is_urgent
    item.review_notes = result.notes
