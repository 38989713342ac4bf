"""Shared fixtures of the report-format tests: the official sample report
(public text of the Ministry's template) and a small valid report."""

from pathlib import Path

import pytest

from xinan_reportformat import parse_text

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def sample_text() -> str:
    return (DATA / "official_sample.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_report(sample_text):
    return parse_text(sample_text)


SHORT_REPORT = """家校携手 守护成长
——一例由学业挫折引发的自我伤害危机的干预报告¹

一、当事人基本信息
小李（化名），女，19岁，某学院大一学生。

二、危机的发生
期中考试后，室友发现小李手臂上有划痕，及时告诉了辅导员。

三、干预过程
辅导员当天与小李谈话，联系家长，并陪同她到心理中心接受评估。

四、干预结果
经过一个学期的咨询与陪伴，小李情绪稳定，没有再出现自伤行为。

五、经验分享
及早发现、家校合作和持续跟踪是这次干预成功的关键。

六、专家点评

¹ 文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷同，纯属巧合。
"""


@pytest.fixture
def short_text() -> str:
    return SHORT_REPORT


@pytest.fixture
def short_report():
    return parse_text(SHORT_REPORT)
