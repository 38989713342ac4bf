"""Named message templates: every SMS and e-mail is rendered from
``templates/messages/<name>/`` (sms.txt, subject.txt, body.txt, body.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _render(name: str, part: str, context: dict, *, required: bool = True) -> str:
    try:
        return render_to_string(f"messages/{name}/{part}", context).strip()
    except TemplateDoesNotExist:
        if required:
            raise
        return ""


def render_sms(name: str, context: dict) -> str:
    return " ".join(_render(name, "sms.txt", context).split())


def render_email(name: str, context: dict) -> Rendered:
    return Rendered(
        subject=" ".join(_render(name, "subject.txt", context).split()),
        text=_render(name, "body.txt", context),
        html=_render(name, "body.html", context, required=False),
    )


def render_work(name: str, context: dict) -> str:
    """A 企业微信/钉钉 text: ``work.txt`` when the message has one, else its SMS text (the same minimum)."""
    text = _render(name, "work.txt", context, required=False) or _render(name, "sms.txt", context)
    return " ".join(text.split())
