#!/usr/bin/env node
import { mainDestination } from '@tributary/airbyte-protocol';
import { silenceSdkNodeVersionWarning } from '@tributary/aws-common';
import { kinesisDestination } from './destination.js';

silenceSdkNodeVersionWarning();
await mainDestination(kinesisDestination);
