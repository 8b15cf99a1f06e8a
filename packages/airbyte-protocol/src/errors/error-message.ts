import { causeChain, readProperty } from './cause-chain.js';

/** A message for any thrown value; never throws itself. */
export function errorMessage(err: unknown): string {
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null) {
    const message = readProperty(err, 'message');
    if (typeof message === 'string' && message !== '') return message;
    const name = readProperty(err, 'name');
    const code = readProperty(err, 'code');
    if (typeof name === 'string' && name !== '') return typeof code === 'string' ? `${name} (${code})` : name;
    if (typeof code === 'string') return code;
    try {
      const json = JSON.stringify(err);
      if (json !== undefined && json !== '{}') return json;
    } catch {
      // circular or throwing toJSON: fall through
    }
  }
  try {
    const text = String(err);
    return text === '[object Object]' ? 'Unknown error' : text;
  } catch {
    return 'Unknown error';
  }
}

/** The stack of the error and of each cause, joined like Java's "Caused by:" traces. */
export function errorStack(err: unknown): string {
  const parts: string[] = [];
  for (const [index, item] of causeChain(err).entries()) {
    const stack = typeof item === 'object' && item !== null ? readProperty(item, 'stack') : undefined;
    const text = typeof stack === 'string' && stack !== '' ? stack : errorMessage(item);
    parts.push(index === 0 ? text : `Caused by: ${text}`);
  }
  return parts.join('\n');
}

/** The messages of the error and its causes: "outer: inner: innermost", without repeats. */
export function errorMessageChain(err: unknown): string {
  const messages: string[] = [];
  for (const item of causeChain(err)) {
    const message = errorMessage(item);
    // Some libraries already fold the cause's message into their own.
    if (!messages.some((m) => m.includes(message))) messages.push(message);
  }
  return messages.join(': ');
}
