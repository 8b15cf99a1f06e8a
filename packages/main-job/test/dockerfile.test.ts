import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine runs here, so the image recipe is checked for what Airbyte requires of an
// image; the deployable folder it copies is built and run for real in connector-packaging.
const root = join(import.meta.dirname, '..', '..', '..');
const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');

describe('docker/Dockerfile', () => {
  test('builds from a pruned workspace with the same deploy script CI runs', () => {
    expect(dockerfile).toMatch(/turbo prune "@tributary\/\$\{CONNECTOR\}" --docker/);
    expect(dockerfile).toMatch(/RUN node docker-build\/deploy-connector\.mjs "\$\{CONNECTOR\}" \/out/);
    expect((dockerfile.match(/^FROM /gm) ?? []).length).toBe(3);
  });

  test('runtime image: non-root airbyte user, writable /airbyte, absolute entrypoint, labels', () => {
    expect(dockerfile).toMatch(/useradd --system --gid airbyte/);
    expect(dockerfile).toMatch(/chown airbyte:airbyte \/airbyte/);
    expect(dockerfile).toMatch(/^USER airbyte$/m);
    expect(dockerfile).toMatch(/AIRBYTE_ENTRYPOINT="\/opt\/connector\/entrypoint\.sh"/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/opt\/connector\/entrypoint\.sh"\]$/m);
    expect(dockerfile).toMatch(/io\.airbyte\.name="tributary\/\$\{CONNECTOR\}"/);
    expect(dockerfile).toMatch(/io\.airbyte\.version="\$\{VERSION\}"/);
  });

  test('the entrypoint sizes the Node heap from the cgroup memory limit', () => {
    const entrypoint = readFileSync(join(root, 'docker', 'entrypoint.sh'), 'utf8');
    expect(entrypoint).toMatch(/\/sys\/fs\/cgroup\/memory\.max/);
    expect(entrypoint).toMatch(/--max-old-space-size=/);
    expect(entrypoint).toMatch(/exec node \$heap_opt "\$here\/bin\.js" "\$@"/);
  });
});
