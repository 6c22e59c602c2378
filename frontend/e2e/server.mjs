// The real server for browser runs: builds the Go binary with the UI embedded (and the
// reference plugins when asked), starts it on a free port over a fresh SQLite file with
// the demo tenant, and waits until it is ready; and the few helpers every run uses to
// check and to talk to it.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const frontendDir = resolve(import.meta.dirname, '..');
export const repo = resolve(frontendDir, '..');
export const demoPassword = 'credo-demo-2026'; // printed by `credo serve` with CREDO_DEMO=true

export function buildBinary(work) {
  if (!existsSync(join(frontendDir, 'dist', 'index.html'))) throw new Error('no frontend/dist: run `npm run build` first');
  const bin = join(work, 'credo');
  console.log('building the credo binary with the UI embedded…');
  const res = spawnSync('go', ['build', '-tags', 'embedui', '-o', bin, './cmd/credo'], { cwd: repo, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('go build failed');
  return bin;
}

// buildPlugins builds the reference plugins and installs them (manifest and checksum) the
// way `make plugins` does, into the run's own directory.
export function buildPlugins(bin, work) {
  const dir = join(work, 'plugins');
  mkdirSync(dir, { recursive: true });
  console.log('building the reference plugins…');
  for (const name of ['scorecard', 'antifraud']) {
    const exe = join(work, `credo-${name}`);
    const built = spawnSync('go', ['build', '-o', exe, `./plugins/${name}`], { cwd: repo, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`go build of plugin ${name} failed`);
    const installed = spawnSync(bin, ['plugins', 'install', '-dir', dir, exe], { cwd: work, stdio: 'inherit' });
    if (installed.status !== 0) throw new Error(`credo plugins install ${name} failed`);
  }
  return dir;
}

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// startServer runs `credo serve`; env adds to (or overrides) the run's settings.
export function startServer(bin, work, port, logFile, env) {
  const log = createWriteStream(logFile);
  const child = spawn(bin, ['serve'], {
    cwd: work,
    env: {
      ...process.env,
      CREDO_ADDR: `127.0.0.1:${port}`,
      CREDO_SQLITE_PATH: join(work, 'credo.db'),
      CREDO_DEMO: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

export async function waitReady(base, server, logFile) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}); see ${logFile}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not get ready in 180 s');
}

export async function stopServer(server) {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

/** must throws message unless cond holds. */
export function must(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * apiSession logs in to the demo tenant through the API, a session of its own: its cookie
 * and CSRF token, and send(method, path, body) for /api/v1 paths, which fails on any
 * answer but a success and returns the answer's JSON.
 */
export async function apiSession(base, email) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', email, password: demoPassword }),
  });
  must(res.ok, `API login as ${email}: HTTP ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = await res.json();
  const send = async (method, path, body) => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${await r.text()}`);
    return r.status === 204 ? undefined : r.json();
  };
  return { cookie, csrf, send };
}

/** idNumber completes 17 digits into a mainland resident ID number with its check digit (GB 11643). */
export function idNumber(body17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return body17 + '10X98765432'[sum % 11];
}
