import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keepAliveHttpHandler, resolveCredentials } from '@tributary/aws-common';
import { type DynamoDbConfig, resolveConnection } from './config.js';

export interface ClientOptions {
  /** Sockets kept alive: at least the requests in flight. */
  readonly maxSockets: number;
  readonly requestTimeoutMs?: number;
}

/**
 * A DynamoDB client over keep-alive HTTP/1.1 with the SDK's own retries turned off: every call
 * goes through this package's retry loops, so throttling backs off with jitter once, within one
 * bound, and UnprocessedItems are retried the same way.
 */
export function createClient(config: DynamoDbConfig, opts: ClientOptions): DynamoDBClient {
  const { endpoint, region } = resolveConnection(config);
  const credentials = resolveCredentials({
    accessKeyId: config.access_key_id,
    secretAccessKey: config.secret_access_key,
    sessionToken: config.session_token,
    roleArn: config.role_arn,
    externalId: config.external_id,
    region,
  });
  const client = new DynamoDBClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    credentials,
    maxAttempts: 1,
    requestHandler: keepAliveHttpHandler({
      maxSockets: opts.maxSockets,
      ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    }),
  });
  withoutSdkLogging(client);
  withPrebuiltBodies(client);
  return client;
}

/** A command input carrying this symbol is sent with that JSON text as its body. */
export const PREBUILT_BODY: unique symbol = Symbol.for('@tributary/destination-dynamodb/prebuilt-body');

/**
 * Lets a command carry its request body already serialised. BatchWriteItem bodies are built with
 * one native JSON.stringify of the items (already in DynamoDB's wire shape) instead of the SDK's
 * schema-driven serialiser walking every attribute, the largest CPU cost of a sync. The SDK still
 * resolves the endpoint, signs the request (over this body), sends it and parses the answer.
 */
export function withPrebuiltBodies(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const body = (args.input as { [PREBUILT_BODY]?: unknown })[PREBUILT_BODY];
      const request = args.request as { body?: unknown; headers?: Record<string, string> } | undefined;
      if (typeof body === 'string' && request && typeof request === 'object' && request.headers) {
        request.body = body;
        for (const name of Object.keys(request.headers)) {
          if (name.toLowerCase() === 'content-length') delete request.headers[name];
        }
        request.headers['content-length'] = String(Buffer.byteLength(body));
      }
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'tributaryPrebuiltBody', override: true },
  );
  return client;
}

/**
 * The SDK's logger middleware walks every request and response through its sensitive-data filter
 * even when the logger discards everything (about 8% of the CPU of a sync). Nothing here reads
 * the SDK's logs, so the middleware goes.
 */
export function withoutSdkLogging(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
