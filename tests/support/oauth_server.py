"""A small OAuth2 authorization server on loopback, for tests: what Microsoft's or Google's token
service is to a firm's mailbox.

Endpoints: `POST /token` (grants `client_credentials`, `refresh_token` and RFC 8628's device code),
`POST /devicecode` (RFC 8628 device authorization), `POST /introspect` (RFC 7662, which the test
Dovecot's oauth2 passdb asks about every XOAUTH2 login). The "person" of the device flow is the test:
`approve(user_code, username)`. Access tokens are opaque, expire after `access_ttl` seconds, and name
the user they were issued for; refresh tokens can be revoked.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass
class _Device:
    client_id: str
    scope: str
    user_code: str
    expires_at: float
    username: str | None = None  # set when the person approves


@dataclass
class OAuthServer:
    """``clients`` maps client id to secret (None: a public client); ``app_users`` maps a confidential
    client id to the mailbox user its client-credentials tokens may open (app-only access)."""

    clients: dict[str, str | None]
    app_users: dict[str, str] = field(default_factory=dict)
    access_ttl: float = 3600.0
    host: str = "127.0.0.1"
    port: int = 0
    # Google-style service accounts (RFC 7523 JWT bearer): client email -> public key (PEM) and the
    # users it may act for (domain-wide delegation).
    service_accounts: dict[str, tuple[bytes, set[str]]] = field(default_factory=dict)
    grants: list[tuple[str, str]] = field(default_factory=list)  # (grant_type, client_id), in order
    introspections: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._access: dict[str, tuple[str, float]] = {}  # token -> (username, expires_at)
        self._refresh: dict[str, str] = {}  # token -> username
        self._devices: dict[str, _Device] = {}  # device_code -> pending authorization
        self._server: ThreadingHTTPServer | None = None

    # -- what the test does ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    token_url = property(lambda self: f"{self.base_url}/token")
    device_url = property(lambda self: f"{self.base_url}/devicecode")
    introspection_url = property(lambda self: f"{self.base_url}/introspect")

    def issue_refresh_token(self, username: str) -> str:
        with self._lock:
            token = "rt-" + secrets.token_urlsafe(24)
            self._refresh[token] = username
            return token

    def revoke(self, refresh_token: str) -> None:
        with self._lock:
            self._refresh.pop(refresh_token, None)

    def revoke_access_tokens(self) -> None:
        with self._lock:
            self._access.clear()

    def approve(self, user_code: str, username: str) -> None:
        with self._lock:
            for device in self._devices.values():
                if device.user_code == user_code:
                    device.username = username
                    return
        raise KeyError(f"no pending device authorization with user code {user_code}")

    def count(self, grant_type: str) -> int:
        return sum(1 for g, _ in self.grants if g == grant_type)

    # -- endpoints ------------------------------------------------------------------------------
    def _token(self, form: dict[str, str], client_id: str) -> tuple[int, dict[str, object]]:
        grant = form.get("grant_type", "")
        self.grants.append((grant, client_id))
        if grant == "client_credentials":
            username = self.app_users.get(client_id)
            if username is None:
                return 400, {"error": "unauthorized_client"}
            return 200, self._access_token(username, form.get("scope", ""))
        if grant == "refresh_token":
            username = self._refresh.get(form.get("refresh_token", ""))
            if username is None:
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "refresh token revoked or unknown",
                }
            return 200, self._access_token(username, form.get("scope", ""))
        if grant == DEVICE_GRANT:
            device = self._devices.get(form.get("device_code", ""))
            if device is None or time.time() > device.expires_at:
                return 400, {"error": "expired_token"}
            if device.username is None:
                return 400, {"error": "authorization_pending"}
            del self._devices[form["device_code"]]
            body = self._access_token(device.username, device.scope)
            token = "rt-" + secrets.token_urlsafe(24)
            self._refresh[token] = device.username
            return 200, {**body, "refresh_token": token}
        return 400, {"error": "unsupported_grant_type"}

    def _jwt_bearer(self, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        assertion = form.get("assertion", "")
        try:
            unverified = json.loads(base64.urlsafe_b64decode(assertion.split(".")[1] + "=="))
            public_key, delegated = self.service_accounts[unverified["iss"]]
            claims = jwt.decode(assertion, RSAKey.import_key(public_key), algorithms=["RS256"]).claims
            jwt.JWTClaimsRegistry(exp={"essential": True}).validate(claims)
        except (KeyError, ValueError, IndexError, JoseError):
            return 400, {"error": "invalid_grant", "error_description": "bad assertion"}
        self.grants.append((JWT_BEARER_GRANT, str(claims["iss"])))
        if claims.get("aud") != self.token_url or claims.get("sub") not in delegated:
            return 400, {"error": "unauthorized_client"}
        return 200, self._access_token(str(claims["sub"]), str(claims.get("scope", "")))

    def _access_token(self, username: str, scope: str) -> dict[str, object]:
        token = "at-" + secrets.token_urlsafe(24)
        self._access[token] = (username, time.time() + self.access_ttl)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": int(self.access_ttl),
            "scope": scope,
        }

    def _device(self, form: dict[str, str], client_id: str) -> tuple[int, dict[str, object]]:
        code = secrets.token_urlsafe(16)
        user_code = secrets.token_hex(4).upper()
        self._devices[code] = _Device(client_id, form.get("scope", ""), user_code, time.time() + 60)
        return 200, {
            "device_code": code,
            "user_code": user_code,
            "verification_uri": f"{self.base_url}/device",
            "expires_in": 60,
            "interval": 1,
        }

    def _introspect(self, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        self.introspections += 1
        found = self._access.get(form.get("token", ""))
        if found is None or time.time() > found[1]:
            return 200, {"active": False}
        return 200, {"active": True, "username": found[0], "exp": int(found[1])}

    def handle(
        self, path: str, form: dict[str, str], basic: tuple[str, str] | None
    ) -> tuple[int, dict[str, object]]:
        with self._lock:
            if path == "/introspect":
                return self._introspect(form)
            if path == "/token" and form.get("grant_type") == JWT_BEARER_GRANT:
                return self._jwt_bearer(form)
            client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret"))
            if client_id not in self.clients:
                return 401, {"error": "invalid_client"}
            expected = self.clients[client_id]
            if expected is not None and secret != expected:
                return 401, {"error": "invalid_client"}
            if path == "/token":
                return self._token(form, client_id)
            if path == "/devicecode":
                return self._device(form, client_id)
            return 404, {"error": "not_found"}

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> OAuthServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                basic = None
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                    basic = (user, password)
                status, body = owner.handle(self.path.split("?")[0], form, basic)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet: the tests read the counters

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, name="oauth-server", daemon=True).start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> OAuthServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
