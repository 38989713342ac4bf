"""System checks that `xinan check --deploy` runs without the network."""

from __future__ import annotations

from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_message_settings(app_configs, **kwargs):
    from xinan.operations.services.doctor import message_problems

    return [
        Error(problem, hint="See docs/configuration.md, section SMS and e-mail.", id="xinan.E101")
        for problem in message_problems()
    ]
