"""Starts and stops the test OpenID Connect provider (`provider.mjs`, the `oidc-provider`
package under Node.js) for the tests. `make sso-demo` runs the same script from bin/sso-demo."""

import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
INSTALLED = HERE / "node_modules" / "oidc-provider" / "package.json"
START_TIMEOUT = 20


def why_missing() -> str:
    """Why the provider cannot run on this machine, or "" when it can."""
    if not shutil.which("node"):
        return "Node.js is not installed (apt-get install -y nodejs npm)"
    if not INSTALLED.exists():
        return "the test OpenID Connect provider is not installed (cd tests/oidc && npm ci)"
    return ""


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = field(default_factory=list)


def account(login: str, **claims) -> dict:
    """An account at the provider: what is typed at its sign-in page, and the claims it releases."""
    return {"login": login, "claims": claims}


class TestProvider:
    """One provider process on 127.0.0.1. `restart()` keeps the port (so the issuer and the
    endpoints stay the same) and signs with a new key: a key rotation."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, clients: list[Client], accounts_file: Path, log_file: Path):
        self.clients = clients
        self.accounts_file = accounts_file
        self.log_file = log_file
        self.port = 0
        self.issuer = ""
        self.process: subprocess.Popen | None = None
        self.set_accounts([])

    def set_accounts(self, accounts: list[dict]) -> None:
        """The provider reads the file at every sign-in, so this takes effect at once."""
        self.accounts_file.write_text(json.dumps(accounts, indent=2))

    def start(self) -> "TestProvider":
        env = {
            **os.environ,
            "OIDC_TEST_PORT": str(self.port),
            "OIDC_TEST_CLIENTS": json.dumps([asdict(client) for client in self.clients]),
            "OIDC_TEST_ACCOUNTS": str(self.accounts_file),
        }
        with self.log_file.open("a") as log:
            self.process = subprocess.Popen(
                ["node", str(SCRIPT)], cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=log, text=True
            )
        ready = self._read_ready_line()
        self.issuer, self.port = ready["issuer"], ready["port"]
        return self

    def _read_ready_line(self) -> dict:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            readable, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if readable:
                return json.loads(self.process.stdout.readline())
        self.stop()
        raise RuntimeError(f"the test OpenID Connect provider did not start; see {self.log_file}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process.stdout.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
