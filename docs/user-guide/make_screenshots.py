#!/usr/bin/env python3
"""Take the screenshots of the user guides from a running XinAn demo.

The demo must be running on a loopback address with the demo data loaded and the
recording SMS outbox (the default), for example:

    export XINAN_DATA_DIR=var/docs XINAN_HTTPS=false
    xinan migrate && xinan collectstatic --no-input && xinan demo
    XINAN_TASK_BACKEND=immediate gunicorn xinan.wsgi:application --bind 127.0.0.1:8011

then, with the same XINAN_DATA_DIR (needed to read the SMS sign-in code):

    python docs/user-guide/make_screenshots.py --base-url http://127.0.0.1:8011

Needs selenium, Chromium and chromedriver (Debian: chromium, chromium-driver) and a CJK
font (Debian: fonts-wqy-microhei), or Chinese text renders as boxes. Every person shown
is generated demo data. Images are written next to this file, under img/.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
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
PHONE = (390, 844)

# Demo people (see `xinan demo`).
STAFF = "13900000109"
COUNSELLOR = "13900000104"
TEAM_LEADER = "13900000101"
FILER = "13900000110"
PROVINCIAL_ADMIN = "13900000011"
NATIONAL_ADMIN = "13900000001"


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

    def counsellor(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, COUNSELLOR)
            self.shot(driver, "counsellor-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=team]").click()
            wait_for(driver, "[data-test=team-roster]")
            self.shot(driver, "counsellor-team")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=notifications]").click()
            wait_for(driver, "h1")
            self.shot(driver, "counsellor-messages")
        finally:
            driver.quit()

    def team_leader(self) -> None:
        driver = make_driver(DESKTOP)
        try:
            self.sign_in_with_password(driver, TEAM_LEADER)
            self.shot(driver, "team-leader-home")
            driver.find_element(By.CSS_SELECTOR, "[data-nav=audit]").click()
            wait_for(driver, "[data-test=audit-table]")
            self.shot(driver, "team-leader-audit")
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
        finally:
            driver.quit()


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
        choices=("staff", "counsellor", "team_leader", "filer", "provincial_admin", "national_admin"),
        action="append",
    )
    args = parser.parse_args(argv)
    host = urlparse(args.base_url).hostname or ""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--base-url must be a loopback address: screenshots are taken of the local demo only")
    if not args.data_dir:
        parser.error("give --data-dir or XINAN_DATA_DIR (the demo's data directory)")
    shooter = Shooter(args.base_url, args.data_dir, Path(args.out))
    for name in args.only or ("staff", "counsellor", "team_leader", "filer", "provincial_admin", "national_admin"):
        getattr(shooter, name)()
    return 0


if __name__ == "__main__":
    sys.exit(main())
