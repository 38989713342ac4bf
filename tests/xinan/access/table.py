"""The declared access matrix: for every named URL pattern of the platform, how to address an object
of the matrix's world (tests/xinan/access/objects.py) and which roles may GET it and POST to it.

Everyone not named is refused: a signed-in person gets the audited 404 of ``xinan.web.access``
(404 and one ``xinan.access.denied`` row, nothing else written); an anonymous visitor is sent to
sign in (302 to the sign-in page, nothing written, no audit row: there is nobody to attribute a
refusal to, and the sign-in page is where the login attempts are audited and throttled) unless
"anonymous" is among the roles allowed. ``None`` for a method means the view does not answer it:
405 for every signed-in person (anonymous: 405 or the sign-in redirect, whichever decorator comes
first). PUT, PATCH and DELETE are answered by no view: the same as ``None``.

Allowed means: not refused (no 403/404/405, no audit row of a refusal, no server error); the
request may still fail validation (400, 409) since the matrix posts empty forms.

Every object named here belongs to school A / province A (or is the national campaign): the people
of school B and province B are the "outside the circle" column of each row, and the test also swaps
in the school-B twin of each argument for the school-A people a row allows (all must be refused).
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = (
    "anonymous",
    "staff_a",  # staff of school A; reported the case
    "class_teacher_a",  # class teacher of the case's student
    "counsellor_a",  # counsellor assigned to the case
    "counsellor_a2",  # counsellor of school A, not on the case
    "team_leader_a",
    "filer_a",  # filer of school A in the campaign; filed the submission
    "counsellor_b",  # counsellor of school B (other province)
    "provincial_admin_a",
    "provincial_admin_b",
    "reviewer_a",  # reviewer of province A, assigned to the submission
    "reviewer_own_school",  # reviewer held at school A, the submission's school
    "national_admin",
    "system_admin_a",  # 三员: system administrator of province A
    "security_admin_a",  # 三员: security administrator of province A
    "auditor_a",  # 三员: auditor of province A
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
ALL = SIGNED_IN  # every signed-in person
NOBODY: frozenset = frozenset()


def roles(*names: str) -> frozenset:
    unknown = set(names) - SIGNED_IN
    assert not unknown, unknown
    return frozenset(names)


EVERYONE = frozenset(ROLES)
# The case of the world: reported by staff A, assigned to counsellor A; the team leader oversees it.
CASE_TEAM = roles("counsellor_a", "team_leader_a")
# The class teacher sees the care-tracking work and the guardian log of their student, nothing more.
CASE_TEAM_AND_CLASS_TEACHER = CASE_TEAM | roles("class_teacher_a")
CRISIS_TEAM_A = roles("counsellor_a", "counsellor_a2", "team_leader_a")
SCHOOL_REPORTERS = roles("staff_a", "class_teacher_a", "counsellor_a", "counsellor_a2", "team_leader_a", "counsellor_b")
CAMPAIGN_READERS = roles(
    "filer_a", "provincial_admin_a", "provincial_admin_b", "reviewer_a", "reviewer_own_school", "national_admin"
)
CAMPAIGN_OVERSEERS = roles("provincial_admin_a", "provincial_admin_b", "national_admin")
PROVINCIAL_ADMINS = roles("provincial_admin_a", "provincial_admin_b")
REVIEWERS = roles("reviewer_a", "reviewer_own_school")

# Outcomes other than "allowed" and "refused" for a single (method, role) cell.
GLASS_OFFER = "glass_offer"  # the audited 404 with the break-the-glass form; the offer audited too
SENT_BACK = "sent_back"  # passes the access check, a business rule sends the person back: nothing written
TO_SIGN_IN = "to_sign_in"  # not refused, and ends at the sign-in page (signing out; the second-factor step)


@dataclass(frozen=True)
class U:
    """One URL pattern's row. ``kwargs`` name objects of the world (``"case"``, ``"school_a"``, ...);
    a value starting with ``=`` is taken literally. ``special`` maps (method, role) to GLASS_OFFER,
    SENT_BACK or TO_SIGN_IN."""

    get: frozenset | None = NOBODY
    post: frozenset | None = NOBODY
    kwargs: tuple = ()
    special: tuple = ()

    def url_kwargs(self, objects) -> dict:
        return {key: objects.resolve(value) for key, value in self.kwargs}

    def allowed(self, method: str) -> frozenset | None:
        return getattr(self, method) if method in ("get", "post") else None


def u(get=NOBODY, post=NOBODY, *, special=None, **kwargs) -> U:
    for allowed in (get, post):
        assert allowed is None or allowed <= EVERYONE, allowed - EVERYONE
    return U(get, post, tuple(kwargs.items()), tuple((special or {}).items()))


TABLE: dict[str, U] = {
    "web:home": u(get=ALL, post=None),
    "web:health": u(get=EVERYONE, post=None),
    "web:favicon": u(get=EVERYONE, post=None),
    "accounts:login": u(get=EVERYONE, post=EVERYONE),
    "accounts:send_code": u(get=None, post=EVERYONE),
    "accounts:code_login": u(get=None, post=EVERYONE),
    # The second-factor step needs a sign-in in progress (a pending person in the session): without
    # one, everybody is sent to the sign-in page.
    "accounts:otp": u(
        get=NOBODY,
        post=NOBODY,
        special={(method, role): TO_SIGN_IN for method in ("get", "post") for role in ALL},
    ),
    # Signing out ends at the sign-in page.
    "accounts:logout": u(get=None, post=ALL, special={("post", role): TO_SIGN_IN for role in ALL}),
    "accounts:security": u(get=ALL, post=ALL),
    # 三员分立: the system administrator runs accounts, the security administrator roles; nobody else.
    "accounts:admin_people": u(get=roles("system_admin_a"), post=None),
    "accounts:admin_person_create": u(get=roles("system_admin_a"), post=roles("system_admin_a")),
    "accounts:admin_person": u(get=roles("system_admin_a"), post=None, pk="staff_a"),
    "accounts:admin_person_deactivate": u(get=None, post=roles("system_admin_a"), pk="staff_a"),
    "accounts:admin_person_reactivate": u(get=None, post=roles("system_admin_a"), pk="staff_a"),
    "accounts:admin_person_unlock": u(get=None, post=roles("system_admin_a"), pk="staff_a"),
    "accounts:admin_person_phone": u(get=None, post=roles("system_admin_a"), pk="staff_a"),
    "accounts:admin_roles": u(get=roles("security_admin_a"), post=None),
    # Notification channels: everyone chooses their own; the system admin connects schools' work
    # platforms and reads the outbox's delivery states (never the text), and recalls a wrong message.
    "accounts:channels": u(get=ALL, post=ALL),
    "accounts:admin_channels": u(get=roles("system_admin_a"), post=None),
    "accounts:admin_channel_edit": u(get=roles("system_admin_a"), post=roles("system_admin_a"), pk="school_a",
                                     platform="=wecom"),
    "accounts:admin_outbox": u(get=roles("system_admin_a"), post=None),
    "accounts:admin_outbox_recall": u(get=None, post=roles("system_admin_a"), pk="message"),
    "accounts:admin_role_grant": u(get=roles("security_admin_a"), post=roles("security_admin_a")),
    "accounts:admin_role_revoke": u(get=None, post=roles("security_admin_a"), pk="staff_membership"),
    "organisations:list": u(get=ALL, post=None),
    "organisations:detail": u(
        get=roles(
            "staff_a",
            "class_teacher_a",
            "counsellor_a",
            "counsellor_a2",
            "team_leader_a",
            "provincial_admin_a",
            "national_admin",
        ),
        post=None,
        pk="school_a",
    ),
    "organisations:team": u(get=CRISIS_TEAM_A, post=None, pk="school_a"),
    "audit:home": u(get=PROVINCIAL_ADMINS | roles("team_leader_a", "national_admin", "auditor_a"), post=None),
    "audit:verify": u(get=roles("auditor_a"), post=roles("auditor_a")),
    # The auditor reads the audit trail (三员); the team leader reads their own school's.
    "audit:log": u(get=roles("team_leader_a", "auditor_a"), post=None, pk="school_a"),
    "notifications:inbox": u(get=ALL, post=None),
    "notifications:mark_all_read": u(get=None, post=ALL),
    "cases:list": u(get=ALL, post=None),
    "cases:my_tasks": u(get=ALL, post=None),
    "cases:dashboard": u(get=CASE_TEAM | roles("counsellor_a2", "counsellor_b"), post=None),
    "cases:first_report": u(get=SCHOOL_REPORTERS, post=SCHOOL_REPORTERS),
    "cases:student_search": u(get=SCHOOL_REPORTERS, post=None),
    "cases:receipt": u(get=roles("staff_a"), post=None, token="receipt_token"),
    # The class teacher is redirected to the guardian log; a counsellor of the school off the case is
    # offered the break-the-glass form (in the audited 404, the offer audited), anyone else gets the audited 404.
    "cases:detail": u(
        get=CASE_TEAM | roles("class_teacher_a"), post=None, pk="case", special={("get", "counsellor_a2"): GLASS_OFFER}
    ),
    "cases:assess": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:transition": u(get=None, post=CASE_TEAM, pk="case"),
    "cases:move_request": u(get=None, post=CASE_TEAM, pk="case"),
    "cases:move_request_decide": u(get=None, post=roles("team_leader_a"), pk="case", request_pk="move_request"),
    "cases:break_glass": u(get=None, post=roles("counsellor_a2"), pk="case"),
    "cases:access_log": u(get=roles("team_leader_a"), post=None, pk="case"),
    # Break-the-glass grants and their reasons: team leaders (their school) and auditors (their region).
    "cases:glass_breaks": u(get=roles("team_leader_a", "auditor_a"), post=None),
    "cases:guardian_log": u(get=CASE_TEAM_AND_CLASS_TEACHER, post=None, pk="case"),
    "cases:follow_up": u(get=CASE_TEAM_AND_CLASS_TEACHER, post=CASE_TEAM_AND_CLASS_TEACHER, pk="case"),
    "cases:consultation": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:plan": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:guardian_contact": u(get=CASE_TEAM_AND_CLASS_TEACHER, post=CASE_TEAM_AND_CLASS_TEACHER, pk="case"),
    "cases:referral": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:diagnosis": u(get=CASE_TEAM, post=CASE_TEAM, pk="case", referral_pk="referral"),
    "cases:status_event": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:aftercare": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:disclosure": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:task_done": u(get=CASE_TEAM, post=CASE_TEAM, pk="case", task_pk="task"),
    "cases:safety_plan": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:safety_plan_compare": u(get=CASE_TEAM, post=None, pk="case"),
    "cases:safety_plan_signed": u(get=CASE_TEAM, post=CASE_TEAM, pk="case", version="=1"),
    "cases:guardian_agreement": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:guardian_agreement_signed": u(get=CASE_TEAM, post=CASE_TEAM, pk="case", agreement_pk="agreement"),
    "cases:counselling_note_add": u(get=roles("counsellor_a"), post=roles("counsellor_a"), pk="case"),
    "cases:counselling_share": u(get=roles("counsellor_a"), post=roles("counsellor_a"), pk="case", note_pk="note"),
    "cases:assign_counsellor": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:add_member": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:link_student": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:remove_member": u(get=CASE_TEAM, post=CASE_TEAM, pk="case", member_pk="case_member"),
    "cases:school_settings": u(get=roles("team_leader_a"), post=roles("team_leader_a"), pk="school_a"),
    "cases:plan_templates": u(get=roles("team_leader_a"), post=None, pk="school_a"),
    "cases:plan_template_add": u(get=roles("team_leader_a"), post=roles("team_leader_a"), pk="school_a"),
    "cases:plan_template_edit": u(get=roles("team_leader_a"), post=roles("team_leader_a"), pk="plan_template"),
    "cases:plan_template_retire": u(get=None, post=roles("team_leader_a"), pk="plan_template"),
    "cases:team_add": u(get=roles("team_leader_a"), post=roles("team_leader_a"), pk="school_a"),
    "cases:team_change": u(get=roles("team_leader_a"), post=roles("team_leader_a"), pk="team_membership"),
    "cases:team_remove": u(get=None, post=roles("team_leader_a"), pk="team_membership"),
    "cases:notice_send": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "cases:notice_response": u(get=CASE_TEAM, post=CASE_TEAM, pk="case", notice_pk="notice"),
    "cases:notice_print": u(get=CASE_TEAM, post=None, pk="case", notice_pk="notice"),
    "students:home": u(get=CASE_TEAM | roles("class_teacher_a", "counsellor_a2", "counsellor_b"), post=None),
    "students:list": u(get=CASE_TEAM | roles("class_teacher_a", "counsellor_a2"), post=None, school_pk="school_a"),
    "students:add": u(
        get=CASE_TEAM | roles("class_teacher_a", "counsellor_a2"),
        post=CASE_TEAM | roles("class_teacher_a", "counsellor_a2"),
        school_pk="school_a",
    ),
    "students:classes": u(get=CRISIS_TEAM_A, post=CRISIS_TEAM_A, school_pk="school_a"),
    "students:import": u(get=CRISIS_TEAM_A, post=CRISIS_TEAM_A, school_pk="school_a"),
    "students:import_template": u(get=CRISIS_TEAM_A, post=None, school_pk="school_a"),
    "students:edit": u(
        get=CASE_TEAM | roles("class_teacher_a", "counsellor_a2"),
        post=CASE_TEAM | roles("class_teacher_a", "counsellor_a2"),
        pk="student",
    ),
    "students:class_edit": u(get=CRISIS_TEAM_A, post=CRISIS_TEAM_A, pk="school_class"),
    "dossier:case": u(get=CASE_TEAM, post=None, pk="case"),
    "dossier:upload": u(get=CASE_TEAM, post=CASE_TEAM, pk="case"),
    "dossier:generate": u(get=None, post=CASE_TEAM, pk="case"),
    "dossier:export": u(get=None, post=roles("team_leader_a"), pk="case"),
    "dossier:download": u(get=CASE_TEAM, post=None, pk="document"),
    "dossier:letter_templates": u(get=roles("team_leader_a"), post=None, school_pk="school_a"),
    "dossier:letter_template": u(
        get=roles("team_leader_a"), post=roles("team_leader_a"), school_pk="school_a", kind="=referral_letter"
    ),
    "dossier:notice_document": u(get=CASE_TEAM, post=None, pk="case", notice_pk="notice", fmt="=pdf"),
    "training:home": u(get=CASE_TEAM | roles("counsellor_a2", "counsellor_b"), post=None),
    "training:list": u(get=CRISIS_TEAM_A, post=None, school_id="school_a"),
    "training:add": u(get=CRISIS_TEAM_A, post=CRISIS_TEAM_A, school_id="school_a"),
    "reports:list": u(get=ALL, post=None),
    "reports:create": u(get=None, post=SCHOOL_REPORTERS | roles("filer_a")),
    "reports:edit": u(get=CASE_TEAM, post=roles("counsellor_a"), pk="report"),
    "reports:preview": u(get=None, post=roles("counsellor_a"), pk="report"),
    "reports:import": u(get=None, post=roles("counsellor_a"), pk="report"),
    "reports:export": u(get=CASE_TEAM, post=None, pk="report", fmt="=docx"),
    "reports:draft_from_case": u(get=CASE_TEAM, post=CASE_TEAM, case_pk="closed_case"),
    "campaigns:attachment_add": u(get=None, post=roles("national_admin"), pk="campaign"),
    "campaigns:attachment": u(get=CAMPAIGN_READERS, post=None, pk="attachment"),
    "campaigns:create": u(get=roles("national_admin"), post=roles("national_admin")),
    "campaigns:edit": u(get=roles("national_admin"), post=roles("national_admin"), pk="campaign"),
    "campaigns:publish": u(get=None, post=roles("national_admin"), pk="campaign"),
    "campaigns:list": u(get=ALL, post=None),
    "campaigns:campaign": u(get=CAMPAIGN_READERS, post=None, pk="campaign"),
    # Everyone who sees the campaign reaches the view; only the filer holds a filing right, the others
    # are sent back to the campaign page with the filing rules' message and nothing is written.
    "campaigns:start": u(
        get=None,
        post=roles("filer_a"),
        pk="campaign",
        special={("post", role): SENT_BACK for role in CAMPAIGN_READERS - {"filer_a"}},
    ),
    "campaigns:submission": u(get=roles("filer_a", "provincial_admin_a"), post=None, pk="submission"),
    "campaigns:save_info": u(get=None, post=roles("filer_a"), pk="submission"),
    "campaigns:upload_files": u(get=None, post=roles("filer_a"), pk="submission"),
    "campaigns:keep_flag": u(get=None, post=roles("filer_a"), pk="submission"),
    "campaigns:declare": u(get=None, post=roles("filer_a"), pk="submission"),
    "campaigns:submit": u(get=None, post=roles("filer_a"), pk="submission"),
    "campaigns:withdraw": u(get=None, post=roles("filer_a"), pk="submission"),
    "campaigns:download_file": u(get=roles("filer_a"), post=None, pk="submission", kind="=docx"),
    "campaigns:import_filers": u(get=PROVINCIAL_ADMINS, post=PROVINCIAL_ADMINS, pk="campaign"),
    "campaigns:province": u(get=PROVINCIAL_ADMINS, post=PROVINCIAL_ADMINS, pk="campaign"),
    "campaigns:toggle_school": u(get=None, post=roles("provincial_admin_a"), pk="campaign", school_pk="school_a"),
    "campaigns:invite": u(get=None, post=PROVINCIAL_ADMINS, pk="campaign"),
    "campaigns:resend_invite": u(get=None, post=roles("provincial_admin_a"), pk="campaign", message_pk="message"),
    "campaigns:toggle_right": u(get=None, post=roles("provincial_admin_a"), pk="right"),
    "campaigns:extend": u(get=None, post=roles("provincial_admin_a"), pk="right"),
    "campaigns:decide": u(get=None, post=roles("provincial_admin_a"), pk="submission", decision="=return"),
    "campaigns:originality": u(get=CAMPAIGN_OVERSEERS, post=None, pk="campaign"),
    "campaigns:originality_check": u(get=None, post=roles("national_admin"), pk="campaign"),
    "campaigns:originality_match": u(get=roles("provincial_admin_a", "national_admin"), post=None, pk="match"),
    "campaigns:statistics": u(get=CAMPAIGN_OVERSEERS, post=None, pk="campaign"),
    "campaigns:statistics_export": u(get=CAMPAIGN_OVERSEERS, post=None, pk="campaign"),
    "reviews:mine": u(get=REVIEWERS, post=None),
    "reviews:review": u(get=roles("reviewer_a"), post=roles("reviewer_a"), pk="assignment"),
    "reviews:conflict": u(get=None, post=roles("reviewer_a"), pk="assignment"),
    "reviews:province": u(get=PROVINCIAL_ADMINS, post=PROVINCIAL_ADMINS, pk="campaign"),
    "reviews:nation": u(get=roles("national_admin"), post=roles("national_admin"), pk="campaign"),
    "reviews:round": u(get=roles("provincial_admin_a"), post=None, pk="round"),
    "reviews:auto_assign": u(get=None, post=roles("provincial_admin_a"), pk="round"),
    "reviews:assign": u(get=None, post=roles("provincial_admin_a"), pk="round"),
    "reviews:stage": u(get=None, post=roles("provincial_admin_a"), pk="round", submission_pk="submission"),
    "reviews:publish": u(get=None, post=roles("provincial_admin_a"), pk="round"),
    "reviews:close": u(get=None, post=roles("provincial_admin_a"), pk="round"),
    "selection:province_entry": u(get=PROVINCIAL_ADMINS, post=None, pk="campaign"),
    "selection:recommendation": u(get=roles("provincial_admin_a"), post=None, pk="recommendation"),
    "selection:add": u(get=None, post=roles("provincial_admin_a"), pk="recommendation"),
    "selection:remove": u(get=None, post=roles("provincial_admin_a"), pk="recommendation"),
    "selection:generate_table": u(get=None, post=roles("provincial_admin_a"), pk="recommendation"),
    # No summary table or sealed scan exists yet: refused to everyone (the generation is covered above).
    "selection:download_xlsx": u(get=NOBODY, post=None, pk="recommendation"),
    "selection:download_pdf": u(get=NOBODY, post=None, pk="recommendation"),
    "selection:upload_seal": u(get=None, post=roles("provincial_admin_a"), pk="recommendation"),
    "selection:download_seal": u(get=NOBODY, post=None, pk="recommendation"),
    "selection:submit": u(get=None, post=roles("provincial_admin_a"), pk="recommendation"),
    "selection:national": u(get=roles("national_admin"), post=None, pk="campaign"),
    "selection:select": u(get=None, post=roles("national_admin"), pk="recommended_submission"),
    "selection:unselect": u(get=None, post=roles("national_admin"), pk="recommended_submission"),
    # A commentary is written on a selected case; the world's is recommended, not yet selected.
    "selection:commentary": u(get=NOBODY, post=NOBODY, pk="recommended_submission"),
    "selection:anthology_generate": u(get=None, post=roles("national_admin"), pk="campaign"),
    "selection:anthology_docx": u(get=roles("national_admin"), post=None, pk="anthology"),
    "selection:anthology_pdf": u(get=roles("national_admin"), post=None, pk="anthology"),
    "privacy:rules": u(get=ALL, post=None),
    # The processing rules: edited by the platform's national admin and the security administrator,
    # who sets access policy (三员); read by everyone signed in.
    "privacy:rules_edit": u(
        get=roles("national_admin", "security_admin_a"), post=roles("national_admin", "security_admin_a")
    ),
    "privacy:children": u(get=ALL, post=None),
    "privacy:children_edit": u(
        get=roles("national_admin", "security_admin_a"), post=roles("national_admin", "security_admin_a")
    ),
    "privacy:case_consents": u(get=CASE_TEAM, post=None, pk="case"),
    "privacy:consent_add": u(get=None, post=CASE_TEAM, pk="case"),
    "privacy:basis_change": u(get=None, post=CASE_TEAM, pk="case"),
    "privacy:consent_withdraw": u(get=None, post=CASE_TEAM, consent_pk="consent"),
    # The guardian's phone: the readers of the student register (the case's people and the school's counsellors).
    "privacy:reveal": u(
        get=CASE_TEAM_AND_CLASS_TEACHER | roles("counsellor_a2"), post=None, key="=guardian-phone", pk="guardian"
    ),
    "privacy:consent_proof": u(get=CASE_TEAM, post=None, consent_pk="consent"),
    "retention:legal_hold": u(get=roles("team_leader_a"), post=roles("team_leader_a"), pk="case"),
    "exports:request_dossier": u(get=roles("team_leader_a"), post=roles("team_leader_a"), case_pk="case"),
    "exports:pending": u(get=ALL, post=None),
    "exports:mine": u(get=ALL, post=None),
    "exports:decide": u(get=None, post=roles("team_leader_a"), pk="export_request"),
    # Only the requester (the coordinator, not a matrix role) downloads, once, after approval.
    "exports:download": u(get=None, post=NOBODY, pk="export_request"),
    "exports:request_organisation": u(
        get=roles("team_leader_a"), post=roles("team_leader_a"), org_pk="school_a", kind="=student_list"
    ),
    "exports:disclosures": u(get=ALL, post=None),
    # Alerts go to the security administrator and the team leader (PRODUCT: audit alerts).
    "alerts:list": u(get=roles("team_leader_a", "security_admin_a"), post=None),
    "alerts:acknowledge": u(get=None, post=roles("team_leader_a", "security_admin_a"), pk="alert"),
}
