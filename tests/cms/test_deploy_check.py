"""`manage.py check --deploy` with production settings, configured the way a full deployment is
(Stripe, S3 media): no warnings, nothing silenced; and the CSP those settings send."""

import json
import subprocess
import sys

from tests.cms.test_settings import BASE_DIR, run_python, server_environment

FULL_DEPLOYMENT = {
    "STRIPE_SECRET_KEY": "sk_test_deploy",
    "AWS_STORAGE_BUCKET_NAME": "guyub-media",
    "AWS_S3_CUSTOM_DOMAIN": "media.guyub.example",
    "CSRF_TRUSTED_ORIGINS": "https://guyub.example",
}


def test_check_deploy_is_clean_for_a_full_deployment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=server_environment(**FULL_DEPLOYMENT), capture_output=True, text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_production_sends_the_strict_policy_with_media_and_stripe_origins():
    result = run_python(
        """
        import json
        from django.conf import settings
        from django.utils.csp import build_policy
        print(json.dumps({"policy": build_policy(settings.SECURE_CSP),
                          "middleware": settings.MIDDLEWARE}))
        """,
        server_environment(**FULL_DEPLOYMENT),
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])

    policy = values["policy"]
    assert "img-src 'self' data: https://media.guyub.example" in policy
    assert "form-action 'self' https://checkout.stripe.com https://connect.stripe.com" in policy
    assert "script-src 'self';" in policy  # the nonce is added per response
    assert "'unsafe-inline'" not in policy
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in values["middleware"]
