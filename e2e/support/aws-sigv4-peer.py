"""
An AWS Signature V4 verifier for the tests, independent of Plugboard's signer: for every request it receives,
Debian's botocore signs the same request again (method, URL, the headers the client signed, body) with the
known secret at the request's own X-Amz-Date, and the request passes only when both signatures match.
S3 is checked as S3 checks (S3SigV4Auth / S3SigV4QueryAuth: path not re-encoded, payload hash header),
other services as SigV4Auth / SigV4QueryAuth. Answers 200 with what it verified, or 4xx like AWS:
an error code, a message in words, and on a mismatch the canonical request and string to sign it computed.

Run with /usr/bin/python3 (Debian's python3-botocore). Credentials come as JSON in AWS_SIGV4_PEER_CREDENTIALS:
[{"accessKeyId": "...", "secretAccessKey": "...", "sessionToken": "..." (optional)}]. Listens on 127.0.0.1 on a
free port and prints "listening on http://127.0.0.1:<port>". A verified request to /redirect-to/<path>?<query> is
answered with a 302 to /<path>?<query> (to test that each hop is signed anew).
"""

import datetime
import hashlib
import hmac
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

try:
    import botocore.auth as auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:
    sys.stderr.write("python3-botocore not found: run `apt-get install python3-botocore` (Debian)\n")
    sys.exit(3)

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = datetime.timedelta(minutes=15)
MAX_EXPIRES = 604800
AUTH_PARAMS = {
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
}
MAX_BODY = 10 * 1024 * 1024

CREDENTIALS = {c["accessKeyId"]: c for c in json.loads(os.environ.get("AWS_SIGV4_PEER_CREDENTIALS", "[]"))}
# botocore's add_auth reads the clock from botocore.auth.datetime; it is pinned per request, one request at a time.
SIGNING = threading.Lock()


class Refused(Exception):
    def __init__(self, status, code, message, **details):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def frozen_clock(at):
    """A stand-in for the datetime module inside botocore.auth whose utcnow() is the request's X-Amz-Date."""

    class FrozenDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return at

    return type("FrozenClock", (), {"datetime": FrozenDatetime})


def parse_timestamp(value):
    try:
        return datetime.datetime.strptime(value, auth.SIGV4_TIMESTAMP)
    except (TypeError, ValueError):
        raise Refused(403, "AccessDenied", f"X-Amz-Date must be in the form YYYYMMDD'T'HHMMSS'Z', got {value!r}.")


def parse_scope(credential):
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise Refused(400, "AuthorizationHeaderMalformed", f"The credential is malformed: {credential!r}.")
    access_key, date, region, service, _ = parts
    known = CREDENTIALS.get(access_key)
    if known is None:
        raise Refused(403, "InvalidAccessKeyId", "The AWS access key ID you provided does not exist in our records.")
    return known, date, region, service


def check_token(known, received):
    if (known.get("sessionToken") or None) != (received or None):
        raise Refused(403, "InvalidToken", "The security token included in the request is invalid.")


def check_time(signed_at, expires=None):
    now = datetime.datetime.utcnow()
    if signed_at - now > MAX_SKEW or (expires is None and now - signed_at > MAX_SKEW):
        raise Refused(403, "RequestTimeTooSkewed", "The difference between the request time and the server's time is too large.")
    if expires is not None and now > signed_at + datetime.timedelta(seconds=expires):
        raise Refused(403, "AccessDenied", "Request has expired.")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: the tests read the answers
        pass

    def do_GET(self):
        self.verify()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def verify(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise Refused(413, "EntityTooLarge", "The body is larger than this test server reads.")
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            if "X-Amz-Credential" in parse_qs(parts.query):
                facts = self.verify_query(parts, body)
            elif self.headers.get("Authorization"):
                facts = self.verify_header(parts, body)
            else:
                raise Refused(403, "MissingAuthenticationToken", "The request has no Authorization header and no X-Amz-Credential query parameter.")
            if parts.path.startswith("/redirect-to/"):
                # Like S3's redirects, the Location keeps the query (presign parameters included).
                location = "/" + parts.path[len("/redirect-to/") :] + (f"?{parts.query}" if parts.query else "")
                self.answer(302, {"redirected": True}, {"Location": location})
            else:
                self.answer(200, {"authenticated": True, "method": self.command, "path": parts.path, **facts})
        except Refused as refused:
            self.answer(refused.status, {"error": refused.code, "message": refused.message, **refused.details})
        except Exception as error:  # a bug here must show in the test, not hang it
            self.answer(500, {"error": "InternalError", "message": f"{type(error).__name__}: {error}"})

    def rebuild(self, parts, query, signed_headers, body):
        """An AWSRequest from what arrived: method, URL, only the headers the client signed, and the body."""
        headers = {}
        for name in signed_headers:
            values = self.headers.get_all(name)
            if values is None:
                raise Refused(403, "AccessDenied", f"The signed header {name!r} is missing from the request.")
            headers[name] = ",".join(values)
        url = f"http://{self.headers.get('Host')}{parts.path}" + (f"?{query}" if query else "")
        return AWSRequest(method=self.command, url=url, headers=headers, data=body)

    def verify_header(self, parts, body):
        algorithm, _, rest = self.headers["Authorization"].partition(" ")
        if algorithm != ALGORITHM:
            raise Refused(400, "AuthorizationHeaderMalformed", f"Unsupported algorithm {algorithm!r}; expected {ALGORITHM}.")
        fields = dict(p.strip().partition("=")[::2] for p in rest.split(","))
        if not {"Credential", "SignedHeaders", "Signature"} <= fields.keys():
            raise Refused(400, "AuthorizationHeaderMalformed", "The Authorization header needs Credential, SignedHeaders and Signature.")
        known, date, region, service = parse_scope(fields["Credential"])
        check_token(known, self.headers.get("X-Amz-Security-Token"))
        signed_at = parse_timestamp(self.headers.get("X-Amz-Date"))
        check_time(signed_at)
        signed_headers = fields["SignedHeaders"].split(";")
        body_hash = hashlib.sha256(body).hexdigest()
        sent_hash = self.headers.get("X-Amz-Content-SHA256")
        if service == "s3" and sent_hash is None:
            raise Refused(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256.")
        if sent_hash not in (None, body_hash, auth.UNSIGNED_PAYLOAD):
            raise Refused(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")

        request = self.rebuild(parts, parts.query, signed_headers, body)
        signer_class = auth.S3SigV4Auth if service == "s3" else auth.SigV4Auth
        signer = signer_class(Credentials(known["accessKeyId"], known["secretAccessKey"], known.get("sessionToken")), service, region)
        with SIGNING, mock.patch.object(auth, "datetime", frozen_clock(signed_at)):
            signer.add_auth(request)
            expected = request.headers["Authorization"].rpartition("Signature=")[2]
            del request.headers["Authorization"]  # computed again below as it was signed, without the header it produced
            canonical = signer.canonical_request(request)
            string_to_sign = signer.string_to_sign(request, canonical)
        self.compare(fields["Signature"], expected, canonical, string_to_sign)
        return {
            "mode": "header",
            "accessKeyId": known["accessKeyId"],
            "region": region,
            "service": service,
            "signedHeaders": signed_headers,
            "contentSha256": sent_hash,
            "bodySha256": body_hash,
            "body": body.decode("utf-8", "replace"),
            "args": parse_qsl(parts.query, keep_blank_values=True),
            "sessionToken": bool(self.headers.get("X-Amz-Security-Token")),
        }

    def verify_query(self, parts, body):
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if params.get("X-Amz-Algorithm") != ALGORITHM:
            raise Refused(400, "AuthorizationQueryParametersError", f"X-Amz-Algorithm must be {ALGORITHM}.")
        missing = sorted(AUTH_PARAMS - {"X-Amz-Security-Token"} - params.keys())
        if missing:
            raise Refused(400, "AuthorizationQueryParametersError", f"The presigned URL lacks {', '.join(missing)}.")
        known, date, region, service = parse_scope(params["X-Amz-Credential"])
        check_token(known, params.get("X-Amz-Security-Token"))
        expires = int(params["X-Amz-Expires"]) if params["X-Amz-Expires"].isdigit() else -1
        if not 1 <= expires <= MAX_EXPIRES:
            raise Refused(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and 604800 seconds (a week).")
        signed_at = parse_timestamp(params["X-Amz-Date"])
        check_time(signed_at, expires)
        signed_headers = params["X-Amz-SignedHeaders"].split(";")
        # The operation's own parameters, as received; botocore appends the auth parameters itself.
        operation_query = "&".join(p for p in parts.query.split("&") if p and unquote(p.partition("=")[0]) not in AUTH_PARAMS)

        request = self.rebuild(parts, operation_query, signed_headers, body)
        signer_class = auth.S3SigV4QueryAuth if service == "s3" else auth.SigV4QueryAuth
        credentials = Credentials(known["accessKeyId"], known["secretAccessKey"], known.get("sessionToken"))
        signer = signer_class(credentials, service, region, expires=expires)
        with SIGNING, mock.patch.object(auth, "datetime", frozen_clock(signed_at)):
            signer.add_auth(request)
            signed_url = urlsplit(request.url)
            request.url = signed_url._replace(query="&".join(p for p in signed_url.query.split("&") if not p.startswith("X-Amz-Signature="))).geturl()
            canonical = signer.canonical_request(request)
            string_to_sign = signer.string_to_sign(request, canonical)
        expected = parse_qs(signed_url.query)["X-Amz-Signature"][0]
        self.compare(params["X-Amz-Signature"], expected, canonical, string_to_sign)
        return {
            "mode": "query",
            "accessKeyId": known["accessKeyId"],
            "region": region,
            "service": service,
            "signedHeaders": signed_headers,
            "expires": expires,
            "args": [pair for pair in parse_qsl(operation_query, keep_blank_values=True)],
            "sessionToken": "X-Amz-Security-Token" in params,
        }

    def compare(self, received, expected, canonical, string_to_sign):
        if not hmac.compare_digest(received.encode(), expected.encode()):
            raise Refused(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                canonicalRequest=canonical,
                stringToSign=string_to_sign,
                signatureProvided=received,
            )

    def answer(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
