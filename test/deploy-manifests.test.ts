// The deployment files in deploy/ (docs/deploy.md, "Compose" and "Kubernetes"), checked where no
// container engine or cluster runs. Compose: Debian's docker-compose (1.29) renders each file with
// `config`, Caddy adapts and validates its Caddyfile, and the rendered services are checked for
// what the docs promise. Kubernetes: every document is validated against the API's schemas with
// kubernetes-models, unknown fields are refused as `kubectl apply` (strict field validation) does,
// and the pods, Services, NetworkPolicy, budget and Secret are checked for what the docs promise.
// In both, the environment each Hush gets goes through the server's own loadConfig, so a misspelt
// or unknown setting fails here rather than at the container's start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace, type INamespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim, type IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { loadConfig } from '../src/server/config.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const COMPOSE_DIR = join(ROOT, 'deploy/compose');
const K8S_DIR = join(ROOT, 'deploy/kubernetes');

/**
 * The settings the image built from the repository's Dockerfile sets (its ENV line); the ports
 * and the admin listener's address are Hush's own defaults (8080; 127.0.0.1:8081). Then the
 * image's health check command, which the compose files repeat.
 */
const IMAGE_ENV: Record<string, string> = { HUSH_HOST: '0.0.0.0', HUSH_STORE: 'sqlite:/data/hush.db' };
const HEALTHCHECK = ['CMD', 'node', '/app/dist/server/healthcheck.js'];
const PUBLIC_PORT = 8080;
const ADMIN_PORT = 8081;
const UID = 10001;

/** Settings with the placeholders replaced, as an operator would. */
const POW_KEY = 'test-pow-key-0123456789abcdef';
const DOMAIN = 'hush.example.com';

const tmp = mkdtempSync(join(tmpdir(), 'hush-deploy-'));
const emptyEnvFile = join(tmp, 'empty.env');
writeFileSync(emptyEnvFile, '');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>): Run {
  const r = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp, XDG_DATA_HOME: tmp, XDG_CONFIG_HOME: tmp, ...env },
  });
  if (r.error) throw new Error(`${command} could not run (${r.error.message}): docker-compose is Debian's package docker-compose, caddy is Debian's caddy`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---------------------------------------------------------------------------------------------
// Compose

interface ComposePort {
  target: number;
  published?: number | string;
  host_ip?: string;
  protocol?: string;
}
interface ComposeVolume {
  type?: string;
  source?: string;
  target: string;
  read_only?: boolean;
}
interface ComposeService {
  image?: string;
  build?: { context: string };
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  environment?: Record<string, string | null>;
  ports?: (string | ComposePort)[];
  expose?: (string | number)[];
  volumes?: (string | ComposeVolume)[];
  tmpfs?: string[];
  healthcheck?: { test: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
  networks?: Record<string, { ipv4_address?: string } | null>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string; gateway?: string }[] } }>;
}

interface ComposeCase {
  file: string;
  /** The Hush services. */
  hush: string[];
  store: 'sqlite' | 'postgres' | 'redis';
  /** The database service, for the shared stores. */
  db?: string;
  /** The Caddyfile Caddy mounts, when Caddy is in front. */
  caddyfile?: string;
  /** The variables the file requires (`${VAR:?…}`), with values for the test. */
  required: Record<string, string>;
}

const COMPOSE: ComposeCase[] = [
  { file: 'single.yml', hush: ['hush'], store: 'sqlite', required: {} },
  { file: 'caddy.yml', hush: ['hush'], store: 'sqlite', caddyfile: 'Caddyfile', required: { HUSH_DOMAIN: DOMAIN } },
  {
    file: 'postgres.yml',
    hush: ['hush-1', 'hush-2'],
    store: 'postgres',
    db: 'postgres',
    caddyfile: 'Caddyfile.lb',
    required: { HUSH_DOMAIN: DOMAIN, HUSH_POW_KEY: POW_KEY, POSTGRES_PASSWORD: 'pgpassword0123' },
  },
  {
    file: 'redis.yml',
    hush: ['hush-1', 'hush-2'],
    store: 'redis',
    db: 'redis',
    caddyfile: 'Caddyfile.lb',
    required: { HUSH_DOMAIN: DOMAIN, HUSH_POW_KEY: POW_KEY, REDIS_PASSWORD: 'redispassword0123' },
  },
];

/** `docker-compose config` of one file, with no .env but the one given. */
function composeConfig(file: string, env: Record<string, string>, envFile = emptyEnvFile): Run {
  return run('docker-compose', ['--env-file', envFile, '-f', join(COMPOSE_DIR, file), 'config'], env);
}

const renderedFiles = new Map<string, ComposeFile>();
/** The file as docker-compose renders it with its required variables (once per file). */
function rendered(c: ComposeCase): ComposeFile {
  const cached = renderedFiles.get(c.file);
  if (cached) return cached;
  const r = composeConfig(c.file, c.required);
  expect(r.status, r.stderr).toBe(0);
  const out = parse(r.stdout) as ComposeFile;
  renderedFiles.set(c.file, out);
  return out;
}

/** A published port, short (`[ip:]published:target[/proto]`) or long syntax. */
function portOf(p: string | ComposePort): { hostIp: string; published: string; target: number } {
  if (typeof p !== 'string') return { hostIp: p.host_ip ?? '', published: String(p.published ?? ''), target: p.target };
  const parts = p.replace(/\/(tcp|udp)$/, '').split(':');
  const target = Number(parts.pop());
  const published = parts.pop() ?? '';
  return { hostIp: parts.join(':'), published, target };
}

/** A mount, short (`source:target[:mode]`, docker-compose 1.x) or long syntax (2.x). */
function mountOf(v: string | ComposeVolume): { source: string; target: string; readOnly: boolean } {
  if (typeof v !== 'string') return { source: v.source ?? '', target: v.target, readOnly: v.read_only === true };
  const [source = '', target = '', mode = ''] = v.split(':');
  return { source, target, readOnly: mode.split(',').includes('ro') };
}

function envOf(s: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v ?? '']));
}

/** What Hush itself makes of a container's environment over the image's defaults. */
function hushConfig(env: Record<string, string>): ReturnType<typeof loadConfig> {
  return loadConfig({ ...IMAGE_ENV, ...env });
}

/** `caddy adapt --validate` of a Caddyfile: the JSON configuration Caddy would run. */
interface CaddyHandler {
  handler: string;
  upstreams?: { dial: string }[];
  headers?: { request?: { delete?: string[] } };
  health_checks?: { active?: { uri?: string; port?: number } };
  routes?: { handle: CaddyHandler[] }[];
}
interface CaddyConfig {
  apps: { http: { servers: Record<string, { listen: string[]; automatic_https?: { disable?: boolean }; routes: { match?: { host?: string[] }[]; handle: CaddyHandler[] }[] }> } };
}
function caddyAdapt(file: string): CaddyConfig {
  const r = run('caddy', ['adapt', '--config', join(COMPOSE_DIR, file), '--adapter', 'caddyfile', '--validate'], { HUSH_DOMAIN: DOMAIN });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as CaddyConfig;
}
function proxies(handlers: CaddyHandler[]): CaddyHandler[] {
  return handlers.flatMap((h) => (h.handler === 'reverse_proxy' ? [h] : (h.routes ?? []).flatMap((r) => proxies(r.handle))));
}

function ipInSubnet(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const n = (a: string): number => a.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(net!) / size);
}

describe('compose files (deploy/compose)', () => {
  it('docker-compose is there to render them', () => {
    // Debian's docker-compose: 1.29 in bookworm (what this was written against), 2.x after it.
    const r = run('docker-compose', ['version'], {});
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/docker-compose version 1\.29|Docker Compose version v?2\./);
  });

  describe.each(COMPOSE)('$file', (c) => {
    it('renders with docker-compose config; every service has a health check; Hush runs read-only, not as root, without capabilities', () => {
      const out = rendered(c);
      expect(Object.keys(out.services).sort()).toEqual([...c.hush, ...(c.db ? [c.db] : []), ...(c.caddyfile ? ['caddy'] : [])].sort());
      for (const [name, s] of Object.entries(out.services)) {
        expect(s.healthcheck, name).toBeDefined();
        expect(s.healthcheck!.disable, name).not.toBe(true);
      }
      for (const name of c.hush) {
        const s = out.services[name]!;
        expect(s.healthcheck!.test, name).toEqual(HEALTHCHECK);
        expect(s.image, name).toBe('hush:latest');
        expect(s.build?.context, name).toBe(ROOT.replace(/\/$/, ''));
        expect(s.read_only, name).toBe(true);
        expect(s.user, name).toBe(`${String(UID)}:${String(UID)}`);
        expect(s.cap_drop, name).toEqual(['ALL']);
        expect(s.security_opt, name).toContain('no-new-privileges:true');
      }
      if (c.db === 'postgres') expect(out.services.postgres!.healthcheck!.test).toEqual(['CMD', 'pg_isready', '-U', 'hush', '-d', 'hush']);
      if (c.db === 'redis') expect(out.services.redis!.healthcheck!.test).toEqual(['CMD-SHELL', 'redis-cli ping | grep -q PONG']);
    });

    it('publishes no admin port anywhere, and Hush itself at most on the host loopback', () => {
      const out = rendered(c);
      for (const [name, s] of Object.entries(out.services)) {
        const ports = (s.ports ?? []).map(portOf);
        expect(ports.map((p) => p.target), name).not.toContain(ADMIN_PORT);
        if (c.hush.includes(name)) {
          for (const p of ports) expect(p, name).toEqual({ hostIp: '127.0.0.1', published: '8080', target: PUBLIC_PORT });
          if (c.caddyfile) expect(ports, `${name}: Caddy is the only way in`).toEqual([]);
        }
        if (name === c.db) expect(s.ports ?? [], name).toEqual([]);
      }
      if (c.caddyfile) expect((out.services.caddy!.ports ?? []).map((p) => portOf(p).target).sort()).toEqual([443, 443, 80]);
    });

    it('the environment is one Hush accepts, with the store, key and client addresses the file means', () => {
      const out = rendered(c);
      const caddyAddress = c.caddyfile ? out.services.caddy!.networks?.hush?.ipv4_address : undefined;
      const net = out.networks?.hush?.ipam?.config?.[0];
      const keys = new Set<string>();
      for (const name of c.hush) {
        const s = out.services[name]!;
        const env = envOf(s);
        const config = hushConfig(env);
        expect(config.store.kind, name).toBe(c.store);
        expect(config.adminPort, name).toBe(ADMIN_PORT);
        keys.add(config.powKey);
        if (c.store === 'sqlite') {
          // The database in the named volume at /data; SQLite's temporary files on a tmpfs.
          expect(config.store.kind === 'sqlite' && config.store.path.startsWith('/data/'), name).toBe(true);
          const mount = (s.volumes ?? []).map(mountOf).find((m) => m.target === '/data');
          expect(mount, `${name} mounts a volume at /data`).toBeDefined();
          expect(Object.keys(out.volumes ?? {}), name).toContain(mount!.source);
          expect(mount!.readOnly, name).toBe(false);
          expect(s.tmpfs?.some((t) => t.startsWith('/tmp')), name).toBe(true);
        } else {
          // The shared store on the database service, which must be healthy before Hush starts.
          expect(new URL(config.store.kind === 'sqlite' ? '' : config.store.url).hostname, name).toBe(c.db);
          expect(Object.keys(s.depends_on ?? {}), name).toEqual([c.db]);
          expect((s.depends_on as Record<string, { condition: string }>)[c.db!]?.condition, name).toBe('service_healthy');
          expect(config.powKey, name).toBe(POW_KEY);
        }
        if (c.caddyfile) {
          // Caddy, at its fixed address on the network, is the one proxy believed.
          expect(config.publicUrl, name).toBe(`https://${DOMAIN}`);
          expect(caddyAddress, 'Caddy has a fixed address').toBeDefined();
          expect(config.trustedProxies, name).toEqual([caddyAddress]);
          expect(ipInSubnet(caddyAddress!, net!.subnet!), `${caddyAddress!} in ${net!.subnet!}`).toBe(true);
        } else {
          // Through the loopback port, connections come from the network's gateway (Docker's proxy).
          expect(config.trustedProxies, name).toEqual([net!.gateway]);
          expect(ipInSubnet(net!.gateway!, net!.subnet!)).toBe(true);
        }
        // Caddy's health checks ask the admin listener over the network: then it listens there.
        if (c.hush.length > 1) expect(config.adminHost, name).toBe('0.0.0.0');
        else expect(config.adminHost, name).toBe('127.0.0.1');
      }
      // Several instances share one proof-of-work key, the one given.
      if (c.hush.length > 1) expect([...keys]).toEqual([POW_KEY]);
    });

    it('refuses to render without each required variable', () => {
      for (const missing of Object.keys(c.required)) {
        const env = Object.fromEntries(Object.entries(c.required).filter(([k]) => k !== missing));
        const r = composeConfig(c.file, env);
        expect(r.status, `${c.file} without ${missing}`).not.toBe(0);
        expect(r.stderr, missing).toContain(missing);
      }
    });

    it('renders with the variables of .env.example', () => {
      const r = composeConfig(c.file, {}, join(COMPOSE_DIR, '.env.example'));
      expect(r.status, r.stderr).toBe(0);
    });

    if (c.caddyfile) it('its Caddyfile is valid, gets a certificate for HUSH_DOMAIN, and proxies to the Hush services public port only', () => {
      const out = rendered(c);
      const caddy = out.services.caddy!;
      expect(caddy.image).toBe('caddy:2');
      expect((caddy.volumes ?? []).map(mountOf)).toContainEqual({ source: join(COMPOSE_DIR, c.caddyfile!), target: '/etc/caddy/Caddyfile', readOnly: true });
      expect(envOf(caddy).HUSH_DOMAIN).toBe(DOMAIN);
      const adapted = caddyAdapt(c.caddyfile!);
      const servers = Object.values(adapted.apps.http.servers);
      expect(servers).toHaveLength(1);
      const server = servers[0]!;
      // Automatic TLS: an HTTPS listener for the domain, not turned off.
      expect(server.listen).toEqual([':443']);
      expect(server.automatic_https?.disable).not.toBe(true);
      expect(server.routes.flatMap((r) => r.match ?? []).flatMap((m) => m.host ?? [])).toEqual([DOMAIN]);
      const rp = proxies(server.routes.flatMap((r) => r.handle));
      expect(rp).toHaveLength(1);
      expect(rp[0]!.upstreams!.map((u) => u.dial)).toEqual(c.hush.map((h) => `${h}:${String(PUBLIC_PORT)}`));
      // As docs/operations.md: no header naming a client gets through from the client.
      expect(rp[0]!.headers?.request?.delete).toEqual(['CF-Connecting-IP', 'X-Real-IP', 'True-Client-IP']);
      if (c.hush.length > 1) expect(rp[0]!.health_checks?.active).toEqual(expect.objectContaining({ uri: '/readyz', port: ADMIN_PORT }));
    });
  });

  it('.env.example holds placeholders only', () => {
    const lines = readFileSync(join(COMPOSE_DIR, '.env.example'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      expect(m, line).not.toBeNull();
      const value = m![2]!;
      expect(value === '' || value.includes('change-me') || ['hush:latest', DOMAIN, '8080'].includes(value), line).toBe(true);
    }
    // Its proof-of-work placeholder is one Hush refuses: too short to be a key.
    expect(() => hushConfig({ HUSH_POW_KEY: 'change-me' })).toThrow(/HUSH_POW_KEY: must be at least 16 characters/);
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes

type Doc = Record<string, unknown> & { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } };
type Model = new (data: Doc) => { validate(): void; toJSON(): unknown };

/**
 * The kinds the manifests may use, each with its model. Anything else fails: an apiVersion the
 * API has dropped (extensions/v1beta1, policy/v1beta1) or a misspelt kind is not silently skipped.
 */
const KINDS = new Map<string, Model>([
  ['v1/Namespace', Namespace],
  ['v1/Secret', Secret],
  ['v1/Service', Service],
  ['v1/PersistentVolumeClaim', PersistentVolumeClaim],
  ['apps/v1/Deployment', Deployment],
  ['networking.k8s.io/v1/NetworkPolicy', NetworkPolicy],
  ['networking.k8s.io/v1/Ingress', Ingress],
  ['policy/v1/PodDisruptionBudget', PodDisruptionBudget],
]);

function modelOf(doc: Doc): Model {
  const model = KINDS.get(`${doc.apiVersion}/${doc.kind}`);
  if (!model) throw new Error(`unknown kind ${doc.apiVersion}/${doc.kind}`);
  return model;
}

/**
 * Validates `doc` against its schema, then returns the fields no schema knows. The API's schemas
 * leave out additionalProperties, so a misspelt field (readOnlyRootFileSystem) would pass the
 * schema and be refused by `kubectl apply`'s strict field validation, or silently dropped by an
 * older one. The compiled validator reads exactly the fields its schema names (and every key of a
 * map, such as labels), so a field it never reads is one the API does not know.
 */
function validate(doc: Doc): string[] {
  const model = modelOf(doc);
  const instance = new model(doc);
  instance.validate();
  const read = new Set<string>();
  const track = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value, {
      get(target, key, receiver): unknown {
        const v: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || !Object.hasOwn(target, key)) return v;
        read.add(`${path}/${key}`);
        return track(v, `${path}/${key}`);
      },
    });
  };
  instance.validate.call(track(instance, '') as typeof instance);
  const unknown: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (read.has(`${path}/${k}`)) walk(v, `${path}/${k}`);
      else unknown.push(`${path}/${k}`);
    }
  };
  walk(instance.toJSON(), '');
  return unknown;
}

/** The documents of a variant: the shared namespace.yaml and every file in its directory. */
function loadVariant(dir: string): Doc[] {
  const files = ['namespace.yaml', ...readdirSync(join(K8S_DIR, dir)).filter((f) => f.endsWith('.yaml')).map((f) => `${dir}/${f}`)];
  const docs: Doc[] = [];
  for (const file of files) {
    for (const d of parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8'))) {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
      const value: unknown = d.toJS();
      if (value === null) continue; // the comment before a file's first `---`
      docs.push(value as Doc);
    }
  }
  return docs;
}

/** The types of the kinds, once validated. */
interface Kinds {
  Namespace: INamespace;
  Secret: ISecret;
  Service: IService;
  PersistentVolumeClaim: IPersistentVolumeClaim;
  Deployment: IDeployment;
  NetworkPolicy: INetworkPolicy;
  Ingress: IIngress;
  PodDisruptionBudget: IPodDisruptionBudget;
}
function all<K extends keyof Kinds>(docs: Doc[], kind: K): Kinds[K][] {
  return docs.filter((d) => d.kind === kind) as unknown as Kinds[K][];
}
function only<K extends keyof Kinds>(docs: Doc[], kind: K): Kinds[K] {
  const found = all(docs, kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
/** Whether a label selector (matchLabels only, which is all these manifests use) selects `labels`. */
function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  expect(selector?.matchExpressions ?? [], 'matchExpressions are not used').toEqual([]);
  const want = Object.entries(selector?.matchLabels ?? {});
  return want.length > 0 && want.every(([k, v]) => labels[k] === v);
}

/** The environment variables Kubernetes adds for each Service when service links are on. */
function serviceLinks(services: IService[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) {
    const p = s.metadata!.name!.toUpperCase().replace(/-/g, '_');
    const first = s.spec!.ports![0]!;
    env[`${p}_SERVICE_HOST`] = '10.96.0.10';
    env[`${p}_SERVICE_PORT`] = String(first.port);
    env[`${p}_PORT`] = `tcp://10.96.0.10:${String(first.port)}`;
    for (const port of s.spec!.ports!) {
      const proto = (port.protocol ?? 'TCP').toUpperCase();
      if (port.name) env[`${p}_SERVICE_PORT_${port.name.toUpperCase().replace(/-/g, '_')}`] = String(port.port);
      env[`${p}_PORT_${String(port.port)}_${proto}`] = `${proto.toLowerCase()}://10.96.0.10:${String(port.port)}`;
    }
  }
  return env;
}

const VARIANTS = [
  { dir: 'sqlite', replicated: false },
  { dir: 'replicated', replicated: true },
];

describe.each(VARIANTS)('Kubernetes manifests: deploy/kubernetes/$dir', ({ dir, replicated }) => {
  const docs = loadVariant(dir);
  const namespace = (): INamespace => only(docs, 'Namespace');
  const deployment = (): IDeployment => only(docs, 'Deployment');
  const pod = (): NonNullable<NonNullable<IDeployment['spec']>['template']['spec']> => deployment().spec!.template.spec!;
  const container = (): NonNullable<ReturnType<typeof pod>>['containers'][number] => {
    expect(pod().containers).toHaveLength(1);
    return pod().containers[0]!;
  };
  const podLabels = (): Record<string, string> => deployment().spec!.template.metadata!.labels!;
  /** A container port by number or name. */
  const portNumber = (port: number | string | undefined): number => {
    if (typeof port === 'number') return port;
    const found = container().ports?.find((p) => p.name === port);
    if (!found) throw new Error(`no container port named ${String(port)}`);
    return found.containerPort;
  };
  const secretValues = (name: string): Record<string, string> => {
    const secret = all(docs, 'Secret').find((s) => s.metadata?.name === name);
    if (!secret) throw new Error(`no Secret ${name}`);
    const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    return { ...decoded, ...secret.stringData };
  };
  /** The container's environment as Kubernetes hands it over: values, and Secret keys resolved. */
  const containerEnv = (): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const e of container().env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) env[e.name] = secretValues(ref.name!)[ref.key]!;
      else env[e.name] = e.value ?? '';
    }
    return env;
  };
  /** With the placeholders replaced, as an operator would. */
  const operatorEnv = (): Record<string, string> => {
    const env = containerEnv();
    if (env.HUSH_POW_KEY === 'change-me') env.HUSH_POW_KEY = POW_KEY;
    return env;
  };

  it('every document validates against the Kubernetes API schema, with no field the API does not know', () => {
    expect(docs.length).toBeGreaterThanOrEqual(replicated ? 8 : 9);
    for (const doc of docs) {
      const what = `${doc.kind} ${doc.metadata?.name ?? '?'}`;
      expect(() => validate(doc), what).not.toThrow();
      expect(validate(doc), what).toEqual([]);
    }
  });

  it('everything lives in one namespace that enforces the restricted Pod Security Standard', () => {
    const ns = namespace();
    expect(ns.metadata!.labels).toEqual(expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'restricted' }));
    for (const doc of docs.filter((d) => d.kind !== 'Namespace')) expect(doc.metadata?.namespace, `${doc.kind} ${doc.metadata?.name ?? '?'}`).toBe(ns.metadata!.name);
  });

  it('the pod meets the restricted profile: non-root 10001, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    const p = pod();
    const c = container();
    expect(p.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: UID, seccompProfile: { type: 'RuntimeDefault' } }));
    expect(c.securityContext).toEqual(
      expect.objectContaining({
        runAsNonRoot: true,
        runAsUser: UID,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      }),
    );
    expect(c.securityContext?.privileged).not.toBe(true);
    // The rest of the restricted profile: no host namespaces, ports or paths; only these volume types.
    expect([p.hostNetwork, p.hostPID, p.hostIPC]).toEqual([undefined, undefined, undefined]);
    for (const port of c.ports ?? []) expect(port.hostPort).toBeUndefined();
    const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    for (const v of p.volumes ?? []) expect(Object.keys(v).filter((k) => k !== 'name').every((k) => allowed.includes(k)), v.name).toBe(true);
    expect(p.automountServiceAccountToken).toBe(false);
  });

  it('liveness asks /healthz and readiness /readyz on the admin port, which listens on the pod address', () => {
    const c = container();
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(portNumber(c.livenessProbe?.httpGet?.port)).toBe(ADMIN_PORT);
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(portNumber(c.readinessProbe?.httpGet?.port)).toBe(ADMIN_PORT);
    if (c.startupProbe) expect(portNumber(c.startupProbe.httpGet?.port)).toBe(ADMIN_PORT);
    // The kubelet probes the pod's address, not its loopback.
    const config = hushConfig(operatorEnv());
    expect(config.adminHost).toBe('0.0.0.0');
    expect(config.adminPort).toBe(ADMIN_PORT);
    expect(config.port).toBe(PUBLIC_PORT);
    expect((c.ports ?? []).map((p) => p.containerPort).sort()).toEqual([PUBLIC_PORT, ADMIN_PORT]);
  });

  it('the public Service and the Ingress expose port 8080 only; the admin port has its own ClusterIP Service', () => {
    const services = all(docs, 'Service');
    expect(services).toHaveLength(2);
    const targets = (s: IService): number[] => s.spec!.ports!.map((p) => portNumber(p.targetPort ?? p.port));
    const admin = services.filter((s) => targets(s).includes(ADMIN_PORT));
    const open = services.filter((s) => !targets(s).includes(ADMIN_PORT));
    expect(admin).toHaveLength(1);
    expect(open).toHaveLength(1);
    expect(targets(admin[0]!)).toEqual([ADMIN_PORT]);
    expect(targets(open[0]!)).toEqual([PUBLIC_PORT]);
    for (const s of services) expect(s.spec!.type ?? 'ClusterIP', s.metadata!.name).toBe('ClusterIP');
    // The Ingress sends everything to the public Service's 8080, for the host of HUSH_PUBLIC_URL.
    const ingress = only(docs, 'Ingress');
    const backends = ingress.spec!.rules!.flatMap((r) => r.http!.paths.map((p) => p.backend.service!));
    expect(backends.length).toBeGreaterThan(0);
    for (const b of backends) {
      expect(b.name).toBe(open[0]!.metadata!.name);
      const port = open[0]!.spec!.ports!.find((p) => (b.port?.name ? p.name === b.port.name : p.port === b.port?.number));
      expect(portNumber(port?.targetPort)).toBe(PUBLIC_PORT);
    }
    const host = new URL(hushConfig(operatorEnv()).publicUrl!).host;
    expect(ingress.spec!.rules!.map((r) => r.host)).toEqual([host]);
    // ingress-nginx's default body limit (1 MiB) would refuse large secrets: at least HUSH_MAX_SIZE × 4/3.
    const body = /^([0-9]+)m$/.exec(ingress.metadata!.annotations!['nginx.ingress.kubernetes.io/proxy-body-size'] ?? '');
    expect(body).not.toBeNull();
    expect(Number(body![1]) * 1024 ** 2).toBeGreaterThanOrEqual((hushConfig(operatorEnv()).maxSize * 4) / 3);
  });

  it('the NetworkPolicy covers both ports: the public one from the ingress controller, the admin one from monitoring only', () => {
    const policy = only(docs, 'NetworkPolicy');
    expect(selects(policy.spec!.podSelector, podLabels())).toBe(true);
    expect(policy.spec!.policyTypes).toContain('Ingress');
    const rules = policy.spec!.ingress ?? [];
    const peersFor = (port: number): string[] =>
      rules.filter((r) => (r.ports ?? []).some((p) => portNumber(p.port) === port)).flatMap((r) => (r.from ?? []).map((f) => JSON.stringify(f)));
    for (const r of rules) {
      // A rule without ports admits every port; one without peers admits everyone.
      expect(r.ports?.length ?? 0).toBeGreaterThan(0);
      expect(r.from?.length ?? 0).toBeGreaterThan(0);
      for (const f of r.from!) expect(f.ipBlock?.cidr ?? '').not.toMatch(/^(0\.0\.0\.0|::)\/0$/);
    }
    const admin = peersFor(ADMIN_PORT);
    const open = peersFor(PUBLIC_PORT);
    expect(admin.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
    expect(admin.filter((p) => open.includes(p)), 'no peer reaches both ports').toEqual([]);
    expect(admin.join()).toContain('monitoring');
    expect(open.join()).toContain('ingress-nginx');
    // Only the two ports the container has are admitted.
    expect([...new Set(rules.flatMap((r) => r.ports!.map((p) => portNumber(p.port))))].sort()).toEqual([PUBLIC_PORT, ADMIN_PORT]);
  });

  it('the PodDisruptionBudget selects the pods and lets a drain proceed without emptying the Deployment', () => {
    const pdb = only(docs, 'PodDisruptionBudget');
    expect(selects(pdb.spec!.selector, podLabels())).toBe(true);
    const replicas = deployment().spec!.replicas!;
    const { maxUnavailable, minAvailable } = pdb.spec!;
    expect(typeof (maxUnavailable ?? minAvailable), 'an absolute number, not a percentage').toBe('number');
    const evictable = maxUnavailable !== undefined ? Number(maxUnavailable) : replicas - Number(minAvailable);
    // Zero would make every drain of the node wait for someone to delete the pod by hand.
    expect(evictable).toBeGreaterThanOrEqual(1);
    if (replicas > 1) expect(evictable).toBeLessThan(replicas);
  });

  it('labels and selectors agree: Deployment, Services, PodDisruptionBudget, NetworkPolicy, spread constraints', () => {
    const d = deployment();
    expect(selects(d.spec!.selector, podLabels())).toBe(true);
    for (const s of all(docs, 'Service')) expect(selects({ matchLabels: s.spec!.selector! }, podLabels()), s.metadata!.name).toBe(true);
    for (const t of pod().topologySpreadConstraints ?? []) expect(selects(t.labelSelector, podLabels())).toBe(true);
    // And nothing else in the namespace is selected by accident: every selector names the app.
    expect(podLabels()['app.kubernetes.io/name']).toBe('hush');
  });

  it('every Secret reference resolves to a key of the Secret; its values are placeholders, never keys', () => {
    const c = container();
    expect(c.envFrom ?? [], 'each setting named, so no unknown HUSH_* variable slips in').toEqual([]);
    const refs = (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref.optional, ref.key).not.toBe(true);
      expect(Object.keys(secretValues(ref.name!)), ref.key).toContain(ref.key);
    }
    expect(new Set((c.env ?? []).map((e) => e.name)).size).toBe((c.env ?? []).length);
    for (const secret of all(docs, 'Secret')) {
      for (const [key, value] of Object.entries(secretValues(secret.metadata!.name!))) {
        expect(value === '' || value.includes('change-me'), `${key}: empty or change-me`).toBe(true);
        expect(value, key).not.toMatch(/sha256:[0-9a-f]{64}/i);
        expect(value, key).not.toMatch(/[A-Za-z0-9+/_=-]{32,}/);
      }
    }
  });

  it('the settings are ones Hush accepts, and Kubernetes adds none that it would refuse', () => {
    const config = hushConfig(operatorEnv());
    expect(config.publicUrl).toMatch(/^https:\/\//);
    expect(config.trustedProxies.length).toBeGreaterThan(0);
    // Service links would hand the pod HUSH_SERVICE_HOST, HUSH_PORT=tcp://…, HUSH_ADMIN_PORT=tcp://…:
    // Hush refuses them and would never start, so they are turned off.
    const links = serviceLinks(all(docs, 'Service'));
    expect(Object.keys(links)).toContain('HUSH_PORT');
    expect(() => hushConfig({ ...operatorEnv(), ...links })).toThrow();
    expect(pod().enableServiceLinks).toBe(false);
  });

  if (!replicated) {
    it('SQLite: one replica, replaced not rolled, on a ReadWriteOnce claim mounted at /data', () => {
      const d = deployment();
      expect(d.spec!.replicas).toBe(1);
      expect(d.spec!.strategy?.type).toBe('Recreate');
      const pvc = only(docs, 'PersistentVolumeClaim');
      expect(pvc.spec!.accessModes).toEqual(['ReadWriteOnce']);
      expect(pvc.spec!.resources?.requests?.storage).toBeDefined();
      const volume = pod().volumes!.find((v) => v.persistentVolumeClaim?.claimName === pvc.metadata!.name);
      expect(volume).toBeDefined();
      expect(container().volumeMounts).toContainEqual(expect.objectContaining({ name: volume!.name, mountPath: '/data' }));
      expect(container().volumeMounts!.find((m) => m.mountPath === '/data')!.readOnly).not.toBe(true);
      const config = hushConfig(operatorEnv());
      expect(config.store).toEqual({ kind: 'sqlite', path: '/data/hush.db' });
      // The volume belongs to the image's user; the key, when not given, is made on it.
      expect(pod().securityContext?.fsGroup).toBe(UID);
      expect(config.powKey).toBe('');
    });
  } else {
    it('replicated: several replicas on a shared store, with one proof-of-work key from the Secret', () => {
      const d = deployment();
      expect(d.spec!.replicas).toBeGreaterThan(1);
      expect(all(docs, 'PersistentVolumeClaim')).toEqual([]);
      expect(container().volumeMounts ?? []).toEqual([]);
      const config = hushConfig(operatorEnv());
      expect(['postgres', 'redis']).toContain(config.store.kind);
      const pow = container().env!.find((e) => e.name === 'HUSH_POW_KEY');
      expect(pow?.valueFrom?.secretKeyRef?.key).toBe('HUSH_POW_KEY');
      expect(container().env!.find((e) => e.name === 'HUSH_STORE')?.valueFrom?.secretKeyRef?.key).toBe('HUSH_STORE');
      // The placeholders as they stand are refused: Hush does not start on them.
      expect(() => hushConfig(containerEnv())).toThrow(/HUSH_POW_KEY: must be at least 16 characters/);
      expect(new URL(containerEnv().HUSH_STORE!).hostname).toMatch(/\.invalid$/);
      expect(d.spec!.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    });
  }
});

describe('the Kubernetes validation itself', () => {
  const deployment = (): Doc => loadVariant('replicated').find((d) => d.kind === 'Deployment')!;

  it('refuses a manifest that breaks the schema', () => {
    const broken = structuredClone(deployment());
    (broken.spec as { replicas: unknown }).replicas = 'three';
    expect(() => validate(broken)).toThrow(/replicas must be integer/);
    const noName = structuredClone(deployment());
    delete (noName.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!.name;
    expect(() => validate(noName)).toThrow(/containers\/0 must have required property name/);
  });

  it('finds a misspelt field that the schema alone lets through', () => {
    const typo = structuredClone(deployment());
    const c = (typo.spec as { template: { spec: { containers: Record<string, Record<string, unknown>>[] } } }).template.spec.containers[0]!;
    c.securityContext = { ...c.securityContext, readOnlyRootFileSystem: true };
    expect(validate(typo)).toEqual(['/spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem']);
  });

  it('refuses a kind or apiVersion it has no model for', () => {
    expect(() => validate({ ...deployment(), apiVersion: 'extensions/v1beta1' })).toThrow(/unknown kind extensions\/v1beta1\/Deployment/);
    expect(() => validate({ ...deployment(), kind: 'Deploymnet' })).toThrow(/unknown kind/);
  });
});
