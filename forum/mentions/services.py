"""Telling members they were mentioned: once per post, only when the post is public, only members who may see
it, never its author, at most MAX_NOTIFIED per post.

`notify_mentions(post)` is the entry any kind of post calls (questions and answers from forum.publication when
they go public or a public one is edited; a future comment the same way): it records who is to be told in the
caller's transaction (the Mention rows, unique per post and member, make a second call or a later edit naming
them again tell nobody), and sends the notifications after the commit, re-checking that the post is still
public then.
"""

from django.db import IntegrityError, transaction

from accounts.models import User
from community.notifications.models import Notification
from community.notifications.services import notify
from forum.markdown import mentions
from forum.mentions.models import Mention

MAX_NOTIFIED = 10  # per post, whatever it names: a mention is not a way to page the whole community


def _may_see(post, member) -> bool:
    """The one visibility rule (forum.models.PostQuerySet.visible_to) for `member` and this post."""
    return type(post).objects.visible_to(member).filter(pk=post.pk).exists()


def notify_mentions(post, text: str | None = None) -> int:
    """Record and (after the commit) notify the members `text` (the post's body by default) mentions, if the
    post is public. Returns how many members are newly to be told."""
    if not post.is_public:
        return 0
    kind = post.kind_name
    already = Mention.objects.filter(post_kind=kind, post_id=post.pk)
    told = set(already.values_list("member_id", flat=True))
    room = MAX_NOTIFIED - len(told)
    new = []
    for member in mentions(post.body if text is None else text):
        if room <= 0:
            break
        if member.pk == post.author_id or member.pk in told:
            continue
        try:
            with transaction.atomic():
                Mention.objects.create(post_kind=kind, post_id=post.pk, member=member)
        except IntegrityError:  # told by a concurrent call
            continue
        told.add(member.pk)
        new.append(member)
        room -= 1
    if new:
        transaction.on_commit(lambda: _send(type(post), post.pk, [member.pk for member in new]))
    return len(new)


def _send(model, post_id: int, member_ids: list[int]) -> None:
    """After the commit: tell each member who may see the post (it may have been hidden meanwhile)."""
    post = model.objects.filter(pk=post_id).select_related("author").first()
    if post is None or not post.is_public:
        return
    members = User.objects.filter(pk__in=member_ids, is_active=True)
    author = post.author.public_name
    if getattr(post, "is_anonymous", False) or getattr(post, "by_anonymous_asker", False):
        author = "Anonymous member"
    for member in members:
        if not _may_see(post, member):
            continue
        text = f"{author} mentioned you in “{post.short_title}”."
        notify(member, Notification.Kind.MENTIONED, text, post.anchor_url, about=post)
