/** Replaces secret values in a string. */
export type Redactor = (text: string) => string;

export const REDACTED = '**********';

/**
 * Secrets shorter than this are not redacted. Replacing a one- or two-character "secret" would mask
 * that character everywhere (every "a", every "12"), making every log line unreadable, while a secret
 * that short is guessable anyway and offers no protection worth keeping.
 */
export const MIN_SECRET_LENGTH = 3;

const identity: Redactor = (text) => text;

/**
 * A redactor for the given secrets. Each secret is matched as written and in the forms it takes
 * when it ends up inside JSON (escaped once or twice, e.g. a config echoed into a JSON log field)
 * or inside a URL (percent-encoded). Longer forms are tried first so that a secret containing
 * another one is masked whole.
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    const escapedOnce = JSON.stringify(secret).slice(1, -1);
    const escapedTwice = JSON.stringify(escapedOnce).slice(1, -1);
    for (const form of [secret, escapedOnce, escapedTwice, safeEncodeURIComponent(secret)]) {
      if (form !== undefined && form.length >= MIN_SECRET_LENGTH) forms.add(form);
    }
  }
  if (forms.size === 0) return identity;
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (text) => (typeof text === 'string' ? text.replace(pattern, REDACTED) : text);
}

/** Applies several redactors in turn (e.g. config secrets plus secrets learnt later). */
export function combineRedactors(...redactors: Redactor[]): Redactor {
  return (text) => redactors.reduce((out, redact) => redact(out), text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// encodeURIComponent throws on lone surrogates.
function safeEncodeURIComponent(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}
