import { GATEWAY_NODE_FLAGS } from './gateway-runtime.js';

export interface GatewayUnitOptions {
  station: string;
  gateway: string;
  /** Absolute path of the gateway config. */
  configPath: string;
  /** Absolute paths: the node binary and the gateway's entry script (its bundle, dist/gateway/main.js). */
  node: string;
  entry: string;
  /** The system user the gateway runs as; it needs the dialout group for serial ports. */
  user: string;
  /** Directories the gateway writes (its outbox); everything else is read-only to it. */
  writablePaths: readonly string[];
}

/** fieldstation-gateway-<station>-<gateway>.service: ids are slugs, so the name is a valid unit name. */
export function gatewayUnitName(station: string, gateway: string): string {
  return `fieldstation-gateway-${station}-${gateway}.service`;
}

// systemd splits ExecStart on spaces and expands % and $: quote every argument.
function quoteArgument(argument: string): string {
  return `"${argument.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * A systemd unit that starts the gateway at boot, once the network and the clock are up where the
 * system can tell, from its bundle with the Node.js options that keep it small (gateway-runtime.ts),
 * restarts it whenever it stops (the outbox keeps what was not yet sent), and gives it time to flush
 * on stop.
 */
export function renderGatewayUnit(options: GatewayUnitOptions): string {
  const exec = [options.node, ...GATEWAY_NODE_FLAGS, options.entry, '--config', options.configPath]
    .map(quoteArgument)
    .join(' ');
  return [
    '[Unit]',
    `Description=fieldstation gateway ${options.station}/${options.gateway}`,
    'Wants=network-online.target time-sync.target',
    'After=network-online.target time-sync.target',
    // Never give up: a station is unattended for months.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    `User=${options.user}`,
    'SupplementaryGroups=dialout',
    `ExecStart=${exec}`,
    'Restart=always',
    'RestartSec=5',
    // stop() flushes batches to the outbox and waits up to 2 s for the broker.
    'TimeoutStopSec=30',
    'Environment=FS_LOG_LEVEL=info',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=read-only',
    'PrivateTmp=yes',
    ...options.writablePaths.map((path) => `ReadWritePaths=${path}`),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
