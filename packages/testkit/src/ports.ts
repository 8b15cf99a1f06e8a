import { createConnection, createServer } from 'node:net';
import type { Server as NetServer } from 'node:net';
import { PortInUseError } from './errors.js';

export const LOOPBACK = '127.0.0.1';

/** A port the OS considers free right now: listen on port 0, read the port, close. */
export function pickFreePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the picked port'))));
    });
  });
}

/**
 * `count` distinct free ports. Each is held open until all are picked so the OS cannot hand the
 * same one out twice.
 */
export async function pickFreePorts(count: number, host = LOOPBACK): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<NetServer>((resolve, reject) => {
          const s = createServer();
          s.unref();
          s.once('error', reject);
          s.listen({ port: 0, host, exclusive: true }, () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Throws PortInUseError when `port` cannot be bound on 127.0.0.1 (checked just before a server starts). */
export function assertPortFree(port: number, host = LOOPBACK): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(port, 'another process listens on it; pick another port or stop that process'),
        );
      } else if (err.code === 'EACCES') {
        reject(new PortInUseError(port, 'binding it is not permitted (privileged port?)'));
      } else {
        reject(err);
      }
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(port: number, host = LOOPBACK, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface BindFailure {
  /** The log line that reports the failure. */
  line: string;
  /** The port, when the line names one of ours (or when only one port was in play). */
  port?: number;
}

/**
 * Finds a failed bind in a server log (Java's BindException, Node's EADDRINUSE). Used after an early
 * exit so the error says "port clash" rather than only "exited".
 */
export function findBindFailure(log: string, candidatePorts: readonly number[]): BindFailure | undefined {
  const line = log
    .split('\n')
    .find((l) => /Address already in use|EADDRINUSE|BindException|Failed to bind/i.test(l));
  if (!line) return undefined;
  const named = candidatePorts.find((p) => new RegExp(`[:\\s]${p}\\b`).test(line));
  if (named !== undefined) return { line: line.trim(), port: named };
  return candidatePorts.length === 1 ? { line: line.trim(), port: candidatePorts[0] } : { line: line.trim() };
}
