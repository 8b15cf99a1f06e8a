import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy for AWS JSON APIs (DynamoDB, Kinesis) in front of a real local
 * server. Tests use it to provoke throttling and partial failures for real: the connector talks
 * to the proxy, the proxy forwards to the emulator, and a policy may answer with an error instead,
 * rewrite the request (forward only part of a batch) or rewrite the response.
 *
 * Only loopback targets are allowed: this is a test tool and never proxies elsewhere.
 */
export interface ProxiedRequest {
  /** `X-Amz-Target`, e.g. `DynamoDB_20120810.BatchWriteItem` or `Kinesis_20131202.PutRecords`. */
  readonly target: string;
  /** The operation name after the dot, e.g. `BatchWriteItem`. */
  readonly operation: string;
  readonly body: unknown;
  /** 1-based count of requests of this operation seen so far, this one included. */
  readonly count: number;
}

export type FaultDecision =
  | {
      readonly action: 'forward';
      readonly body?: unknown;
      readonly rewriteResponse?: (body: unknown) => unknown;
    }
  | { readonly action: 'respond'; readonly status: number; readonly body: unknown };

export type FaultPolicy = (req: ProxiedRequest) => FaultDecision;

export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen per operation. */
  readonly counts: ReadonlyMap<string, number>;
  /** Faults injected (responses answered or rewritten by the policy) per operation. */
  readonly injected: ReadonlyMap<string, number>;
  setPolicy(policy: FaultPolicy): void;
  close(): Promise<void>;
}

export const passThrough: FaultPolicy = () => ({ action: 'forward' });

/**
 * The JSON error body AWS returns, e.g. `awsError('ThrottlingException', 'Rate exceeded')`.
 * Services prefix the type with a namespace (`com.amazonaws.dynamodb.v20120810#...`); the SDKs
 * read only the part after '#', so a bare type serves every service.
 */
export function awsError(type: string, message: string): { __type: string; message: string } {
  return { __type: type, message };
}

export async function startFaultProxy(
  targetEndpoint: string,
  policy: FaultPolicy = passThrough,
): Promise<FaultProxy> {
  const target = new URL(targetEndpoint);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname) && !target.hostname.startsWith('127.')) {
    throw new Error(`fault proxy only forwards to loopback addresses, not ${target.hostname}`);
  }
  let current = policy;
  const counts = new Map<string, number>();
  const injected = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const targetHeader = String(req.headers['x-amz-target'] ?? '');
      const operation = targetHeader.split('.').pop() ?? '';
      bump(counts, operation);
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const decision = current({ target: targetHeader, operation, body, count: counts.get(operation)! });
      if (decision.action === 'respond') {
        bump(injected, operation);
        const text = JSON.stringify(decision.body);
        res.writeHead(decision.status, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
        return;
      }
      const forwardBody = decision.body === undefined ? raw : JSON.stringify(decision.body);
      if (decision.body !== undefined || decision.rewriteResponse) bump(injected, operation);
      const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
      headers['content-length'] = String(Buffer.byteLength(forwardBody));
      const upstream = httpRequest(
        { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers },
        (up) => {
          const upChunks: Buffer[] = [];
          up.on('data', (c: Buffer) => upChunks.push(c));
          up.on('end', () => {
            let text = Buffer.concat(upChunks).toString('utf8');
            if (decision.rewriteResponse && (up.statusCode ?? 500) < 300) {
              text = JSON.stringify(decision.rewriteResponse(JSON.parse(text)));
            }
            const outHeaders: IncomingHttpHeaders = {
              ...up.headers,
              'content-length': String(Buffer.byteLength(text)),
            };
            delete outHeaders['x-amz-crc32']; // the body may have changed
            res.writeHead(up.statusCode ?? 500, outHeaders);
            res.end(text);
          });
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      upstream.end(forwardBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    injected,
    setPolicy(p) {
      current = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
