"""A report written in Word: the secretary uploads a .docx, its text becomes the report's body (word.py
converts it) and the original is kept among the report's attachments."""

from __future__ import annotations

from pathlib import PurePosixPath

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.config import get_settings
from shuping.core import uploads
from shuping.core.errors import FieldError, UnsupportedFile
from shuping.core.files import UploadLike
from shuping.core.i18n import N_
from shuping.reports import service, word
from shuping.reports.models import Report, ReportAttachment
from shuping.reports.schemas import BODY_MAX, AttachmentRead, ReportDocumentRead

DOCX = ".docx"
# Word 97–2003 (.doc) and WPS documents are OLE2 compound files: one signature for all of them.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLD_WORD = (".doc", ".dot", ".wps")


class _Replayed:
    """The upload with its first bytes, already read to look at them, given back first."""

    def __init__(self, head: bytes, upload: UploadLike) -> None:
        self.filename = upload.filename
        self._head = head
        self._upload = upload

    async def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return await self._upload.read(size)


def _old_word(filename: str) -> UnsupportedFile:
    return UnsupportedFile(
        N_(
            "{filename} is an old Word document (.doc): save it as .docx in Word or WPS "
            "(File → Save As → Word Document .docx) and upload that",
            filename=filename,
        ),
        errors=[{"loc": uploads.FILE_LOC, "msg": N_("save it as .docx and upload again")}],
    )


async def import_document(
    session: AsyncSession, *, report: Report, upload: UploadLike, actor: User
) -> ReportDocumentRead:
    """Replace the report's body with the text of a .docx and keep the file as an attachment.

    Refused, leaving the report and the store as they were: an old .doc (415, saying how to save it as
    .docx), anything else not a .docx by name and content (415), a damaged .docx (415), one larger than
    the documents' limit (413), one with no text or more text than a report holds (400)."""
    service.require_author(actor, report)
    cycle = await service.cycle_of(session, report)
    service.require_editable(cycle, report, N_("import a Word document"))
    name = uploads.clean_filename(upload.filename or "")
    if PurePosixPath(name).suffix.lower() in OLD_WORD:
        raise _old_word(name)
    incoming = uploads.accept(upload.filename, (DOCX,), hint=N_("upload a Word document saved as .docx"))
    head = await upload.read(len(OLE2))
    if head == OLE2:
        raise _old_word(incoming.filename)
    kept = await uploads.store(
        _Replayed(head, upload),
        incoming,
        folder=f"reports/{report.id}",
        limit_mb=get_settings().report_slides_max_mb,
        limit_of="documents",
    )
    try:
        try:
            converted = await anyio.to_thread.run_sync(word.docx_to_markdown, uploads.stored_path(kept.path))
        except word.NotReadable:
            raise UnsupportedFile(
                N_(
                    "{filename} cannot be read as a Word document; open it in Word, save it again and retry",
                    filename=kept.filename,
                ),
                errors=[{"loc": uploads.FILE_LOC, "msg": N_("damaged or not a Word document")}],
            ) from None
        body = converted.markdown
        if not body.strip():
            raise FieldError(uploads.FILE_LOC, N_("{filename} holds no text to import", filename=kept.filename))
        if len(body) > BODY_MAX:
            raise FieldError(
                uploads.FILE_LOC,
                N_(
                    "The text of {filename} is {length} characters long; a report holds at most {limit}",
                    filename=kept.filename,
                    length=len(body),
                    limit=BODY_MAX,
                ),
            )
        attachment = _same_original(report, kept)
        if attachment is None:
            service.require_room(report)
            attachment = await service.keep_attachment(session, report=report, kept=kept, actor=actor)
        else:
            # The very same file again: the one already kept stands for it.
            await anyio.Path(uploads.stored_path(kept.path)).unlink(missing_ok=True)
    except BaseException:
        await anyio.Path(uploads.stored_path(kept.path)).unlink(missing_ok=True)
        raise
    report.body = body
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="report.update",
        entity_type="report",
        entity_id=report.id,
        # As for an edit, the audit keeps the size of the text, and which document it came from.
        data={"body": len(body), "document": kept.filename, "sha256": kept.sha256, "attachment_id": attachment.id},
    )
    return ReportDocumentRead(
        report=await service.read(session, report.id, actor),
        original=AttachmentRead.model_validate(attachment),
        images_left_out=converted.images_left_out,
    )


def _same_original(report: Report, kept: uploads.StoredFile) -> ReportAttachment | None:
    for a in report.attachments:
        if a.sha256 == kept.sha256 and a.content_type == kept.content_type:
            return a
    return None
