"""``astreinte rca INC-… [--format md|html] [--lang fr|en] [--draft] [--version N]``: a
ticket's root-cause analysis as a document, on standard output (or ``--output PATH``): the
latest version sent to the reporter, or with ``--draft`` the latest version whatever its
state. The SLA figures are those of the moment the version was sent (or last saved)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import LazyChoices, config_of, with_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("rca", help="export a ticket's root-cause analysis (Markdown or HTML)")
    parser.add_argument("ref", metavar="INC-…", help="the ticket's reference")
    parser.add_argument("--format", choices=("md", "html"), default="md", help="Markdown (default) or HTML")
    parser.add_argument("--lang", choices=LazyChoices("messages", "LANGUAGES"), default=None, metavar="{en,fr}",
                        help="language (default: the ticket's)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--draft", action="store_true", help="the latest version even if not sent yet")
    which.add_argument("--version", type=int, default=None, metavar="N", help="this version")
    parser.add_argument("--output", default=None, metavar="PATH", help="write to this file instead of stdout")
    with_database(parser)
    parser.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from bot.cli.operations import database
    from bot.rendering import rca_document
    from messages import render_plain
    from sla_core.errors import InputError
    from sla_core.rca.evidence import evidence
    from sla_core.rca.model import RcaStatus
    from sla_core.rca.service import versions
    from sla_core.tickets.queries import get_ticket

    config = config_of(args)
    policy = config.policy
    now = datetime.now(UTC)
    with database(args) as uow:
        ticket = get_ticket(uow, policy=policy, ticket_ref=args.ref, now=now)
        every = versions(uow, ticket_ref=ticket.ref)
    lang = args.lang or ticket.language or config.slack.default_language
    if args.version is not None:
        chosen = [v for v in every if v.version == args.version]
        if not chosen:
            raise InputError("--version", f"{ticket.ref} has no RCA version {args.version} "
                                          f"(it has {', '.join(str(v.version) for v in every) or 'none'})")
    else:
        chosen = [v for v in every if args.draft or v.status is RcaStatus.SENT]
    if not chosen:
        key = "rca.cli.none" if args.draft or not every else "rca.cli.none_sent"
        raise InputError("ref", render_plain(key, lang, ref=ticket.ref))
    rca = chosen[-1]
    proof = evidence(policy, opened_at=ticket.opened_at, events=ticket.events, now=rca.sent_at or rca.updated_at)
    doc = rca_document.build(ticket, rca, proof, policy=policy, lang=lang, for_slack=False)
    text = rca_document.to_html(doc, lang=lang) if args.format == "html" else rca_document.to_markdown(doc)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError("--output", f"cannot write {args.output}: {exc.strerror}") from None
    else:
        print(text, end="")
    return 0
