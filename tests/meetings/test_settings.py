"""Production settings pass Django's deployment checklist; pages carry a strict CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_values(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "EMAIL_URL",
            # set for the browser tests' in-process Playwright; never in a deployment
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="x7#Qm2vLp9!sRt4wYz8@Kd3Nf6Hj1Bc5Gx0Ve-Ua7Ti2Oo9Pl4Mk8Nj3Hb6Gv1Cf5",
        ALLOWED_HOSTS="intersessional.example.org",
        EMAIL_URL="smtp+tls://mailer:secret@mail.example.org:587",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
