import { describe, expect, it } from 'vitest';
import { filterProblem, placeholderValueProblem } from '../../../broker/filter-syntax.js';

describe('filterProblem (an operator-written rights filter)', () => {
  it.each([
    'fs/v1/+/+/readings',
    '#',
    '/#',
    'a//b',
    'lab/%u/#',
    'dev/%c',
    'dev-%c/x',
    'TopicA/+',
    'test/nosubscribe',
  ])('accepts %s', (filter) => {
    expect(filterProblem(filter)).toBeUndefined();
  });

  it.each([
    ['', /empty.*MQTT-4\.7\.3-1/],
    ['a/#/b', /'#' may only stand alone as the last level.*MQTT-4\.7\.1-2/],
    ['a#', /'#'/],
    ['a/b#', /'#'/],
    ['a+/b', /'\+' may only stand alone as a level.*MQTT-4\.7\.1-3/],
    ['a/%c+', /'\+'/],
    ['lab/%x', /%u \(username\) and %c \(client id\)/],
    ['lab/100%', /not a placeholder/],
    ['$SYS/#', /\$SYS\/# is only for operator accounts/],
    ['$share/g/a', /starts with '\$'/],
    ['a/\u0000', /U\+0000.*MQTT-4\.7\.3-2/],
    ['x'.repeat(65_536), /65536 bytes long; at most 65535.*MQTT-4\.7\.3-3/],
    [Array.from({ length: 101 }, () => 'a').join('/'), /101 levels; the broker takes at most 100/],
  ])('refuses %s, saying why', (filter, why) => {
    expect(filterProblem(filter)).toMatch(why);
  });
});

describe('placeholderValueProblem (a username or client id standing in for %u or %c)', () => {
  it.each(['nodered', 'aedes_5a1b', 'my client', 'a.b'])('takes %s', (value) => {
    expect(placeholderValueProblem(value)).toBeUndefined();
  });

  it.each(['', '#', 'a/b', '+', 'x#', '$SYS'])('refuses %s', (value) => {
    expect(placeholderValueProblem(value)).toBeDefined();
  });
});
