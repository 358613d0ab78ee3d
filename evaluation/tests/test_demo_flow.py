"""The running demo can take the waiting dossier from a round to a printed certificate."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from evaluation.models import Dossier, Round

pytestmark = pytest.mark.django_db


def test_demo_dossier_goes_from_round_to_printed_certificate(client):
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
    from accounts.models import User

    office, chair = User.objects.get(username="vanphong"), User.objects.get(username="hoidong")
    dossier = Dossier.objects.get(product__name="Tinh dầu hồi (Nông Văn Tú)")
    round_ = Round.objects.get(name__startswith="Đợt bổ sung năm", status="open")

    client.force_login(office)
    client.post(reverse("evaluation:round_assign", args=[round_.pk]), {"dossiers": [dossier.pk]})
    dossier.refresh_from_db()
    assert dossier.state == "in_round"

    client.force_login(chair)
    page = client.get(reverse("evaluation:scoresheet", args=[round_.pk, dossier.pk])).content.decode()
    assert "Tinh dầu và dược liệu khác" in page
    from evaluation.services import sheet_for

    sheet = sheet_for(dossier, round_.criteria_set)
    # Good but not perfect: the best option everywhere except the last few criteria.
    criteria = list(sheet.criteria())
    chosen = {c.code: max(c.choices, key=lambda o: o.points).code for c in criteria}
    unmarked = [c for c in criteria if not any(o.min_star for o in c.choices)]
    for c in sorted(unmarked, key=lambda c: -c.max_points)[:5]:
        chosen[c.code] = min((o for o in c.choices if not o.stops), key=lambda o: o.points).code
    data = {f"c-{code}": option for code, option in chosen.items()}
    data["submit"] = "1"
    client.post(reverse("evaluation:scoresheet", args=[round_.pk, dossier.pk]), data)
    client.post(reverse("evaluation:round_close", args=[round_.pk]), {"confirm": "on"})
    dossier.refresh_from_db()
    assert dossier.state == "scored" and 70 <= dossier.score < 90 and dossier.stars == 4

    client.force_login(office)
    today = timezone.localdate()
    client.post(
        reverse("evaluation:round_decide", args=[round_.pk]),
        {
            "number": "123/QĐ-UBND",
            "signed_on": today.strftime("%d/%m/%Y"),
            "signer_name": "Chủ tịch",
            "confirm": "on",
        },
    )
    dossier.refresh_from_db()
    assert dossier.state == "recognised"
    certificate = Certificate.objects.get(pk=dossier.certificate_id)
    assert certificate.stars == 4 and certificate.expires_on.year == today.year + 3
    pdf = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
