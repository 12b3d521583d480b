/**
 * The reference station reconnects with one connection at a time even when the CSMS closes the connection
 * during its boot (issue #16: `t.offline` may close it right after a reconnect). Closing then both fires
 * 'close' and fails the boot; before the fix that started two reconnect chains, and two connections.
 */
import { ReferenceStation } from '../../src/reference';
import { CsmsServer, type RpcSession } from '../../src/transport';
import { waitFor } from '../helpers/wait';

test('a reconnection closed during BootNotification leads to exactly one new connection', async () => {
  const server = new CsmsServer({ versions: ['2.1'], callTimeoutMs: 5000 });
  await server.listen();
  const sessions: RpcSession[] = [];
  server.on('session', (s: RpcSession) => {
    const n = sessions.length;
    sessions.push(s);
    s.handle('BootNotification', () => {
      if (n !== 1) return { currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' };
      // Close while the station waits for the answer: its boot fails on a closed connection.
      void s.close(1001, 'closed during boot');
      return new Promise<never>(() => undefined);
    });
    s.handle('StatusNotification', () => ({}));
  });
  const station = new ReferenceStation({ version: '2.1', url: `${server.url}/ocpp`, identity: 'CS-RC', callTimeoutMs: 5000 });
  await station.start();
  try {
    // The first connection boots; closing it makes the station reconnect, and that boot is cut short.
    await sessions[0]!.close(1001, 'offline');
    await waitFor(() => sessions.length >= 3 && sessions[2]!.isOpen, 5000, 'the second reconnection');
    // Several back-off periods later, still that one connection (a second chain would have opened another).
    await new Promise((r) => setTimeout(r, 800));
    expect(sessions.length).toBe(3);
    expect(sessions.filter((s) => s.isOpen)).toHaveLength(1);
  } finally {
    await station.stop();
    await server.close();
  }
});
