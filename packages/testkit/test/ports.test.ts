import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { PortInUseError } from '../src/errors.js';
import { assertPortFree, findBindFailure, isPortOpen, pickFreePort, pickFreePorts } from '../src/ports.js';

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

describe('port picking', () => {
  test('a picked port can be bound and is closed until then', async () => {
    const port = await pickFreePort();
    expect(port).toBeGreaterThan(0);
    expect(await isPortOpen(port)).toBe(false);
    const s = await listenOn(port);
    expect(await isPortOpen(port)).toBe(true);
    s.close();
  });

  test('several ports picked at once are distinct', async () => {
    const ports = await pickFreePorts(5);
    expect(new Set(ports).size).toBe(5);
  });

  test('a taken port is reported as a clash naming the port', async () => {
    const port = await pickFreePort();
    const s = await listenOn(port);
    try {
      await expect(assertPortFree(port)).rejects.toThrow(PortInUseError);
      await expect(assertPortFree(port)).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      s.close();
    }
    await expect(assertPortFree(port)).resolves.toBeUndefined();
  });
});

describe('findBindFailure', () => {
  test('finds the port in a Java BindException line', () => {
    const log =
      'INFO starting\nERROR Exception: java.net.BindException: Address already in use: 127.0.0.1:9042\n';
    expect(findBindFailure(log, [7000, 9042])).toEqual({
      line: 'ERROR Exception: java.net.BindException: Address already in use: 127.0.0.1:9042',
      port: 9042,
    });
  });

  test('finds a Node EADDRINUSE and falls back to the only candidate port', () => {
    const log = 'Error: listen EADDRINUSE: address already in use\n';
    expect(findBindFailure(log, [4568])?.port).toBe(4568);
  });

  test('leaves the port open when it is not named and there are several', () => {
    expect(findBindFailure('Failed to bind to 127.0.0.1', [1, 2])).toEqual({
      line: 'Failed to bind to 127.0.0.1',
    });
  });

  test('returns undefined for a log without a bind failure', () => {
    expect(findBindFailure('all good\n', [1])).toBeUndefined();
  });
});
