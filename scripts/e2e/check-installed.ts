/** Exits 0 when the e2e harness is installed and 3 when it is not (for run-if-installed.mjs). */
import { harnessInstalled } from './harness';

process.exitCode = harnessInstalled() ? 0 : 3;
