import cassandra from 'cassandra-driver';
import { explainConnectionError, isRetryableCql, toTributaryError } from '../src/errors.js';

const { errors, types } = cassandra;
const codes = types.responseErrorCodes;

describe('CQL error classification', () => {
  it('timeouts, unavailable, overloaded are retried; bad requests are not', () => {
    expect(isRetryableCql(new errors.OperationTimedOutError('timed out', '127.0.0.1:9042'))).toBe(true);
    expect(isRetryableCql(new errors.ResponseError(codes.writeTimeout, 'write timeout'))).toBe(true);
    expect(isRetryableCql(new errors.ResponseError(codes.unavailableException, 'unavailable'))).toBe(true);
    expect(isRetryableCql(new errors.ResponseError(codes.overloaded, 'overloaded'))).toBe(true);
    expect(isRetryableCql(new errors.ResponseError(codes.invalid, 'bad'))).toBe(false);
    expect(isRetryableCql(new errors.ResponseError(codes.unauthorized, 'no'))).toBe(false);
    expect(isRetryableCql(new errors.AuthenticationError('bad credentials'))).toBe(false);
  });

  it('NoHostAvailable is retried only when every host failed transiently', () => {
    const timeouts = new errors.NoHostAvailableError({
      'a:9042': new errors.OperationTimedOutError('t', 'a:9042'),
    });
    expect(isRetryableCql(timeouts)).toBe(true);
    const auth = new errors.NoHostAvailableError({
      'a:9042': new errors.AuthenticationError('Provided username x and/or password are incorrect'),
    });
    expect(isRetryableCql(auth)).toBe(false);
  });

  it('messages say what to fix', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9042'), { code: 'ECONNREFUSED' });
    expect(
      explainConnectionError(new errors.NoHostAvailableError({ '10.0.0.1:9042': refused }), { tls: false }),
    ).toMatch(/cannot reach 10\.0\.0\.1:9042: connection refused/);
    const altname = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(
      explainConnectionError(new errors.NoHostAvailableError({ 'h:9042': altname }), { tls: true }),
    ).toMatch(/verify_hostname/);
    const untrusted = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(
      explainConnectionError(new errors.NoHostAvailableError({ 'h:9042': untrusted }), { tls: true }),
    ).toMatch(/ca_certificate/);
    const perm = new errors.ResponseError(
      codes.unauthorized,
      'User bob has no CREATE permission on <keyspace ks> or any of its parents',
    );
    expect(explainConnectionError(perm, { tls: false })).toMatch(/grant CREATE on <keyspace ks>/);
  });

  it('a data centre the cluster does not have: names the ones it has', () => {
    const err = new errors.ArgumentError(
      "localDataCenter was configured as 'datacenter1', but only found hosts in data centers: [dc1, dc2]",
    );
    expect(explainConnectionError(err, { tls: false })).toBe(
      'datacenter "datacenter1" is not a data centre of this cluster; set datacenter to one of: dc1, dc2',
    );
    expect(toTributaryError(err, 'connecting').failureType).toBe('config_error');
  });

  it('maps to the failure types the platform sees', () => {
    expect(toTributaryError(new errors.ResponseError(codes.unauthorized, 'x'), 'w').failureType).toBe(
      'config_error',
    );
    expect(toTributaryError(new errors.ResponseError(codes.writeTimeout, 'x'), 'w').failureType).toBe(
      'transient_error',
    );
    expect(toTributaryError(new Error('boom'), 'w').failureType).toBe('system_error');
  });
});
