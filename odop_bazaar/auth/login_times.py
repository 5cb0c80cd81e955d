"""When an account last logged in, for staff: recorded on every way in, not only the password
form: registering logs the person in, and a "keep me logged in" cookie brings them back after
the browser was closed (the session ends; the cookie logs them in again)."""

from flask_login import user_loaded_from_cookie, user_logged_in

from odop_bazaar.services.accounts import users


def _record(sender, user, **extra) -> None:
    users.record_login(user)


user_logged_in.connect(_record)
user_loaded_from_cookie.connect(_record)
