#!/usr/bin/env node
import { mainDestination } from '@tributary/airbyte-protocol';
import { kinesisDestination } from './destination.js';

await mainDestination(kinesisDestination);
