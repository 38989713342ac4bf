"""Dossier export benchmark: one case with 200 generated files (~200 MB), exported as a
streamed ZIP through the export view, beside a baseline that reads and verifies the same
files without zipping. Prints time, throughput and peak RSS growth of each.

    .venv/bin/python bench/dossier_export.py [--files 200] [--megabytes 200]

Runs in a throwaway data directory (SQLite, files encrypted as in production), removed at
the end. Target: export under 10 s, memory flat (growth about one file, not the dossier).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024

# Content kinds, each with the first bytes that make the upload check recognise it.
KINDS = [
    ("leave_record", b"%PDF-1.4\n", "pdf"),
    ("photo", b"\x89PNG\r\n\x1a\n", "png"),
    ("talk_recording", b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3"),
    ("diagnosis_certificate", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpg"),
]


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRss:
    """Samples the resident set every few milliseconds while a block runs."""

    def __enter__(self):
        gc.collect()
        self.start = self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / MB


def real_pdf(size: int, rng: random.Random) -> bytes:
    """A valid one-page PDF of about ``size`` bytes: the page shows one uncompressed RGB image of
    random pixels. Random bytes behind a PDF header are not a PDF, and a checker that parses the
    file (as the upload check does) rightly refuses them."""
    side = max(1, int(((max(size - 700, 3)) / 3) ** 0.5))
    pixels = rng.randbytes(side * side * 3)
    content = f"q {side} 0 0 {side} 0 0 cm /Im1 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side} {side}] /Contents 4 0 R "
        f"/Resources << /XObject << /Im1 5 0 R >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceRGB "
        f"/BitsPerComponent 8 /Length {len(pixels)} >>\nstream\n".encode() + pixels + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sizes_for(files: int, total: int, rng: random.Random) -> list[int]:
    """Mixed sizes: many small scans, some photos, a few long recordings; summing to ``total``."""
    weights = [rng.choice([0.05, 0.2, 0.5, 1, 1, 2, 4, 8]) * rng.uniform(0.5, 1.5) for _ in range(files)]
    scale = total / sum(weights)
    return [max(1024, int(weight * scale)) for weight in weights]


def setup(files: int, total: int):
    from django.contrib.auth import get_user_model

    from xinan.cases.services.reporting import file_first_report
    from xinan.demo.services.people import make_name
    from xinan.dossier.services.documents import upload_document
    from xinan.organisations.enums import OrgKind, Role, SchoolType
    from xinan.organisations.models import Membership, Organisation

    rng = random.Random(2026)
    nation = Organisation.objects.create(kind=OrgKind.NATION, name="基准测试全国", code="D00000")
    province = Organisation.objects.create(kind=OrgKind.PROVINCE, parent=nation, name="基准测试省", code="D10000")
    school = Organisation.objects.create(
        kind=OrgKind.SCHOOL, parent=province, name="基准测试中学", code="D10001", school_type=SchoolType.UNIVERSITY
    )
    users = {}
    for number, role in enumerate([Role.TEAM_LEADER, Role.COUNSELLOR, Role.STAFF, Role.COORDINATOR], start=1):
        user = get_user_model().objects.create(phone=f"1370999{number:04d}", name=make_name(rng))
        Membership.objects.create(user=user, organisation=school, role=role)
        users[role] = user
    case = file_first_report(
        school=school,
        reporter=users[Role.STAFF],
        student_text="基准测试学生",
        categories=["other"],
        observed="生成的数据",
    ).case
    case.assigned_counsellor = users[Role.COUNSELLOR]
    case.save(update_fields=["assigned_counsellor"])
    for number, size in enumerate(sizes_for(files, total, rng), start=1):
        slot, magic, extension = KINDS[number % len(KINDS)]
        data = real_pdf(size, rng) if extension == "pdf" else magic + rng.randbytes(size - len(magic))
        upload_document(
            case, slot=slot, chunks=[data], original_name=f"资料{number:03d}.{extension}", by=users[Role.COUNSELLOR]
        )
    return case, users[Role.TEAM_LEADER], users[Role.COORDINATOR]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args(argv)

    data_dir = tempfile.mkdtemp(prefix="xinan-bench-dossier-")
    os.environ["XINAN_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # a throwaway SQLite database in the data directory
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from xinan.dossier.models import Document
        from xinan.dossier.services.documents import document_bytes

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        case, leader, coordinator = setup(args.files, args.megabytes * MB)
        documents = list(Document.objects.filter(case=case))
        total = sum(d.size for d in documents)
        print(f"generated {len(documents)} files, {total / MB:.0f} MB, in {time.perf_counter() - started:.1f} s")

        with PeakRss() as baseline_rss:
            started = time.perf_counter()
            read = sum(len(document_bytes(document)) for document in documents)
            baseline_time = time.perf_counter() - started
        assert read == total

        # An export needs a second person's approval (issue 9): request, approve, then download once.
        from xinan.exports.services.requests import approve_export, request_dossier_export

        export_request = request_dossier_export(case, by=leader, purpose="基准测试：归档导出")
        approve_export(export_request, by=coordinator)
        client = Client()
        client.force_login(leader)
        with PeakRss() as export_rss:
            started = time.perf_counter()
            response = client.post(reverse("exports:download", args=[export_request.pk]))
            archive = 0
            for chunk in response.streaming_content:
                archive += len(chunk)
            export_time = time.perf_counter() - started
        assert response.status_code == 200

        largest = max(d.size for d in documents) / MB
        print(
            f"\n{len(documents)} files, {total / MB:.0f} MB (largest {largest:.1f} MB); archive {archive / MB:.0f} MB"
        )
        print(f"{'step':<40}{'time s':>9}{'MB/s':>9}{'peak RSS growth MB':>21}")
        rows = [
            ("baseline: read + verify, no zip", baseline_time, baseline_rss.growth_mb),
            ("export: streamed ZIP + index (view)", export_time, export_rss.growth_mb),
        ]
        for name, seconds, growth in rows:
            print(f"{name:<40}{seconds:>9.2f}{total / MB / seconds:>9.0f}{growth:>21.1f}")
        verdict = "met" if export_time < 10 else "MISSED"
        print(f"\ntarget export < 10 s: {verdict}; memory grows with the largest file, not with the dossier")
        return 0 if export_time < 10 else 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
