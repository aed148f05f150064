/**
 * The stdio transport of the server, tolerant of what a client should never send: a
 * `Content-Length` frame whose body is not JSON is answered `-32700` (Parse error), a JSON
 * body that is no message (an array, a number, an object that is neither request,
 * notification nor response) `-32600` (Invalid Request), each with `id: null` as JSON-RPC
 * says, and the server goes on (vscode-jsonrpc alone drops such a frame without a word).
 * The server ends with its input: exit code 0 after a `shutdown` request, else 1.
 */
import {
  ErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
  type ResponseMessage,
} from 'vscode-languageserver/node';
import { isRecord } from './request-params';

/** A frame the server could not take as a message, and the error it answers. */
class Unreadable {
  constructor(
    readonly code: number,
    readonly message: string,
    readonly id: number | string | null,
  ) {}
}

const isId = (v: unknown): v is number | string => typeof v === 'number' || typeof v === 'string';

/** What a decoded body is: a message to pass on, or what is wrong with it. */
function classify(text: string): Message | Unreadable {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new Unreadable(ErrorCodes.ParseError, `Parse error: the message body is not JSON (${error instanceof Error ? error.message : String(error)})`, null);
  }
  if (!isRecord(value)) return new Unreadable(ErrorCodes.InvalidRequest, `Invalid Request: a message must be a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, null);
  const id = isId(value.id) ? value.id : null;
  if (typeof value.method === 'string') {
    if (value.id !== undefined && value.id !== null && !isId(value.id)) return new Unreadable(ErrorCodes.InvalidRequest, 'Invalid Request: id must be a number or a string', null);
    return value as unknown as Message;
  }
  if (value.id !== undefined && ('result' in value || 'error' in value)) return value as unknown as Message;
  return new Unreadable(ErrorCodes.InvalidRequest, 'Invalid Request: a message needs a method (request, notification) or a result or error (response)', id);
}

const decoder = {
  name: 'application/json',
  decode: (buffer: Uint8Array, options: { charset: string }): Promise<Message> =>
    Promise.resolve(classify(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString(options.charset as BufferEncoding)) as Message),
};

/** Reads frames like vscode-jsonrpc, answering the unreadable ones itself; notes whether `shutdown` was asked. */
class TolerantReader extends StreamMessageReader {
  shutdownRequested = false;

  constructor(
    readable: NodeJS.ReadableStream,
    private readonly writer: MessageWriter,
  ) {
    super(readable, { charset: 'utf-8', contentTypeDecoder: decoder });
  }

  override listen(callback: DataCallback): Disposable {
    return super.listen((message: Message | Unreadable) => {
      if (message instanceof Unreadable) {
        const answer: ResponseMessage = { jsonrpc: '2.0', id: message.id, error: { code: message.code, message: message.message } };
        void this.writer.write(answer).catch(() => undefined);
        return;
      }
      if ((message as { method?: unknown }).method === 'shutdown') this.shutdownRequested = true;
      callback(message);
    });
  }
}

/** The reader and writer of a server on stdin/stdout; the process exits when stdin ends (0 after `shutdown`, else 1). */
export function stdioTransport(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): [MessageReader, MessageWriter] {
  const writer = new StreamMessageWriter(output);
  const reader = new TolerantReader(input, writer);
  const end = () => process.exit(reader.shutdownRequested ? 0 : 1);
  input.on('end', end);
  input.on('close', end);
  return [reader, writer];
}
