"""Add the security headers every response carries, pages, API, errors and static files alike.

The pages hold no inline script and no inline style (not even style= attributes), so the policy
needs neither 'unsafe-inline' nor nonces: anything an attacker slips past escaping cannot run.
"""
from __future__ import annotations

from flask import Flask, Response

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Queries are in our URLs; never send them to the sites that articles link to.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def add_headers(response: Response) -> Response:
    """Set the security headers on one response (existing values are replaced)."""
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


def register(app: Flask) -> None:
    """Install add_headers on every response of `app`."""
    app.after_request(add_headers)
