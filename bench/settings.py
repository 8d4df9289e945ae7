"""Production settings for the benchmark server, with one change: members' rate limits are raised so 50
members can vote thousands of times in a few seconds. The limiter still runs on every vote (its cost is
measured); it just never refuses. Everything else is community.settings as deployed."""

from community.settings import *  # noqa: F403

FORUM_RATE_LIMITS = {**FORUM_RATE_LIMITS, "vote": "1000000/h"}  # noqa: F405
FORUM_NEW_MEMBER_RATE_LIMITS = {**FORUM_NEW_MEMBER_RATE_LIMITS, "vote": "1000000/h"}  # noqa: F405
