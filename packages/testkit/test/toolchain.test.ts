import { ToolchainError } from '../src/errors.js';
import { findJava, findMaven, parseJavaVersion } from '../src/toolchain.js';
import { removeTempDirs, tempDir } from './helpers.js';

describe('java version parsing', () => {
  test.each([
    ['openjdk version "17.0.15" 2025-04-15', 17, '17.0.15'],
    ['java version "1.8.0_292"', 8, '1.8.0_292'],
    ['openjdk version "21" 2023-09-19', 21, '21'],
    ['openjdk version "11.0.2-ea"', 11, '11.0.2-ea'],
  ])('%s', (out, major, version) => {
    expect(parseJavaVersion(out)).toEqual({ major, version });
  });

  test('garbage is not a version', () => {
    expect(parseJavaVersion('command not found')).toBeUndefined();
  });
});

describe('toolchain errors say what to install', () => {
  const empty = tempDir('nojava-');
  afterAll(removeTempDirs);

  test('no java on PATH and no JAVA_HOME', () => {
    const run = () => findJava({ PATH: empty });
    expect(run).toThrow(ToolchainError);
    expect(run).toThrow(/Java was not found.*install a JDK 17 or newer.*openjdk-17-jdk-headless/);
  });

  test('JAVA_HOME pointing at a folder without java', () => {
    expect(() => findJava({ PATH: empty, JAVA_HOME: empty })).toThrow(
      /JAVA_HOME is set to .* does not exist/,
    );
  });

  test('no Maven', () => {
    expect(() => findMaven('to download jars', { PATH: empty })).toThrow(
      /Maven \(mvn\) was not found.*apt-get install maven/,
    );
  });

  test('the real java here is 17 or newer', () => {
    expect(findJava().major).toBeGreaterThanOrEqual(17);
  });
});
