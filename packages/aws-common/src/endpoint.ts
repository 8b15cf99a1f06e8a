import { isIP } from 'node:net';
import { ConfigError } from '@tributary/airbyte-protocol';

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts allowed over plain HTTP. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Normalises a custom endpoint and refuses plain HTTP to anything but a loopback address:
 * credentials and data must not cross a network unencrypted. An empty endpoint means AWS.
 * A bare host (upstream Kinesis configs used `kinesis.us-west-1.amazonaws.com`) gets https://.
 */
export function resolveEndpoint(raw: string | undefined, field: string): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`${field}: ${JSON.stringify(value)} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${field}: use an https:// URL (got ${url.protocol})`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `${field}: ${value} uses plain HTTP; use https:// (plain HTTP is only allowed for loopback addresses such as 127.0.0.1)`,
    );
  }
  return url.toString().replace(/\/$/, '');
}
