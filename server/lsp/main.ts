/**
 * The language server entry point (`dist/server.js`): `node dist/server.js --stdio`, or
 * `--node-ipc` when VS Code's client starts it. stdout belongs to the protocol, so all
 * console output goes to the client's log instead.
 */
import { format } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { initConnection } from './server';
import { stdioTransport } from './transport';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];
if (!process.argv.slice(2).some((a) => TRANSPORTS.some((t) => a.startsWith(t)))) {
  process.stderr.write('usage: node dist/server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n');
  process.exit(2);
}

// On stdio the server reads its frames itself, to answer a body that is not JSON (transport.ts).
const connection = process.argv.slice(2).includes('--stdio') ? createConnection(ProposedFeatures.all, ...stdioTransport()) : createConnection(ProposedFeatures.all);
console.log = (...args: unknown[]) => connection.console.log(format(...args));
console.info = (...args: unknown[]) => connection.console.info(format(...args));
console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
console.error = (...args: unknown[]) => connection.console.error(format(...args));
console.debug = (...args: unknown[]) => connection.console.log(format(...args));

process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));

initConnection(connection);
connection.listen();
