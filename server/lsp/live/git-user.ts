/** The workspace's `git config user.email`: who the acting user is when no setting names one. */
import { execFile } from 'node:child_process';

/** `git config user.email` run in `folder`; null when git is missing, it is not a repository, or no email is set. */
export function gitUserEmail(folder: string | null): Promise<string | null> {
  if (folder === null) return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.email'], { cwd: folder, timeout: 5_000, windowsHide: true }, (error, stdout) => {
      const email = error ? '' : stdout.trim();
      resolve(email === '' ? null : email);
    });
  });
}
