/** One forward-only SQL migration as bundled into the build. */
export interface MigrationSource {
  /** The number NNNN of `schemas/migrations/NNNN-name.sql`. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
