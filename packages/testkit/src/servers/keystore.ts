import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type JavaInfo, jdkTool } from '../toolchain.js';

const run = promisify(execFile);

export interface SelfSignedTls {
  /** PKCS12 keystore holding the server key and its self-signed certificate. */
  keystore: string;
  /** PKCS12 truststore holding that certificate. */
  truststore: string;
  password: string;
  /** The certificate as PEM: clients trust it as their CA. */
  caPath: string;
  caPem: string;
}

/**
 * Makes a self-signed certificate for 127.0.0.1/localhost with keytool (a fresh one per server, so
 * nothing secret lives in the repository) and exports it as PEM for Node clients.
 */
export async function makeSelfSignedTls(java: JavaInfo, dir: string): Promise<SelfSignedTls> {
  const keytool = jdkTool(java, 'keytool');
  const password = randomBytes(12).toString('hex');
  const keystore = join(dir, 'keystore.p12');
  const truststore = join(dir, 'truststore.p12');
  const caPath = join(dir, 'ca.pem');
  const common = ['-storetype', 'PKCS12', '-storepass', password, '-noprompt'];
  await run(keytool, [
    '-genkeypair',
    '-alias',
    'tributary',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    '-validity',
    '3650',
    '-dname',
    'CN=127.0.0.1, OU=tributary testkit',
    // Clients connect by IP: the certificate must name it as a subjectAltName, not only in the CN.
    '-ext',
    'SAN=ip:127.0.0.1,dns:localhost',
    '-keystore',
    keystore,
    '-keypass',
    password,
    ...common,
  ]);
  await run(keytool, [
    '-exportcert',
    '-rfc',
    '-alias',
    'tributary',
    '-keystore',
    keystore,
    '-file',
    caPath,
    ...common,
  ]);
  await run(keytool, [
    '-importcert',
    '-alias',
    'tributary',
    '-file',
    caPath,
    '-keystore',
    truststore,
    ...common,
  ]);
  return { keystore, truststore, password, caPath, caPem: await readFile(caPath, 'utf8') };
}
