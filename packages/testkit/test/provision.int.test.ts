import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionClasspath } from '../src/provision.js';

describe('classpath provisioning', () => {
  const saved = process.env.TRIBUTARY_CACHE_DIR;
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-cache-'));
    made.push(dir);
    return dir;
  };
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.TRIBUTARY_CACHE_DIR;
    else process.env.TRIBUTARY_CACHE_DIR = saved;
  });

  test('concurrent callers run Maven once; the others wait for the lock and reuse the result', async () => {
    process.env.TRIBUTARY_CACHE_DIR = temp();
    // A tiny artifact with no dependencies keeps the Maven run short.
    const spec = {
      key: 'tiny-1',
      artifacts: [{ groupId: 'org.slf4j', artifactId: 'slf4j-api', version: '1.7.36' }],
    };
    const results = await Promise.all([
      provisionClasspath(spec),
      provisionClasspath(spec),
      provisionClasspath(spec),
    ]);
    expect(results.map((r) => r.cached).sort()).toEqual([false, true, true]);
    const libDir = results[0]?.libDir ?? '';
    expect(readdirSync(libDir).sort()).toEqual(['.complete', 'slf4j-api-1.7.36.jar']);
    expect(existsSync(`${join(process.env.TRIBUTARY_CACHE_DIR, 'tiny-1')}.lock`)).toBe(false);

    const t0 = Date.now();
    const again = await provisionClasspath(spec);
    expect(again).toMatchObject({ cached: true, libDir });
    expect(Date.now() - t0).toBeLessThan(100);
  }, 180_000);

  test('a failed Maven run gives an error with the Maven log tail', async () => {
    process.env.TRIBUTARY_CACHE_DIR = temp();
    // An invalid groupId fails Maven's own pom validation, so no registry is asked for a made-up name.
    const spec = {
      key: 'invalid-1',
      artifacts: [{ groupId: 'not a group', artifactId: 'nothing', version: '1' }],
    };
    await expect(provisionClasspath(spec)).rejects.toThrow(
      /Maven could not resolve the invalid-1 jars[\s\S]*last lines of[\s\S]*groupId/,
    );
    expect(readdirSync(join(process.env.TRIBUTARY_CACHE_DIR, 'invalid-1')).sort()).toEqual([
      'maven.log',
      'pom.xml',
    ]);
  }, 180_000);
});
