"""States and audit labels of the recommendation (推荐) and national selection (遴选)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecommendationState(models.TextChoices):
    DRAFT = "draft", _("推荐中")
    SUBMITTED = "submitted", _("已报送全国")


RECOMMENDATION_STATE_COLOURS = {
    RecommendationState.DRAFT: "orange",
    RecommendationState.SUBMITTED: "green",
}

# The summary table's columns, as a Chinese officer expects them on the printed form.
SUMMARY_COLUMNS = (
    _("序号"),
    _("学校"),
    _("案例标题（主标题/副标题）"),
    _("作者（单位、职务）"),
    _("诱发事件"),
    _("危机性质"),
    _("干预结果"),
    _("联系人及电话"),
)

# The sealed scan: a photo or a scanned PDF, at most this many bytes.
SEAL_MAX_BYTES = 15 * 1024 * 1024

AUDIT_LABELS = [
    ("xinan.selection.recommendation.open", _("开始本省推荐")),
    ("xinan.selection.recommendation.add", _("加入推荐名单")),
    ("xinan.selection.recommendation.remove", _("移出推荐名单")),
    ("xinan.selection.recommendation.table", _("生成推荐汇总表")),
    ("xinan.selection.recommendation.download", _("下载推荐汇总表")),
    ("xinan.selection.recommendation.seal", _("上传盖章汇总表")),
    ("xinan.selection.recommendation.seal_download", _("下载盖章汇总表")),
    ("xinan.selection.recommendation.submit", _("报送全国")),
    ("xinan.selection.commentary.write", _("撰写专家点评")),
    ("xinan.selection.anthology.generate", _("生成案例集")),
    ("xinan.selection.anthology.download", _("下载案例集")),
    # Written by campaigns' move_submission with the action names this app passes.
    ("xinan.campaign.submission.recommend", _("推荐至全国")),
    ("xinan.campaign.submission.select", _("入选典型案例")),
    ("xinan.campaign.submission.unselect", _("取消入选")),
]
