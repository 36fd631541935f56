"""A bettor uses the portal in a real browser: files with a screenshot, keeps the key,
follows the case, writes, rates and asks for a review; asks anonymously; in Russian; on
a phone; with mistakes in the form; and with a script typed into the description."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ADR_NAME, EMBED_SECRET, Served

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
REFERENCE = re.compile(r"(CMP|CNS)-[2-9A-Z]{4}-[2-9A-Z]{4}")


def _fill_complaint(page: Page, *, description: str, files: list[Path] | None = None) -> None:
    page.get_by_label("Bet settlement").check()
    page.get_by_label("In a few words").fill("Winning bet settled as lost")
    page.get_by_label("What happened?").fill(description)
    page.get_by_label("Bet or transaction numbers").fill("778812, 778813")
    if files:
        page.get_by_label("Screenshots or statements").set_input_files([str(f) for f in files])
    page.get_by_label("Your name").fill("Ivan Petrov")
    page.get_by_label("E-mail address").fill("ivan@example.com")
    page.get_by_label("I agree that the personal details").check()


def _credentials(page: Page) -> tuple[str, str]:
    return page.locator("#reference").inner_text(), page.locator("#access-key").inner_text()


def test_file_follow_write_rate_and_ask_for_review(
    page: Page, served: Served, tmp_path: Path, screenshot: Callable[[Page, str], None]
) -> None:
    shot = tmp_path / "bet-slip.png"
    shot.write_bytes(PNG)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong? Tell us.")
    expect(page.get_by_text(f"you can take your complaint to {ADR_NAME}")).to_be_visible()
    expect(page.get_by_text("A first answer within 24 hours")).to_be_visible()
    expect(page.get_by_text("Never later than 8 weeks")).to_be_visible()
    screenshot(page, "start-desktop-en")

    page.get_by_role("link", name="Make a complaint").first.click()
    expect(page).to_have_url(re.compile(r"/complaint$"))
    _fill_complaint(page, description="Arsenal won 2-1 but my bet shows lost.", files=[shot])
    screenshot(page, "complaint-desktop-en")
    page.get_by_role("button", name="Send complaint").click()

    expect(page.get_by_role("heading", name="We have your complaint")).to_be_visible()
    reference, key = _credentials(page)
    assert REFERENCE.fullmatch(reference)
    assert len(key) >= 22
    assert key not in page.url
    expect(page.locator("#case-link")).to_have_value(re.compile(rf"/t/{reference}/"))
    expect(page.get_by_text("We also send this link to ivan@example.com")).to_be_visible()
    screenshot(page, "confirmation-desktop-en")

    page.get_by_role("link", name="Open my case").click()
    expect(page).to_have_url(f"{served.base_url}/track/{reference}")
    expect(page.get_by_role("heading", name="Received")).to_be_visible()
    expect(page.get_by_role("link", name="bet-slip.png")).to_be_visible()
    expect(page.get_by_text("We will answer by")).to_be_visible()
    expect(page.locator(".promises time").first).to_contain_text("UTC")

    page.get_by_label("Write to us").fill("The coupon number is 778812.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your message has been sent. We will answer here."
    )
    expect(page.locator(".message.from-customer .body").last).to_have_text(
        "The coupon number is 778812."
    )
    screenshot(page, "tracking-desktop-en")

    served.resolve(reference, compensation={"amount": "25.50", "currency": "EUR"})
    page.reload()
    expect(page.get_by_role("heading", name="Answered")).to_be_visible()
    expect(page.get_by_text("Partly upheld: we agree with part of it")).to_be_visible()
    expect(page.get_by_text("€25.50")).to_be_visible()
    expect(page.get_by_role("link", name=f"Go to {ADR_NAME}")).to_have_attribute(
        "href", "https://adr.example.org/"
    )

    page.get_by_text("4", exact=True).click()
    page.get_by_label("Anything to add?").fill("Quick and clear.")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_text("You rated us 4 out of 5. Thank you.")).to_be_visible()

    page.get_by_label("Why should we look again?").fill("The odds used were wrong.")
    page.get_by_role("button", name="Ask for a review").click()
    expect(page.get_by_role("status")).to_contain_text("You have asked for a review")
    expect(page.get_by_role("heading", name="With a senior colleague")).to_be_visible()
    expect(page.get_by_text("You asked for a review", exact=True)).to_be_visible()

    # The key never reached the server's log, nor any address the browser kept.
    assert key not in served.log.read_text(errors="replace")


def test_anonymous_question_is_answered_on_its_page(page: Page, served: Served) -> None:
    page.goto("/")
    page.get_by_role("link", name="Ask a question anonymously").click()
    page.get_by_label("Your question").fill("How long does a withdrawal to a card take?")
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_role("heading", name="We have your question")).to_be_visible()
    reference, _ = _credentials(page)
    assert reference.startswith("CNS-")
    expect(page.get_by_text("We also send this link")).to_have_count(0)
    page.get_by_role("link", name="Open my case").click()
    expect(page.locator(".message .body").first).to_have_text(
        "How long does a withdrawal to a card take?"
    )
    with httpx.Client(base_url=served.base_url, headers=served.staff_headers()) as http:
        http.post(
            f"/api/v1/complaints/{reference}/replies", json={"body": "Up to three working days."}
        ).raise_for_status()
    page.reload()
    expect(page.locator(".from-desk .body")).to_have_text("Up to three working days.")
    expect(page.get_by_role("heading", name="Make this a formal complaint")).to_be_visible()


def test_a_case_opens_by_link_or_by_reference_and_key(
    new_context: Callable[..., BrowserContext], served: Served
) -> None:
    filed = httpx.post(
        f"{served.base_url}/api/v1/consultations", json={"question": "Is cash-out available?"}
    ).json()
    reference, key = filed["reference"], filed["access_key"]
    page = new_context().new_page()
    page.goto(f"/t/{reference}/{key}")
    expect(page).to_have_url(f"{served.base_url}/track/{reference}")
    expect(page.locator(".case-title")).to_have_text(reference)

    other = new_context().new_page()
    other.goto(f"/track/{reference}")
    expect(other.get_by_role("heading", name="We could not find that case")).to_be_visible()
    other.get_by_label("Reference").fill(reference.lower())
    other.get_by_label("Access key").fill(key[:-1] + ("A" if key[-1] != "A" else "B"))
    other.get_by_role("button", name="Open case").click()
    expect(other.get_by_role("heading", name="We could not find that case")).to_be_visible()
    expect(other.get_by_label("Reference")).to_have_value(reference)
    other.get_by_label("Access key").fill(key)
    other.get_by_role("button", name="Open case").click()
    expect(other).to_have_url(f"{served.base_url}/track/{reference}")
    other.get_by_role("button", name="Forget this case on this device").click()
    other.goto(f"/track/{reference}")
    expect(other.get_by_role("heading", name="We could not find that case")).to_be_visible()
    log = served.log.read_text(errors="replace")
    assert f"GET /t/{reference}/[redacted]" in log  # the visit is logged, its key is not
    assert key not in log


def test_russian_pages(
    new_context: Callable[..., BrowserContext],
    served: Served,
    screenshot: Callable[[Page, str], None],
) -> None:
    page = new_context(locale="ru-RU", timezone_id="Europe/Moscow").new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Что-то пошло не так? Расскажите нам."
    )
    expect(page.get_by_text("Первый ответ — не позже чем через 24 часа")).to_be_visible()
    screenshot(page, "start-desktop-ru")
    page.get_by_role("link", name="Подать жалобу").first.click()
    page.get_by_label("Расчёт ставки").check()
    page.get_by_label("Коротко о проблеме").fill("Ставка рассчитана как проигрыш")
    page.get_by_label("Что произошло?").fill(
        "Экспресс на 3 события, все сыграли, а ставка проиграна."
    )
    page.get_by_label("Адрес электронной почты").fill("ivan@example.ru")
    screenshot(page, "complaint-desktop-ru")
    page.get_by_role("button", name="Отправить жалобу").click()
    expect(page.get_by_role("heading", name="Согласие")).to_have_count(0)
    expect(
        page.get_by_text("Чтобы рассмотреть жалобу, нам нужно ваше согласие").first
    ).to_be_visible()
    page.get_by_label("Я согласен(на)").check()
    page.get_by_role("button", name="Отправить жалобу").click()
    expect(page.get_by_role("heading", name="Ваша жалоба получена")).to_be_visible()
    # Moscow time, told by the page's script and written with its offset.
    expect(page.locator(".success time")).to_contain_text("UTC+3")
    screenshot(page, "confirmation-desktop-ru")
    page.get_by_role("link", name="Открыть моё обращение").click()
    expect(page.get_by_role("heading", name="Получено")).to_be_visible()
    screenshot(page, "tracking-desktop-ru")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Received")).to_be_visible()


def test_a_form_with_mistakes_keeps_everything_typed(page: Page) -> None:
    page.goto("/complaint")
    page.get_by_label("In a few words").fill("Withdrawal declined")
    page.get_by_label("What happened?").fill("My withdrawal of 200 EUR was declined twice.")
    page.get_by_label("E-mail address").fill("not-an-address")
    page.get_by_label("Phone number").fill("+44 20 7946 0018")
    page.get_by_role("button", name="Send complaint").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check what you wrote")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please choose what your complaint is about.")
    expect(summary).to_contain_text("This does not look like an e-mail address")
    email = page.get_by_label("E-mail address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("does not look like an e-mail"))
    expect(page.get_by_label("In a few words")).to_have_value("Withdrawal declined")
    expect(page.get_by_label("What happened?")).to_have_value(
        "My withdrawal of 200 EUR was declined twice."
    )
    expect(email).to_have_value("not-an-address")
    expect(page.get_by_label("Phone number")).to_have_value("+44 20 7946 0018")

    # The summary links take the keyboard to the field at fault.
    summary.get_by_role("link", name=re.compile("E-mail address")).click()
    expect(email).to_be_focused()
    email.fill("ivan@example.com")
    page.get_by_label("Deposit or withdrawal").check()
    page.get_by_label("I agree that the personal details").press("Space")
    page.get_by_role("button", name="Send complaint").press("Enter")
    expect(page.get_by_role("heading", name="We have your complaint")).to_be_visible()


def test_a_script_in_a_description_is_shown_as_text(page: Page) -> None:
    attack = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">'
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/complaint")
    _fill_complaint(page, description=f"Look: {attack}")
    page.get_by_label("In a few words").fill("<b>bold</b> subject")
    page.get_by_role("button", name="Send complaint").click()
    page.get_by_role("link", name="Open my case").click()
    expect(page.locator(".message .body").first).to_have_text(f"Look: {attack}")
    expect(page.locator(".subject")).to_have_text("<b>bold</b> subject")
    assert page.locator(".message img, .subject b").count() == 0
    assert page.evaluate("window.pwned") is None
    assert dialogs == []


def test_on_a_phone(
    new_context: Callable[..., BrowserContext],
    tmp_path: Path,
    screenshot: Callable[[Page, str], None],
) -> None:
    phone = new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ).new_page()
    shot = tmp_path / "statement.png"
    shot.write_bytes(PNG)

    def fits() -> bool:
        return bool(phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))

    phone.goto("/")
    assert fits()
    screenshot(phone, "start-phone-en")
    phone.get_by_role("link", name="Make a complaint").first.tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Make a complaint")
    assert fits()
    _fill_complaint(phone, description="Deposit of 50 GBP never arrived.", files=[shot])
    screenshot(phone, "complaint-phone-en")
    phone.get_by_role("button", name="Send complaint").tap()
    expect(phone.get_by_role("heading", name="We have your complaint")).to_be_visible()
    assert fits()
    screenshot(phone, "confirmation-phone-en")
    phone.get_by_role("link", name="Open my case").tap()
    expect(phone.get_by_role("link", name="statement.png")).to_be_visible()
    assert fits()
    button = phone.get_by_role("button", name="Send message").bounding_box()
    assert button is not None
    assert button["height"] >= 44  # a comfortable touch target
    screenshot(phone, "tracking-phone-en")


def _identity(**claims: object) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    mac = hmac.new(EMBED_SECRET.encode(), payload.encode(), hashlib.sha256).digest()
    return payload + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def test_operator_embedding_binds_the_verified_account(page: Page, served: Served) -> None:
    token = _identity(account_id="AC-7731", email="olga@example.com", exp=int(time.time()) + 300)
    page.goto(f"/embed?identity={token}")
    expect(page.get_by_text("Signed in on the operator's site: account AC-7731.")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("olga@example.com")
    expect(page.get_by_label("Account number")).to_have_count(0)
    page.get_by_label("Bonus").check()
    page.get_by_label("In a few words").fill("Free bet not credited")
    page.get_by_label("What happened?").fill("The welcome free bet never arrived.")
    page.get_by_label("I agree that the personal details").check()
    page.get_by_role("button", name="Send complaint").click()
    reference, _ = _credentials(page)
    case = httpx.get(
        f"{served.base_url}/api/v1/complaints/{reference}", headers=served.staff_headers()
    ).json()
    assert case["customer"]["account_id"] == "AC-7731"
    assert case["timeline"][0]["data"]["verified_account"] == "AC-7731"

    forged = _identity(account_id="AC-1", email="a@example.com", exp=int(time.time()) + 300)
    page.goto(f"/embed?identity={forged[:-4]}AAAA")
    expect(page.get_by_role("heading", name="We could not confirm who you are")).to_be_visible()
    expect(page.get_by_text("are not validly signed")).to_be_visible()
    expired = _identity(account_id="AC-1", email="a@example.com", exp=int(time.time()) - 600)
    page.goto(f"/embed?identity={expired}")
    expect(page.get_by_text("have expired")).to_be_visible()
    assert token not in served.log.read_text(errors="replace")
