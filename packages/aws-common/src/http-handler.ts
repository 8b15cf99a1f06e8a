import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * An HTTP/1.1 handler with keep-alive sockets whose request timeout really fails the request.
 * HTTP/1.1 is also what local emulators speak: the SDK's default HTTP/2 handler fails against
 * them over plain http (h2c).
 */
export function keepAliveHttpHandler(opts: {
  maxSockets: number;
  requestTimeoutMs?: number;
}): NodeHttpHandler {
  const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets, keepAliveMsecs: 1000 };
  return new NodeHttpHandler({
    httpAgent: new HttpAgent(agentOpts),
    httpsAgent: new HttpsAgent(agentOpts),
    connectionTimeout: 10_000,
    requestTimeout: opts.requestTimeoutMs ?? 60_000,
    // Without this a request past its timeout only logs a warning and hangs on; with it the
    // request fails and the caller's retry (with backoff) takes over.
    throwOnRequestTimeout: true,
  });
}
