/**
 * The test server accepts anyone (trust authentication), so password handling cannot be
 * seen on it directly. This stands in front of it as a server that requires a password
 * would: it asks every connection for a cleartext password (the PostgreSQL protocol's
 * AuthenticationCleartextPassword), refuses a wrong one with SQLSTATE 28P01 exactly as
 * PostgreSQL does, and hands a right one through to the real server, byte for byte.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;

/** A running proxy: its port, the passwords it was given, and how to stop it. */
export interface PasswordProxy {
  readonly port: number;
  /** Every password received, in order (to check what the server sent; never printed by it). */
  readonly attempts: string[];
  close(): Promise<void>;
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function refusal(user: string): Buffer {
  const field = (code: string, value: string) => Buffer.from(`${code}${value}\0`, 'utf8');
  return message('E', Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', '28P01'), field('M', `password authentication failed for user "${user}"`), Buffer.from([0])]));
}

function startupUser(startup: Buffer): string {
  const parts = startup.subarray(8).toString('utf8').split('\0');
  const i = parts.indexOf('user');
  return i >= 0 ? (parts[i + 1] ?? '') : '';
}

function serve(socket: Socket, upstreamPort: number, password: string, attempts: string[]): void {
  let buffered = Buffer.alloc(0);
  let startup: Buffer | null = null;
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (startup === null) {
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        const msg = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        const code = msg.readInt32BE(4);
        if (code === SSL_REQUEST) {
          socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          socket.end();
          return;
        }
        startup = msg;
        const ask = Buffer.alloc(4);
        ask.writeInt32BE(3); // AuthenticationCleartextPassword
        socket.write(message('R', ask));
        continue;
      }
      if (buffered.length < 5) return;
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) return;
      const given = buffered.subarray(5, length).toString('utf8');
      const rest = buffered.subarray(length + 1);
      attempts.push(given);
      if (given !== password) {
        socket.end(refusal(startupUser(startup)));
        return;
      }
      socket.off('data', onData);
      const upstream = connect(upstreamPort, '127.0.0.1');
      upstream.write(startup);
      if (rest.length > 0) upstream.write(rest);
      socket.pipe(upstream);
      upstream.pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
      return;
    }
  };
  socket.on('data', onData);
  socket.on('error', () => undefined);
}

/** Starts a proxy on a free port in front of PostgreSQL on 127.0.0.1:`upstreamPort`, requiring `password`. */
export async function startPasswordProxy(upstreamPort: number, password: string): Promise<PasswordProxy> {
  const attempts: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, upstreamPort, password, attempts);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
