"""A small community with public content and, planted beside it, everything that must never reach a sitemap,
a feed, structured data or link-preview tags: pending, rejected, hidden and deleted questions and answers,
and the identity of anonymous askers."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from django.utils.text import slugify

from forum.models import Answer, Question, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert

# Words that appear in nothing public: if one shows up in an output, non-public content leaked.
SECRETS = {
    "pending question": "Quokkapending",
    "rejected question": "Quokkarejected",
    "hidden question": "Quokkahidden",
    "deleted question": "Quokkadeleted",
    "pending answer": "Wombatpending",
    "rejected answer": "Wombatrejected",
    "hidden answer": "Wombathidden",
    "deleted answer": "Wombatdeleted",
    "tag only on a pending question": "numbatonly",
    "anonymous asker's name": "Ottoline Anonymised",
}
# An expert's name is public, but not next to the question they asked anonymously.
EXPERT_ASKER_NAME = "Dr. Hester Hidden"


def question(title: str, **kwargs) -> Question:
    return QuestionFactory(title=title, slug=slugify(title), **kwargs)


@dataclass
class World:
    public: Question  # approved, by a named member, with an accepted answer and a suggested one
    anonymous: Question  # approved, asked anonymously; the asker also replied
    accepted: Answer
    suggested: Answer
    asker_reply: Answer
    expert: object
    expert_answer: Answer  # featured
    anonymous_expert: object  # an expert who asked anonymously and replied on their own question
    expert_own_reply: Answer
    asker: object
    named_author: object
    private: list = field(default_factory=list)  # every planted non-public post


def make_world() -> World:
    now = timezone.now()
    named_author = UserFactory(display_name="Priya Public")
    public = question(
        "Why do my knees ache after running", author=named_author, category=category("living-well")
    )
    public.tags.set(["running", "knees"])
    suggested = AnswerFactory(question=public, body="Try shorter runs on softer ground.", score=3)
    accepted = AnswerFactory(
        question=public, body="Strengthen your quadriceps; see a physiotherapist.", score=7
    )
    public.accepted_answer = accepted
    public.answer_count = 2
    public.save()

    asker = UserFactory(display_name=SECRETS["anonymous asker's name"])
    anonymous = question("Is it normal to feel dizzy when standing up", author=asker, is_anonymous=True)
    anonymous.tags.set(["dizziness"])
    asker_reply = AnswerFactory(
        question=anonymous, author=asker, body="Update: it happens mostly in the morning."
    )

    expert = make_expert(display_name="Dr. Ada Okafor")
    expert_answer = AnswerFactory(
        question=anonymous,
        author=expert,
        body="Orthostatic hypotension is common; drink water and stand up slowly.",
        is_featured=True,
        featured_at=now,
    )
    anonymous_expert = make_expert(display_name=EXPERT_ASKER_NAME)
    own = question("How do I cope with night shifts", author=anonymous_expert, is_anonymous=True)
    expert_own_reply = AnswerFactory(
        question=own, author=anonymous_expert, body="Blackout curtains helped me."
    )

    private = []
    for status, label in [
        (Status.PENDING, "pending"),
        (Status.REJECTED, "rejected"),
        (Status.HIDDEN, "hidden"),
        (Status.DELETED, "deleted"),
    ]:
        secret_q = SECRETS[f"{label} question"]
        q = question(f"{secret_q} question about sleep", status=status, body=f"{secret_q} body text.")
        q.tags.set(
            ["sleep", SECRETS["tag only on a pending question"]] if status == Status.PENDING else ["sleep"]
        )
        private.append(q)
        secret_a = SECRETS[f"{label} answer"]
        # On a public question, and by a verified expert and featured, to tempt every feed.
        private.append(
            AnswerFactory(
                question=public,
                author=expert,
                status=status,
                body=f"{secret_a} answer text.",
                is_featured=True,
                featured_at=now,
            )
        )
    return World(
        public=public,
        anonymous=anonymous,
        accepted=accepted,
        suggested=suggested,
        asker_reply=asker_reply,
        expert=expert,
        expert_answer=expert_answer,
        anonymous_expert=anonymous_expert,
        expert_own_reply=expert_own_reply,
        asker=asker,
        named_author=named_author,
        private=private,
    )


@pytest.fixture
def world(db):
    return make_world()


class _Metadata(HTMLParser):
    """Collects what search engines and link previews read from a page's <head>."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def metadata(html: str) -> _Metadata:
    parser = _Metadata()
    parser.feed(html)
    return parser


def link_hrefs(html: str, rel: str) -> list[str]:
    return [link["href"] for link in metadata(html).links if link.get("rel") == rel]


def robots(html: str) -> str:
    return ",".join(metadata(html).meta.get("robots", []))


def preview_text(html: str) -> str:
    """Every OpenGraph and Twitter card value, the canonical and alternate links and the JSON-LD."""
    found = metadata(html)
    values = [v for key, vs in found.meta.items() if key.startswith(("og:", "twitter:")) for v in vs]
    links = [link.get("href", "") + " " + link.get("title", "") for link in found.links]
    return "\n".join(values + links + found.jsonld)


def xml_urls(xml: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml)
