export { toAlphanumericAndUnderscore } from './alphanumeric.js';
export { type IdentifierRules, identifierFor } from './identifier.js';
export { quoteIdentifier } from './quote.js';
export { DEFAULT_HASH_LENGTH, shortHash, truncateWithHash, withHashSuffix } from './truncate.js';
export { type NameMapper, NameRegistry, type UniqueNameOptions, uniqueNames } from './unique-names.js';
