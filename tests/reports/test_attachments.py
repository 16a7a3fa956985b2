"""Report attachments: types checked by name and content, size limits, storage under var/."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.config import get_settings
from shuping.reports.models import ReportAttachment
from tests.cycles.test_cycles import h
from tests.reports.test_reports import demo_report, fresh_report

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def pptx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<presentation/>")
    return out.getvalue()


def docx_renamed() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


async def _upload(
    client: httpx.AsyncClient, session: AsyncSession, rid: int, name: str, content: bytes, user: str = "s410326104"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/reports/{rid}/attachments",
        files={"file": (name, content, "application/octet-stream")},
        headers=await h(session, user),
    )


async def test_upload_download_and_delete(client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path) -> None:
    _, rid = await fresh_report(session)
    r = await _upload(client, session, rid, "../../述职材料.pdf", PDF)
    assert r.status_code == 201, r.text
    att = r.json()
    assert att["filename"] == "述职材料.pdf"
    assert att["content_type"] == "application/pdf"
    assert att["size_bytes"] == len(PDF)
    assert att["sha256"] == hashlib.sha256(PDF).hexdigest()
    slides = await _upload(client, session, rid, "汇报.PPTX", pptx())
    assert slides.status_code == 201, slides.text
    assert slides.json()["content_type"] == PPTX_TYPE
    photo = await _upload(client, session, rid, "现场.png", PNG)
    assert photo.status_code == 201

    stored = (
        await session.execute(select(ReportAttachment.storage_path).where(ReportAttachment.id == att["id"]))
    ).scalar_one()
    assert stored.startswith(f"reports/{rid}/") and stored.endswith(".pdf")
    assert (_var_dir / stored).read_bytes() == PDF

    report = (await client.get(f"/api/v1/reports/{rid}", headers=await h(session, "s410326104"))).json()
    assert [a["filename"] for a in report["attachments"]] == ["述职材料.pdf", "汇报.PPTX", "现场.png"]
    assert report["attachment_count"] == 3

    for user in ("s410326104", "clerk"):
        r = await client.get(f"/api/v1/reports/{rid}/attachments/{att['id']}", headers=await h(session, user))
        assert r.status_code == 200
        assert r.content == PDF
        assert r.headers["content-type"] == "application/pdf"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "filename*=utf-8''%E8%BF%B0" in r.headers["content-disposition"]
    assert (
        await client.get(f"/api/v1/reports/{rid}/attachments/999999", headers=await h(session, "clerk"))
    ).status_code == 404

    r = await client.delete(f"/api/v1/reports/{rid}/attachments/{att['id']}", headers=await h(session, "clerk"))
    assert r.status_code == 403
    r = await client.delete(f"/api/v1/reports/{rid}/attachments/{att['id']}", headers=await h(session, "s410326104"))
    assert r.status_code == 204
    assert not (_var_dir / stored).exists()
    assert (
        await client.get(f"/api/v1/reports/{rid}/attachments/{att['id']}", headers=await h(session, "clerk"))
    ).status_code == 404
    assert (
        await client.delete(f"/api/v1/reports/{rid}/attachments/{att['id']}", headers=await h(session, "s410326104"))
    ).status_code == 404
    actions = (
        (
            await session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "report", AuditEntry.entity_id == str(rid))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions == ["report.attachment_add"] * 3 + ["report.attachment_delete"]


@pytest.mark.parametrize(
    ("name", "content", "status", "text"),
    [
        ("setup.exe", b"MZ\x90\x00", 415, "attach slides as PDF or PPTX"),
        ("noextension", PDF, 415, "attach slides"),
        ("fake.pdf", PNG, 415, "does not contain what its name says (PDF)"),
        ("fake.png", PDF, 415, "(PNG)"),
        ("letter.pptx", docx_renamed(), 415, "(PPTX)"),
        ("broken.pptx", b"PK\x03\x04garbage", 415, "(PPTX)"),
        ("fake.webp", b"RIFF\x00\x00\x00\x00WAVE", 415, "(WEBP)"),
        ("empty.pdf", b"", 400, "is empty"),
    ],
)
async def test_types_are_checked_by_name_and_content(
    client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path, name: str, content: bytes, status: int, text: str
) -> None:
    _, rid = await fresh_report(session)
    r = await _upload(client, session, rid, name, content)
    assert r.status_code == status, r.text
    assert text in r.json()["detail"]
    assert r.json()["errors"][0]["loc"] == ["body", "file"]
    assert list(_var_dir.rglob("*.*")) == []


async def test_size_and_count_limits(
    client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, rid = await fresh_report(session)
    settings = get_settings()
    monkeypatch.setattr(settings, "report_image_max_mb", 1)
    big = b"\xff\xd8\xff" + b"\x00" * (1024 * 1024)
    r = await _upload(client, session, rid, "big.jpg", big)
    assert r.status_code == 413
    assert r.json()["detail"] == "big.jpg is larger than the limit of 1 MB for image"
    assert list(_var_dir.rglob("*.jpg")) == []
    ok = await _upload(client, session, rid, "ok.jpeg", big[: 1024 * 1024])
    assert ok.status_code == 201
    assert ok.json()["content_type"] == "image/jpeg"
    monkeypatch.setattr(settings, "report_max_attachments", 1)
    r = await _upload(client, session, rid, "more.pdf", PDF)
    assert r.status_code == 409
    assert "at most 1 attachments" in r.json()["detail"]


async def test_attachments_only_while_the_report_may_change(client: httpx.AsyncClient, session: AsyncSession) -> None:
    rid = await demo_report(session, "410326104")  # submitted
    r = await _upload(client, session, rid, "late.pdf", PDF)
    assert r.status_code == 409
    _, draft = await fresh_report(session)
    assert (await _upload(client, session, draft, "x.pdf", PDF, user="clerk")).status_code == 403
    r = await client.post(f"/api/v1/reports/{draft}/attachments", headers=await h(session, "s410326104"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "file"]


async def test_a_missing_file_is_not_found(client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path) -> None:
    _, rid = await fresh_report(session)
    att = (await _upload(client, session, rid, "x.pdf", PDF)).json()
    for f in _var_dir.rglob("*.pdf"):
        f.unlink()
    r = await client.get(f"/api/v1/reports/{rid}/attachments/{att['id']}", headers=await h(session, "clerk"))
    assert r.status_code == 404
    assert "missing from storage" in r.json()["detail"]
