from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.accounts.validators import mask_phone, normalise_phone, validate_phone


def _auth_backends():
    from django.contrib.auth import get_backends

    return get_backends()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone: str, name: str, password: str | None = None, **extra):
        user = self.model(phone=normalise_phone(phone), name=name, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, name: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, name, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by a mainland mobile number (unique, stored normalised)."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True, validators=[validate_phone])
    name = models.CharField(_("姓名"), max_length=40)
    unit = models.CharField(_("单位"), max_length=120, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_staff(self) -> bool:
        # There is no Django admin site; nobody is "staff" in Django's sense.
        return False

    def has_perm(self, perm, obj=None) -> bool:
        # No "superuser sees everything": case confidentiality holds for every account.
        return self.is_active and any(
            backend.has_perm(self, perm, obj) for backend in _auth_backends() if hasattr(backend, "has_perm")
        )

    def has_module_perms(self, app_label) -> bool:
        return False

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name
