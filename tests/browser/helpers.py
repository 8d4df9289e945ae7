"""What browser tests share: arranging a small community, waiting for the server, checking a page."""

import itertools
import time
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import ExpertCredential, User
from forum import publication
from forum.models import Answer, Question, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_moderator

PASSWORD = "correct horse battery"  # UserFactory's password


@dataclass
class Community:
    asker: User
    expert: User
    moderator: User
    question: Question
    expert_answer: Answer
    member_answer: Answer
    pending_question: Question
    pending_answer: Answer


def make_expert(**kwargs) -> User:
    user = UserFactory(**kwargs)
    now = timezone.now()
    specialty = category("mental-health")
    credential = ExpertCredential.objects.create(
        user=user,
        profession="Psychiatrist",
        specialty=specialty,
        credentials="Psychiatrist, Lakeview University Medical School",
        institution="Lakeview University Medical School",
        verified_at=now,
        verified_until=now + timedelta(days=365),
    )
    credential.specialties.add(specialty)
    return User.objects.get(pk=user.pk)


def community() -> Community:
    """A question with an expert's and a member's answer, plus a question and an answer awaiting review."""
    asker = UserFactory(display_name="Cindy", location="Texas", show_location=True)
    expert = make_expert(display_name="Dr. Ada Okafor")
    moderator = make_moderator(display_name="Morgan")
    question = QuestionFactory(
        author=asker,
        title="How do I tell if my worrying has become an anxiety disorder?",
        slug="how-do-i-tell-if-my-worrying-has-become-an-anxiety-disorder",
        body="I lie awake going over everything that could go wrong at work. When should I get checked?",
        category=category("mental-health"),
        approved_at=timezone.now() - timedelta(minutes=3),
    )
    question.tags.set(["anxiety", "sleep"])
    publication.update_search_vector(question)  # factories write rows directly; search needs the vector
    expert_answer = AnswerFactory(
        question=question,
        author=expert,
        body="Worry becomes a problem when it is hard to switch off and lasts most days for months.",
    )
    member_answer = AnswerFactory(question=question, body="Writing worries down before bed helped me.")
    Question.objects.filter(pk=question.pk).update(answer_count=2)
    pending_question = QuestionFactory(
        author=asker,
        title="Does drinking water really help with tiredness?",
        slug="does-drinking-water-really-help-with-tiredness",
        status=Status.PENDING,
        category=category("living-well"),
    )
    pending_answer = AnswerFactory(
        question=question, status=Status.PENDING, body="Have you tried a fixed time to stop working?"
    )
    return Community(
        asker, expert, moderator, question, expert_answer, member_answer, pending_question, pending_answer
    )


def wait_until(condition, timeout: float = 10.0, interval: float = 0.05):
    """Poll `condition` (e.g. a database check after a browser action) until it holds or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


def heading_levels(page) -> list[int]:
    return page.eval_on_selector_all(
        "h1, h2, h3, h4, h5, h6", "els => els.filter(e => e.getClientRects().length).map(e => +e.tagName[1])"
    )


def heading_order_problems(page) -> list[str]:
    """Headings start with one h1 and never skip a level on the way down (h1 → h3 is a skip)."""
    levels = heading_levels(page)
    problems = []
    if not levels or levels[0] != 1:
        problems.append(f"the first heading is not an h1: {levels[:3]}")
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{before} is followed by h{after}")
    return problems


def unlabelled_fields(page) -> list[str]:
    """Visible form fields without a programmatic label (label[for], wrapping label, aria-label(ledby))."""
    return page.eval_on_selector_all(
        "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea",
        """els => els.filter(e => e.getClientRects().length && !(e.labels && e.labels.length)
                  && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
               .map(e => e.outerHTML.slice(0, 120))""",
    )


def has_visible_focus_ring(page) -> bool:
    """The focused element shows an outline or a box-shadow ring of at least 2px."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            return outline || (s.boxShadow && s.boxShadow !== 'none');
        }"""
    )
