// Docker for the container tests (test/docker.test.ts): the daemon as these machines allow it
// (no bridge, no iptables: every container shares the host's network, so all traffic stays on
// 127.0.0.1), the stand-in base image (deploy/docker/standin-base.sh) and the project's real
// Dockerfile built on it, and containers run with --network host only.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker ARGS`, resolving with its exit code and output (never rejecting on a non-zero code). */
export function docker(args: string[], options: { timeout?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: options.timeout ?? 120_000 }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code !== 'number') reject(new Error(err.message));
      else resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr });
    });
  });
}

/** `docker ARGS`, throwing with its stderr when it fails. */
export async function dockerOk(args: string[], options: { timeout?: number } = {}): Promise<string> {
  const r = await docker(args, options);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${String(r.code)}): ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

/**
 * A reachable Docker daemon, started here when none answers (as .ci/run does): on these machines
 * only as `dockerd --bridge=none --iptables=false --ip-masq=false`, so no container can get an
 * address of its own.
 */
export async function ensureDaemon(): Promise<void> {
  if ((await docker(['info', '--format', '{{.ServerVersion}}'])).code === 0) return;
  if (!existsSync('/usr/sbin/dockerd') && !existsSync('/usr/bin/dockerd')) throw new Error('no Docker daemon answers and dockerd is not installed (apt-get install docker.io)');
  spawn('dockerd', ['--bridge=none', '--iptables=false', '--ip-masq=false'], { detached: true, stdio: 'ignore' }).unref();
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if ((await docker(['info', '--format', '{{.ServerVersion}}'])).code === 0) return;
  }
  throw new Error('dockerd was started but does not answer after 30 s');
}

/** The stand-in for node:20-bookworm-slim, made once per machine (about 30 – 90 s) and reused. */
export function standinBase(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(`${ROOT}deploy/docker/standin-base.sh`, [], { cwd: ROOT, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`standin-base.sh failed: ${stderr}`));
      else resolve(stdout.trim().split('\n').at(-1)!);
    });
  });
}

/** Builds the repository's Dockerfile on `base` (layers cached between runs) and tags it `tag`. */
export async function buildImage(base: string, tag: string): Promise<{ seconds: number }> {
  const started = Date.now();
  // --network host: the build stage reaches Debian's mirror and the npm registry through the
  // host, as a container here gets no network of its own.
  await dockerOk(['build', '--network', 'host', '--build-arg', `NODE_IMAGE=${base}`, '-t', tag, '.'], { timeout: 1_200_000 });
  return { seconds: (Date.now() - started) / 1000 };
}

export interface Container {
  name: string;
  /** The public listener, http://127.0.0.1:PORT. */
  url: string;
  adminUrl: string;
  /** Milliseconds from `docker run` to the first 200 of /readyz. */
  coldStartMs: number;
}

let serial = 0;

/**
 * Runs `image` detached with --network host, --read-only and the volume `volume` at /data, the
 * public and admin listeners on the given host ports (the only settings forced on it: containers
 * share the host's ports here), and waits until /readyz answers 200.
 */
export async function runContainer(image: string, options: { port: number; adminPort: number; volume?: string; env?: Record<string, string> }): Promise<Container> {
  const name = `hush-test-${String(process.pid)}-${String(++serial)}`;
  const env = { HUSH_PORT: String(options.port), HUSH_ADMIN_PORT: String(options.adminPort), ...options.env };
  const started = Date.now();
  await dockerOk([
    'run', '--detach', '--name', name, '--network', 'host', '--read-only',
    ...(options.volume === undefined ? [] : ['--volume', `${options.volume}:/data`]),
    ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    image,
  ]);
  const container: Container = { name, url: `http://127.0.0.1:${String(options.port)}`, adminUrl: `http://127.0.0.1:${String(options.adminPort)}`, coldStartMs: 0 };
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${container.adminUrl}/readyz`);
      if (r.status === 200) return { ...container, coldStartMs: Date.now() - started };
    } catch {
      // not listening yet
    }
    const state = await dockerOk(['inspect', '--format', '{{.State.Status}}', name]);
    if (state === 'exited') throw new Error(`container ${name} exited before it was ready: ${(await docker(['logs', name])).stdout}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`container ${name} not ready after 30 s: ${(await docker(['logs', name])).stdout}`);
}

export const inspect = (name: string, format: string): Promise<string> => dockerOk(['inspect', '--format', format, name]);
