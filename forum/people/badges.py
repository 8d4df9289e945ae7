"""Forum's part of the badge rules (accounts.badges): which of a member's questions and answers count.
Only public content, and never an anonymous question, so a badge cannot hint at who asked one. Registered
by forum.apps."""

from forum.models import Answer, Question


def public_questions(user_id):
    return Question.objects.public().filter(author_id=user_id, is_anonymous=False)


def public_answers(user_id):
    return Answer.objects.visible_to(None).filter(author_id=user_id)
