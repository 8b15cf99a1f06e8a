'use strict';
// Preloaded with `node -r` in front of kinesis-local (kinesis-mock compiled to JavaScript), which
// hard-codes 0.0.0.0 as its listen address: every TCP listen in that process is moved to 127.0.0.1
// (or TRIBUTARY_BIND_HOST). Unix sockets, fds and handles pass through untouched.
const net = require('node:net');

const host = process.env.TRIBUTARY_BIND_HOST || '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function loopbackListen(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object') {
    const isTcpOptions =
      first.path === undefined &&
      first.fd === undefined &&
      first.handle === undefined &&
      !('_handle' in first);
    if (isTcpOptions) args[0] = { ...first, host };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback])
    if (typeof args[1] === 'string') args[1] = host;
    else args.splice(1, 0, host);
  } else if (first === undefined || typeof first === 'function') {
    // listen() / listen(callback): a random port on all interfaces.
    args.unshift(0, host);
  }
  return listen.apply(this, args);
};
