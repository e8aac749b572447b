// Starting a local server the same way in every stand-in, the emulator and the dev host.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on host:port (0: any free port); answers the port taken and `http://host:port`. A listen error rejects. */
export function listenOn(server: Server, port: number, host: string): Promise<{ port: number; origin: string }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const taken = (server.address() as AddressInfo).port;
      resolve({ port: taken, origin: `http://${host}:${taken}` });
    });
  });
}
