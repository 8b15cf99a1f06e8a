import { isLoopbackHost, resolveEndpoint } from '../src/endpoint.js';

describe('resolveEndpoint', () => {
  test('empty means AWS', () => {
    expect(resolveEndpoint('', 'endpoint')).toBeUndefined();
    expect(resolveEndpoint(undefined, 'endpoint')).toBeUndefined();
  });
  test('https anywhere, http only on loopback', () => {
    expect(resolveEndpoint('https://dynamodb.eu-west-1.amazonaws.com/', 'e')).toBe(
      'https://dynamodb.eu-west-1.amazonaws.com',
    );
    expect(resolveEndpoint('http://127.0.0.1:8000', 'e')).toBe('http://127.0.0.1:8000');
    expect(resolveEndpoint('http://localhost:4567', 'e')).toBe('http://localhost:4567');
    expect(resolveEndpoint('http://[::1]:9000', 'e')).toBe('http://[::1]:9000');
    expect(() => resolveEndpoint('http://10.0.0.5:8000', 'dynamodb_endpoint')).toThrow(
      /dynamodb_endpoint: .*plain HTTP/,
    );
    expect(() => resolveEndpoint('ftp://x', 'e')).toThrow(/https/);
  });
  test('a bare host gets https (upstream Kinesis examples)', () => {
    expect(resolveEndpoint('kinesis.us-west-1.amazonaws.com', 'endpoint')).toBe(
      'https://kinesis.us-west-1.amazonaws.com',
    );
  });
  test('loopback detection', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['10.0.0.1', '192.168.1.1', 'example.com', '128.0.0.1'])
      expect(isLoopbackHost(h)).toBe(false);
  });
});
