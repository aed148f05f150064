/**
 * The fixed 9-phase model. Its tables belong to the contract (`schemas/phase-model.ts`);
 * the core re-exports them here under the names it has always used.
 */
export * from '../../schemas/phase-model';
