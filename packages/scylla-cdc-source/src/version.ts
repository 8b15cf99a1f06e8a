/** The package version, reported as `source.version` in every event. */
export const VERSION = '0.1.0';
