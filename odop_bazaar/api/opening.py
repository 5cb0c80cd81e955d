"""What the views that act on one object share: the object named by the URL is opened (the
token's own, or within a reviewer's places) before the body is read, so another person's
object is 404 whatever was sent, never a 422 that would tell it exists (the pages answer
the same); and one decorator that stands for a stack of them, for routes written alike."""

from functools import wraps


def opens(id_name: str, object_name: str, find):
    """Give the view `object_name=find(id)` in place of the URL's `id_name`; `find` raises
    the 404 (an ApiProblem) for an object the token may not see."""
    def decorator(view):
        @wraps(view)
        def opened(*args, **kwargs):
            kwargs[object_name] = find(kwargs.pop(id_name))
            return view(*args, **kwargs)
        return opened
    return decorator


def stacked(*decorators):
    """One decorator that applies `decorators` as if written one above the other, the first
    on top: for the routes of one module that are guarded and documented alike."""
    def decorator(view):
        for each in reversed(decorators):
            view = each(view)
        return view
    return decorator


def action_route(blp, rule: str, guard, opener, answer_schema, body_schema=None):
    """A POST that acts on the URL's object: `guard` (token_required), then `opener` (404
    before the body is read), then the body if there is one; it answers the object after,
    and documents the 404 and the 409 (someone or something changed it first)."""
    reads_body = [] if body_schema is None else [blp.arguments(body_schema)]
    return stacked(blp.post(rule), guard, opener, *reads_body, blp.response(200, answer_schema),
                   blp.alt_response(404, response="NOT_FOUND"),
                   blp.alt_response(409, response="CONFLICT"))
