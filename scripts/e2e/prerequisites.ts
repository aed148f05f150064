/**
 * The Debian packages the harness needs, each with a file that proves it is installed.
 * Setup checks them and, when some are missing, names them in one apt-get line.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM } from './harness';

/** A Debian package and the files any of which shows that it is installed. */
interface Prerequisite {
  readonly pkg: string;
  readonly why: string;
  readonly anyOf: readonly string[];
}

const PREREQUISITES: readonly Prerequisite[] = [
  { pkg: 'libkrb5-dev', why: "code-server's kerberos module", anyOf: ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'] },
  { pkg: 'build-essential', why: 'node-gyp builds native modules', anyOf: ['/usr/bin/make'] },
  { pkg: 'build-essential', why: 'node-gyp builds native modules', anyOf: ['/usr/bin/g++'] },
  { pkg: 'python3', why: 'node-gyp', anyOf: ['/usr/bin/python3'] },
  { pkg: 'pkg-config', why: 'native module builds', anyOf: ['/usr/bin/pkg-config', '/usr/bin/pkgconf'] },
  { pkg: 'chromium', why: 'the browser Playwright drives', anyOf: [CHROMIUM] },
  { pkg: 'fonts-dejavu-core', why: 'readable screenshots', anyOf: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'] },
];

/** The Debian packages that are missing, without duplicates, in a stable order. */
export function missingDebianPackages(): string[] {
  const missing = PREREQUISITES.filter((p) => !p.anyOf.some((file) => existsSync(file))).map((p) => p.pkg);
  return [...new Set(missing)];
}

/** The error text for missing packages: what is missing and the one command that installs it. */
export function missingPackagesMessage(missing: readonly string[]): string {
  const lines = missing.map((pkg) => {
    const why = PREREQUISITES.filter((p) => p.pkg === pkg).map((p) => p.why);
    return `  - ${pkg} (${[...new Set(why)].join('; ')})`;
  });
  return [
    'The end-to-end harness needs Debian packages that are not installed:',
    ...lines,
    'Install them as root, then run `npm run e2e:setup` again:',
    `  apt-get update && apt-get install -y ${missing.join(' ')}`,
    '(or run `sudo scripts/e2e/ci-setup.sh`, which installs them and runs the setup).',
  ].join('\n');
}
