from django.core.management.base import BaseCommand, CommandError

from xinan.demo.services.generate import DEMO_PASSWORD, generate_demo
from xinan.organisations.models.membership import SeparationOfDutiesError


class Command(BaseCommand):
    help = "Create (or keep) the demo organisations and people, and print their sign-ins."

    def handle(self, *args, **options):
        try:
            rows = generate_demo()
        except SeparationOfDutiesError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write("")
        self.stdout.write("演示账号 / demo sign-ins (http://127.0.0.1:8000/accounts/login/)")
        self.stdout.write(f"{'角色':<14}{'单位':<16}{'手机号':<14}登录方式")
        for person, org, _name in rows:
            how = f"密码 {DEMO_PASSWORD}" if person.with_password else "短信验证码"
            self.stdout.write(f"{person.role.label[:12]:<14}{org.name[:14]:<16}{person.phone:<14}{how}")
        self.stdout.write("所有账号也可使用短信验证码登录；演示环境的短信不外发，用 `xinan outbox` 查看。")
