import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { type GatewayConfig, GatewayConfigSchema } from './schema.js';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** `sensors[2].range.min`: the path as a person would write it, not as zod stores it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function describeIssues(file: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${file}: ${formatIssuePath(issue.path)}: ${issue.message}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates an already parsed document; `file` names it in errors and anchors relative paths. */
export function parseGatewayConfig(document: unknown, file: string): GatewayConfig {
  const parsed = GatewayConfigSchema.safeParse(document);
  if (!parsed.success) {
    const issues = describeIssues(file, parsed.error);
    throw new ConfigError(
      'CONFIG_INVALID',
      `invalid gateway config:\n  ${issues.join('\n  ')}`,
      file,
      issues,
    );
  }
  const config = parsed.data;
  const base = dirname(resolve(file));
  config.outbox.dir = resolve(base, config.outbox.dir);
  if (config.mqtt.passwordFile !== undefined)
    config.mqtt.passwordFile = resolve(base, config.mqtt.passwordFile);
  return deepFreeze(config);
}

/** Reads a gateway config file as written (YAML or JSON, chosen by extension), before validation. */
export async function readConfigDocument(path: string): Promise<unknown> {
  if (!EXTENSIONS.has(extname(path).toLowerCase())) {
    throw new ConfigError('CONFIG_UNREADABLE', `${path}: expected a .yaml, .yml or .json file`, path);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      `${path}: cannot read: ${(error as Error).message}`,
      path,
      [],
      {
        cause: error,
      },
    );
  }
  try {
    // YAML 1.2 is a superset of JSON, so one parser serves both.
    return parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError('CONFIG_SYNTAX', `${path}: ${(error as Error).message}`, path, [], {
      cause: error,
    });
  }
}

/** Reads a gateway config (YAML or JSON, chosen by extension), validates it and returns it frozen. */
export async function loadGatewayConfig(path: string): Promise<GatewayConfig> {
  return parseGatewayConfig(await readConfigDocument(path), path);
}

/** The MQTT password from the config or its password file (trailing newline removed). */
export async function readMqttPassword(config: GatewayConfig): Promise<string | undefined> {
  const file = config.mqtt.passwordFile;
  if (file === undefined) return config.mqtt.password;
  try {
    return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError('CONFIG_UNREADABLE', `${file}: cannot read the MQTT password file`, file, [], {
      cause: error,
    });
  }
}
