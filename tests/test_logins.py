"""Web chat logins: ASSISTANT_AUTH, ASSISTANT_AUTH_FILE, hashed passwords, clear errors."""
from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.config import Settings
from assistant.logins import LoginError, hash_password, load_logins, login_check, password_matches


def test_hashed_and_plain_passwords(tmp_path):
    hashed = hash_password("s3cret", iterations=1000)
    assert hashed.startswith("pbkdf2_sha256$1000$") and "s3cret" not in hashed
    assert password_matches(hashed, "s3cret") and not password_matches(hashed, "s3cret ")
    assert password_matches("plain:with:colons", "plain:with:colons") and not password_matches("plain", "Plain")
    assert hash_password("x", iterations=1000) != hash_password("x", iterations=1000)  # salted


def test_login_file_and_single_login_together(tmp_path):
    logins = tmp_path / "logins.txt"
    logins.write_text(f"# team\nana:{hash_password('ana-pw', iterations=1000)}\n\nben:ben:pw\n")
    found = load_logins(Settings(index_dir=tmp_path, auth="root:r00t", auth_file=logins))
    assert set(found) == {"root", "ana", "ben"}
    check = login_check(found)
    assert check("ana", "ana-pw") and check("ben", "ben:pw") and check("root", "r00t")
    assert not check("ana", "ben:pw") and not check("carl", "x") and not check("ben", "ben")
    assert load_logins(Settings(index_dir=tmp_path)) == {}


@pytest.mark.parametrize("text, message", [
    ("ana\n", "logins.txt:1: expected user:password"),
    ("ana:x\nana:y\n", "logins.txt:2: the user 'ana' is listed twice"),
    ("ana:pbkdf2_sha256$abc$salt$hash\n", "logins.txt:1: a hashed password must be"),
    ("# nobody\n", "lists no user"),
])
def test_bad_login_files_name_the_line(tmp_path, text, message):
    logins = tmp_path / "logins.txt"
    logins.write_text(text)
    with pytest.raises(LoginError, match=message.replace("$", "\\$")):
        load_logins(Settings(index_dir=tmp_path, auth_file=logins))
    with pytest.raises(LoginError, match="cannot read the login file"):
        load_logins(Settings(index_dir=tmp_path, auth_file=tmp_path / "missing.txt"))


def test_hash_password_command():
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "hash-password"], input="pw\n", capture_output=True,
                          text=True, check=True)
    assert password_matches(done.stdout.strip(), "pw")
