#!/usr/bin/env python3
"""Take the screenshots of the user guides from a running XinAn demo.

The demo must be running on a loopback address with the demo data loaded and the
recording SMS outbox (the default). The steps change the demo data as a user would: the staff
step files a first report, the counsellor step writes a case report, the national admin creates
and publishes a demo campaign, the provincial admin adds the demo filer, the filer submits a
made-up report, the provincial admin opens a provincial review round that the demo reviewer scores
(the reviewer step needs the filer's submission), and the auditor asks for an audit extract that
the security admin approves. Run them on a fresh demo, for example:

    export XINAN_DATA_DIR=var/docs XINAN_HTTPS=false
    xinan migrate && xinan collectstatic --no-input && xinan demo
    XINAN_TASK_BACKEND=immediate gunicorn xinan.wsgi:application --bind 127.0.0.1:8011

then, with the same XINAN_DATA_DIR (needed to read the SMS sign-in code):

    python docs/user-guide/make_screenshots.py --base-url http://127.0.0.1:8011

or only some steps, each named with --only (for example --only reviewer --only duties).

Needs selenium, Chromium and chromedriver (Debian: chromium, chromium-driver) and a CJK
font (Debian: fonts-wqy-microhei), or Chinese text renders as boxes. Every person shown
is generated demo data. Images are written next to this file, under img/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
DEMO_PASSWORD = "xinan-demo-2026"  # noqa: S105 - the published password of the demo data
DESKTOP = (1280, 800)
BEIJING = dt.timezone(dt.timedelta(hours=8))
PHONE = (390, 844)

# Demo people (see `xinan demo`).
STAFF = "13900000109"
CLASS_TEACHER = "13900000108"
COUNSELLOR = "13900000104"
OTHER_COUNSELLOR = "13900000105"  # on the crisis team, but not working on the demo cases
TEAM_LEADER = "13900000101"
FILER = "13900000110"
FILER_NAME = "演示填报人"
PROVINCIAL_ADMIN = "13900000011"
NATIONAL_ADMIN = "13900000001"
SYSTEM_ADMIN = "13900000002"
SECURITY_ADMIN = "13900000003"
AUDITOR = "13900000004"
REVIEWER = "13900000012"  # a provincial reviewer of the demo province
DEMO_SCHOOL = "岭南示范大学"
DEMO_STUDENT_QUERY = "20240005"  # a demo student without a case
CASE_IN_INTERVENTION = "2026-0004"
CASE_IN_CARE_TRACKING = "2026-0003"

# The demo campaign, created through the pages by the national admin if it does not exist yet.
CAMPAIGN_TITLE = "演示：学生心理危机干预典型案例征集"
CAMPAIGN_NOTICE = "（演示）请各省组织学校按模板撰写案例报告，同时上传 Word 和 PDF 版本。"

# A made-up report in the form of the case-report template; pseudonyms only.
REPORT_TEXT = """守护花开
——一例由学业压力引发的轻生自杀危机的干预报告
一、当事人基本信息
小林（化名），女，19岁，大学一年级学生。
二、危机的发生
期中考试后，室友发现小林深夜独自哭泣，并在社交软件上留下告别的话语，随即报告辅导员。
三、干预过程
辅导员赶到宿舍陪伴，心理老师当晚完成评估，认定为高危。学校启动预案，通知监护人到校，
与小林共同制定安全计划，并转介至专科医院就诊。其后每日回访，逐步恢复学习生活。
四、干预结果
经过两个月的治疗与跟踪，小林情绪平稳，学业恢复正常，危机解除。
五、经验分享
及早发现、快速响应和家校医协同是成功干预的关键；安全计划应由学生用自己的话写成。
"""


def make_driver(size: tuple[int, int], *, phone: bool = False):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", shutil.which("chromium") or "chromium")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--lang=zh-CN",  # date fields and the like as a Chinese user sees them
        f"--window-size={size[0]},{size[1]}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    if phone:
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 1.0, "touch": True}},
        )
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    if not phone:
        # The window size includes no browser chrome in headless mode; make the viewport exact.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )
    return driver


def wait_for(driver, css: str, timeout: float = 10):
    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def fill(driver, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def set_value(driver, name: str, value: str) -> None:
    """Set a field the keyboard cannot fill reliably (datetime-local)."""
    field = driver.find_element(By.NAME, name)
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));", field, value
    )


def post_to(driver, url: str) -> None:
    """Submit an empty POST form with the page's CSRF token, as a button of the page would."""
    driver.execute_script(
        """
        const form = document.createElement('form');
        form.method = 'post';
        form.action = arguments[0];
        const token = document.querySelector('input[name=csrfmiddlewaretoken]');
        form.appendChild(token.cloneNode());
        document.body.appendChild(form);
        form.submit();
        """,
        url,
    )


def scroll_to(driver, css: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);", element)


def report_files() -> tuple[Path, Path]:
    """The made-up report as Word and PDF, written to a temporary folder."""
    from xinan_reportformat import parse_text, to_docx, to_pdf

    folder = Path(tempfile.mkdtemp(prefix="xinan-docs-"))
    report = parse_text(REPORT_TEXT)
    docx, pdf = folder / "案例报告.docx", folder / "案例报告.pdf"
    docx.write_bytes(to_docx(report))
    pdf.write_bytes(to_pdf(report))
    return docx, pdf


class Shooter:
    def __init__(self, base_url: str, data_dir: str, out_dir: Path):
        self.base_url = base_url.rstrip("/")
        self.data_dir = data_dir
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def shot(self, driver, name: str) -> None:
        time.sleep(0.3)  # let web fonts and the cooldown script settle
        path = self.out_dir / f"{name}.png"
        driver.save_screenshot(str(path))
        print(f"{path.name}: {path.stat().st_size // 1024} KB")

    def sign_in_with_password(self, driver, phone: str) -> None:
        driver.get(self.url("/accounts/login/?tab=password"))
        fill(driver, "phone", phone)
        fill(driver, "password", DEMO_PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "[data-test=password-submit]").click()
        wait_for(driver, "[data-test=logout]")

    def last_code(self, phone: str) -> str:
        env = {**os.environ, "XINAN_DATA_DIR": self.data_dir}
        result = subprocess.run(  # noqa: S603 - fixed command, this interpreter
            [sys.executable, "-m", "xinan", "outbox", "--phone", phone, "--last", "1"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        match = re.search(r"(?<!\d)(\d{6})(?!\d)", result.stdout.split("]", 1)[-1])
        if not match:
            raise SystemExit(f"no sign-in code in the outbox for the demo phone ending {phone[-4:]}")
        return match.group(1)

    def sign_in_with_code(self, driver, phone: str) -> None:
        driver.get(self.url("/accounts/login/"))
        wait_for(driver, "[data-test=send-code]")
        fill(driver, "phone", phone)
        driver.find_element(By.CSS_SELECTOR, "[data-test=send-code]").click()
        wait_for(driver, "[data-test=code-sent]")
        fill(driver, "code", self.last_code(phone))
        driver.find_element(By.CSS_SELECTOR, "[data-test=code-submit]").click()
        wait_for(driver, "[data-test=logout]")

    def case_url(self, driver, reference: str, suffix: str = "") -> str:
        """The address of a demo case, found by its reference in the case list."""
        driver.get(self.url("/cases/"))
        link = wait_for(driver, "[data-test=case-table]").find_element(By.LINK_TEXT, reference)
        return link.get_attribute("href").rstrip("/") + "/" + suffix

    def campaign_url(self, driver) -> str:
        """The address of the demo campaign, from the campaign list of whoever is signed in."""
        driver.get(self.url("/campaigns/"))
        wait_for(driver, "h1")
        links = driver.find_elements(By.LINK_TEXT, CAMPAIGN_TITLE)
        if not links:
            raise SystemExit("no demo campaign yet: run the national_admin step first")
        return links[0].get_attribute("href")

    # --- one function per guide ---------------------------------------------------------
    def staff(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            driver.get(self.url("/accounts/login/?tab=password"))
            wait_for(driver, "[data-test=password-submit]")
            self.shot(driver, "login-password")
            fill(driver, "phone", STAFF)
            fill(driver, "password", "wrong-password-1")
            driver.find_element(By.CSS_SELECTOR, "[data-test=password-submit]").click()
            wait_for(driver, ".errorlist")
            self.shot(driver, "login-password-wrong")
            self.sign_in_with_password(driver, STAFF)
            self.shot(driver, "staff-home")
        finally:
            driver.quit()
        # The first report, from a phone. This adds a case to the demo school each run.
        driver = make_driver(PHONE, phone=True)
        try:
            self.sign_in_with_password(driver, STAFF)
            driver.get(self.url("/cases/report/"))
            wait_for(driver, "[data-test=first-report-form]")
            query = driver.find_element(By.CSS_SELECTOR, "[data-test=student-query]")
            query.send_keys(DEMO_STUDENT_QUERY)
            time.sleep(1.5)  # the search runs 0.4 s after the last key
            matches = driver.find_elements(By.CSS_SELECTOR, "#student-matches input[type=radio]")
            if matches:
                driver.execute_script("arguments[0].click();", matches[0])
            fill(driver, "location", "图书馆三楼自习区")
            category = driver.find_element(By.CSS_SELECTOR, "input[name=categories][value=suicide_talk]")
            driver.execute_script("arguments[0].click();", category)
            fill(driver, "observed", "学生在自习区独自哭泣，说“活着没意思”，情绪低落。")
            fill(driver, "measures", "已陪同学生到心理辅导室，未离开视线。")
            driver.execute_script("window.scrollTo(0, 0);")
            self.shot(driver, "staff-first-report")
            submit = driver.find_element(By.CSS_SELECTOR, "[data-test=first-report-submit]")
            driver.execute_script("arguments[0].click();", submit)
            wait_for(driver, "[data-test=receipt]")
            self.shot(driver, "staff-receipt")
        finally:
            driver.quit()

    def class_teacher(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, CLASS_TEACHER)
            driver.find_element(By.CSS_SELECTOR, "[data-nav=my_tasks]").click()
            wait_for(driver, "[data-test=my-tasks]")
            self.shot(driver, "class-teacher-tasks")
            links = driver.find_elements(By.CSS_SELECTOR, "[data-test=my-tasks] a")
            if links:
                links[0].click()  # a class teacher lands on the case's guardian log
                wait_for(driver, "[data-test=guardian-log]")
                self.shot(driver, "class-teacher-guardian-log")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=students]").click()
            wait_for(driver, "h1")
            self.shot(driver, "class-teacher-students")
        finally:
            driver.quit()

    def counsellor(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, COUNSELLOR)
            self.shot(driver, "counsellor-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=dashboard]").click()
            wait_for(driver, "[data-test=dash-summary]")
            self.shot(driver, "counsellor-dashboard")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=cases]").click()
            wait_for(driver, "[data-test=case-table]")
            self.shot(driver, "counsellor-cases")
            case = self.case_url(driver, CASE_IN_INTERVENTION)
            driver.get(case)
            wait_for(driver, "[data-test=case-actions]")
            self.shot(driver, "counsellor-case")
            scroll_to(driver, "[data-test=case-work]")
            self.shot(driver, "counsellor-case-work")
            scroll_to(driver, "[data-test=counselling-notes]")
            self.shot(driver, "counsellor-case-notes")
            driver.get(case + "assess/")
            wait_for(driver, "[data-test=assessment-form]")
            scroll_to(driver, "[data-test=assessment-form] section:nth-of-type(2)")
            self.shot(driver, "counsellor-assess")
            driver.get(case + "safety-plan/")
            wait_for(driver, "[data-test=safety-plan-form]")
            self.shot(driver, "counsellor-safety-plan")
            driver.get(case.replace("/cases/", "/dossier/cases/"))
            wait_for(driver, "[data-test=dossier-table]")
            self.shot(driver, "counsellor-dossier")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=reports]").click()
            wait_for(driver, "h1")
            if not driver.find_elements(By.CSS_SELECTOR, "[data-test=my-reports]"):
                driver.find_element(By.CSS_SELECTOR, "[data-test=report-create]").click()
                wait_for(driver, "[data-test=report-form]")
                fill(driver, "title", "守护花开")
                fill(driver, "subtitle", "——一例由学业压力引发的轻生危机的干预报告")
                driver.find_element(By.CSS_SELECTOR, "[data-test=report-save]").click()
                wait_for(driver, "[data-test=import-form]")
                field = driver.find_element(By.CSS_SELECTOR, "[data-test=import-form] textarea")
                field.send_keys(REPORT_TEXT)
                driver.find_element(By.CSS_SELECTOR, "[data-test=import-submit]").click()
                wait_for(driver, "[data-test=report-form]")
                driver.get(self.url("/reports/"))
                wait_for(driver, "[data-test=my-reports]")
            self.shot(driver, "counsellor-reports")
            driver.find_element(By.CSS_SELECTOR, "[data-test=my-reports] tbody a").click()
            wait_for(driver, "[data-test=analysis]")
            self.shot(driver, "counsellor-report-editor")
            scroll_to(driver, "[data-test=analysis] h3:nth-of-type(2)")
            self.shot(driver, "counsellor-report-flags")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=training]").click()
            wait_for(driver, "h1")
            if driver.find_elements(By.CSS_SELECTOR, "table a") and not driver.find_elements(
                By.CSS_SELECTOR, "[data-test=coverage]"
            ):
                driver.find_element(By.CSS_SELECTOR, "table a").click()
                wait_for(driver, "[data-test=coverage]")
            self.shot(driver, "counsellor-training")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=notifications]").click()
            wait_for(driver, "h1")
            self.shot(driver, "counsellor-messages")
        finally:
            driver.quit()
        # A fixed team member who does not work on the case is offered break-the-glass only.
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, OTHER_COUNSELLOR)
            driver.get(case)
            wait_for(driver, "[data-test=glass-break]")
            self.shot(driver, "counsellor-glass-break")
        finally:
            driver.quit()

    def team_leader(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, TEAM_LEADER)
            self.shot(driver, "team-leader-home")
            case = self.case_url(driver, CASE_IN_CARE_TRACKING)
            driver.get(case)
            wait_for(driver, "[data-test=move-closed]")
            self.shot(driver, "team-leader-close")
            driver.get(case + "access-log/")
            wait_for(driver, "[data-test=access-log]")
            self.shot(driver, "team-leader-access-log")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=team]").click()
            wait_for(driver, "[data-test=team-roster]")
            self.shot(driver, "team-leader-team")
            driver.find_element(By.CSS_SELECTOR, "[data-test=settings-link]").click()
            wait_for(driver, "[data-test=settings-form]")
            self.shot(driver, "team-leader-settings")
            driver.back()
            wait_for(driver, "[data-test=plans-link]").click()
            wait_for(driver, "[data-test=plan-table]")
            self.shot(driver, "team-leader-plan-templates")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=audit]").click()
            wait_for(driver, "[data-test=audit-table]")
            self.shot(driver, "team-leader-audit")
        finally:
            driver.quit()

    def national_admin(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, NATIONAL_ADMIN)
            self.shot(driver, "national-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=security]").click()
            wait_for(driver, "h1")
            self.shot(driver, "national-security")
            totp = driver.find_element(By.XPATH, "//h2[contains(., '动态口令')]")
            driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", totp)
            self.shot(driver, "national-totp")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=campaigns]").click()
            wait_for(driver, "h1")
            if not driver.find_elements(By.LINK_TEXT, CAMPAIGN_TITLE):
                driver.find_element(By.CSS_SELECTOR, "[data-test=create-campaign]").click()
                wait_for(driver, "[data-test=campaign-form]")
                fill(driver, "title", CAMPAIGN_TITLE)
                fill(driver, "notice", CAMPAIGN_NOTICE)
                now = dt.datetime.now(BEIJING).replace(microsecond=0, tzinfo=None)  # the form is in Beijing time
                for name, value in (
                    ("opens_at", now - dt.timedelta(hours=1)),
                    ("closes_at", now + dt.timedelta(days=30)),
                    ("province_review_closes_at", now + dt.timedelta(days=45)),
                ):
                    set_value(driver, name, value.strftime("%Y-%m-%dT%H:%M:%S"))
                defaults = (
                    ("triggers_text", "学业压力\n恋爱挫折\n家庭变故"),
                    ("natures_text", "轻生自杀\n自伤\n精神障碍"),
                )
                for name, text in defaults:
                    if not driver.find_element(By.NAME, name).get_attribute("value").strip():
                        fill(driver, name, text)
                if not driver.find_element(By.NAME, "rubric_text").get_attribute("value").strip():
                    fill(driver, "rubric_text", "科学性，30\n规范性，30\n实效性，20\n启发性，20")
                driver.execute_script("window.scrollTo(0, 0);")
                self.shot(driver, "national-campaign-new")
                save = driver.find_element(By.CSS_SELECTOR, "[data-test=campaign-save]")
                driver.execute_script("arguments[0].click();", save)
                wait_for(driver, "[data-test=countdown]")
                self.shot(driver, "national-campaign")
            driver.get(self.campaign_url(driver))
            countdown = wait_for(driver, "[data-test=countdown]")
            if "当前不在填报时间内" in countdown.text:  # not published yet
                publish = driver.find_elements(By.CSS_SELECTOR, "[data-test=publish]")
                if publish:
                    publish[0].click()
                else:  # the button is missing from the page in some versions; post its form instead
                    post_to(driver, driver.current_url.rstrip("/") + "/publish/")
                wait_for(driver, "[data-test=countdown]")
                self.shot(driver, "national-campaign-published")
        finally:
            driver.quit()

    def provincial_admin(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, PROVINCIAL_ADMIN)
            self.shot(driver, "provincial-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=organisations]").click()
            wait_for(driver, "table")
            self.shot(driver, "provincial-organisations")
            driver.find_element(By.CSS_SELECTOR, "table tbody a").click()
            wait_for(driver, "h1")
            self.shot(driver, "provincial-organisation-detail")
            driver.get(self.campaign_url(driver) + "province/")  # also the page's 本省填报管理 button
            wait_for(driver, "[data-test=filers]")
            if FILER[-4:] not in driver.find_element(By.CSS_SELECTOR, "[data-test=filers]").text:
                form = driver.find_element(By.CSS_SELECTOR, "[data-test=add-filer]")
                form.find_element(By.NAME, "name").send_keys(FILER_NAME)
                form.find_element(By.NAME, "phone").send_keys(FILER)
                school = form.find_element(By.NAME, "school")
                school.find_element(By.XPATH, f".//option[contains(., '{DEMO_SCHOOL}')]").click()
                form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
                wait_for(driver, "[data-test=filers]")
                driver.find_element(By.CSS_SELECTOR, "[data-test=invite]").click()
                wait_for(driver, "[data-test=invite-status]")
            self.shot(driver, "provincial-campaign")
            scroll_to(driver, "[data-test=filers]")
            self.shot(driver, "provincial-filers")
            driver.find_element(By.PARTIAL_LINK_TEXT, "批量导入").click()
            wait_for(driver, "[data-test=filer-template]")
            self.shot(driver, "provincial-import")
        finally:
            driver.quit()

    def filer(self) -> None:
        driver = make_driver(PHONE, phone=True)
        try:
            driver.get(self.url("/accounts/login/"))
            wait_for(driver, "[data-test=send-code]")
            fill(driver, "phone", FILER)
            driver.find_element(By.CSS_SELECTOR, "[data-test=send-code]").click()
            wait_for(driver, "[data-test=code-sent]")
            self.shot(driver, "filer-code-sent")
            fill(driver, "code", self.last_code(FILER))
            driver.find_element(By.CSS_SELECTOR, "[data-test=code-submit]").click()
            wait_for(driver, "[data-test=logout]")
            self.shot(driver, "filer-home")
            driver.get(self.campaign_url(driver))
            wait_for(driver, "[data-test=countdown]")
            time.sleep(1)  # the countdown script
            self.shot(driver, "filer-campaign")
            links = driver.find_elements(By.CSS_SELECTOR, "main a[href*='/submissions/']")
            if links:
                links[0].click()
            else:
                driver.find_element(By.CSS_SELECTOR, "[data-test=start-submission]").click()
            wait_for(driver, "[data-test=submission-state]")
            if driver.find_elements(By.CSS_SELECTOR, "[data-test=upload-files]"):
                self.fill_submission(driver)
            wait_for(driver, "[data-test=submission-hash]")
            self.shot(driver, "filer-submitted")
        finally:
            driver.quit()

    def fill_submission(self, driver) -> None:
        docx, pdf = report_files()
        self.shot(driver, "filer-submission")
        driver.find_element(By.NAME, "docx").send_keys(str(docx))
        driver.find_element(By.NAME, "pdf").send_keys(str(pdf))
        upload = driver.find_element(By.CSS_SELECTOR, "[data-test=upload-files]")
        upload.click()
        WebDriverWait(driver, 30).until(ec.staleness_of(upload))
        wait_for(driver, "[data-test=char-count]")
        scroll_to(driver, "[data-test=char-count]")
        self.shot(driver, "filer-checks")
        # Keep each remaining high or medium flag with a reason (the text is made up and uses pseudonyms).
        for _attempt in range(10):
            forms = driver.find_elements(By.CSS_SELECTOR, "[data-test=flags] form")
            if not forms:
                break
            driver.execute_script(
                "arguments[0].querySelector('[name=reason]').value = arguments[1]; arguments[0].submit();",
                forms[0],
                "化名与虚构情节，非真实信息",
            )
            WebDriverWait(driver, 10).until(ec.staleness_of(forms[0]))
            wait_for(driver, "[data-test=submission-state]")
        info = driver.find_element(By.CSS_SELECTOR, "[data-test=info-form]")
        for name, value in (
            ("title", "守护花开"),
            ("subtitle", "——一例由学业压力引发的轻生自杀危机的干预报告"),
            ("authors", "林晓，岭南示范大学，心理老师"),
            ("contact_phone", "13900000000"),
            ("trigger", "学业压力"),
            ("nature", "轻生自杀"),
        ):
            fields = info.find_elements(By.NAME, name)
            if fields:
                fields[0].clear()
                fields[0].send_keys(value)
        outcome = info.find_element(By.CSS_SELECTOR, "input[name=outcome][value=successful]")
        driver.execute_script("arguments[0].click();", outcome)
        scroll_to(driver, "[data-test=info-form]")
        self.shot(driver, "filer-info")
        driver.execute_script("arguments[0].submit();", info)
        WebDriverWait(driver, 10).until(ec.staleness_of(info))
        wait_for(driver, "[data-test=declare]")
        for box in driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name^=d]"):
            if not box.is_selected():
                driver.execute_script("arguments[0].click();", box)
        scroll_to(driver, "[data-test=declare]")
        self.shot(driver, "filer-declarations")
        declare = driver.find_element(By.CSS_SELECTOR, "[data-test=declare]")
        declare.click()
        WebDriverWait(driver, 10).until(ec.staleness_of(declare))
        wait_for(driver, "[data-test=submit]")
        scroll_to(driver, "[data-test=submit]")
        self.shot(driver, "filer-submit")
        submit = driver.find_element(By.CSS_SELECTOR, "[data-test=submit]")
        driver.execute_script("arguments[0].click();", submit)

    def provincial_decide(self) -> None:
        """The submission as the provincial admin sees it, with 退回修改 and 不予通过 (not pressed)."""
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, PROVINCIAL_ADMIN)
            driver.get(self.campaign_url(driver) + "province/")  # also the page's 本省填报管理 button
            wait_for(driver, "[data-test=province-submissions]")
            scroll_to(driver, "[data-test=province-submissions]")
            self.shot(driver, "provincial-submissions")
            links = driver.find_elements(By.CSS_SELECTOR, "[data-test=province-submissions] a")
            if links:
                links[0].click()
                wait_for(driver, "[data-test=submission-state]")
                if driver.find_elements(By.CSS_SELECTOR, "[data-test=decide]"):
                    scroll_to(driver, "[data-test=decide]")
                self.shot(driver, "provincial-decide")
        finally:
            driver.quit()

    def reviewer(self) -> None:
        """The provincial admin opens the provincial review round and assigns it; the reviewer scores the report."""
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, PROVINCIAL_ADMIN)
            campaign = self.campaign_url(driver)
            driver.get(self.url(f"/reviews/campaigns/{campaign.rstrip('/').rsplit('/', 1)[-1]}/province/"))
            wait_for(driver, "h1")
            if driver.find_elements(By.CSS_SELECTOR, "[data-test=open-round]"):
                fill(driver, "reviews_per_submission", "1")  # the demo province has one reviewer outside the school
                self.shot(driver, "reviewer-open-round")
                driver.find_element(By.CSS_SELECTOR, "[data-test=open-round] button[type=submit]").click()
            wait_for(driver, "[data-test=ranking]")
            round_url = driver.current_url
            if (
                driver.find_elements(By.CSS_SELECTOR, "[data-test=auto-assign]")
                and "已完成 0 / 0" in driver.find_element(By.CSS_SELECTOR, "[data-test=progress]").text
            ):
                driver.find_element(By.CSS_SELECTOR, "[data-test=auto-assign]").click()
                wait_for(driver, "[data-test=ranking]")
            self.shot(driver, "reviewer-round-assigned")
        finally:
            driver.quit()
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, REVIEWER)
            self.shot(driver, "reviewer-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=reviews]").click()
            wait_for(driver, "[data-test=my-assignments]")
            self.shot(driver, "reviewer-list")
            links = driver.find_elements(By.CSS_SELECTOR, "[data-test=my-assignments] tbody a")
            if not links:
                raise SystemExit("no review assignment for the demo reviewer: run the filer step first")
            links[0].click()
            wait_for(driver, "[data-test=subtitle]")
            self.shot(driver, "reviewer-report")
            if driver.find_elements(By.CSS_SELECTOR, "[data-test=review-form]"):
                for index, score in enumerate((88, 85, 90, 82)):
                    fields = driver.find_elements(By.NAME, f"score_{index}")
                    if fields:
                        fields[0].send_keys(str(score))
                fill(driver, "comment", "干预过程完整，家校医协同的做法具体可行；建议补充评估工具和随访记录的细节。")
                scroll_to(driver, "[data-test=review-form]")
                self.shot(driver, "reviewer-score")
                driver.find_element(By.CSS_SELECTOR, "[data-test=submit-review]").click()
                wait_for(driver, "[data-test=own-review]")
            scroll_to(driver, "[data-test=own-review]")
            self.shot(driver, "reviewer-submitted")
        finally:
            driver.quit()
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, PROVINCIAL_ADMIN)
            driver.get(round_url)
            wait_for(driver, "[data-test=ranking]")
            scroll_to(driver, "[data-test=ranking]")
            self.shot(driver, "reviewer-round-ranking")
        finally:
            driver.quit()

    def duties(self) -> None:
        """The three separated duties: system admin, security admin and auditor, and an approved export."""
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, SYSTEM_ADMIN)
            self.shot(driver, "duties-system-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=admin_people]").click()
            wait_for(driver, "[data-test=people-table]")
            self.shot(driver, "duties-system-people")
            reveal = driver.find_elements(By.CSS_SELECTOR, "[data-test=people-table] [data-test=reveal]")
            if reveal:  # a masked phone number, shown in full (and audited)
                reveal[0].click()
                wait_for(driver, "[data-test=revealed]")
                self.shot(driver, "duties-phone-revealed")
        finally:
            driver.quit()
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, AUDITOR)
            self.shot(driver, "duties-auditor-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=audit]").click()
            wait_for(driver, "h1")
            self.shot(driver, "duties-auditor-audit")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=audit_verify]").click()
            wait_for(driver, "[data-test=verify-chain]").click()
            wait_for(driver, "[data-test=verdict]", timeout=60)
            self.shot(driver, "duties-auditor-verify")
            driver.get(self.url("/exports/mine/"))
            wait_for(driver, "[data-test=export-mine]")
            if not driver.find_elements(By.CSS_SELECTOR, "[data-test=export-mine-row]"):
                driver.find_element(By.CSS_SELECTOR, "[data-test=export-option-audit_extract]").click()
                wait_for(driver, "[data-test=export-request]")
                fill(driver, "purpose", "（演示）年度安全审计抽查")
                today = dt.datetime.now(BEIJING).date()
                set_value(driver, "since", (today - dt.timedelta(days=30)).isoformat())
                set_value(driver, "until", today.isoformat())
                self.shot(driver, "duties-auditor-export-request")
                driver.find_element(By.CSS_SELECTOR, "[data-test=export-request-submit]").click()
                wait_for(driver, "[data-test=export-mine-row]")
                self.shot(driver, "duties-auditor-export-requested")
        finally:
            driver.quit()
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, SECURITY_ADMIN)
            self.shot(driver, "duties-security-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=alerts]").click()
            wait_for(driver, "h1")
            self.shot(driver, "duties-security-alerts")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=admin_roles]").click()
            wait_for(driver, "[data-test=roles-table]")
            self.shot(driver, "duties-security-roles")
            driver.get(self.url("/privacy/rules/"))  # also the footer link 个人信息处理规则
            wait_for(driver, "[data-test=policy-edit]").click()
            wait_for(driver, "form textarea")
            self.shot(driver, "duties-security-policy")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=exports]").click()
            wait_for(driver, "[data-test=export-pending]")
            if driver.find_elements(By.CSS_SELECTOR, "[data-test=export-pending-row]"):
                fill(driver, "reason", "用途明确，同意")
                self.shot(driver, "duties-security-export-pending")
                driver.find_element(By.CSS_SELECTOR, "[data-test=export-approve]").click()
                wait_for(driver, "[data-test=export-pending]")
        finally:
            driver.quit()
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, AUDITOR)
            driver.get(self.url("/exports/mine/"))
            wait_for(driver, "[data-test=export-mine]")
            self.shot(driver, "duties-auditor-export-approved")
        finally:
            driver.quit()


# In this order: the campaign steps build on each other (created, filer added, submitted, decided,
# reviewed). The reviewer step needs the submission of the filer step.
STEPS = (
    "staff",
    "class_teacher",
    "counsellor",
    "team_leader",
    "national_admin",
    "provincial_admin",
    "filer",
    "provincial_decide",
    "reviewer",
    "duties",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("XINAN_DOCS_BASE_URL", "http://127.0.0.1:8011"))
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("XINAN_DATA_DIR"),
        help="the demo's XINAN_DATA_DIR, to read the SMS sign-in code from the outbox",
    )
    parser.add_argument("--out", default=str(HERE / "img"), help="folder for the PNG files")
    parser.add_argument(
        "--only",
        choices=STEPS,
        action="append",
        help="run only this step (repeat for several; they run in the order of STEPS)",
    )
    args = parser.parse_args(argv)
    host = urlparse(args.base_url).hostname or ""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--base-url must be a loopback address: screenshots are taken of the local demo only")
    if not args.data_dir:
        parser.error("give --data-dir or XINAN_DATA_DIR (the demo's data directory)")
    shooter = Shooter(args.base_url, args.data_dir, Path(args.out))
    for name in [step for step in STEPS if step in (args.only or STEPS)]:
        getattr(shooter, name)()
    return 0


if __name__ == "__main__":
    sys.exit(main())
