"""A press that reached the proxy before the deadline counts as before it, even when a busy
server handles it after; the proxy's time is trusted only behind the proxy and only a little."""

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory

from tests.campaign_fixtures import REPORT_TEXT, report_files
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.services import filing
from xinan.campaigns.services.errors import FilingError
from xinan.config.request_time import received_at

INFO = {
    "authors": [{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    "contact_phone": "13712345678",
    "outcome": "successful",
}


def _ready(campaign, filer):
    submission = filing.start_submission(campaign, filer=filer)
    docx, pdf = report_files(REPORT_TEXT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=filer)
    filing.update_info(submission, by=filer, **INFO)
    filing.agree_declarations(submission, by=filer)
    return submission


def _request(at: dt.datetime | None = None, raw: str | None = None):
    headers = {}
    if at is not None:
        headers["HTTP_X_REQUEST_START"] = f"t={at.timestamp():.3f}"
    if raw is not None:
        headers["HTTP_X_REQUEST_START"] = raw
    return RequestFactory().post("/", **headers)


def test_press_received_before_the_deadline_is_accepted_after_it(world, campaign, right, settings):
    settings.BEHIND_PROXY = True
    submission = _ready(campaign, world.filer_a)
    pressed = campaign.closes_at - dt.timedelta(seconds=2)
    with time_machine.travel(campaign.closes_at + dt.timedelta(seconds=5), tick=False):
        submitted = filing.submit(submission, by=world.filer_a, request=_request(pressed))
    assert submitted.state == SubmissionState.SUBMITTED


def test_without_the_proxy_setting_the_header_is_ignored(world, campaign, right, settings):
    settings.BEHIND_PROXY = False
    submission = _ready(campaign, world.filer_a)
    pressed = campaign.closes_at - dt.timedelta(seconds=2)
    with time_machine.travel(campaign.closes_at + dt.timedelta(seconds=5), tick=False), pytest.raises(
        FilingError, match="截止"
    ):
        filing.submit(submission, by=world.filer_a, request=_request(pressed))


def test_a_header_from_long_ago_cannot_reach_back(world, campaign, right, settings):
    settings.BEHIND_PROXY = True
    submission = _ready(campaign, world.filer_a)
    with time_machine.travel(campaign.closes_at + dt.timedelta(minutes=5), tick=False), pytest.raises(
        FilingError, match="截止"
    ):
        filing.submit(submission, by=world.filer_a, request=_request(campaign.closes_at - dt.timedelta(minutes=1)))


@pytest.mark.parametrize("raw", ["", "t=", "t=abc", "t=nan", "t=inf", "t=-1e30", "t=1e30", "12\x00"])
def test_unreadable_or_impossible_times_fall_back_to_now(raw, settings):
    settings.BEHIND_PROXY = True
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    assert received_at(_request(raw=raw), now=now) == now


def test_a_time_in_the_future_is_not_trusted(settings):
    settings.BEHIND_PROXY = True
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    assert received_at(_request(now + dt.timedelta(seconds=30)), now=now) == now
    assert received_at(_request(now - dt.timedelta(seconds=10)), now=now) == now - dt.timedelta(seconds=10)
