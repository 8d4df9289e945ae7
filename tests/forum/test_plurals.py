"""Counts are shown with the right plural everywhere: "1 vote", "2 votes", "1 answer", "1 reputation point",
in lists, question pages, profiles, fragments and messages."""

import re

import pytest

from forum.voting import services as voting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_question_with_one_vote_and_one_answer_says_so_in_the_list(client):
    question = QuestionFactory(title="Is coffee bad for sleep?")
    AnswerFactory(question=question)
    question.answer_count = 1
    question.save(update_fields=["answer_count"])
    voting.vote(voter=UserFactory(), item=question, value=1)
    html = client.get("/").content.decode()
    row = re.search(rf'<li class="question-row" id="question-row-{question.pk}">.*?</li>', html, re.S).group(
        0
    )
    assert 'aria-label="1 vote, 1 answer"' in row
    assert "1 vote 1 answer" in text(row)


def test_the_question_page_says_1_answer(client):
    question = QuestionFactory()
    AnswerFactory(question=question)
    question.answer_count = 1
    question.save(update_fields=["answer_count"])
    heading = re.search(
        r'<h2 id="answers-h">(.*?)</h2>', client.get(question.get_absolute_url()).content.decode()
    )
    assert text(heading.group(1)) == "1 answer"


def test_a_profile_counts_one_reputation_point_and_one_vote(client):
    author = UserFactory()
    answer = AnswerFactory(author=author)
    voting.vote(voter=UserFactory(), item=answer, value=1)
    type(author).objects.filter(pk=author.pk).update(reputation=1)
    page = text(client.get(author.get_absolute_url()).content.decode())
    assert "1 reputation point ·" in page
    assert "1 vote" in page and "1 votes" not in page


def test_the_vote_widget_of_a_pending_post_says_1_vote(client):
    author = UserFactory()
    question = QuestionFactory(author=author, status="pending", score=1, approved_at=None)
    client.force_login(author)
    page = text(client.get(question.get_absolute_url()).content.decode())
    assert "1 vote" in page and "1 votes" not in page
