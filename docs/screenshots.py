"""Screenshots of the main pages for the README: `make screenshots`.

Starts the site on a fresh SQLite database with the demo data (a temporary directory, never db.sqlite3),
then saves the top of each main page at desktop (1280 px) and phone (390 px) width, in light and dark mode,
into docs/screenshots/. Needs Chromium at /usr/bin/chromium (`apt-get install chromium`).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "health-demo-2026"  # noqa: S105 (the demo accounts of seed_demo, printed by `make run`)
SIZES = {"desktop": (1280, 860), "phone": (390, 844)}
SCHEMES = ("light", "dark")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"The site did not start at {url}")


SITE_ENV: dict = {}


def demo_totp_code() -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_totp"],
        cwd=ROOT,
        env=SITE_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().split()[-1]


def start_site(workdir: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'screenshots.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "1",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "LOG_LEVEL": "WARNING",
    }
    SITE_ENV.update(env)
    python = sys.executable
    for command in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    return subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def pages(first_question: str, pending_question: str, expert_profile: str) -> list[tuple[str, str, str]]:
    """(name, who is logged in, path) for each main page."""
    return [
        ("home", "", "/"),
        ("category", "", "/c/mental-health/"),
        ("tag", "", "/tags/sleep/"),
        ("question", "", first_question),
        ("search", "", "/search/?q=sleep"),
        ("login", "", "/accounts/login/"),
        ("signup", "", "/accounts/signup/"),
        ("profile-expert", "", expert_profile),
        ("experts", "", "/members/experts/"),
        ("terms", "", "/terms/"),
        ("ask", "cindy@example.com", "/ask/"),
        ("question-pending", "cindy@example.com", pending_question),
        ("moderation-queue", "moderator@example.com", "/moderation/"),
        ("audit-log", "moderator@example.com", "/moderation/audit/"),
    ]


def log_in(browser, base: str, email: str) -> dict:
    """Log in through the form once; return the session (storage state) for the contexts to reuse."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/2fa/authenticate/" in page.url:  # moderators and experts have the demo TOTP authenticator
        page.get_by_label("Code").fill(demo_totp_code())
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/")
    state = context.storage_state()
    context.close()
    return state


def fill_in_question(page) -> None:
    """Show the ask form in use: the Markdown editor and its live preview."""
    page.get_by_label("Title").fill("Is it safe to take ibuprofen with my blood pressure tablets?")
    page.locator("#id_body").fill(
        "I take **amlodipine** every morning. Sometimes I get back pain and wonder:\n\n"
        "- can I take ibuprofen on the same day?\n- is paracetamol a better choice?"
    )
    page.locator("[data-md-preview] li").first.wait_for()
    page.evaluate("document.querySelector('label[for=id_title]').scrollIntoView()")


def shrink(path: Path) -> None:
    # UI screenshots survive a 256-colour palette well and get several times smaller.
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = start_site(Path(tmp), port)
        try:
            wait_for(f"{base}/healthz")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    headless=True,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-background-networking",
                    ],
                )
                sessions = {}
                targets = discover(browser, base, sessions)
                for size, (width, height) in SIZES.items():
                    for scheme in SCHEMES:
                        contexts = {}
                        for name, who, path in targets:
                            if who and who not in sessions:
                                sessions[who] = log_in(browser, base, who)
                            if who not in contexts:
                                contexts[who] = browser.new_context(
                                    viewport={"width": width, "height": height},
                                    color_scheme=scheme,
                                    device_scale_factor=1,
                                    is_mobile=size == "phone",
                                    has_touch=size == "phone",
                                    reduced_motion="reduce",
                                    storage_state=sessions[who] if who else None,
                                )
                            page = contexts[who].new_page()
                            page.goto(f"{base}{path}")
                            page.wait_for_load_state("networkidle")
                            if name == "ask":
                                fill_in_question(page)
                            target = OUT / f"{name}-{size}-{scheme}.png"
                            page.screenshot(path=target, animations="disabled", caret="hide")
                            shrink(target)
                            page.close()
                        for context in contexts.values():
                            context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(
        f"Saved {len(list(OUT.glob('*.png')))} screenshots ({total / 1e6:.1f} MB) to {OUT.relative_to(ROOT)}/"
    )


def discover(browser, base: str, sessions: dict) -> list[tuple[str, str, str]]:
    """Find the demo question with an expert answer, the pending question and an expert's profile."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/search/?q=anxiety+disorder")
    first_question = page.locator(".question-list .q-title a").first.get_attribute("href")
    page.goto(f"{base}{first_question}")
    expert_profile = page.locator(".answer-expert a.author").first.get_attribute("href")
    context.close()
    sessions["cindy@example.com"] = log_in(browser, base, "cindy@example.com")
    context = browser.new_context(storage_state=sessions["cindy@example.com"])
    page = context.new_page()
    page.goto(f"{base}/")
    pending_question = page.locator(".own-pending a").first.get_attribute("href")
    context.close()
    return pages(first_question, pending_question, expert_profile)


if __name__ == "__main__":
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`.")
    main()
