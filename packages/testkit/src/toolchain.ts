import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ToolchainError } from './errors.js';

export const MIN_JAVA = 17;

const INSTALL_JDK =
  `install a JDK ${MIN_JAVA} or newer (Debian/Ubuntu: apt-get install openjdk-${MIN_JAVA}-jdk-headless; ` +
  `macOS: brew install openjdk@${MIN_JAVA}) and put its bin/ on PATH or set JAVA_HOME`;

export interface JavaInfo {
  /** Absolute path of the java launcher. */
  java: string;
  /** The JDK's bin directory (javac, keytool live there). */
  binDir: string;
  /** e.g. "17.0.15" */
  version: string;
  major: number;
}

/** Parses the first line of `java -version` output ("openjdk version "17.0.15" …", "java version "1.8.0_292""). */
export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const m = /version "([^"]+)"/.exec(output);
  if (!m?.[1]) return undefined;
  const version = m[1];
  const parts = version.split(/[._+-]/);
  const first = Number(parts[0]);
  // Java 8 and older report "1.8.0_x".
  const major = first === 1 ? Number(parts[1]) : first;
  return Number.isFinite(major) ? { version, major } : undefined;
}

/** Finds an executable named `name` on the PATH of `env`. */
export function whichOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Locates Java 17+ from JAVA_HOME, else PATH, and checks its version. Throws ToolchainError with the
 * install instruction when it is missing or too old.
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): JavaInfo {
  let java: string | undefined;
  if (env.JAVA_HOME) {
    java = join(env.JAVA_HOME, 'bin', 'java');
    if (!existsSync(java)) {
      throw new ToolchainError(
        `JAVA_HOME is set to ${env.JAVA_HOME} but ${java} does not exist: fix JAVA_HOME or ${INSTALL_JDK}`,
      );
    }
  } else {
    java = whichOnPath('java', env);
    if (!java)
      throw new ToolchainError(`Java was not found (no JAVA_HOME and no java on PATH): ${INSTALL_JDK}`);
  }
  const res = spawnSync(java, ['-version'], { encoding: 'utf8', env, timeout: 30_000 });
  const parsed = parseJavaVersion(`${res.stderr ?? ''}${res.stdout ?? ''}`);
  if (res.status !== 0 || !parsed) {
    throw new ToolchainError(
      `${java} -version failed (${res.error?.message ?? `exit ${res.status}`}): ${INSTALL_JDK}`,
    );
  }
  if (parsed.major < MIN_JAVA) {
    throw new ToolchainError(
      `Java ${parsed.version} at ${java} is too old, Java ${MIN_JAVA}+ is required: ${INSTALL_JDK}`,
    );
  }
  return { java, binDir: dirname(realpathSync(java)), ...parsed };
}

/** A JDK tool (javac, keytool) next to the java launcher; throws ToolchainError when only a JRE is there. */
export function jdkTool(java: JavaInfo, tool: 'javac' | 'keytool'): string {
  const path = join(java.binDir, tool);
  if (!existsSync(path)) {
    throw new ToolchainError(
      `${tool} was not found next to ${java.java} (a JRE, not a JDK?): ${INSTALL_JDK}`,
    );
  }
  return path;
}

/** Locates Maven (needed only on the first start of a Java server, to download its jars). */
export function findMaven(why: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromHome = [env.MAVEN_HOME, env.M2_HOME].filter(Boolean).map((h) => join(h as string, 'bin', 'mvn'));
  const mvn = fromHome.find((p) => existsSync(p)) ?? whichOnPath('mvn', env);
  const install =
    'install Apache Maven 3.6+ (Debian/Ubuntu: apt-get install maven; macOS: brew install maven) and put mvn on PATH';
  if (!mvn) throw new ToolchainError(`Maven (mvn) was not found, it is needed ${why}: ${install}`);
  const res = spawnSync(mvn, ['-v'], { encoding: 'utf8', env, timeout: 60_000 });
  if (res.status !== 0) {
    throw new ToolchainError(
      `${mvn} -v failed (${res.error?.message ?? `exit ${res.status}`}: ${res.stderr}): ${install}`,
    );
  }
  return mvn;
}
