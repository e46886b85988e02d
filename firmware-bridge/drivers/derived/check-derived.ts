import type { z } from 'zod';
import type { CheckView } from '../driver-module.js';
import type { DerivedDriverConfig } from './config.js';
import { BUILT_IN_CONSTANTS, parseExpression, variablesOf } from './expression.js';

/**
 * A derived sensor's inputs must be other, non-derived sensors of the gateway, and its expression may
 * name only its inputs, its constants and the built-ins.
 */
export function checkDerivedSensors(
  { sensors, allSensors }: CheckView<DerivedDriverConfig, never, never>,
  ctx: z.RefinementCtx,
): void {
  const drivers = new Map(allSensors.map((sensor) => [sensor.id, sensor.driver.type]));
  for (const { index, sensor } of sensors) {
    const { driver } = sensor;
    const path = ['sensors', index, 'driver'];
    for (const [name, input] of Object.entries(driver.inputs)) {
      const type = drivers.get(input);
      const problem =
        type === undefined
          ? 'is not a sensor of this gateway'
          : type === 'derived'
            ? 'is itself derived'
            : undefined;
      if (problem !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'inputs', name],
          message: `input "${input}" ${problem}`,
        });
      }
    }
    for (const name of Object.keys(driver.constants)) {
      if (Object.hasOwn(driver.inputs, name)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'constants', name],
          message: `"${name}" is also an input`,
        });
      }
    }
    let variables: string[];
    try {
      variables = variablesOf(parseExpression(driver.expression));
    } catch {
      continue; // The expression's own schema has reported it.
    }
    const known = (name: string) =>
      Object.hasOwn(driver.inputs, name) ||
      Object.hasOwn(driver.constants, name) ||
      Object.hasOwn(BUILT_IN_CONSTANTS, name);
    for (const name of variables.filter((variable) => !known(variable))) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'expression'],
        message: `"${name}" is neither an input nor a constant`,
      });
    }
  }
}
