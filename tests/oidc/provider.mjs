// A real OpenID Connect provider on 127.0.0.1 for the sign-in tests and `make sso-demo`:
// the certified `oidc-provider` package, with its development sign-in and consent pages
// (any password is accepted). The site never uses this file; it only talks to it as it
// would to Entra ID, Okta or Keycloak.
//
// Environment:
//   OIDC_TEST_PORT      port to listen on; 0 or unset: any free port
//   OIDC_TEST_CLIENTS   JSON list of clients:
//                       [{"client_id", "client_secret", "redirect_uris": [...], "post_logout_redirect_uris": [...]}]
//   OIDC_TEST_ACCOUNTS  path of a JSON file, read again at every look-up:
//                       [{"login": "employee", "claims": {"email": ..., "email_verified": true, "employeeid": ...}}]
//
// Once listening it prints one JSON line on standard output: {"issuer": ..., "port": ...}.
// Each start signs with a new RSA key, so a restart on the same port is a key rotation.

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_TEST_PORT || 0);
const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS || '[]').map((client) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
  ...client,
}));
const accountsFile = process.env.OIDC_TEST_ACCOUNTS;

function findAccountByLogin(login) {
  if (!accountsFile) return undefined;
  const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
  return accounts.find((account) => account.login === login);
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

const configuration = {
  clients,
  jwks: { keys: [signingKey()] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile'],
  claims: {
    // The staff number goes with `openid`, as Entra ID sends `employeeid` once it is set up.
    openid: ['sub', 'employeeid'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, id) {
    const account = findAccountByLogin(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account.claims };
      },
    };
  },
};

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  const issuer = `http://127.0.0.1:${actual}`;
  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer, port: actual })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
