"""Reading returns for buyers, sellers and staff, and what other services ask of them; nothing
here commits."""

import io

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from odop_bazaar.extensions import db
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.returns import ReturnLine, ReturnPhoto, ReturnRequest, ReturnStatus
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.storage import storage

# Units in these returns are not coming back: they may be asked for again.
_NOT_RETURNING = (ReturnStatus.REFUSED, ReturnStatus.CANCELLED)


def returned_quantities(order_item_ids, *, refunds_only: bool = False) -> dict[int, int]:
    """How many units of each order line are in a return that still stands (asked for, on their
    way, back, refunded or exchanged), by order line id; lines with none are absent.
    refunds_only: only units given back for a refund (an exchange leaves the buyer a unit)."""
    ids = list(order_item_ids)
    if not ids:
        return {}
    standing = [ReturnLine.order_item_id.in_(ids), ReturnRequest.status.not_in(_NOT_RETURNING)]
    if refunds_only:
        standing.append(ReturnRequest.resolution == "refund")
    rows = db.session.execute(
        select(ReturnLine.order_item_id, func.sum(ReturnLine.quantity))
        .join(ReturnRequest, ReturnRequest.id == ReturnLine.return_id)
        .where(*standing).group_by(ReturnLine.order_item_id))
    return {item_id: int(quantity) for item_id, quantity in rows}


def standing_returns(order_id: int) -> list[ReturnRequest]:
    """The order's returns that were not refused or cancelled."""
    return db.session.scalars(select(ReturnRequest).where(
        ReturnRequest.order_id == order_id, ReturnRequest.status.not_in(_NOT_RETURNING))).all()


def orders_with_open_returns(order_ids) -> set[int]:
    """Of these orders, those with a return not finished yet (the seller's credit waits)."""
    ids = list(order_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(ReturnRequest.order_id).where(
        ReturnRequest.order_id.in_(ids), ReturnRequest.status.in_(ReturnStatus.OPEN))))


def returns_by_order(order_ids) -> dict[int, list[ReturnRequest]]:
    """Every return of these orders, oldest first, by order id (for the order page)."""
    found = {order_id: [] for order_id in order_ids}
    for request in db.session.scalars(select(ReturnRequest).where(
            ReturnRequest.order_id.in_(list(found))).order_by(ReturnRequest.id)):
        found[request.order_id].append(request)
    return found


def buyer_return(buyer_id: int, return_id: int) -> ReturnRequest | None:
    """The buyer's own return (another buyer's is as good as missing)."""
    request = db.session.get(ReturnRequest, return_id)
    return request if request is not None and request.buyer_id == buyer_id else None


def seller_return(seller_id: int, return_id: int) -> ReturnRequest | None:
    """One of the seller's returns (another seller's is as good as missing)."""
    request = db.session.get(ReturnRequest, return_id)
    return request if request is not None and request.seller_id == seller_id else None


# What a list of returns shows of each (its order, lines and photos), loaded with the list
# rather than once per row.
_AS_LISTED = (joinedload(ReturnRequest.order),
              selectinload(ReturnRequest.lines).joinedload(ReturnLine.item),
              selectinload(ReturnRequest.photos))


def seller_returns(seller_id: int) -> list[ReturnRequest]:
    """The seller's returns not finished yet, oldest first."""
    return db.session.scalars(select(ReturnRequest).where(
        ReturnRequest.seller_id == seller_id, ReturnRequest.status.in_(ReturnStatus.OPEN))
        .order_by(ReturnRequest.created_at, ReturnRequest.id).options(*_AS_LISTED)).all()


def staff_returns(scope: Scope, limit: int = 200) -> list[ReturnRequest]:
    """Returns waiting on someone, of sellers in the staff member's places, oldest first."""
    return db.session.scalars(select(ReturnRequest).where(
        ReturnRequest.seller_id.in_(scope.seller_ids()),
        ReturnRequest.status.in_(ReturnStatus.OPEN))
        .order_by(ReturnRequest.created_at, ReturnRequest.id).limit(limit)
        .options(*_AS_LISTED)).all()


def staff_return(scope: Scope, return_id: int) -> ReturnRequest | None:
    """A return, if its seller is in the staff member's places."""
    return db.session.scalar(select(ReturnRequest).where(
        ReturnRequest.id == return_id, ReturnRequest.seller_id.in_(scope.seller_ids())))


def history(request: ReturnRequest) -> list[AuditEntry]:
    """Every status change of the return, oldest first."""
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "return", AuditEntry.object_id == request.id)
        .order_by(AuditEntry.id)).all()


def return_photo(return_id: int, photo_id: int) -> ReturnPhoto | None:
    """A photo of this return (who may see it is the caller's question)."""
    photo = db.session.get(ReturnPhoto, photo_id)
    return photo if photo is not None and photo.return_id == return_id else None


def photo_file(photo: ReturnPhoto) -> io.BytesIO:
    """The photo's stored JPEG, from the private store."""
    return io.BytesIO(storage("private").read(photo.storage_key))
