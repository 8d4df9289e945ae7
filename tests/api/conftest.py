"""A small community for the read API and the expert box: public content, a featured expert answer, and
content that must never show (pending, rejected, hidden, deleted, by an anonymous asker, expert details of
experts whose verification ended), each marked with a word that appears nowhere else."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ExpertCredential
from forum.models import Answer, Question, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert

# Words planted only in what the public must not see; no API output or box may contain any of them.
SECRETS = {
    "pending question": "Zanzibarpending",
    "rejected question": "Quillrejected",
    "hidden question": "Obsidianhidden",
    "deleted question": "Vesuviusdeleted",
    "pending answer": "Marmaladepending",
    "rejected answer": "Tundrarejected",
    "hidden answer": "Kestrelhidden",
    "deleted answer": "Nebuladeleted",
    "answer on a hidden question": "Pemberton-on-hidden",
    "anonymous asker's name": "Anonymoussa Fairweather",
    "anonymous asker's location": "Littlehampton-by-Sea",
    "expired expert's credentials": "Credentialexpired Institute",
    "revoked expert's credentials": "Credentialrevoked Institute",
    "tag only on hidden content": "tag-obsidian",
}


@dataclass
class World:
    expert: object
    question: Question
    featured: Answer
    member_answer: Answer
    anonymous_question: Question
    anonymous_asker: object
    hidden_ids: dict = field(default_factory=dict)


def _expert_with_ended_verification(credentials: str, **changes):
    user = make_expert(display_name="Former expert")
    ExpertCredential.objects.filter(user=user).update(credentials=credentials, **changes)
    return user


@pytest.fixture
def world(db) -> World:
    now = timezone.now()
    expert = make_expert(display_name="Dr. Ada Okafor")
    question = QuestionFactory(
        title="How do I tell if my worrying has become an anxiety disorder?",
        category=category("mental-health"),
        approved_at=now - timedelta(minutes=30),
    )
    question.tags.set(["anxiety", "sleep"])
    featured = AnswerFactory(
        question=question,
        author=expert,
        body="Worry becomes a problem when it is hard to switch off and lasts most days for months.",
        is_featured=True,
        featured_at=now - timedelta(minutes=5),
    )
    member_answer = AnswerFactory(question=question, body="Writing worries down before bed helped me.")
    hidden_ids = {}

    def plant_question(what, status):
        q = QuestionFactory(
            title=f"A question {SECRETS[what]}", body=f"Body {SECRETS[what]}", status=status, approved_at=now
        )
        q.tags.set([SECRETS["tag only on hidden content"]])
        hidden_ids[what] = q.pk
        return q

    plant_question("pending question", Status.PENDING)
    plant_question("rejected question", Status.REJECTED)
    hidden_question = plant_question("hidden question", Status.HIDDEN)
    plant_question("deleted question", Status.DELETED)
    for what, status in [
        ("pending answer", Status.PENDING),
        ("rejected answer", Status.REJECTED),
        ("hidden answer", Status.HIDDEN),
        ("deleted answer", Status.DELETED),
    ]:
        # By the expert and featured: even so, only public answers may show.
        answer = AnswerFactory(
            question=question, author=expert, body=f"Answer {SECRETS[what]}", status=status,
            is_featured=True, featured_at=now,
        )  # fmt: skip
        hidden_ids[what] = answer.pk
    hidden_ids["answer on a hidden question"] = AnswerFactory(
        question=hidden_question, author=expert, body=f"Answer {SECRETS['answer on a hidden question']}",
        is_featured=True, featured_at=now,
    ).pk  # fmt: skip

    asker = UserFactory(
        display_name=SECRETS["anonymous asker's name"],
        location=SECRETS["anonymous asker's location"],
        show_location=True,
    )
    anonymous_question = QuestionFactory(
        author=asker,
        is_anonymous=True,
        title="Is it normal to feel dizzy after standing up quickly?",
        category=category("living-well"),
        approved_at=now - timedelta(minutes=20),
    )
    anonymous_question.tags.set(["dizziness"])
    AnswerFactory(question=anonymous_question, author=asker, body="Thanks, it happens most mornings.")
    AnswerFactory(
        question=anonymous_question, author=expert, body="Usually harmless; see a doctor if you faint.",
        is_featured=True, featured_at=now - timedelta(minutes=1),
    )  # fmt: skip
    # Experts whose verification ended: their answers are public, their expert details are not.
    for credentials, changes in [
        (SECRETS["expired expert's credentials"], {"verified_until": now - timedelta(days=1)}),
        (SECRETS["revoked expert's credentials"], {"revoked_at": now - timedelta(days=1)}),
    ]:
        former = _expert_with_ended_verification(credentials, **changes)
        AnswerFactory(
            question=question, author=former, body="From someone who used to be verified.",
            is_featured=True, featured_at=now,
        )  # fmt: skip
    Question.objects.filter(pk=question.pk).update(answer_count=4)
    return World(expert, question, featured, member_answer, anonymous_question, asker, hidden_ids)


@pytest.fixture
def api_client(client, settings):
    settings.API_RATE_LIMIT = "10000/m"
    return client
