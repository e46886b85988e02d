import { listPorts, type PortInfo } from '../../firmware-bridge/index.js';
import { formatHelp, type OptionSpec, parseCommandLine } from '../options.js';

const OPTIONS: readonly OptionSpec[] = [
  { flag: 'json', kind: 'boolean', description: 'print JSON for scripts' },
];
const USAGE = 'fieldstation ports [--json]';
const SUMMARY =
  'Lists the serial ports of this machine with USB vendor and product id and serial number. Put the\n' +
  '/dev/serial/by-id/... name in a gateway config where there is one: it stays the same across replugging.';

function row(port: PortInfo): string[] {
  const usb = port.vendorId === undefined ? '' : `${port.vendorId}:${port.productId ?? '????'}`;
  const maker = [port.manufacturer, port.product].filter((part) => part !== undefined).join(' ');
  return [port.path, usb, port.serialNumber ?? '', maker, port.byId ?? ''];
}

export async function portsCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp(USAGE, SUMMARY, OPTIONS));
    return 0;
  }
  const ports = await listPorts();
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
    return 0;
  }
  if (ports.length === 0) {
    process.stdout.write(
      'No serial ports found. Is the USB adapter plugged in? (dmesg | tail shows what the kernel saw)\n',
    );
    return 0;
  }
  const rows = [['PATH', 'USB ID', 'SERIAL', 'MAKER', 'BY-ID'], ...ports.map(row)];
  const widths = (rows[0] as string[]).map((_, column) =>
    Math.max(...rows.map((r) => (r[column] as string).length)),
  );
  process.stdout.write(
    `${rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i] as number))
          .join('  ')
          .trimEnd(),
      )
      .join('\n')}\n`,
  );
  return 0;
}
