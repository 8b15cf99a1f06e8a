#!/usr/bin/env node
import { mainDestination } from '@tributary/airbyte-protocol';
import { scyllaDestination } from './index.js';

await mainDestination(scyllaDestination);
