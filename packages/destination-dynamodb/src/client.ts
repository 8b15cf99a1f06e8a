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
