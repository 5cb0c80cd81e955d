"""Sellers: the onboarding application, its documents and staff review.

What other packages use, by name, from one place:
    sections/      one module per checklist section: its words, rules and answer check
    progress.py    the checklist: where each section stands and what is due
    application.py the seller's writes (save a section, submit)
    kept.py        documents kept across a refused section, for the next try
    review.py      staff's writes (decide a section, approve, suspend)
    queries.py     reads that never commit (seller lists, history, documents)
    transitions.py the seller row lock and section status moves
    errors.py      the refusals
"""

from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.sellers.application import (
    Upload,
    hold_files,
    remove_aadhaar,
    remove_document,
    save_aadhaar,
    save_section,
    seller_for_user,
    submit_application,
)
from odop_bazaar.services.sellers.errors import (
    DocumentNotFound,
    EmailNotConfirmed,
    IncompleteApplication,
    NotEditable,
    OnboardingError,
    SectionRefused,
)
from odop_bazaar.services.sellers.kept import KeptFile
from odop_bazaar.services.sellers.progress import (
    Checklist,
    ChecklistItem,
    DueItem,
    checklist,
    consistency_problems,
    section_status,
)
from odop_bazaar.services.sellers.queries import (
    SELLER_LISTS,
    WAITING,
    QueueFilters,
    ReviewSummary,
    document_for,
    history,
    latest_decision_note,
    list_position,
    review_queue,
    review_summary,
    seller_list_query,
)
from odop_bazaar.services.sellers.review import (
    approve_seller,
    decide_section,
    reinstate_seller,
    request_changes,
    suspend_seller,
    verify_and_approve,
)
from odop_bazaar.services.sellers.sections import (
    SECTIONS,
    SPEC,
    Section,
    section_required,
)
from odop_bazaar.services.sellers.sections.certificates import needs_fssai

__all__ = [
    "SECTIONS", "SELLER_LISTS", "SPEC", "WAITING", "Checklist", "ChecklistItem",
    "DocumentNotFound", "DueItem", "EmailNotConfirmed", "FieldErrors", "IncompleteApplication",
    "KeptFile", "NotEditable", "OnboardingError", "QueueFilters", "ReviewSummary", "Section",
    "SectionRefused", "Upload", "approve_seller",
    "checklist", "consistency_problems", "decide_section", "document_for", "history", "hold_files",
    "latest_decision_note", "list_position", "needs_fssai", "reinstate_seller", "remove_aadhaar",
    "remove_document", "request_changes", "review_queue", "review_summary", "save_aadhaar",
    "save_section", "section_required", "section_status",
    "seller_for_user", "seller_list_query", "submit_application", "suspend_seller",
    "verify_and_approve",
]
