"""What a checklist section is: its words, its fields, its rules and the check of its answers."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.models.sellers import Seller


def always(seller: Seller) -> bool:
    return True


def store_attributes(seller: Seller, values: dict[str, Any]) -> bool:
    """Set the checked answers on the seller; whether any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(seller, name) != value:
            setattr(seller, name, value)
            changed = True
    return changed


@dataclass(frozen=True)
class Section:
    """One section of the onboarding checklist, defined in its own module of this package.

    Its form is the SectionForm whose `section` is this key (onboarding/forms.py), its page
    `template`, and staff see its answers in `review_template`.
    """

    key: SectionKey
    title: Any
    summary: Any
    fields: tuple[str, ...]
    # Whether the seller's answers are all there (a required section must be, to submit).
    complete: Callable[[Seller], bool]
    # The answers as typed -> the values to store; raises FieldErrors. None: the section has a
    # service of its own (Aadhaar, whose number must never be stored).
    check: Callable[[Seller, dict], dict] | None = None
    documents: tuple[DocumentKind, ...] = ()
    required: Callable[[Seller], bool] = always
    # Answers that were fine alone but disagree with a later one: raises InvalidIdentifier.
    consistency: Callable[[Seller], Any] | None = None
    # Sections whose change sends this one back to 'in progress', to be checked again.
    reopened_by: frozenset[SectionKey] = field(default_factory=frozenset)
    # Stores checked answers on the seller; returns whether anything changed.
    store: Callable[[Seller, dict], bool] = store_attributes

    @property
    def template(self) -> str:
        return f"onboarding/sections/{self.key.value}.html"

    @property
    def review_template(self) -> str:
        return f"staff/sections/{self.key.value}.html"
