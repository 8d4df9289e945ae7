"""`@Name#12` in a post's Markdown: which members it names, and the link each becomes.

The handle is the member's display name without spaces, followed by `#` and their member number (the number
in their public profile's address): display names are not unique and `username` is an internal handle nobody
may see (accounts.User), so the number says who is meant and the name keeps the text readable. A bare
`@Name` links too when exactly one active member has that name (spaces left out). Mentions inside code
spans and code blocks, and the `@` of an email address, are left alone; unknown names stay plain text.

The markdown-it plugin (`mentions_plugin`) runs on the parsed tokens, so only prose text is looked at.
"""

import re

from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.urls import reverse
from markdown_it.token import Token

from accounts.models import User

# Not after a word character, a dot or another @ (emails: a@b.com); the name, then optionally #number.
MENTION_RE = re.compile(r"(?<![\w.@+-])@(\w(?:[\w.'-]*\w)?)(?:#(\d{1,12}))?", re.UNICODE)
MAX_MENTIONS_LINKED = 50  # per text: a lookup's bound, whatever is pasted


def handle_for(member) -> str:
    """The readable part of `member`'s handle: their display name without spaces or punctuation around it."""
    name = re.sub(r"[^\w.'-]+", "", member.display_name or "")
    return name.strip(".'-") or "member"


def mention_text(member) -> str:
    """What the autocomplete inserts for `member`."""
    return f"@{handle_for(member)}#{member.pk}"


def _active_members():
    return User.objects.filter(is_active=True, is_deleted=False)


def resolve(matches) -> dict[tuple[str, str], User]:
    """(name, number) pairs found in a text -> the active member each names (unknown or ambiguous: absent)."""
    matches = list(dict.fromkeys(matches))[:MAX_MENTIONS_LINKED]
    if not matches:
        return {}
    found = {}
    ids = {int(number) for _name, number in matches if number}
    by_id = {member.pk: member for member in _active_members().filter(pk__in=ids)} if ids else {}
    bare = {name.lower() for name, number in matches if not number}
    by_name: dict[str, list[User]] = {}
    if bare:
        squeezed = _active_members().annotate(handle=Replace(Lower("display_name"), Value(" "), Value("")))
        for member in squeezed.filter(handle__in=bare):
            by_name.setdefault(member.handle, []).append(member)
    for name, number in matches:
        if number:
            member = by_id.get(int(number))
        else:
            candidates = by_name.get(name.lower(), [])
            member = candidates[0] if len(candidates) == 1 else None
        if member is not None:
            found[(name, number)] = member
    return found


def _text_tokens(tokens):
    """The plain-text inline tokens outside links (code spans and code blocks are other token types)."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        in_link = 0
        for index, child in enumerate(block.children):
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text" and not in_link:
                yield block, index, child


def _pairs(text: str):
    return [(m.group(1), m.group(2) or "") for m in MENTION_RE.finditer(text)]


def _link_mentions(state) -> None:
    """Core rule: split text tokens around the mentions of known members, making each a profile link."""
    places = [
        (block, index, token) for block, index, token in _text_tokens(state.tokens) if "@" in token.content
    ]
    if not places:
        return
    members = resolve(pair for _b, _i, token in places for pair in _pairs(token.content))
    state.env.setdefault("mentioned", [])
    # Right to left within each block, so the indexes of earlier tokens stay valid.
    for block, index, token in reversed(places):
        pieces, last = [], 0
        for match in MENTION_RE.finditer(token.content):
            member = members.get((match.group(1), match.group(2) or ""))
            if member is None:
                continue
            state.env["mentioned"].append(member)
            if match.start() > last:
                pieces.append(_text(token.content[last : match.start()]))
            link = Token("link_open", "a", 1)
            link.attrs = {"href": reverse("people:profile", args=[member.pk])}
            pieces += [link, _text(f"@{member.public_name}"), Token("link_close", "a", -1)]
            last = match.end()
        if pieces:
            if last < len(token.content):
                pieces.append(_text(token.content[last:]))
            block.children[index : index + 1] = pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def mentions_plugin(md) -> None:
    md.core.ruler.push("mentions", _link_mentions)


def mentioned_members(md, text: str) -> list[User]:
    """The distinct active members `text` links to, in the order first named."""
    env: dict = {}
    md.parse(text or "", env)
    return list({member.pk: member for member in env.get("mentioned", [])}.values())
