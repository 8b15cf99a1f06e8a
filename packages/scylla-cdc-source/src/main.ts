#!/usr/bin/env node
import { mainSource } from '@tributary/airbyte-protocol';
import { scyllaCdcSource } from './source/source.js';

await mainSource(scyllaCdcSource);
