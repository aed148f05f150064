/** The workbench URL of code-server's smoke-test driver route into the extension host. */

/** What to load: the extension in development mode, optionally its tests, and a folder. */
export interface WorkbenchTarget {
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath?: string;
  readonly folder?: string | undefined;
}

/**
 * The URL that makes code-server (started with `--vscode-option enable-smoke-test-driver`)
 * load the extension from source and, when given, run its tests: the workbench reads these
 * development options from the `payload` parameter.
 */
export function payloadUrl(origin: string, target: WorkbenchTarget): string {
  // Development paths are URIs on the remote side: the extension host runs in code-server.
  const remote = (path: string) => `vscode-remote://${new URL(origin).host}${path}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(target.extensionDevelopmentPath)], ['skipWelcome', 'true']];
  if (target.extensionTestsPath) payload.push(['extensionTestsPath', remote(target.extensionTestsPath)]);
  const query = new URLSearchParams();
  if (target.folder) query.set('folder', target.folder);
  query.set('payload', JSON.stringify(payload));
  return `${origin}/?${query.toString()}`;
}
