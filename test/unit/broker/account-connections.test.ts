import { describe, expect, it } from 'vitest';
import { AccountConnections } from '../../../broker/limits/account-connections.js';

const connection = (id: string) => ({ id });

describe('AccountConnections', () => {
  it('counts the connections of each account, the new one included', () => {
    const connections = new AccountConnections<{ id: string }>();
    expect(connections.countWith('gw', 'a')).toBe(1);
    connections.add(connection('a'), 'gw');
    connections.add(connection('b'), 'gw');
    connections.add(connection('c'), 'other');
    expect(connections.countWith('gw', 'new')).toBe(3);
  });

  it('does not count a takeover of the account’s own client id as one more', () => {
    const connections = new AccountConnections<{ id: string }>();
    connections.add(connection('a'), 'gw');
    expect(connections.countWith('gw', 'a')).toBe(1);
  });

  it('keeps a client id connected when the connection it took over closes', () => {
    const connections = new AccountConnections<{ id: string }>();
    const older = connection('a');
    const newer = connection('a');
    connections.add(older, 'gw');
    connections.add(newer, 'gw');
    connections.remove(older, 'gw');
    expect(connections.isConnected('a')).toBe(true);
    connections.remove(newer, 'gw');
    connections.remove(newer, 'gw');
    expect(connections.isConnected('a')).toBe(false);
    expect(connections.countWith('gw', 'b')).toBe(1);
  });
});
