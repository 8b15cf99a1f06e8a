import { KinesisClient } from '@aws-sdk/client-kinesis';
import { errorMessage } from '@tributary/airbyte-protocol';
import { keepAliveHttpHandler, resolveCredentials, resolveEndpoint } from '@tributary/aws-common';
import type { KinesisConfig } from './config.js';
import { installPutRecordsCodec, leanHttpHandler } from './put-records-codec.js';

export interface ClientOptions {
  /** HTTP/1.1 keep-alive sockets (requests beyond wait for one). */
  readonly maxSockets?: number;
  readonly requestTimeoutMs?: number;
  /** A client that only sends PutRecords: it gets the lean PutRecords codec. */
  readonly putRecordsOnly?: boolean;
}

/**
 * A Kinesis client for the config: its endpoint (https unless loopback), region, static keys or the
 * default chain, an optional role. It speaks HTTP/1.1 with keep-alive (the SDK's default HTTP/2
 * handler fails against emulators) and never retries on its own: the connector retries only what
 * Kinesis refused, with its own backoff.
 */
export function kinesisClientFor(config: KinesisConfig, opts: ClientOptions = {}): KinesisClient {
  const endpoint = resolveEndpoint(config.endpoint, 'endpoint');
  const region = config.region?.trim() || undefined;
  const credentials = resolveCredentials({
    accessKeyId: config.accessKey,
    secretAccessKey: config.privateKey,
    sessionToken: config.sessionToken,
    roleArn: config.roleArn,
    externalId: config.externalId,
    region,
  });
  const handler = keepAliveHttpHandler({
    maxSockets: opts.maxSockets ?? 64,
    requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
  });
  const client = new KinesisClient({
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    credentials,
    requestHandler: opts.putRecordsOnly ? leanHttpHandler(handler) : handler,
    maxAttempts: 1,
    // The PutRecords client resolves its middleware stack once, not on every request (abort
    // signals then travel with the request body: see put-records-codec.ts).
    ...(opts.putRecordsOnly ? { cacheMiddleware: true } : {}),
  });
  // The SDK's logger middleware walks every request (all 500 entries) to mask sensitive fields for
  // a logger that is a no-op here; the connector logs what matters itself.
  client.middlewareStack.remove('loggerMiddleware');
  if (opts.putRecordsOnly) installPutRecordsCodec(client);
  return client;
}

function prop(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[key] : undefined;
}

/** Walks `cause` and AggregateError members for a Node network error code. */
function networkCode(err: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined;
  const code = prop(err, 'code');
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  const errors = prop(err, 'errors');
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const c = networkCode(e, depth + 1);
      if (c) return c;
    }
  }
  return networkCode(prop(err, 'cause'), depth + 1);
}

/**
 * A message for an AWS call that failed, saying what to fix: the endpoint, the region, the keys,
 * or the permission (`action`, e.g. "kinesis:ListStreams").
 */
export function describeAwsError(err: unknown, action: string, config: KinesisConfig): string {
  const name = typeof prop(err, 'name') === 'string' ? (prop(err, 'name') as string) : 'Error';
  const detail = errorMessage(err);
  const where = config.endpoint?.trim()
    ? `endpoint ${config.endpoint.trim()}`
    : `the AWS endpoint of region ${config.region?.trim() || '(SDK default)'}`;
  const code = networkCode(err);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${where} (${code}): check the endpoint and region`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${where} (connection refused): check the endpoint`;
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${where} (${code}): check the endpoint and the network path (firewall, proxy)`;
    default:
      break;
  }
  if (/region is missing/i.test(detail))
    return 'no AWS region: set "region" (or AWS_REGION for the default chain)';
  switch (name) {
    case 'TimeoutError':
    case 'RequestTimeout':
      return `${where} did not answer in time: check the endpoint and the network path`;
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'SignatureDoesNotMatch':
      return `AWS rejected the credentials (${name}: ${detail}): check accessKey and privateKey (and sessionToken)`;
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return `the credentials have expired (${name}): renew the session token or use long-term keys`;
    case 'AccessDeniedException':
    case 'AccessDenied':
      return `the credentials are not allowed to call ${action} (${detail}): grant it in the IAM policy`;
    case 'CredentialsProviderError':
      return `no credentials: accessKey/privateKey are empty and the AWS default chain found none (${detail})`;
    default:
      return `${action} failed: ${name}: ${detail}`;
  }
}
