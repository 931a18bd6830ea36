"""
An OAuth 1.0a (RFC 5849) resource server for tests, built on Debian's python3-oauthlib: its ResourceEndpoint
(and SignatureOnlyEndpoint for two-legged requests) recomputes and checks the signature, not our code.

It knows a few clients (consumer key and secret, each with one access token and its secret) and an RSA public
key for RSA-SHA1, read from the environment (OAUTH1_PEER, JSON). Paths:
  /resource...    a protected resource: 200 with what oauthlib validated, 401 otherwise (with the reason)
  /two-legged...  signed by the consumer alone (no token)
  /hop?to=PATH[&status=307]  an unauthenticated redirect (302 by default) to PATH on this server
Usage: python3 oauth1-resource-server.py PORT
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from oauthlib.oauth1 import RequestValidator, ResourceEndpoint, SignatureOnlyEndpoint
from oauthlib.oauth1.rfc5849 import errors

# {"clients": [{"key", "secret", "token", "tokenSecret"}, ...], "rsaPublicKey": PEM, "realm": "..."}
CONFIG = json.loads(os.environ["OAUTH1_PEER"])
CLIENTS = {c["key"]: c for c in CONFIG["clients"]}
RSA_PUBLIC_KEY = CONFIG["rsaPublicKey"]
REALM = CONFIG.get("realm", "")


class Validator(RequestValidator):
    """One client, one token; nonces remembered so a replayed signature is refused."""

    def __init__(self):
        super().__init__()
        self.seen = set()
        self.lock = threading.Lock()

    # Loopback http in tests; everything else (timestamps, nonces, signatures) is checked as shipped.
    enforce_ssl = False
    # oauthlib's defaults (alphanumerics, 20-30 characters) are narrower than RFC 5849 asks: real providers
    # issue keys and tokens with '-' and longer nonces, so the character set and lengths are widened here.
    safe_characters = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    client_key_length = (8, 64)
    access_token_length = (8, 80)
    nonce_length = (16, 64)
    allowed_signature_methods = ("HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT")
    dummy_client = "dummy-client-key-0000"
    dummy_access_token = "dummy-access-token-0000"

    def validate_client_key(self, client_key, request):
        return client_key in CLIENTS

    def get_client_secret(self, client_key, request):
        return CLIENTS[client_key]["secret"] if client_key in CLIENTS else "dummy-secret"

    def get_rsa_key(self, client_key, request):
        return RSA_PUBLIC_KEY

    def validate_access_token(self, client_key, token, request):
        return client_key in CLIENTS and token == CLIENTS[client_key]["token"]

    def get_access_token_secret(self, client_key, token, request):
        return CLIENTS[client_key]["tokenSecret"] if self.validate_access_token(client_key, token, request) else "dummy-secret"

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return request.realm in (None, REALM)

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, access_token)
        with self.lock:
            if key in self.seen:
                request.replayed = True
                return False
            self.seen.add(key)
            return True


def recording(endpoint_class):
    """The endpoint, keeping where it found the oauth_ parameters and the words of an error that oauthlib
    turns into a bare False."""

    class Recording(endpoint_class):
        def _get_signature_type_and_params(self, request):
            found = super()._get_signature_type_and_params(request)
            self.local.signature_type = found[0]
            return found

        def _create_request(self, *args):
            try:
                return super()._create_request(*args)
            except errors.OAuth1Error as err:
                self.local.error = err.description
                raise

        def _check_mandatory_parameters(self, request):
            try:
                super()._check_mandatory_parameters(request)
            except errors.OAuth1Error as err:
                self.local.error = err.description
                raise

    return Recording


validator = Validator()
resource = recording(ResourceEndpoint)(validator)
signature_only = recording(SignatureOnlyEndpoint)(validator)
for endpoint in (resource, signature_only):
    endpoint.local = threading.local()

# oauthlib's names for where the oauth_ parameters were (it refuses them in more than one place).
PLACEMENTS = {"AUTH_HEADER": "header", "QUERY": "query", "BODY": "body"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        path = urlsplit(self.path).path
        if path == "/hop":
            query = parse_qs(urlsplit(self.path).query)
            to = query.get("to", ["/resource"])[0]
            return self.answer(int(query.get("status", ["302"])[0]), {"location": to}, {"Location": to})
        two_legged = path.startswith("/two-legged")
        endpoint = signature_only if two_legged else resource
        endpoint.local.error = None
        endpoint.local.signature_type = None
        uri = f"http://{self.headers['Host']}{self.path}"
        headers = {k: v for k, v in self.headers.items()}
        if two_legged:
            valid, request = endpoint.validate_request(uri, self.command, body, headers)
        else:
            valid, request = endpoint.validate_protected_resource_request(uri, self.command, body, headers)
        if valid:
            params = [[k, v] for k, v in request.params if not k.startswith("oauth_")]
            return self.answer(
                200,
                {
                    "client_key": request.client_key,
                    "token": request.resource_owner_key,
                    "signature_method": request.signature_method,
                    "placement": PLACEMENTS.get(endpoint.local.signature_type),
                    "realm": request.realm,
                    "method": self.command,
                    "params": params,
                },
            )
        if endpoint.local.error:
            reason = endpoint.local.error
        elif request is not None and getattr(request, "replayed", False):
            reason = "this nonce and timestamp were used before (a replayed request)"
        elif request is not None and request.validator_log:
            failed = [k for k, ok in request.validator_log.items() if not ok]
            reason = "the request's " + " and ".join(failed) + " did not validate"
        else:
            reason = "the request is not signed"
        self.answer(401, {"error": "invalid_request", "error_description": reason}, {"WWW-Authenticate": 'OAuth realm="tests"'})

    def answer(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("listening", flush=True)
    server.serve_forever()
