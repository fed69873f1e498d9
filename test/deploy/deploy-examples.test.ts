import { readFileSync } from 'node:fs';
import path from 'node:path';
import { safeLoad, safeLoadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/index.js';

// The examples in deploy/ (README "Deploying"): they parse, are plausible for
// the schema they are written for, and every probe or health path they name
// answers 200 on a started server.
const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown, where: string): Obj => {
  if (!isObj(v)) throw new Error(`${where}: expected a mapping, got ${JSON.stringify(v)}`);
  return v;
};
const list = (v: unknown, where: string): unknown[] => {
  if (!Array.isArray(v)) throw new Error(`${where}: expected a list, got ${JSON.stringify(v)}`);
  return v;
};
const str = (v: unknown, where: string): string => {
  if (typeof v !== 'string' || v === '')
    throw new Error(`${where}: expected a string, got ${JSON.stringify(v)}`);
  return v;
};
const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Every path a probe or health check in deploy/ (and the Dockerfile) asks for. */
const probePaths = new Set<string>();

describe('deploy/kubernetes/image-api-mocks.yaml', () => {
  const docs = safeLoadAll(read('deploy/kubernetes/image-api-mocks.yaml')).map((d, i) =>
    obj(d, `document ${i}`),
  );
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

  it('holds one Deployment and one Service, each with apiVersion, kind and a valid name', () => {
    expect(docs.map((d) => `${String(d.apiVersion)} ${String(d.kind)}`).sort()).toEqual([
      'apps/v1 Deployment',
      'v1 Service',
    ]);
    for (const d of docs) {
      expect(Object.keys(d).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(str(obj(d.metadata, 'metadata').name, 'metadata.name')).toMatch(dns1123);
    }
  });

  const deployment = obj(byKind('Deployment')[0], 'Deployment');
  const spec = obj(deployment.spec, 'Deployment.spec');
  const template = obj(spec.template, 'spec.template');
  const podLabels = obj(obj(template.metadata, 'template.metadata').labels, 'template.metadata.labels');
  const pod = obj(template.spec, 'template.spec');
  const containers = list(pod.containers, 'template.spec.containers').map((c, i) =>
    obj(c, `containers[${i}]`),
  );
  const container = containers[0]!;
  const ports = list(container.ports, 'container.ports').map((p, i) => obj(p, `ports[${i}]`));

  /** A probe's or Service's port: a named container port or a number, resolved to the number. */
  const containerPort = (port: unknown): number => {
    const found = ports.find((p) => p.name === port || p.containerPort === port);
    if (!found) throw new Error(`port ${JSON.stringify(port)} is not a container port`);
    return found.containerPort as number;
  };

  it('runs one replica of the image as a non-root user, selected by its own labels', () => {
    expect(spec.replicas).toBe(1);
    const matchLabels = obj(obj(spec.selector, 'spec.selector').matchLabels, 'matchLabels');
    expect(podLabels).toMatchObject(matchLabels);
    expect(containers).toHaveLength(1);
    expect(str(container.name, 'container.name')).toMatch(dns1123);
    expect(str(container.image, 'container.image')).toMatch(/image-api-mocks:[\w.-]+$/);
    expect(ports.map((p) => p.containerPort)).toEqual([8080]);
    expect(obj(pod.securityContext, 'pod securityContext')).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    const volumes = new Set(list(pod.volumes, 'volumes').map((v) => obj(v, 'volume').name));
    for (const m of list(container.volumeMounts, 'volumeMounts')) {
      const mount = obj(m, 'volumeMount');
      expect(volumes, `volume for ${String(mount.mountPath)}`).toContain(mount.name);
    }
    for (const e of list(container.env, 'env')) {
      const env = obj(e, 'env');
      str(env.name, 'env.name');
      expect(typeof env.value, `env ${String(env.name)}`).toBe('string');
    }
  });

  it('probes readiness on /__admin/ready and liveness on /__admin/health, on the container port', () => {
    const probe = (name: string) => obj(obj(container[name], name).httpGet, `${name}.httpGet`);
    expect(probe('readinessProbe').path).toBe('/__admin/ready');
    expect(probe('livenessProbe').path).toBe('/__admin/health');
    for (const name of ['readinessProbe', 'livenessProbe']) {
      expect(containerPort(probe(name).port)).toBe(8080);
      probePaths.add(str(probe(name).path, `${name}.httpGet.path`));
    }
  });

  it('has a Service that selects the pods and targets the container port', () => {
    const service = obj(obj(byKind('Service')[0], 'Service').spec, 'Service.spec');
    expect(podLabels).toMatchObject(obj(service.selector, 'Service.spec.selector'));
    const servicePorts = list(service.ports, 'Service.spec.ports').map((p) => obj(p, 'Service port'));
    expect(servicePorts).toHaveLength(1);
    expect(servicePorts[0]!.port).toBe(8080);
    expect(containerPort(servicePorts[0]!.targetPort)).toBe(8080);
  });
});

describe('deploy/github-actions/mock-service.yml', () => {
  const workflow = obj(safeLoad(read('deploy/github-actions/mock-service.yml')), 'workflow');

  it('is a workflow whose job runs the mock as a service container with a health check', () => {
    str(workflow.name, 'name');
    expect(workflow.on).toBeDefined();
    const jobs = obj(workflow.jobs, 'jobs');
    expect(Object.keys(jobs).length).toBeGreaterThan(0);
    for (const [id, j] of Object.entries(jobs)) {
      const job = obj(j, `jobs.${id}`);
      str(job['runs-on'], `jobs.${id}.runs-on`);
      for (const s of list(job.steps, `jobs.${id}.steps`)) {
        const step = obj(s, 'step');
        expect(typeof step.uses === 'string' || typeof step.run === 'string', JSON.stringify(step)).toBe(
          true,
        );
      }
    }
    const service = obj(obj(obj(jobs.test, 'jobs.test').services, 'services')['image-api-mocks'], 'service');
    expect(str(service.image, 'service.image')).toMatch(/image-api-mocks:[\w.-]+$/);
    expect(list(service.ports, 'service.ports')).toEqual(['8080:8080']);
    const options = str(service.options, 'service.options');
    expect(options).toMatch(/--health-cmd /);
    const health = /http:\/\/127\.0\.0\.1:8080(\/__admin\/\w+)/.exec(options);
    expect(health, options).not.toBeNull();
    probePaths.add(health![1]!);
  });
});

describe('deploy/testcontainers/mock.test.ts', () => {
  it('starts a GenericContainer that waits on the health path of port 8080', () => {
    const source = read('deploy/testcontainers/mock.test.ts');
    expect(source).toMatch(/new GenericContainer\(/);
    expect(source).toMatch(/\.withExposedPorts\(8080\)/);
    const wait = /Wait\.forHttp\('([^']+)', 8080\)/.exec(source);
    expect(wait, 'Wait.forHttp(path, 8080)').not.toBeNull();
    expect(wait![1]).toBe('/__admin/health');
    probePaths.add(wait![1]!);
  });
});

describe('the Dockerfile HEALTHCHECK', () => {
  it('asks for an admin path', () => {
    const healthcheck = /HEALTHCHECK[\s\S]*?(\/__admin\/\w+)/.exec(read('Dockerfile'));
    expect(healthcheck).not.toBeNull();
    probePaths.add(healthcheck![1]!);
  });
});

describe('every probe path named above, on a started server', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer();
  });
  afterAll(() => mock.close());

  it('answers 200', async () => {
    expect([...probePaths].sort()).toEqual(['/__admin/health', '/__admin/ready']);
    for (const p of probePaths) {
      const res = await fetch(`${mock.url}${p}`);
      expect(res.status, p).toBe(200);
      expect(await res.json()).toMatchObject({ ready: true });
    }
  });
});
