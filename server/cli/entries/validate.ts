/**
 * What `phasectl validate` needs, bundled apart (`dist/phasectl-validate.js`): the core
 * and the YAML parser, no database driver. Also the command-name suggestion of `main.ts`.
 */
export { validateCommand } from '../commands/validate';
export { didYouMean } from '../../core/index';
