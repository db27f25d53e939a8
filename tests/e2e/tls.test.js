// HTTPS: TLS 1.3 accepted (the openai client too), TLS 1.2 refused, clear startup errors, and a
// certificate reloaded on SIGHUP for new connections while an open one keeps working.
//
// Certificates are made here with the openssl CLI into a temporary directory; none is committed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import crypto from 'node:crypto';
import path from 'node:path';
import tls from 'node:tls';
import { test } from 'node:test';
import { dataDir, startServer, stories, waitForLog } from './server.js';

// A self-signed certificate for 127.0.0.1 (its own CA) with a fresh P-256 key.
function makeCertificate(dir, name) {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key, pem: fs.readFileSync(cert) };
}

function tlsEnv(certificate, extra = {}) {
  return { ASSISTD_SERVICE_TLS_CERT: certificate.cert, ASSISTD_SERVICE_TLS_KEY: certificate.key, ...extra };
}

function hostPort(baseURL) {
  const url = new URL(baseURL);
  return { host: url.hostname, port: Number(url.port) };
}

// Completes a TLS handshake; resolves with the protocol and the server certificate's fingerprint.
function handshake(baseURL, options) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...hostPort(baseURL), ...options }, () => {
      const result = { protocol: socket.getProtocol(), fingerprint: socket.getPeerCertificate().fingerprint256 };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

// GET over `agent`; resolves with status, body, whether the socket was reused and its certificate.
function get(baseURL, route, agent, headers) {
  return new Promise((resolve, reject) => {
    const request = https.get(`${baseURL}${route}`, { agent, headers }, (response) => {
      const { fingerprint256 } = response.socket.getPeerCertificate();
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({
        status: response.statusCode, body, reused: request.reusedSocket, fingerprint: fingerprint256,
      }));
    });
    request.on('error', reject);
  });
}

test('TLS 1.3 is accepted, TLS 1.2 refused, and the openai client works with the CA', async () => {
  const certificate = makeCertificate(dataDir(), 'server');
  const server = await startServer({ args: ['--model', stories], env: tlsEnv(certificate) });
  try {
    assert.match(server.baseURL, /^https:\/\//);
    const accepted = await handshake(server.baseURL, { ca: certificate.pem, minVersion: 'TLSv1.3' });
    assert.equal(accepted.protocol, 'TLSv1.3');
    await assert.rejects(handshake(server.baseURL, { ca: certificate.pem, maxVersion: 'TLSv1.2' }),
      /alert protocol version|unsupported protocol|wrong version/i);
    // Plain HTTP on the TLS port gets no answer.
    await assert.rejects(fetch(`${server.baseURL.replace('https', 'http')}/healthz`));
    await assert.rejects(handshake(server.baseURL, {}), /self[- ]signed/i);

    // The official client, trusting the private CA the way an operator would.
    const script = `import OpenAI from 'openai';
      const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
      const reply = await client.chat.completions.create({ model: 'stories260K',
        messages: [{ role: 'user', content: 'Once' }], max_tokens: 4 });
      console.log(JSON.stringify({ models: (await client.models.list()).data.length, object: reply.object }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certificate.cert, BASE_URL: `${server.baseURL}/v1`, API_KEY: server.apiKey },
    });
    assert.deepEqual(JSON.parse(output), { models: 1, object: 'chat.completion' });
  } finally {
    await server.stop();
  }
});

test('min_version 1.2 admits a TLS 1.2 client', async () => {
  const certificate = makeCertificate(dataDir(), 'server');
  const server = await startServer({ env: tlsEnv(certificate, { ASSISTD_SERVICE_TLS_MIN_VERSION: '1.2' }) });
  try {
    const old = await handshake(server.baseURL, { ca: certificate.pem, maxVersion: 'TLSv1.2' });
    assert.equal(old.protocol, 'TLSv1.2');
  } finally {
    await server.stop();
  }
});

test('a missing, foreign or mismatched certificate stops the server at start with a clear error', async () => {
  const dir = dataDir();
  const certificate = makeCertificate(dir, 'server');
  const other = makeCertificate(dir, 'other');
  await assert.rejects(async () => startServer({ env: tlsEnv({ ...certificate, cert: path.join(dir, 'nope.pem') }) }),
    /service\.tls\.cert: cannot read '.*nope\.pem': No such file or directory/);
  await assert.rejects(async () => startServer({ env: tlsEnv({ ...certificate, key: other.key }) }),
    /service\.tls\.key: '.*other\.key' is not the key of the certificate in '.*server\.pem'/);
  await assert.rejects(async () => startServer({ env: { ASSISTD_SERVICE_TLS_CERT: certificate.cert } }),
    /service\.tls\.key is empty/);
  await assert.rejects(async () => startServer({ env: tlsEnv(certificate, { ASSISTD_SERVICE_TLS_MIN_VERSION: '1.1' }) }),
    /ASSISTD_SERVICE_TLS_MIN_VERSION \(service\.tls\.min_version\): expected "1\.3" or "1\.2"/);
});

test('SIGHUP serves a new certificate to new connections; an open one keeps working', async () => {
  const dir = dataDir();
  const first = makeCertificate(dir, 'server');
  const server = await startServer({ env: tlsEnv(first) });
  const kept = new https.Agent({ keepAlive: true, maxSockets: 1, ca: first.pem });
  try {
    const before = await get(server.baseURL, '/v1/models', kept, server.authorization);
    assert.equal(before.status, 200);

    // Replace the files in place, as certbot's renewal does, then signal.
    const second = makeCertificate(dir, 'next');
    fs.copyFileSync(second.cert, first.cert);
    fs.copyFileSync(second.key, first.key);
    server.child.kill('SIGHUP');
    assert.ok(await waitForLog(server, (log) => log.includes('TLS certificate reloaded')), server.log());

    const fresh = await handshake(server.baseURL, { ca: second.pem });
    assert.notEqual(fresh.fingerprint, before.fingerprint);
    assert.equal(fresh.fingerprint, new crypto.X509Certificate(second.pem).fingerprint256);

    const after = await get(server.baseURL, '/v1/models', kept, server.authorization);
    assert.equal(after.status, 200);
    assert.equal(after.reused, true, 'the kept-alive connection survived the reload');
    assert.equal(after.fingerprint, before.fingerprint);

    // A broken file is refused; the server keeps the certificate it has.
    fs.writeFileSync(first.cert, 'half-written\n');
    server.child.kill('SIGHUP');
    assert.ok(await waitForLog(server, (log) => log.includes('keeping the current TLS certificate')), server.log());
    assert.equal((await handshake(server.baseURL, { ca: second.pem })).fingerprint, fresh.fingerprint);
    assert.equal(server.child.exitCode, null);
  } finally {
    kept.destroy();
    await server.stop();
  }
});
