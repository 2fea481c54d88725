"""Who may use the web chat: `ASSISTANT_AUTH` (one `user:password`) and/or `ASSISTANT_AUTH_FILE` (one `user:password`
per line; blank lines and lines starting with '#' are skipped). A password may be stored hashed, as
`pbkdf2_sha256$<iterations>$<salt>$<hash>` (what `hash_password` and `assistant hash-password` write); any other
text is the password itself. Each user sees only their own conversations (`conversations.py`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path

from .config import Settings

HASH_SCHEME = "pbkdf2_sha256"
HASH_ITERATIONS = 600_000  # OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256


class LoginError(ValueError):
    """A login setting or file that cannot be used; the message names the file and line and what to do."""


def hash_password(password: str, salt: str | None = None, iterations: int = HASH_ITERATIONS) -> str:
    """`password` hashed for a login file: pbkdf2_sha256$<iterations>$<salt>$<base64 hash>."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"{HASH_SCHEME}${iterations}${salt}${base64.b64encode(digest).decode()}"


def password_matches(stored: str, password: str) -> bool:
    """Whether `password` is the stored password (hashed or plain), compared in constant time."""
    if stored.startswith(HASH_SCHEME + "$"):
        _, iterations, salt, _ = stored.split("$", 3)
        return hmac.compare_digest(hash_password(password, salt, int(iterations)), stored)
    return hmac.compare_digest(stored.encode(), password.encode())


def _check_hash(stored: str, where: str) -> None:
    if stored.startswith(HASH_SCHEME + "$"):
        parts = stored.split("$")
        if len(parts) != 4 or not parts[1].isdigit() or not parts[2] or not parts[3]:
            raise LoginError(f"{where}: a hashed password must be {HASH_SCHEME}$<iterations>$<salt>$<hash>; "
                             "make one with `assistant hash-password`")


def load_logins(settings: Settings) -> dict[str, str]:
    """{user: stored password} from ASSISTANT_AUTH and ASSISTANT_AUTH_FILE ({} when neither is set)."""
    logins: dict[str, str] = {}
    auth = settings.auth.get_secret_value()
    if auth:
        user, _, password = auth.partition(":")
        if not user or not password:
            raise LoginError("the login must be USER:PASSWORD with both parts non-empty (--auth or ASSISTANT_AUTH)")
        _check_hash(password, "ASSISTANT_AUTH")
        logins[user] = password
    if settings.auth_file is not None:
        path = Path(settings.auth_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise LoginError(f"cannot read the login file {path}: {exc}; set ASSISTANT_AUTH_FILE to a readable "
                             "UTF-8 file with one user:password per line") from None
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            user, _, password = line.partition(":")
            where = f"{path}:{number}"
            if not user.strip() or not password:
                raise LoginError(f"{where}: expected user:password with both parts non-empty")
            if user.strip() in logins:
                raise LoginError(f"{where}: the user {user.strip()!r} is listed twice; keep one line per user")
            _check_hash(password, where)
            logins[user.strip()] = password
        if not logins:
            raise LoginError(f"the login file {path} lists no user; add a user:password line")
    return logins


def login_check(logins: dict[str, str]) -> Callable[[str, str], bool]:
    """The function Gradio calls with (user, password) at login."""
    def check(user: str, password: str) -> bool:
        stored = logins.get(user)
        return stored is not None and password_matches(stored, password)
    return check
