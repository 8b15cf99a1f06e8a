import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Instance } from '../launch.js';

/**
 * JVM flags every Java server gets: the registry marker as a system property (proves on /proc that a pid
 * is ours), a private temp dir (JNA and sqlite4java unpack native libraries there, and concurrent
 * instances must not share it), IPv4 loopback and a clean exit on OOM instead of a hung test.
 */
export function commonJvmFlags(instance: Instance): string[] {
  const tmp = join(instance.dataDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return [
    `-D${instance.marker}`,
    `-Djava.io.tmpdir=${tmp}`,
    '-Djava.net.preferIPv4Stack=true',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
  ];
}

/** `<libDir>/*` as a classpath entry (the JVM expands the wildcard to every jar). */
export function libClasspath(libDir: string): string {
  return join(libDir, '*');
}
