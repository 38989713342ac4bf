"""Refusing an export without a reason comes back on the list, beside the request, with a
Chinese message: no dead-end page, nothing decided."""

from django.urls import reverse

from xinan.exports.models import ExportRequest
from xinan.exports.services.requests import request_dossier_export

PURPOSE = "区教育局专项督导调阅"


def test_refusing_without_a_reason_is_an_inline_error(client, world, case):
    # Arrange
    export_request = request_dossier_export(case, by=world.coordinator_a, purpose=PURPOSE)
    client.force_login(world.team_leader_a)

    # Act
    response = client.post(reverse("exports:decide", args=[export_request.pk]), {"action": "refuse", "reason": " "})

    # Assert
    assert response.status_code == 400
    html = response.content.decode()
    row = html.split('data-test="export-pending-row"')[1]
    assert "拒绝时请写明理由" in row.split('data-test="export-decision-error"')[1]
    assert reverse("exports:decide", args=[export_request.pk]) in row
    assert ExportRequest.objects.get(pk=export_request.pk).decision == ""


def test_refusing_with_a_reason_still_goes_back_to_the_list(client, world, case):
    # Arrange
    export_request = request_dossier_export(case, by=world.coordinator_a, purpose=PURPOSE)
    client.force_login(world.team_leader_a)

    # Act
    response = client.post(
        reverse("exports:decide", args=[export_request.pk]), {"action": "refuse", "reason": "用途不明确"}
    )

    # Assert
    assert response.status_code == 302
    assert ExportRequest.objects.get(pk=export_request.pk).decision == "refused"
