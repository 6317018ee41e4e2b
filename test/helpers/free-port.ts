/** A free local TCP port, for suites that must configure the issuer before the server starts. */
import { createServer, type AddressInfo } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1 (the OS hands out a new one each time). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
