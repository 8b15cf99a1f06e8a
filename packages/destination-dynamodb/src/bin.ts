#!/usr/bin/env node
import { mainDestination } from '@tributary/airbyte-protocol';
import { destination } from './destination.js';

// The AWS SDK warns on stderr that its 2027 releases need Node 22; this connector pins a
// release that supports Node 20, so the warning is noise in the sync log.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (!w.message.startsWith('NodeVersionSupportWarning')) process.stderr.write(`${w.name}: ${w.message}\n`);
});

await mainDestination(destination);
