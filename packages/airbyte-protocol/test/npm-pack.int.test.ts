import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What an npm user does: pack the published files, install the tarball into an empty folder,
// then use it from plain JavaScript and from TypeScript (compiled with the workspace's tsc).
const pkgDir = join(import.meta.dirname, '..');
const tsc = join(pkgDir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

describe('npm pack of @tributary/airbyte-protocol', () => {
  let app: string;

  beforeAll(() => {
    const packDir = mkdtempSync(join(tmpdir(), 'tributary-pack-'));
    execFileSync('npm', ['pack', '--pack-destination', packDir], { cwd: pkgDir, stdio: 'pipe' });
    const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
    app = mkdtempSync(join(tmpdir(), 'tributary-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', tarball, '@types/node@20'], {
      cwd: app,
      stdio: 'pipe',
    });
  }, 180_000);

  test('the tarball holds dist, README and package.json only', () => {
    const files = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkgDir, encoding: 'utf8' });
    const paths = (JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
      (f) => f.path,
    );
    expect(paths).toContain('package.json');
    expect(paths).toContain('README.md');
    expect(paths.some((p) => p.startsWith('dist/') && p.endsWith('index.js'))).toBe(true);
    expect(
      paths.every(
        (p) => p === 'package.json' || p === 'README.md' || p === 'CHANGELOG.md' || p.startsWith('dist/'),
      ),
    ).toBe(true);
  });

  test('works from plain JavaScript', () => {
    writeFileSync(
      join(app, 'plain.mjs'),
      `import { decodeMessage, buildSpec, secret, recordMessage } from '@tributary/airbyte-protocol';
import { z } from 'zod';
const spec = buildSpec(z.object({ host: z.string(), password: secret(z.string()) }), { documentationUrl: 'https://x' });
const decoded = decodeMessage(recordMessage('users', { id: 1 }, { emittedAt: 1 }));
console.log(JSON.stringify({ secret: spec.connectionSpecification.properties.password.airbyte_secret, ok: decoded.ok }));
`,
    );
    const out = execFileSync(process.execPath, ['plain.mjs'], { cwd: app, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ secret: true, ok: true });
  });

  test('works from TypeScript with its own types', () => {
    writeFileSync(
      join(app, 'typed.ts'),
      `import { type AirbyteMessage, type StreamLoader, decodeMessage, stateMessage } from '@tributary/airbyte-protocol';
const msg: AirbyteMessage = stateMessage({ type: 'STREAM', stream: { stream_descriptor: { name: 'users' } } });
const loader: StreamLoader = { write: () => 'accepted', flush: async () => undefined };
const d = decodeMessage(msg);
if (d.ok && d.message.type === 'STATE') console.log(d.message.state.type, typeof loader.flush);
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          outDir: 'out',
          types: ['node'],
        },
        files: ['typed.ts'],
      }),
    );
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe' });
    const out = execFileSync(process.execPath, ['out/typed.js'], { cwd: app, encoding: 'utf8' });
    expect(out.trim()).toBe('STREAM function');
  });
});
