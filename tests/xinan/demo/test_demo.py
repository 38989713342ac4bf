from django.contrib.auth import get_user_model

from xinan.campaigns.models import Campaign, FilingRight
from xinan.cases.models import Case
from xinan.demo.services.generate import DEMO_PASSWORD, PEOPLE, generate_demo
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership


def test_demo_is_idempotent_and_covers_every_role(db):
    generate_demo()
    counts = (get_user_model().objects.count(), Membership.objects.count(), Case.objects.count())
    generate_demo()
    assert (get_user_model().objects.count(), Membership.objects.count(), Case.objects.count()) == counts
    assert {Role(role) for role in Membership.objects.values_list("role", flat=True)} == set(Role)
    assert Case.objects.count() == 4
    assert Campaign.objects.filter(published_at__isnull=False).count() == 1
    assert FilingRight.objects.count() == 2


def test_demo_passwords_work_for_staff_and_filers_have_none(db):
    generate_demo()
    users = get_user_model().objects
    for person in PEOPLE:
        user = users.get(phone=person.phone)
        assert user.check_password(DEMO_PASSWORD) is person.with_password
