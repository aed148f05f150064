/**
 * The params of every request the server answers, checked before its handler runs: a
 * missing or mistyped field answers the protocol's `-32602` (InvalidParams) saying what
 * and where, instead of an internal error or an empty answer. Only shapes are checked
 * here; what a handler knows better (a filter's values, a limit's range, a reason the
 * rules require) it still checks itself, with the same code. No zod: the server bundle
 * stays without it (test/unit/bundles.test.ts).
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import {
  AllowedRequest,
  CreateEmbeddedRequest,
  ExplainRequest,
  HistoryRequest,
  InitRequest,
  InstanceRequest,
  InstancesRequest,
  PlanRequest,
  SyncRequest,
  TransitionRequest,
} from '../../schemas/lsp-protocol';

/** Checks a value found at `at` (e.g. `params.position.line`): the problem in words, or null. */
type Check = (value: unknown, at: string) => string | null;

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const is = (test: (value: unknown) => boolean, what: string): Check => (value, at) =>
  value === undefined ? `${at} is missing` : test(value) ? null : `${at} must be ${what}, got ${show(value)}`;

const uinteger = is((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1, 'a whole number from 0 to 2147483647');
const integer = is((v) => typeof v === 'number' && Number.isInteger(v), 'a whole number');
const string = is((v) => typeof v === 'string', 'a string');
const boolean = is((v) => typeof v === 'boolean', 'true or false');
/** A JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field may be absent. */
const optional = (check: Check): Check => (value, at) => (value === undefined ? null : check(value, at));
/** The field may be absent or null. */
const nullable = (check: Check): Check => (value, at) => (value === undefined || value === null ? null : check(value, at));

/** An object with these fields (others are allowed: the protocol adds some, e.g. `workDoneToken`). */
function object(fields: Readonly<Record<string, Check>>): Check {
  return (value, at) => {
    if (value === undefined) return `${at} is missing`;
    if (!isRecord(value)) return `${at} must be an object, got ${show(value)}`;
    for (const [name, check] of Object.entries(fields)) {
      const problem = check(value[name], `${at}.${name}`);
      if (problem) return problem;
    }
    return null;
  };
}

function array(item: Check): Check {
  return (value, at) => {
    if (value === undefined) return `${at} is missing`;
    if (!Array.isArray(value)) return `${at} must be an array, got ${show(value)}`;
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };
}

const textDocument = object({ uri: string });
const position = object({ line: uinteger, character: uinteger });
const range = object({ start: position, end: position });
const atPosition = { textDocument, position };
const onDocument = object({ textDocument });
const nodeRef = object({ cycleId: integer, reportId: integer, phase: nullable(string), activity: nullable(string) });
const sources = { uri: nullable(string), force: optional(boolean) };

/** The shape of each request's params, by method. */
const PARAMS: Readonly<Record<string, Check>> = {
  'textDocument/completion': object({ ...atPosition, context: optional(object({ triggerKind: integer })) }),
  'textDocument/hover': object(atPosition),
  'textDocument/definition': object(atPosition),
  'textDocument/references': object({ ...atPosition, context: object({ includeDeclaration: boolean }) }),
  'textDocument/documentSymbol': onDocument,
  'textDocument/foldingRange': onDocument,
  'textDocument/codeLens': onDocument,
  'textDocument/codeAction': object({ textDocument, range, context: object({ diagnostics: array(object({})), only: optional(array(string)) }) }),
  'workspace/executeCommand': object({ command: string, arguments: optional(array(() => null)) }),
  [CreateEmbeddedRequest.method]: nullable(object({})),
  [InstancesRequest.method]: object({ cycleId: nullable(integer), filter: nullable(string), limit: nullable(integer), cursor: nullable(string) }),
  [InstanceRequest.method]: object({ cycleId: integer, reportId: integer }),
  [HistoryRequest.method]: object({ cycleId: integer, reportId: integer, phase: nullable(string), activity: nullable(string), limit: nullable(integer) }),
  [AllowedRequest.method]: object({ node: nodeRef }),
  [ExplainRequest.method]: object({ node: nodeRef, action: nullable(string) }),
  [TransitionRequest.method]: object({ node: nodeRef, action: string, expected: nullable(string), reason: nullable(string) }),
  [PlanRequest.method]: object(sources),
  [SyncRequest.method]: object({ ...sources, allowPartial: optional(boolean) }),
  [InitRequest.method]: object({ uri: nullable(string), createMissing: optional(boolean) }),
};

/** The `-32602` error for params that do not fit `method`'s shape, or null when they fit (or the method has none listed). */
export function paramsError(method: string, params: unknown): ResponseError<void> | null {
  const check = PARAMS[method];
  const problem = check ? check(params, 'params') : null;
  return problem ? new ResponseError(ErrorCodes.InvalidParams, `${method}: ${problem}`) : null;
}

/** Wraps the handler of `method` so that params of the wrong shape answer `-32602` before it runs. */
export function checked<P, R, A extends unknown[]>(method: string, handler: (params: P, ...rest: A) => R): (params: P, ...rest: A) => R {
  if (!PARAMS[method]) throw new Error(`no params shape for ${method}`);
  return (params: P, ...rest: A) => {
    const error = paramsError(method, params);
    if (error) throw error;
    return handler(params, ...rest);
  };
}

/** Something the client sent inside otherwise well-formed params is wrong (`-32602` with `message`). */
export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}
