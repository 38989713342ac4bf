"""A school's crisis settings and its intervention-plan templates (干预预案), kept by the team
leader and the coordinator. Audit entries carry ids and field names, never personal data."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import ObservationCategory, RiskLevel
from xinan.cases.models import PlanTemplate, SchoolCrisisSettings
from xinan.organisations.models import Organisation

STEP_ROLES = ("counsellor", "class_teacher", "team_leader", "health_teacher")
SETTINGS_FIELDS = (
    "duty_counsellor_id",
    "duty_phone",
    "hotlines",
    "glass_break_hours",
    "privacy_officer",
    "privacy_phone",
    "privacy_address",
)
TEMPLATE_FIELDS = ("name", "category", "level", "targets", "actors", "methods", "steps")


def crisis_settings_of(school) -> SchoolCrisisSettings:
    """The school's settings row; an unsaved one with the defaults when none exists yet."""
    return SchoolCrisisSettings.objects.filter(school=school).first() or SchoolCrisisSettings(school=school)


def setup_tasks_for(user) -> list[dict]:
    """Settings a team leader or coordinator still has to fill in, per school they oversee: today the
    privacy contact that the published rules pages name (until then those pages cannot name it)."""
    from xinan.organisations.enums import Role
    from xinan.organisations.services.queries import school_ids_with_roles

    ids = school_ids_with_roles(user, {Role.TEAM_LEADER, Role.COORDINATOR})
    if not ids:
        return []
    rows = {row.school_id: row for row in SchoolCrisisSettings.objects.filter(school_id__in=ids)}
    tasks = []
    for school in Organisation.objects.filter(pk__in=ids, kind="school").order_by("pk"):
        missing = (rows.get(school.pk) or SchoolCrisisSettings(school=school)).missing_privacy_contact
        if missing:
            tasks.append({"school": school, "missing": missing})
    return tasks


def save_crisis_settings(settings_row: SchoolCrisisSettings, *, by, request=None) -> SchoolCrisisSettings:
    """Save the settings (values already set on ``settings_row``), recording which fields changed."""
    with transaction.atomic():
        old = SchoolCrisisSettings.objects.filter(pk=settings_row.pk).first() if settings_row.pk else None
        changed = [name for name in SETTINGS_FIELDS if old is None or getattr(old, name) != getattr(settings_row, name)]
        settings_row.save()
        record(
            "xinan.school.settings.change",
            actor=by,
            organisation=settings_row.school,
            obj=settings_row,
            request=request,
            after={
                "changed": changed,
                "duty_counsellor_id": settings_row.duty_counsellor_id,
                "glass_break_hours": settings_row.glass_break_hours,
            },
        )
    return settings_row


def default_plan_templates() -> list[dict]:
    """Starting templates, in the seed's words: one for every risk level (so every assessed case
    finds one) and a red one for suicide plans; the school edits them to fit its own practice."""
    return [
        {
            "name": _("红色·自杀危机干预预案"),
            "category": ObservationCategory.SUICIDE_PLAN,
            "level": RiskLevel.RED,
            "targets": _(
                "有自杀计划、准备或行为的学生。目标：确保学生生命安全，24小时不间断看护，"
                "尽快通知监护人并转介专业医疗机构。"
            ),
            "actors": _("危机干预工作小组组长、心理老师、班主任、卫生老师、监护人。"),
            "methods": _(
                "立即采取保护性措施，移除危险物品；团队会商确定干预方案；与监护人当面沟通并签署安全协议书；"
                "建议并协助转介精神专科医院；与学生共同制定安全计划书。"
            ),
            "steps": [
                {"title": _("24小时看护安排"), "who": "class_teacher", "within_hours": 1},
                {"title": _("通知监护人"), "who": "class_teacher", "within_hours": 2},
                {"title": _("团队会商"), "who": "team_leader", "within_hours": 12},
                {"title": _("转介就医"), "who": "counsellor", "within_hours": 24},
                {"title": _("签署安全计划书"), "who": "counsellor", "within_hours": 24},
            ],
        },
        {
            "name": _("红色·危机干预预案（通用）"),
            "category": "",
            "level": RiskLevel.RED,
            "targets": _("处于高危状态的学生。目标：确保学生生命安全，立即看护，尽快通知监护人并转介专业医疗机构。"),
            "actors": _("危机干预工作小组组长、心理老师、班主任、卫生老师、监护人。"),
            "methods": _(
                "立即采取保护性措施；团队会商确定干预方案；与监护人当面沟通并签署安全协议书；建议并协助转介就医。"
            ),
            "steps": [
                {"title": _("看护安排"), "who": "class_teacher", "within_hours": 1},
                {"title": _("通知监护人"), "who": "class_teacher", "within_hours": 2},
                {"title": _("团队会商"), "who": "team_leader", "within_hours": 12},
                {"title": _("转介就医"), "who": "counsellor", "within_hours": 24},
            ],
        },
        {
            "name": _("橙色·危机干预预案"),
            "category": "",
            "level": RiskLevel.ORANGE,
            "targets": _(
                "有自杀想法并想过方法、有自伤行为或心身疾病急性发作的学生。目标：稳定情绪、保障安全，"
                "24小时内告知监护人，评估是否需要转介。"
            ),
            "actors": _("心理老师、班主任、危机干预工作小组组长、监护人。"),
            "methods": _(
                "心理老师约谈并与学生共同制定安全计划书；告知监护人并签署安全协议书；团队会商；视情况建议就医。"
            ),
            "steps": [
                {"title": _("心理老师约谈"), "who": "counsellor", "within_hours": 24},
                {"title": _("通知监护人"), "who": "class_teacher", "within_hours": 24},
                {"title": _("团队会商"), "who": "team_leader", "within_hours": 48},
                {"title": _("制定安全计划书"), "who": "counsellor", "within_hours": 72},
            ],
        },
        {
            "name": _("黄色·关怀跟踪预案"),
            "category": "",
            "level": RiskLevel.YELLOW,
            "targets": _("有心理困扰、暂未处于危机状态的学生。目标：及时发现变化，防止风险升级。"),
            "actors": _("心理老师、班主任、监护人。"),
            "methods": _("定期谈心与回访，家校沟通，必要时重新评估风险等级。"),
            "steps": [
                {"title": _("班主任谈心并记录"), "who": "class_teacher", "within_hours": 72},
                {"title": _("心理老师约谈"), "who": "counsellor", "within_hours": 72},
                {"title": _("与监护人沟通"), "who": "class_teacher", "within_hours": 168},
                {"title": _("复评风险等级"), "who": "counsellor", "within_hours": 336},
            ],
        },
        {
            "name": _("蓝色·常规关注预案"),
            "category": "",
            "level": RiskLevel.BLUE,
            "targets": _("有一般性心理困扰的学生。目标：常规关注，及时发现变化。"),
            "actors": _("班主任、心理老师。"),
            "methods": _("班主任日常关注，心理老师按需约谈，定期回访。"),
            "steps": [
                {"title": _("班主任关注并记录"), "who": "class_teacher", "within_hours": 168},
                {"title": _("心理老师回访"), "who": "counsellor", "within_hours": 336},
            ],
        },
    ]


def ensure_default_plan_templates(school, *, by, request=None) -> int:
    """At first use (the templates page, or a case's plan page), give a school that never had a
    template the defaults."""
    with transaction.atomic():
        # Lock the school's row: two first visits at once must not seed twice.
        Organisation.objects.select_for_update().filter(pk=school.pk).first()
        if PlanTemplate.objects.filter(school=school).exists():
            return 0
        defaults = default_plan_templates()
        for values in defaults:
            PlanTemplate.objects.create(school=school, **values)
        record(
            "xinan.plan_template.seed",
            actor=by,
            organisation=school,
            request=request,
            after={"templates": len(defaults)},
        )
    return len(defaults)


def save_plan_template(template: PlanTemplate, *, by, request=None) -> PlanTemplate:
    adding = template.pk is None
    with transaction.atomic():
        template.save()
        record(
            "xinan.plan_template.add" if adding else "xinan.plan_template.change",
            actor=by,
            obj=template,
            request=request,
            after={"steps": len(template.steps), "level": template.level, "category": template.category},
        )
    return template


def retire_plan_template(template: PlanTemplate, *, by, request=None) -> PlanTemplate:
    """Templates are deactivated, not deleted: plans made from them keep their link."""
    with transaction.atomic():
        template.is_active = False
        template.save(update_fields=["is_active"])
        record("xinan.plan_template.retire", actor=by, obj=template, request=request)
    return template
