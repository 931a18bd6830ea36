"""An OAuth 2.0 authorization server for Plugboard's tests, built on Authlib (Debian's python3-authlib), so the
JWT bearer grant (RFC 7523 §2.1) and the Resource Owner Password grant (RFC 6749 §4.3) are checked by an
implementation that is not ours.

Reads its settings as JSON on stdin (see authlib-server.ts), listens on 127.0.0.1 on a port the system picks,
prints {"port": N} as one line, and serves until SIGTERM:
  POST /token      the two grants; clients authenticate with client_secret_basic, client_secret_post or
                   private_key_jwt (Authlib's JWTBearerClientAssertion, aud = the token endpoint)
  GET  /resource   answers 200 with the token's facts for a valid bearer token, else 401
  GET  /__test/events  the token calls so far (grant type, client authentication, status, error)
Test use only: tokens live in memory, http:// is allowed.
"""

import base64
import hmac
import json
import os
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # loopback test server over http://

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request, ResourceProtector, TokenMixin
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidGrantError, OAuth2Error
from authlib.oauth2.rfc6749.grants import ResourceOwnerPasswordCredentialsGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion, JWTBearerGrant

PRIVATE_KEY_JWT = JWTBearerClientAssertion.CLIENT_AUTH_METHOD


class Client(ClientMixin):
    def __init__(self, spec):
        self.spec = spec

    def get_client_id(self):
        return self.spec["client_id"]

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        allowed = set(self.spec.get("scope", "").split())
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        expected = self.spec.get("client_secret")
        return expected is not None and hmac.compare_digest(expected.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        registered = self.spec.get("token_endpoint_auth_method", "client_secret_basic")
        return method == (PRIVATE_KEY_JWT if registered == "private_key_jwt" else registered)

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type in self.spec.get("grant_types", [])


class Token(TokenMixin, dict):
    def check_client(self, client):
        return self["client_id"] == client.get_client_id()

    def get_scope(self):
        return self.get("scope")

    def get_expires_in(self):
        return self["expires_in"]

    def is_expired(self):
        return self["expires_at"] < time.time()

    def is_revoked(self):
        return False


def registered_key(keys, headers):
    """The registered public key named by the JWT's kid, for the alg it was registered with only."""
    kid = headers.get("kid")
    matches = [k for k in keys if kid is None or k["kid"] == kid]
    if len(matches) != 1:
        raise InvalidGrantError(description=f"no registered key with kid {kid!r}")
    if headers.get("alg") != matches[0]["alg"]:
        raise InvalidGrantError(description=f"key {matches[0]['kid']!r} signs with {matches[0]['alg']}, not {headers.get('alg')}")
    return matches[0]["pem"]


def unverified_claims(assertion):
    """The claims of a JWT bearer assertion as sent (for the tests to inspect; Authlib verifies them)."""
    if not assertion or assertion.count(".") != 2:
        return None
    payload = assertion.split(".")[1]
    try:
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None


class State:
    def __init__(self, settings, token_url):
        self.settings = settings
        self.token_url = token_url
        self.clients = {c["client_id"]: Client(c) for c in settings["clients"]}
        self.tokens = {}
        self.events = []
        self.used_jti = set()
        self.lock = threading.Lock()


def build(state):
    settings = state.settings

    class Server(AuthorizationServer):
        def query_client(self, client_id):
            return state.clients.get(client_id)

        def save_token(self, token, request):
            with state.lock:
                state.tokens[token["access_token"]] = Token(
                    client_id=request.client.get_client_id(),
                    sub=request.user,
                    scope=token.get("scope", ""),
                    grant_type=request.grant_type,
                    expires_in=token["expires_in"],
                    expires_at=time.time() + token["expires_in"],
                )

        def send_signal(self, name, *args, **kwargs):
            pass

        def create_oauth2_request(self, request):
            return request

        def handle_response(self, status, body, headers):
            return status, body, headers

    class PasswordGrant(ResourceOwnerPasswordCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", PRIVATE_KEY_JWT]

        def authenticate_user(self, username, password):
            expected = settings["users"].get(username)
            if expected is not None and hmac.compare_digest(expected.encode(), password.encode()):
                return username
            return None

    class JwtBearerGrant(JWTBearerGrant):
        # Authlib checks only that aud is present by default; this server is the audience.
        CLAIMS_OPTIONS = {
            "iss": {"essential": True},
            "sub": {"essential": True},
            "aud": {"essential": True, "value": state.token_url},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "jti": {"essential": True},
        }

        def resolve_issuer_client(self, issuer):
            client = state.clients.get(issuer)
            if client is None:
                raise InvalidGrantError(description=f"unknown issuer {issuer!r}")
            return client

        def resolve_client_key(self, client, headers, payload):
            return registered_key(client.spec.get("jwks", []), headers)

        def authenticate_user(self, subject):
            return subject if subject in self.request.client_subjects else None

        def has_granted_permission(self, client, user):
            return True

        def validate_token_request(self):
            # The subjects an issuer may act for, looked up before the base class resolves the user.
            claims = self.process_assertion_claims(self.request.form.get("assertion") or "")
            lifetime = claims["exp"] - claims["iat"]
            if lifetime > settings.get("max_assertion_lifetime", 3600):
                raise InvalidGrantError(description=f"assertion lifetime {lifetime} s is too long")
            with state.lock:
                if claims["jti"] in state.used_jti:
                    raise InvalidGrantError(description="assertion jti already used")
                state.used_jti.add(claims["jti"])
            client = self.resolve_issuer_client(claims["iss"])
            self.request.client_subjects = client.spec.get("subjects", [])
            super().validate_token_request()

    class ClientAssertion(JWTBearerClientAssertion):
        def validate_jti(self, claims, jti):
            with state.lock:
                if jti in state.used_jti:
                    return False
                state.used_jti.add(jti)
                return True

        def resolve_client_public_key(self, client, headers):
            try:
                return registered_key(client.spec.get("jwks", []), headers)
            except InvalidGrantError:
                raise InvalidClientError()

    server = Server(scopes_supported=settings["scopes"])
    generator = BearerTokenGenerator(lambda **_: secrets.token_urlsafe(32), expires_generator=lambda *_: settings["access_token_ttl"])
    server.register_token_generator("default", generator)
    server.register_client_auth_method(PRIVATE_KEY_JWT, ClientAssertion(state.token_url))
    server.register_grant(PasswordGrant)
    server.register_grant(JwtBearerGrant)

    protector = ResourceProtector()

    class Validator(BearerTokenValidator):
        def authenticate_token(self, token_string):
            with state.lock:
                return state.tokens.get(token_string)

    protector.register_token_validator(Validator())
    return server, protector


def serve(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), None)
    port = httpd.server_address[1]
    state = State(settings, f"http://127.0.0.1:{port}/token")
    server, protector = build(state)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body, headers=()):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            names = set()
            for name, value in headers:
                names.add(name.lower())
                self.send_header(name, value)
            if "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            if self.path != "/token":
                return self.answer(404, {"error": "not_found"})
            length = int(self.headers.get("Content-Length") or 0)
            if length > 64 * 1024:
                return self.answer(413, {"error": "invalid_request"})
            form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            request = OAuth2Request("POST", state.token_url, body=form, headers=self.headers)
            try:
                status, body, headers = server.create_token_response(request)
            except OAuth2Error as error:
                status, body, headers = error()
            auth = (
                "client_secret_basic"
                if (self.headers.get("Authorization") or "").lower().startswith("basic ")
                else "client_secret_post"
                if "client_secret" in form
                else "private_key_jwt"
                if "client_assertion" in form
                else "none"
            )
            with state.lock:
                state.events.append(
                    {
                        "grantType": form.get("grant_type"),
                        "clientAuth": auth,
                        "status": status,
                        "error": body.get("error") if isinstance(body, dict) else None,
                        "errorDescription": body.get("error_description") if isinstance(body, dict) else None,
                        "scope": form.get("scope"),
                        "assertionClaims": unverified_claims(form.get("assertion")),
                    }
                )
            self.answer(status, body, headers)

        def do_GET(self):
            if self.path == "/__test/events":
                with state.lock:
                    return self.answer(200, list(state.events))
            if self.path != "/resource" and not self.path.startswith("/resource/"):
                return self.answer(404, {"error": "not_found"})
            request = OAuth2Request("GET", f"http://127.0.0.1:{port}{self.path}", headers=self.headers)
            try:
                token = protector.validate_request(scopes=None, request=request)
            except OAuth2Error as error:
                status, body, headers = error()
                return self.answer(status, body, headers)
            self.answer(200, {"path": self.path, "token": {k: token[k] for k in ("client_id", "sub", "scope", "grant_type")}})

    httpd.RequestHandlerClass = Handler
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=httpd.shutdown).start())
    print(json.dumps({"port": port}), flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    serve(json.load(sys.stdin))
