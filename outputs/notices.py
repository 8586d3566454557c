"""POLICY.md section 4 for agendas, invitations and prison release notifications.

Packs and pre-meeting summaries are for the MAPPA representative (restricted); notices to
social workers and single points of contact say only who is to be discussed and when:
no MAPPA detail leaves with them.
"""

from __future__ import annotations

from sqlalchemy import select

from outputs import docs
from outputs.delivery import Outgoing
from outputs.duties import Ctx, _letter, _panel, _send, document_blob_name, linked_children, set_flag, uk
from outputs.records import Child, PanelMeeting, Subject, SubjectFlag


def _previous_panels(ctx: Ctx, subject: Subject, before_id: int) -> list[PanelMeeting]:
    """The case notes of the previous TWO panels only (POLICY 4)."""
    meeting = ctx.facts.meeting_date.value if ctx.facts.meeting_date else None
    q = select(PanelMeeting).where(PanelMeeting.subject_id == subject.id, PanelMeeting.status == "held",
                                   PanelMeeting.id != before_id, PanelMeeting.meeting_date.is_not(None))
    if meeting is not None:
        q = q.where(PanelMeeting.meeting_date < meeting)
    return list(ctx.session.scalars(q.order_by(PanelMeeting.meeting_date.desc()).limit(2)))


def _child_lines(children: list[Child]) -> list[str]:
    return [f"{c.name} ({c.file_ref}), born {uk(c.dob) if c.dob else 'unknown'}: case {c.case_status}; "
            f"social worker {c.social_worker or 'none allocated'}; team {c.team or '-'}; district {c.district or '-'}"
            for c in children] or ["No children with a relational link are known to children's services."]


def panel(ctx: Ctx, subjects: list[tuple[Subject, bool]]) -> None:
    """Agenda or invitation: list, flag, pack, pre-meeting summary and notices for each person."""
    f, cfg = ctx.facts, ctx.config
    meeting = f.meeting_date.value if f.meeting_date else None
    day = meeting.isoformat() if meeting else "undated"
    for subject, created in subjects:
        if created:
            set_flag(ctx, subject, "to_be_discussed", f"To be discussed at MAPPA on {uk(meeting)}")
        place = _panel(ctx, subject, meeting)
        if place.status == "listed":
            place.status = "scheduled"
        place.document_id = place.document_id or ctx.document.id
        children = linked_children(ctx.session, subject.id)
        flags = list(ctx.session.scalars(select(SubjectFlag).where(SubjectFlag.subject_id == subject.id,
                                                                    SubjectFlag.active.is_(True))))
        previous = _previous_panels(ctx, subject, place.id)
        pack = [
            f"Subject: {subject.name} (record {subject.ref})",
            f"Also known as: {', '.join(subject.aliases)}" if subject.aliases else "Also known as: -",
            f"Date of birth: {uk(subject.dob) if subject.dob else 'unknown'}",
            f"PNC: {subject.pnc or '-'}; prison number: {subject.prison_number or '-'}",
            f"MAPPA level: {subject.mappa_level or 'not recorded'}",
            *(f"Flag: {fl.text}" for fl in flags),
            "Previous panels (the last two):" if previous else "Previous panels: none recorded.",
            *(p.notes or f"Panel of {uk(p.meeting_date)}: no notes recorded." for p in previous),
            "Children known to children's services:",
            *_child_lines(children),
        ]
        base = cfg.output_dir / "panels" / day
        _letter(ctx, "panel_pack", base / f"pack-{docs.safe_part(subject.ref)}.docx",
                docs.docx_bytes(f"Panel pack: MAPPA meeting on {uk(meeting)}", pack, cfg), "MAPPA representative",
                subject)
        # What children's services hold, for the representative: no MAPPA detail needed.
        _letter(ctx, "pre_meeting_summary", base / f"pre-meeting-{docs.safe_part(subject.ref)}.docx",
                docs.docx_bytes(f"Pre-meeting summary: {subject.name}", _child_lines(children), cfg),
                "MAPPA representative", subject)
        _notices(ctx, subject, children, day)
    ctx.placement_reason = f"{f.doc_type.value} filed against the subjects' restricted records"


def _notices(ctx: Ctx, subject: Subject, children: list[Child], day: str) -> None:
    """Open cases: the allocated worker and the district SPOC. Otherwise the district(s) where linked children live."""
    if not children:
        return
    f, cfg = ctx.facts, ctx.config
    open_cases = [c for c in children if c.case_status == "open"]
    if open_cases:
        emails = [c.social_worker_email for c in open_cases] + [c.spoc_email for c in open_cases]
        teams = [c.team for c in open_cases]
        case_text = " as an open case"
    else:
        emails, teams, case_text = [c.spoc_email for c in children], [c.district for c in children], ""
    recipients = sorted({e for e in emails if e})
    meeting = f.meeting_date.value if f.meeting_date else None
    body = docs.NOTICE.substitute(
        recipient=", ".join(recipients) or "Locality team", subject_name=subject.name, meeting_date=uk(meeting),
        time_text=f" at {f.meeting_time.value}" if f.meeting_time else "",
        place_text=f", {f.meeting_place.value}" if f.meeting_place else "",
        council_name=cfg.council_name, case_text=case_text, signatory=cfg.signatory)
    name = f"notice-{docs.safe_part(subject.ref)}-{day}.docx"
    data = docs.docx_bytes(f"MAPPA meeting notice: {subject.name}", body.split("\n\n"), cfg)
    letter = _letter(ctx, "notice", cfg.output_dir / "notices" / day / name, data, "; ".join(recipients), subject)
    subject_line = f"{cfg.marking}: MAPPA meeting on {uk(meeting)} - {subject.name}"
    if cfg.smtp_host and recipients:
        for addr in recipients:
            _send(ctx, f"notice:{subject.id}", Outgoing("notice", "email", addr, ((name, data),), subject_line,
                                                        body, letter_id=letter.id))
    else:
        for team in sorted({t for t in teams}):
            _send(ctx, f"notice:{subject.id}", Outgoing("notice", "folder", str(cfg.folder_for_team(team)),
                                                        ((name, data),), letter_id=letter.id))


def prison_notification(ctx: Ctx, subject: Subject, known: bool) -> None:
    f, cfg = ctx.facts, ctx.config
    s = f.subjects[0]
    establishment = f.establishment.value if f.establishment else "the establishment"
    recipient = f.prison_contact.value if f.prison_contact else f"The Governor, {establishment}"
    prison_no = s.prison_number.value if s.prison_number else subject.prison_number
    release = f.release_date.value if f.release_date else None
    received = ctx.document.received_at.date() if ctx.document.received_at else ctx.now.date()
    fields = dict(recipient=recipient, subject_name=subject.name,
                  prison_number_text=f" (prison number {prison_no})" if prison_no else "",
                  received=uk(received), release_text=f", due for release on {uk(release)}" if release else "",
                  council_name=cfg.council_name, signatory=cfg.signatory,
                  contact_text=" at " + ", ".join(x for x in (cfg.council_phone, cfg.council_email) if x)
                  if (cfg.council_phone or cfg.council_email) else "")
    paragraphs = docs.ACK_LETTER.substitute(fields).split("\n\n")
    title = "Acknowledgement of prison release notification"
    path = cfg.output_dir / "letters" / f"acknowledgement-{ctx.document.id}.docx"
    letter = _letter(ctx, "acknowledgement", path, docs.docx_bytes(title, paragraphs, cfg), establishment, subject)
    if not known:
        set_flag(ctx, subject, "mappa_warning",
                 f"MAPPA warning: prison release notification from {establishment} received {uk(received)}"
                 f"{'; release ' + uk(release) if release else ''}; to be discussed at the next MAPPA panel")
        listed = ctx.session.scalars(select(PanelMeeting).where(PanelMeeting.subject_id == subject.id,
                                                                PanelMeeting.status == "listed")).first()
        if listed is None:
            ctx.session.add(PanelMeeting(subject_id=subject.id, meeting_date=None, status="listed",
                                         document_id=ctx.document.id, attendance=[],
                                         notes=f"Listed for the next panel: prison release notification {uk(received)}"))
        ctx.placement_reason = f"notification filed against the new subject record {subject.ref}; no copy to any team"
        return
    open_cases = [c for c in linked_children(ctx.session, subject.id) if c.case_status == "open"]
    if open_cases:
        original = ctx.vault.get(document_blob_name(ctx.document))
        copy_letter = docs.docx_bytes(title, paragraphs, cfg, banner="FOR INFORMATION")
        files = ((f"FOR INFORMATION - {docs.safe_part(ctx.document.filename, 80)}", original),
                 (f"FOR INFORMATION - acknowledgement-{ctx.document.id}.docx", copy_letter))
        for team in sorted({c.team for c in open_cases}):
            _send(ctx, f"prison:{subject.id}", Outgoing("notification_copy", "folder", str(cfg.folder_for_team(team)),
                                                        files, letter_id=letter.id))
    ctx.placement_reason = f"notification filed against the subject's restricted record {subject.ref}"
