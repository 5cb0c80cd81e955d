"""Where an application stands: the checklist of sections, and what is due before submitting."""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models.checklist import SectionKey, SectionStatus
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections import SECTIONS, Section


@dataclass
class DueItem:
    key: SectionKey
    message: Any


@dataclass
class ChecklistItem:
    spec: Section
    status: SectionStatus
    required: bool
    complete: bool
    note: str | None

    @property
    def has_answers(self) -> bool:
        """Something to show staff: the section was started, or is complete without it."""
        return self.status != SectionStatus.NOT_STARTED or self.complete


@dataclass
class Checklist:
    items: list[ChecklistItem]
    due: list[DueItem] = field(default_factory=list)

    @property
    def required_count(self) -> int:
        return sum(1 for item in self.items if item.required)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.required and (
            item.status == SectionStatus.VERIFIED
            or (item.complete and item.status != SectionStatus.NEEDS_CHANGES)))

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.required_count) if self.required_count else 0


def section_status(seller: Seller, key: SectionKey) -> SectionStatus:
    row = seller.section(key)
    return row.status_enum if row else SectionStatus.NOT_STARTED


def checklist(seller: Seller) -> Checklist:
    """Every section with its status, and what is still due before the seller can submit."""
    items, due = [], []
    for spec in SECTIONS:
        row = seller.section(spec.key)
        status = row.status_enum if row else SectionStatus.NOT_STARTED
        required = spec.required(seller)
        complete = spec.complete(seller)
        note = row.reviewer_note if row and status == SectionStatus.NEEDS_CHANGES else None
        items.append(ChecklistItem(spec, status, required, complete, note))
        if status == SectionStatus.NEEDS_CHANGES:
            due.append(DueItem(spec.key, _l("%(section)s: make the changes staff asked for",
                                            section=spec.title)))
        elif required and not complete:
            due.append(DueItem(spec.key, _l("%(section)s: complete this section",
                                            section=spec.title)))
    due += [DueItem(key, message) for key, message in consistency_problems(seller)]
    return Checklist(items, due)


def consistency_problems(seller: Seller) -> list[tuple[SectionKey, Any]]:
    """Answers that were fine alone but disagree with a later one (a PAN entered after the GSTIN,
    a seller type changed after the PAN), to be put right before submitting."""
    problems = []
    for spec in SECTIONS:
        if spec.consistency is None:
            continue
        try:
            spec.consistency(seller)
        except InvalidIdentifier as error:
            problems.append((spec.key, _l("%(section)s: %(problem)s", section=spec.title,
                                          problem=error)))
    return problems
