"""The staff web UI in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta

import pytest

from tests.conftest import SAMPLES, LiveService, wait_for

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _admin_password(live_service: LiveService) -> str:
    """The first-start password is printed once to the operator's terminal (our log file)."""
    for line in live_service.log().splitlines():
        if "web login" in line:
            return line.split("/")[-1].strip()
    raise AssertionError("first-start credentials were not printed")


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by scripts/setup.sh --test")
def test_companion_codes_and_a_typo_in_a_browser(live_service: LiveService) -> None:
    """A request with supplies and a typo: the typo is named, everything typed stays in the
    form; fixed, the case keeps every line with its modifiers and units."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(live_service.base_url + "/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", _admin_password(live_service))
        page.click("button[type=submit]")
        page.wait_for_selector("#new-case")
        typed = "E0601 NU\nA7030 x1\nA703 x2\nE0562"
        page.fill("textarea[name=service_codes]", typed)
        page.fill("input[name=payer_name]", "Saguaro Family Health Plan")
        page.select_option("select[name=plan_type]", "medicaid_managed_care")
        page.fill("input[name=state]", "AZ")
        page.fill("input[name=member_id]", "A98765432")
        page.fill("input[name=reference]", "cpap-supplies")
        page.click("#new-case button[type=submit]")
        page.wait_for_selector("p.error")
        assert "'A703'" in page.text_content("p.error")
        assert page.input_value("textarea[name=service_codes]") == typed
        assert page.input_value("input[name=payer_name]") == "Saguaro Family Health Plan"
        assert page.input_value("select[name=plan_type]") == "medicaid_managed_care"
        assert page.input_value("input[name=member_id]") == "A98765432"
        assert page.input_value("input[name=reference]") == "cpap-supplies"
        page.fill("textarea[name=service_codes]", typed.replace("A703 x2", "A7035 x2") + "\n99213")
        page.click("#new-case button[type=submit]")
        page.wait_for_selector("#upload")
        assert page.text_content("#service-lines").strip() == "E0601-NU, A7030 ×1, A7035 ×2, E0562, 99213"
        assert "medicaid managed care" in page.text_content("body")
        checklist = page.text_content("#checklist") or ""
        assert "No documentation requirements known for 99213" in checklist
        assert page.text_content("#completeness-status").strip() == "incomplete"
        browser.close()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by scripts/setup.sh --test")
def test_staff_flow_in_a_browser(live_service: LiveService, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    case = json.loads((SAMPLES / "mri_complete_text" / "case.json").read_text())
    files = [str(SAMPLES / "mri_complete_text" / f["file"]) for f in case["files"]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(live_service.base_url + "/")
        assert page.url.endswith("/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "wrong")
        page.click("button[type=submit]")
        assert "Wrong user name or password" in page.text_content("body")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", _admin_password(live_service))
        page.click("button[type=submit]")
        page.wait_for_selector("#new-case")

        page.fill("textarea[name=service_codes]", "72148")
        page.fill("input[name=payer_name]", case["request"]["payer_name"] or "")
        page.select_option("select[name=plan_type]", case["request"]["plan_type"])
        page.fill("input[name=state]", case["request"]["state"])
        page.fill("input[name=request_date]", case["request"]["request_date"])
        page.fill("input[name=reference]", "browser-case")
        page.click("#new-case button[type=submit]")
        page.wait_for_selector("#upload")

        page.set_input_files("input[name=files]", files)
        page.click("#upload button[type=submit]")
        page.wait_for_selector("text=accepted")

        def extracted() -> bool:
            page.reload()
            statuses = page.locator("#documents tr td:nth-child(2)").all_text_contents()
            return len(statuses) == len(files) and all(s.startswith("extracted") for s in statuses)

        wait_for(extracted, timeout=180, interval=1, what="documents extracted in the UI")
        assert page.text_content("#completeness-status").strip() == "complete"
        assert page.locator("#checklist td.met").count() >= 5
        # Pre-cert required (commercial AZ: no rule on file) and the payer rules applied.
        assert "unknown" in page.text_content("#precert-required")
        assert "Arizona commercial" in page.text_content("#payer-rules")
        case_url = page.url
        # An evidence link opens the document on the page the evidence is on.
        link = page.locator("#checklist a[href*='#page-']").first
        href = link.get_attribute("href") or ""
        link.click()
        page.wait_for_selector(f"details#{href.split('#')[1]}[open]")
        # The catalog page: what is checked for every service, with sources.
        page.goto(live_service.base_url + "/catalog")
        assert page.locator("table.catalog").count() >= 20
        assert "mri-lumbar.conservative-care-6w" in page.text_content("body")
        page.goto(case_url)
        page.wait_for_selector("#checklist")

        # The form posts and redirects back: let that navigation finish before reloading, or the
        # reload races it ("Not attached to an active page").
        with page.expect_navigation():
            page.click("#build-packet button")
        wait_for(
            lambda: (page.reload() or True) and page.locator("#packets a", has_text="packet.pdf").count() == 1,
            timeout=120,
            interval=1,
            what="packet link",
        )
        with page.expect_download() as download_info:
            page.locator("#packets a", has_text="packet.pdf").click()
        path = download_info.value.path()
        assert path.read_bytes()[:5] == b"%PDF-"
        # The coordinator faxed it herself 20 days ago (AZ commercial: 14 days) and records it.
        page.click(".record-submission summary")
        page.select_option(".submission-form select[name=channel]", "fax")
        page.fill(".submission-form input[name=payer_reference]", "PX-9")
        sent = (datetime.now() - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")  # the browser's local time
        page.fill(".submission-form input[name=submitted_at]", sent)
        with page.expect_navigation():
            page.click(".submission-form button")
        assert "submission recorded" in page.text_content("p.note")
        status_cell = page.text_content("#packets td.packet-status") or ""
        assert "sent by fax" in status_cell and "payer ref. PX-9" in status_cell
        assert page.locator("#packets .overdue", has_text="Decision overdue").count() == 1
        # A denial without the payer's reason is refused with the reason why; with it, recorded.
        page.click(".record-decision summary")
        page.select_option(".decision-form select[name=outcome]", "denied")
        with page.expect_navigation():
            page.click(".decision-form button")
        assert "denial needs the payer's specific reason" in page.text_content("p.note")
        page.click(".record-decision summary")
        page.select_option(".decision-form select[name=outcome]", "denied")
        page.fill(".decision-form input[name=reason]", "Criteria 4.2 not met: no 6 weeks of therapy")
        with page.expect_navigation():
            page.click(".decision-form button")
        status_cell = page.text_content("#packets td.packet-status") or ""
        assert status_cell.startswith("denied") and "Criteria 4.2 not met" in status_cell
        assert "(decided after the due date)" in status_cell and page.locator("#packets .overdue").count() == 0
        page.screenshot(path=str(tmp_path / "case.png"), full_page=True)
        browser.close()
