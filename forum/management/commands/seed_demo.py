"""Demo data for the embedded site: idempotent, so `make run` can call it every time."""

from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.badges import award_badges_for
from accounts.models import NONE_DECLARED, ExpertApplication, ExpertCredential, User
from accounts.services import update_profile
from accounts.verification import apply_as_expert
from community.site import absolute_url
from forum.curation import services as curation
from forum.models import Answer, Category, Question, Vote
from forum.moderation import review
from forum.posting import services
from forum.voting import services as voting

# A public secret for the demo accounts only (seed_demo is for the embedded site, never production).
DEMO_TOTP_SECRET = "NBSWC3DUNAWWG33NNV2W42LUPEWWIZLN"  # noqa: S105
DEMO_PASSWORD = "health-demo-2026"  # noqa: S105 (printed for the demo on purpose)

PEOPLE = [
    # email, display name, location, show location, role
    ("moderator@example.com", "Morgan (moderator)", "", False, "moderator"),
    ("cindy@example.com", "Cindy", "Texas", True, "member"),
    ("raj@example.com", "Raj", "Ohio", False, "member"),
    ("ellen@example.com", "Ellen", "Maine", True, "member"),
    ("dr.okafor@example.com", "Dr. Ada Okafor", "", False, ("mental-health", "Psychiatrist", "Psychiatrist, Lakeview University Medical School")),
    ("lena.dietitian@example.com", "Lena Brooks, RD", "", False, ("diet-fitness", "Registered Dietitian", "Registered Dietitian, Northfield College of Nutrition")),
    ("dr.marsh@example.com", "Dr. Tom Marsh", "", False, ("conditions", "Internal medicine physician", "Internist, Riverside Teaching Hospital")),
    ("sam.rivera@example.com", "Sam Rivera, RN", "", False, "expert applicant"),
]  # fmt: skip

# The demo experts' portraits (illustrations drawn by demo_photos/draw.py, no real people), bios and
# conflict-of-interest statements.
DEMO_PHOTOS = Path(__file__).resolve().parent.parent / "demo_photos"
EXPERT_PROFILES = {
    "dr.okafor@example.com": (
        "okafor.jpg",
        "Psychiatrist for fifteen years, mostly with adults living with anxiety and depression.",
        "Paid speaker for a mental health charity's training days (2025).",
    ),
    "lena.dietitian@example.com": (
        "brooks.jpg",
        "Registered dietitian working with families on everyday eating and activity.",
        NONE_DECLARED,
    ),
    "dr.marsh@example.com": (
        "marsh.jpg",
        "Internist at a teaching hospital; diabetes and blood pressure clinics.",
        "Holds shares in a company that makes blood glucose meters.",
    ),
}

# Engagement on the demo Q&A: (question title, answer author or None for the question, voters)
VOTES = [
    ("How do I tell if my worrying has become an anxiety disorder?", None, ["raj@example.com", "ellen@example.com"]),
    ("How do I tell if my worrying has become an anxiety disorder?", "dr.okafor@example.com",
     ["cindy@example.com", "raj@example.com", "ellen@example.com", "lena.dietitian@example.com", "dr.marsh@example.com"]),
    ("How do I tell if my worrying has become an anxiety disorder?", "ellen@example.com", ["cindy@example.com"]),
    ("Is it better to walk every day or run three times a week?", "lena.dietitian@example.com",
     ["raj@example.com", "cindy@example.com", "ellen@example.com"]),
    ("What questions should I ask after a type 2 diabetes diagnosis?", "dr.marsh@example.com",
     ["ellen@example.com", "cindy@example.com", "raj@example.com"]),
    ("What questions should I ask after a type 2 diabetes diagnosis?", "raj@example.com", ["ellen@example.com"]),
]  # fmt: skip
# (question title, answer author): the asker accepts it
ACCEPTED = [
    ("How do I tell if my worrying has become an anxiety disorder?", "dr.okafor@example.com"),
    ("What questions should I ask after a type 2 diabetes diagnosis?", "dr.marsh@example.com"),
]
# (question title, expert): a moderator features the answer
FEATURED = [
    ("Is it better to walk every day or run three times a week?", "lena.dietitian@example.com"),
    ("How do I tell if my worrying has become an anxiety disorder?", "dr.okafor@example.com"),
]
DEMO_PDF = b"%PDF-1.4\n% Demo nursing registration (not a real document)\n1 0 obj << >> endobj\n%%EOF\n"

# Questions and answers written for this project: (category, asker, title, body, tags, anonymous, answers)
QA = [
    ("mental-health", "cindy@example.com", "How do I tell if my worrying has become an anxiety disorder?",
     "I have always been a worrier, but in the last few months I lie awake going over everything that could go wrong at work. "
     "Sometimes my heart races. When does ordinary worry become something I should get checked?",
     ["anxiety", "sleep"], False,
     [("dr.okafor@example.com", "Worry becomes a problem when it is hard to switch off, lasts most days for several months, and "
       "starts to shape what you do: losing sleep, avoiding things, or physical symptoms like a racing heart. Those are good "
       "reasons to talk to your doctor, who can also check for physical causes such as thyroid problems.\n\n"
       "In the meantime, a fixed *worry time* earlier in the evening and a wind-down routine without screens help many people."),
      ("ellen@example.com", "I felt the same last year. Writing the worries down before bed helped me more than I expected, "
       "and my GP was very kind about it when I finally went.")]),
    ("diet-fitness", "raj@example.com", "Is it better to walk every day or run three times a week?",
     "I am 52 and want to get fitter without hurting my knees. Which is better for heart health: a daily 40-minute walk, "
     "or running 20 minutes three times a week?",
     ["exercise", "heart-health", "knees"], False,
     [("lena.dietitian@example.com", "Both count. Guidelines suggest about 150 minutes of moderate activity a week, or 75 of "
       "vigorous. A brisk daily walk meets that on its own and is gentle on knees. If you enjoy running, build up slowly "
       "and mix it with walking days. The best plan is the one you will keep doing.")]),
    ("conditions", "ellen@example.com", "What questions should I ask after a type 2 diabetes diagnosis?",
     "My doctor told me last week I have type 2 diabetes. I was too surprised to ask much. What should I ask at my next appointment?",
     ["diabetes", "appointments"], False,
     [("dr.marsh@example.com", "Good questions to bring:\n\n1. What is my HbA1c and what target should I aim for?\n"
       "2. Do I need medicine now, or can I start with changes to food and activity?\n3. How often should my eyes, feet and "
       "kidneys be checked?\n4. Is there a diabetes education course near me?\n\nWriting them down and bringing someone "
       "with you helps a lot."),
      ("raj@example.com", "Ask about an education course. Mine was the most useful thing after my diagnosis.")]),
    ("living-well", "raj@example.com", "Why do I wake up at 3am every night?",
     "I fall asleep easily but wake around 3am and cannot get back to sleep for an hour. I am in my fifties. Is this normal?",
     ["sleep", "ageing"], True,
     [("cindy@example.com", "Same here! Cutting out coffee after lunch made a real difference for me.")]),
    ("diet-fitness", "cindy@example.com", "How much protein do I need if I start lifting weights?",
     "I am starting strength training twice a week. Do I need protein shakes or is normal food enough?",
     ["nutrition", "exercise"], False,
     [("lena.dietitian@example.com", "Most people who lift twice a week get enough protein from ordinary meals. Aim to "
       "include a source of protein at each meal: eggs, yoghurt, beans, fish, chicken or tofu. Shakes are a convenience, "
       "not a requirement.")]),
    ("mental-health", "ellen@example.com", "How can I support a friend who seems low but won't talk?",
     "A close friend has cancelled plans for weeks and answers messages with one word. I don't want to push. What helps?",
     ["depression", "friendship"], False, []),
    ("conditions", "raj@example.com", "Can high blood pressure cause headaches?",
     "My home monitor sometimes shows 150/95 and I get headaches on those days. Are they connected?",
     ["blood-pressure", "headaches"], False,
     [("dr.marsh@example.com", "High blood pressure usually causes no symptoms, which is why it is checked routinely. "
       "Very high readings can come with headaches, but a reading of 150/95 more often goes with a headache than causes "
       "it. Keep a log of readings and bring it to your doctor. If you ever see readings above 180/120 with chest pain, "
       "shortness of breath or vision changes, seek emergency care.")]),
    ("living-well", "ellen@example.com", "Is a daily afternoon nap good or bad for you?",
     "I have started napping for an hour after lunch. Could that be why my night sleep is worse?",
     ["sleep"], False, []),
]  # fmt: skip

PENDING = [
    ("living-well", "cindy@example.com", "Does drinking water really help with tiredness?",
     "Friends keep telling me I am tired because I don't drink enough water. Is there anything to it?", ["energy"]),
]  # fmt: skip


class Command(BaseCommand):
    help = "Create demo categories, people, questions and answers (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        # Demo people get no notification emails for the content seeded in their name.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        people = {
            email: self._person(email, name, location, show, role)
            for email, name, location, show, role in PEOPLE
        }
        moderator = people["moderator@example.com"]
        if not Question.objects.exists():
            self._content(people, moderator)
        if not Vote.objects.exists():
            self._engagement(people, moderator)
        self._pending_expert_application(people["sam.rivera@example.com"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Log in at {absolute_url(reverse('account_login'))} with:")
        )
        for email, _name, *_rest, role in PEOPLE:
            label = role if isinstance(role, str) else f"expert ({role[1]})"
            self.stdout.write(f"  {email:<30} {DEMO_PASSWORD}   {label}")
        self.stdout.write(
            "Moderators and experts need two-factor authentication. The demo accounts share the TOTP secret "
            f"{DEMO_TOTP_SECRET} (add it to an authenticator app), or print the current code with:\n"
            "  .venv/bin/python manage.py demo_totp"
        )

    def _demo_two_factor(self, user):

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)

    def _person(self, email, name, location, show_location, role):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"username": email.split("@")[0], "display_name": name, "location": location,
                      "show_location": show_location},
        )  # fmt: skip
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role == "moderator" or isinstance(role, tuple):
            self._demo_two_factor(user)
        if role == "moderator":
            user.groups.add(Group.objects.get(name="Moderators"))
        elif isinstance(role, tuple):
            slug, profession, credentials = role
            now = timezone.now()
            credential, _ = ExpertCredential.objects.get_or_create(
                user=user,
                defaults={
                    "profession": profession,
                    "specialty": Category.objects.get(slug=slug),
                    "credentials": credentials,
                    "institution": credentials.split(", ", 1)[-1],
                    "verified_at": now,
                    "verified_until": now + timedelta(days=settings.EXPERT_VERIFICATION_DAYS),
                    "conflict_of_interest": EXPERT_PROFILES[email][2],
                    "coi_confirmed_at": now,
                },
            )
            credential.specialties.add(credential.specialty)
            self._expert_profile(user, credential, *EXPERT_PROFILES[email])
        return user

    def _expert_profile(self, user, credential, photo, bio, statement):
        """The photo goes through the members' own path (checked, cropped square, resized, no metadata)."""
        if not credential.conflict_of_interest:  # a demo database seeded before statements existed
            ExpertCredential.objects.filter(pk=credential.pk).update(
                conflict_of_interest=statement, coi_confirmed_at=timezone.now()
            )
        if user.avatar:
            return
        with (DEMO_PHOTOS / photo).open("rb") as image:
            upload = SimpleUploadedFile(photo, image.read(), content_type="image/jpeg")
        update_profile(
            user=user, display_name=user.display_name, location=user.location,
            show_location=user.show_location, bio=user.bio or bio, avatar=upload,
        )  # fmt: skip

    def _content(self, people, moderator):
        categories = {c.slug: c for c in Category.objects.all()}
        for slug, asker, title, body, tags, anonymous, answers in QA:
            question = services.ask(
                author=people[asker], title=title, body=body, category=categories[slug], tags=tags,
                is_anonymous=anonymous, accepted_terms=True,
            )  # fmt: skip
            review.approve(moderator=moderator, item=question)
            for author, text in answers:
                answer = services.answer(
                    author=people[author], question=question, body=text, accepted_terms=True
                )
                if answer.is_pending:
                    review.approve(moderator=moderator, item=answer)
        for slug, asker, title, body, tags in PENDING:
            services.ask(
                author=people[asker],
                title=title,
                body=body,
                category=categories[slug],
                tags=tags,
                accepted_terms=True,
            )
        self._spread_over_past_days()

    def _spread_over_past_days(self):
        """Backdate the demo posts (written in one second) so pages read like a living community."""
        now = timezone.now()
        questions = list(Question.objects.order_by("pk"))
        for position, question in enumerate(reversed(questions)):
            asked = now - timedelta(hours=9 * position + 2, minutes=17 * position + 25)
            public_at = asked + timedelta(minutes=40) if question.approved_at else None
            Question.objects.filter(pk=question.pk).update(
                created_at=asked, updated_at=asked, approved_at=public_at, last_activity_at=public_at or asked
            )
            for offset, answer in enumerate(Answer.objects.filter(question=question).order_by("pk"), start=1):
                answered = asked + timedelta(hours=offset, minutes=10 * offset)
                Answer.objects.filter(pk=answer.pk).update(
                    created_at=answered, updated_at=answered, approved_at=answered + timedelta(minutes=30)
                )

    def _engagement(self, people, moderator):
        """Votes, accepted answers, featured expert answers and the badges they earn, through the services."""

        def find(title, author_email):
            question = Question.objects.filter(title=title).first()
            if question is None or author_email is None:
                return question
            return Answer.objects.filter(question=question, author=people[author_email]).first()

        for title, author_email, voters in VOTES:
            item = find(title, author_email)
            if item is not None and item.is_public:
                for email in voters:
                    if people[email].pk != item.author_id:
                        voting.vote(voter=people[email], item=item, value=Vote.UP)
        for title, author_email in ACCEPTED:
            answer = find(title, author_email)
            if answer is not None and answer.is_public:
                asker = User.objects.get(pk=answer.question.author_id)
                curation.accept_answer(actor=asker, answer=answer)
        for title, author_email in FEATURED:
            answer = find(title, author_email)
            if answer is not None and answer.is_public:
                curation.feature_answer(moderator=moderator, answer=answer)
        for person in people.values():  # content seeded before badges existed earns them now
            award_badges_for(person)

    def _pending_expert_application(self, applicant):
        """One application waiting in the moderators' expert queue, with a (fake) proof document."""

        if ExpertApplication.objects.filter(applicant=applicant).exists():
            return
        apply_as_expert(
            applicant=applicant,
            profession="Registered Nurse",
            specialties=Category.objects.filter(slug__in=["conditions", "living-well"]),
            credentials="Registered Nurse, Riverside Teaching Hospital",
            institution="Riverside Teaching Hospital",
            licence_number="RN-0042-DEMO",
            licence_issuer="State Board of Nursing",
            conflict_of_interest=NONE_DECLARED,
            documents=[SimpleUploadedFile("registration.pdf", DEMO_PDF, content_type="application/pdf")],
        )
