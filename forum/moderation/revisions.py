"""The revision history of questions and answers: every accepted version is kept, shown to moderators in full and to readers for public versions only, with word diffs for proposed edits."""

import difflib
import itertools
import re

from forum.models import Revision, Status


def record_revision(*, item, editor, reason: str = "") -> Revision:
    """Keep the text of `item` as it was before an edit. Called by the edit services before they change it;
    `was_public` when that text was the approved version everyone saw (the public history lists those)."""
    old = (
        type(item)
        .objects.filter(pk=item.pk)
        .values("status", *(["title", "body"] if item.kind_name == "question" else ["body"]))
    )
    old = old.get()
    return Revision.objects.create(
        **{item.kind_name: item},
        editor=editor if editor and editor.is_authenticated else None,
        title=old.get("title", ""),
        body=old["body"],
        reason=reason,
        was_public=old["status"] == Status.APPROVED,
    )


_TOKEN_RE = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in equal/insert/delete: a word-level diff. Text stays raw: templates escape it."""
    a, b = _TOKEN_RE.findall(old or ""), _TOKEN_RE.findall(new or "")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(b[j1:j2])))
    return out


def revision_history(item) -> list[dict]:
    """Newest first: each kept revision with the diff from its text to the text that replaced it (for
    moderators: every edit, including those made while the post was not public)."""
    revisions = list(item.revisions.kept().select_related("editor").order_by("-created_at", "-pk"))
    history = []
    newer_title = item.own_title
    newer_body = item.body
    for revision in revisions:
        history.append(
            {
                "revision": revision,
                "title_diff": word_diff(revision.title, newer_title) if revision.title != newer_title else [],
                "body_diff": word_diff(revision.body, newer_body),
            }
        )
        newer_title, newer_body = revision.title, revision.body
    return history


def public_history(item) -> list[dict]:
    """The versions of a public post everyone has seen, newest first (the current one, then each earlier
    public text), each with the diff from the version before it. Proposed edits, and texts the post had
    while it was not public, never appear."""
    title = item.own_title
    versions = [
        {"title": title, "body": item.body, "at": item.edited_at or item.approved_at, "current": True}
    ]
    for revision in item.revisions.public_versions().order_by("-created_at", "-pk"):
        versions[-1]["at"] = revision.created_at  # the newer version replaced this one then
        versions.append({"title": revision.title, "body": revision.body, "at": None, "current": False})
    versions[-1]["at"] = item.approved_at
    for newer, older in itertools.pairwise(versions):
        newer["title_diff"] = (
            word_diff(older["title"], newer["title"]) if older["title"] != newer["title"] else []
        )
        newer["body_diff"] = word_diff(older["body"], newer["body"])
    return versions


def proposal_diff(proposal: Revision) -> dict:
    """What a proposed edit changes in its post's current (approved) text: title and body word diffs."""
    post = proposal.post
    title = post.own_title
    return {
        "title_diff": word_diff(title, proposal.title)
        if proposal.question_id and title != proposal.title
        else [],
        "body_diff": word_diff(post.body, proposal.body),
    }
