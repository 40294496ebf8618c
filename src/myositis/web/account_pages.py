"""A signed-in user's own account: the optional TOTP second factor (staff and patients).

Setting it up shows a new secret (and its otpauth:// URI for an authenticator app); it is
stored only when the user types a valid code from the app, so a mistyped set-up cannot lock
anyone out. Turning it off needs a current code. A lost device is reset by an administrator
with `myositis users reset-totp USER`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from myositis.db.repository import Repository
from myositis.services.access import Principal
from myositis.web.deps import principal, repository
from myositis.web.pages import form_data, render
from myositis.web.security import new_totp_secret, totp_uri, verify_totp

router = APIRouter(include_in_schema=False)


def _page(request: Request, repo: Repository, user: Principal, status: int = 200,
          error: str = "", secret: str | None = None) -> HTMLResponse:
    request.state.user = user
    account = repo.user(user.username)
    enabled = bool(account and account.totp_secret)
    secret = None if enabled else (secret or new_totp_secret())
    return render(request, "account_totp.html", status=status, enabled=enabled, error=error,
                  secret=secret, uri=totp_uri(secret, user.username) if secret else None)


@router.get("/account/totp", response_class=HTMLResponse)
def totp_page(request: Request, user: Principal = Depends(principal),
              repo: Repository = Depends(repository)) -> HTMLResponse:
    return _page(request, repo, user)


@router.post("/account/totp", response_class=HTMLResponse)
def totp_change(request: Request, form: FormData = Depends(form_data),
                user: Principal = Depends(principal),
                repo: Repository = Depends(repository)) -> Response:
    account = repo.user(user.username)
    code = str(form.get("code") or "")
    if account is not None and account.totp_secret:  # turning it off
        if not verify_totp(account.totp_secret, code):
            return _page(request, repo, user, 422, "that code is not valid; try the current one")
        repo.set_totp(user.username, None)
    else:
        secret = str(form.get("secret") or "")
        if not verify_totp(secret, code):
            return _page(request, repo, user, 422, "that code does not match the secret; enter "
                         "the 6 digits your app shows now", secret=secret or None)
        repo.set_totp(user.username, secret)
    repo.session.commit()
    return RedirectResponse("/account/totp", status_code=303)
