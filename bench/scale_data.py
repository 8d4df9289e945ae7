"""Generate realistic volumes of community data quickly, for the benchmarks.

Rows are built as model instances (so every field gets its model default, even fields added later) and
streamed into PostgreSQL with COPY; on SQLite they go through bulk_create (small scales only, for tests).
Distributions are skewed the way real communities are: a few tags, questions and members get most of the
activity. Scale 1 = 100,000 questions, 500,000 answers, 2,000,000 votes, 10,000 members, 200 experts, and one
question with 300 answers.
"""

import itertools
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from accounts.models import ExpertCredential, User
from forum.markdown import render
from forum.models import Answer, Category, Question, Status, TaggedQuestion, Vote
from forum.search.index import reindex_all_from

BASE = {"questions": 100_000, "answers": 500_000, "votes": 2_000_000, "members": 10_000, "experts": 200}
BIG_QUESTION_ANSWERS = 300
OTHER_ANSWERS_CAP = 120  # the most answers any other question gets (the big one stays the biggest)
TAG_COUNT = 400

SUBJECTS = [
    "sleep", "back pain", "migraines", "anxiety", "low mood", "blood pressure", "cholesterol", "type 2 diabetes",
    "knee pain", "weight loss", "running", "strength training", "protein", "vitamin D", "iron levels", "asthma",
    "eczema", "acid reflux", "IBS", "menopause", "pregnancy nausea", "panic attacks", "insomnia", "fatigue",
    "thyroid", "arthritis", "allergies", "a cold that won't go away", "dizziness", "heart palpitations",
    "stress at work", "grief", "burnout", "caffeine", "intermittent fasting", "gluten", "snoring", "tinnitus",
]  # fmt: skip
FRAMES = [
    "How can I manage {s} while working night shifts?", "Is {s} something I should see a doctor about?",
    "What helped you cope with {s}?", "Can {s} be linked to what I eat?", "Why does my {s} get worse in winter?",
    "Is it safe to exercise with {s}?", "How long does {s} usually last?", "What questions should I ask about {s}?",
    "Could my medication be causing {s}?", "Does {s} run in families?", "Best small daily habits for {s}?",
]  # fmt: skip
SENTENCES = [
    "I have noticed this for about three months now.", "It is worse in the evening and after long days at work.",
    "My doctor said my blood tests were normal, but it keeps coming back.", "I am in my forties and otherwise healthy.",
    "I have tried cutting down on coffee and going to bed earlier.", "It affects my mood and my concentration.",
    "Friends have suggested supplements but I am not sure they are safe.", "I would like to understand what is normal.",
    "Walking helps a little, but not every day.", "I keep a diary of symptoms, which I can share.",
    "What worked for me was a routine, not a single fix.", "Talk to your pharmacist about interactions first.",
    "A physiotherapist gave me exercises that made a real difference.", "Keep a log and bring it to your appointment.",
]  # fmt: skip


@dataclass
class Plan:
    questions: int
    answers: int
    votes: int
    members: int
    experts: int

    @classmethod
    def for_scale(cls, scale: float) -> "Plan":
        return cls(**{k: max(1, int(v * scale)) for k, v in BASE.items()})


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def _next_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _write(model, objects, batch: int = 20_000) -> int:
    """Stream model instances into the table: COPY on PostgreSQL, bulk_create elsewhere."""
    count = 0
    if connection.vendor != "postgresql":
        iterator = iter(objects)
        while chunk := list(itertools.islice(iterator, batch)):
            model.objects.bulk_create(chunk, batch_size=500)
            count += len(chunk)
        return count
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection=connection) for f in fields]
                )
                count += 1
    return count


def _reset_sequences(*models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def finish(*, first_question_id: int = 1, now=None) -> None:
    """What the services would have left behind, for generated questions from `first_question_id` on:
    the asker accepted the best answer of about a quarter of the answered questions; the expert-answer
    counts and last activity follow the answers; experts' specialties include their main one; every
    reputation is recomputed from the rows (accounts.reputation). Idempotent: `generate_scale_data
    --finish-only` runs it again on data generated before these rules existed."""
    from accounts.reputation import recompute_all

    now = now or timezone.now()
    q = first_question_id
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_expertcredential_specialties (expertcredential_id, category_id) "
            "SELECT c.id, c.specialty_id FROM accounts_expertcredential c WHERE NOT EXISTS (SELECT 1 FROM "
            "accounts_expertcredential_specialties s WHERE s.expertcredential_id = c.id "
            "AND s.category_id = c.specialty_id)"
        )
        # Generated before answers were capped at "now": none may lie in the future.
        for column in ("created_at", "updated_at", "approved_at", "featured_at"):
            cursor.execute(
                f"UPDATE forum_answer SET {column} = %s WHERE {column} > %s AND question_id >= %s",
                [now, now, q],
            )
        cursor.execute(
            "UPDATE forum_question SET accepted_answer_id = best.id FROM (SELECT a.question_id, a.id, "
            "ROW_NUMBER() OVER (PARTITION BY a.question_id ORDER BY a.score DESC, a.id) AS n FROM forum_answer a "
            "JOIN forum_question q2 ON q2.id = a.question_id WHERE a.status = 'approved' AND a.score > 0 "
            "AND a.author_id <> q2.author_id AND a.question_id >= %s) best "
            "WHERE forum_question.id = best.question_id AND best.n = 1 AND forum_question.accepted_answer_id IS NULL "
            "AND forum_question.id %% 4 = 0",
            [q],
        )
        cursor.execute(
            "UPDATE forum_question SET answer_count = 0, expert_answer_count = 0, last_activity_at = created_at "
            "WHERE id >= %s",
            [q],
        )
        cursor.execute(
            "UPDATE forum_question SET answer_count = x.n, expert_answer_count = x.e, last_activity_at = x.last "
            "FROM (SELECT a.question_id, COUNT(*) AS n, SUM(CASE WHEN cred.id IS NULL THEN 0 ELSE 1 END) AS e, "
            "MAX(a.created_at) AS last FROM forum_answer a LEFT JOIN accounts_expertcredential cred "
            "ON cred.user_id = a.author_id AND cred.revoked_at IS NULL AND cred.verified_until > %s "
            "WHERE a.status = 'approved' AND a.question_id >= %s GROUP BY a.question_id) x "
            "WHERE forum_question.id = x.question_id",
            [now, q],
        )
    recompute_all()


def generate(scale: float = 1.0, seed: int = 2026, log=print) -> dict:
    """Add a scaled data set to the database. Returns the row counts written and the seconds taken."""
    run = _Generation(scale, seed, log)
    with transaction.atomic():
        run.members_and_experts()
        run.step("members and experts")
        run.tag_names()
        run.questions()
        run.step("questions")
        run.question_tags()
        run.step("tags")
        run.answers()
        run.step("answers")
        run.votes()
        run.step("votes")
        _recount_scores(run.first_q)
        run.step("scores and search vectors")
        _reset_sequences(User, ExpertCredential, Question, TaggedQuestion, Answer, Vote)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    run.step("analyze")
    # After ANALYZE: these joins need the planner to know the tables' real sizes.
    finish(first_question_id=run.first_q, now=run.now)
    run.step("accepted answers, expert counts, activity and reputation")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # (tests run in a transaction)
        # The UPDATEs above left a dead version of nearly every question and answer (3.8 million at scale
        # 10), which index scans still visit until autovacuum gets round to them: a site's tables do not
        # look like that, so the benchmark's should not either.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        run.step("vacuum")
    return {
        "members": run.plan.members,
        "experts": len(run.expert_ids),
        "questions": run.plan.questions,
        "tagged": run.tagged,
        "answers": len(run.a_ids),
        "votes": run.votes_written,
        "big_question_id": run.q_ids[0],
        "seconds": round(time.perf_counter() - run.started, 1),
        "timings": run.timings,
    }


class _Generation:
    """One run of `generate`: its random source and what each step made, for the steps after it. The steps
    draw from the one seeded random source in a fixed order, so a seed always gives the same data."""

    def __init__(self, scale: float, seed: int, log):
        self.rng = random.Random(seed)
        self.plan = Plan.for_scale(scale)
        self.log = log
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.now = timezone.now()
        self.categories = list(Category.objects.all())

    def step(self, name: str) -> None:
        self.timings[name] = round(time.perf_counter() - self.started - sum(self.timings.values()), 2)
        self.log(f"  {name}: {self.timings[name]} s")

    def members_and_experts(self) -> None:
        """Members, some of them experts."""
        rng, now, categories = self.rng, self.now, self.categories
        password = User().password or "!"  # unusable password: scale members cannot log in
        first_user = _next_id(User)
        user_ids = self.user_ids = list(range(first_user, first_user + self.plan.members))
        joined = [now - timedelta(days=rng.randint(1, 1500)) for _ in user_ids]
        _write(
            User,
            (
                User(
                    id=uid, username=f"scale-{uid}", email=f"scale-{uid}@example.invalid", password=password,
                    display_name=f"Member {uid}", location=rng.choice(["Texas", "Ohio", "Maine", ""]),
                    show_location=rng.random() < 0.3, date_joined=joined[i],
                )
                for i, uid in enumerate(user_ids)
            ),
        )  # fmt: skip
        expert_ids = self.expert_ids = rng.sample(user_ids, min(self.plan.experts, len(user_ids)))
        first_cred = _next_id(ExpertCredential)
        _write(
            ExpertCredential,
            (
                ExpertCredential(
                    id=first_cred + i, user_id=uid, profession="Physician", specialty_id=categories[i % len(categories)].pk,
                    credentials="Physician, Scale University", institution="Scale University", verified_at=now,
                    verified_until=now + timedelta(days=settings.EXPERT_VERIFICATION_DAYS),
                )
                for i, uid in enumerate(expert_ids)
            ),
        )  # fmt: skip
        through = ExpertCredential.specialties.through
        through.objects.bulk_create(
            [
                through(expertcredential_id=first_cred + i, category_id=categories[i % len(categories)].pk)
                for i in range(len(expert_ids))
            ],
            batch_size=1000,
        )
        self.member_weights = _zipf_weights(len(user_ids), 0.8)

    def tag_names(self) -> None:
        """Tags with a Zipf popularity."""
        existing = set(Tag.objects.values_list("slug", flat=True))
        names = [f"{s}" for s in SUBJECTS] + [f"topic-{i}" for i in range(TAG_COUNT - len(SUBJECTS))]
        Tag.objects.bulk_create(
            [Tag(name=n, slug=slugify(n)) for n in names if slugify(n) not in existing], batch_size=1000
        )
        self.tags = list(
            Tag.objects.filter(slug__in=[slugify(n) for n in names]).values_list("pk", flat=True)
        )
        self.tag_weights = _zipf_weights(len(self.tags))

    def questions(self) -> None:
        """Questions: mostly approved, some pending or rejected; categories skewed too."""
        rng, now, categories = self.rng, self.now, self.categories
        bodies = self.bodies = [" ".join(rng.sample(SENTENCES, 4)) for _ in range(200)]
        rendered = self.rendered = [render(b) for b in bodies]
        category_weights = [0.4, 0.25, 0.2, 0.15][: len(categories)] + [0.1] * max(0, len(categories) - 4)
        self.first_q = _next_id(Question)
        q_ids = self.q_ids = list(range(self.first_q, self.first_q + self.plan.questions))
        q_status = self.q_status = [
            Status.APPROVED if r < 0.95 else (Status.PENDING if r < 0.98 else Status.REJECTED)
            for r in (rng.random() for _ in q_ids)
        ]
        q_status[0] = Status.APPROVED  # the big question
        q_created = self.q_created = sorted(
            now - timedelta(minutes=rng.randint(10, 3 * 365 * 24 * 60)) for _ in q_ids
        )
        q_authors = self.q_authors = rng.choices(self.user_ids, weights=self.member_weights, k=len(q_ids))

        def question_rows():
            for i, qid in enumerate(q_ids):
                subject = rng.choice(SUBJECTS)
                title = rng.choice(FRAMES).format(s=subject)
                b = rng.randrange(len(bodies))
                created = q_created[i]
                yield Question(
                    id=qid, author_id=q_authors[i], title=title, slug=slugify(title)[:200],
                    body=f"About {subject}: {bodies[b]}", body_html=f"<p>About {subject}: </p>{rendered[b]}",
                    category_id=rng.choices(categories, weights=category_weights)[0].pk, status=q_status[i],
                    terms_version=settings.TERMS_VERSION, created_at=created, updated_at=created,
                    last_activity_at=created,
                    approved_at=created + timedelta(minutes=30) if q_status[i] == Status.APPROVED else None,
                    is_anonymous=rng.random() < 0.1,
                )  # fmt: skip

        _write(Question, question_rows())

    def question_tags(self) -> None:
        first_tq = _next_id(TaggedQuestion)
        tq_rows = []
        for qid in self.q_ids:
            for tag_id in set(
                self.rng.choices(self.tags, weights=self.tag_weights, k=self.rng.randint(1, 4))
            ):
                tq_rows.append(
                    TaggedQuestion(id=first_tq + len(tq_rows), content_object_id=qid, tag_id=tag_id)
                )
        _write(TaggedQuestion, tq_rows)
        self.tagged = len(tq_rows)

    def _answer_targets(self) -> list[int]:
        """The question of each answer: the first question gets 300; the rest are spread with a long tail."""
        rng, q_ids = self.rng, self.q_ids
        approved_q = self.approved_q = [
            qid for qid, st in zip(q_ids, self.q_status, strict=True) if st == Status.APPROVED
        ]
        remaining = max(0, self.plan.answers - BIG_QUESTION_ANSWERS)
        others = [qid for qid in approved_q if qid != q_ids[0]] or approved_q
        q_weights = _zipf_weights(len(others), 0.6)
        rng.shuffle(q_weights)
        picks = rng.choices(others, weights=q_weights, k=remaining)
        # A long tail, but no other question near the big one: popular questions stop at OTHER_ANSWERS_CAP
        # and their surplus goes to questions picked at random.
        per_question: dict[int, int] = {}
        for i, qid in enumerate(picks):
            per_question[qid] = per_question.get(qid, 0) + 1
            if per_question[qid] > OTHER_ANSWERS_CAP:
                picks[i] = rng.choice(others)
        return [q_ids[0]] * min(BIG_QUESTION_ANSWERS, self.plan.answers) + picks

    def answers(self) -> None:
        rng, now, bodies, rendered = self.rng, self.now, self.bodies, self.rendered
        targets = self._answer_targets()
        created_of = dict(zip(self.q_ids, self.q_created, strict=True))
        first_a = _next_id(Answer)
        a_ids = self.a_ids = list(range(first_a, first_a + len(targets)))
        expert_set = set(self.expert_ids)
        member_picks = rng.choices(self.user_ids, weights=self.member_weights, k=len(targets))
        a_authors = self.a_authors = [
            rng.choice(self.expert_ids) if rng.random() < 0.08 else pick for pick in member_picks
        ]
        a_status = self.a_status = [
            Status.APPROVED if rng.random() < 0.96 else Status.PENDING for _ in targets
        ]
        a_status[:BIG_QUESTION_ANSWERS] = [Status.APPROVED] * len(a_status[:BIG_QUESTION_ANSWERS])

        def answer_rows():
            for i, (aid, qid) in enumerate(zip(a_ids, targets, strict=True)):
                # Within a month of the question, and never in the future.
                created = min(created_of[qid] + timedelta(minutes=rng.randint(40, 60 * 24 * 30)), now)
                b = rng.randrange(len(bodies))
                featured = (
                    a_authors[i] in expert_set and a_status[i] == Status.APPROVED and rng.random() < 0.05
                )
                yield Answer(
                    id=aid, question_id=qid, author_id=a_authors[i], body=bodies[b], body_html=rendered[b],
                    status=a_status[i], terms_version=settings.TERMS_VERSION, created_at=created,
                    updated_at=created, approved_at=created if a_status[i] == Status.APPROVED else None,
                    is_featured=featured, featured_at=created if featured else None,
                )  # fmt: skip

        _write(Answer, answer_rows())

    def votes(self) -> None:
        """Votes: 70% on answers, skewed to popular posts; one per voter per post (distinct voters per post)."""
        rng, now, plan, user_ids = self.rng, self.now, self.plan, self.user_ids
        approved_a = [aid for aid, st in zip(self.a_ids, self.a_status, strict=True) if st == Status.APPROVED]
        # Per kind: answer and question ids overlap.
        owners = {
            "answer": dict(zip(self.a_ids, self.a_authors, strict=True)),
            "question": dict(zip(self.q_ids, self.q_authors, strict=True)),
        }

        first_vote = _next_id(Vote)  # before COPY starts: the connection is busy while it streams

        def vote_rows():
            vid = first_vote
            left = plan.votes
            pools = [("answer", approved_a, int(plan.votes * 0.7)), ("question", self.approved_q, plan.votes)]
            for kind, posts, budget in pools:
                owner = owners[kind]
                budget = min(budget, left)
                weights = _zipf_weights(len(posts), 0.9)
                rng.shuffle(weights)
                per_post: dict[int, int] = {}
                cap = len(user_ids) - 1  # every member but the author, at most
                for post in rng.choices(posts, weights=weights, k=budget):
                    while per_post.get(post, 0) >= cap:  # a full post's vote goes to another, so none is lost
                        post = rng.choice(posts)
                    per_post[post] = per_post.get(post, 0) + 1
                for post, n in per_post.items():
                    n = min(n, left)
                    # One more than needed, so that skipping the owner (no self-votes) still leaves n.
                    voters = [v for v in rng.sample(user_ids, n + 1) if v != owner[post]][:n]
                    for voter in voters:
                        value = 1 if rng.random() < 0.85 else -1
                        yield Vote(
                            id=vid, voter_id=voter, value=value, created_at=now,
                            answer_id=post if kind == "answer" else None,
                            question_id=post if kind == "question" else None,
                        )  # fmt: skip
                        vid += 1
                        left -= 1
                    if left <= 0:
                        return

        self.votes_written = _write(Vote, vote_rows())


def _recount_scores(first_q: int) -> None:
    """Denormalised numbers, from the rows (the same rules as the services); search vectors of new questions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forum_answer SET score = v.s FROM (SELECT answer_id, SUM(value) s FROM forum_vote "
            "WHERE answer_id IS NOT NULL GROUP BY answer_id) v WHERE forum_answer.id = v.answer_id"
            if connection.vendor == "postgresql"
            else "UPDATE forum_answer SET score = (SELECT COALESCE(SUM(value), 0) FROM forum_vote "
            "WHERE forum_vote.answer_id = forum_answer.id)"
        )
        cursor.execute(
            "UPDATE forum_question SET score = v.s FROM (SELECT question_id, SUM(value) s FROM forum_vote "
            "WHERE question_id IS NOT NULL GROUP BY question_id) v WHERE forum_question.id = v.question_id"
            if connection.vendor == "postgresql"
            else "UPDATE forum_question SET score = (SELECT COALESCE(SUM(value), 0) FROM forum_vote "
            "WHERE forum_vote.question_id = forum_question.id)"
        )
        if connection.vendor == "postgresql":
            # What forum.search.index writes: title and tags (A), body (B), verified experts' public answers (C).
            reindex_all_from(cursor, first_q)
