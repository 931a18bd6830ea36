"""An OAuth 2.0 client for Plugboard's tests, built on Authlib (Debian's python3-authlib): it asks a token
endpoint for client_credentials tokens, so Plugboard's OAuth server is driven by an implementation that is not ours.

Reads one JSON line on stdin to start ({"token_url", "client_id", "auth_method", "secret"}), then commands, one
JSON line each:
  {"secret": "..."}                   use this client secret from the next request on (an integration reconfigured)
  {"loop": true} / {"loop": false}    request tokens one after another until told to stop
  {"once": true, "private_key": PEM, "alg": "RS256", "kid": "...", "audience": "..."}
                                      one request; with private_key, authenticates with private_key_jwt (RFC 7523)
Prints one JSON line per token request: {"ok", "status", "error", "error_description", "expires_in", "secret_tail"}.
Exits when stdin closes. Test use only: http:// is allowed.
"""

import json
import os
import sys
import threading

os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # loopback test server over http://

from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT

lock = threading.Lock()
state = {"secret": None, "loop": False}
out_lock = threading.Lock()


def emit(record):
    with out_lock:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()


def request_token(config, command=None):
    with lock:
        secret = state["secret"]
    command = command or {}
    if command.get("private_key"):
        auth = PrivateKeyJWT(
            token_endpoint=command.get("audience") or config["token_url"],
            claims=command.get("claims"),
            headers={"kid": command["kid"]} if command.get("kid") else None,
            alg=command.get("alg", "RS256"),
        )
        session = OAuth2Session(config["client_id"], command["private_key"], token_endpoint_auth_method="private_key_jwt")
        session.register_client_auth_method(auth)
    else:
        session = OAuth2Session(config["client_id"], secret, token_endpoint_auth_method=config["auth_method"])
    try:
        response = session.post(config["token_url"], data={"grant_type": "client_credentials"}, withhold_token=True, auth=session.client_auth(session.token_endpoint_auth_method))
        body = response.json()
        emit(
            {
                "ok": response.status_code == 200 and "access_token" in body,
                "status": response.status_code,
                "error": body.get("error"),
                "error_description": body.get("error_description"),
                "expires_in": body.get("expires_in"),
                "secret_tail": secret[-6:] if secret and not command.get("private_key") else None,
            }
        )
    except Exception as error:  # a transport failure is a failed request too
        emit({"ok": False, "status": 0, "error": type(error).__name__, "error_description": str(error)[:200], "secret_tail": None})
    finally:
        session.close()


def loop(config):
    while True:
        with lock:
            if not state["loop"]:
                return
        request_token(config)


def main():
    config = json.loads(sys.stdin.readline())
    state["secret"] = config.get("secret")
    worker = None
    for line in sys.stdin:
        command = json.loads(line)
        if "secret" in command:
            with lock:
                state["secret"] = command["secret"]
        if command.get("loop") is True and not (worker and worker.is_alive()):
            state["loop"] = True
            worker = threading.Thread(target=loop, args=(config,), daemon=True)
            worker.start()
        if command.get("loop") is False:
            with lock:
                state["loop"] = False
            if worker:
                worker.join()
            emit({"stopped": True})
        if command.get("once"):
            request_token(config, command)
    with lock:
        state["loop"] = False


main()
