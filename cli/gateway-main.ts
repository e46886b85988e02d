#!/usr/bin/env node
// The gateway service's own entry: `fieldstation gateway` and nothing else. `npm run build` bundles
// it into dist/gateway/main.js (scripts/bundle-gateway.ts), which the systemd unit runs.
import { gatewayCommand } from './commands/gateway.js';
import { runMain } from './run-main.js';

runMain(gatewayCommand);
