/**
 * The shape of the contract table (`contract-generated.ts`): the definition-file
 * contract of `schemas/definition-schema.ts` as plain data, written by
 * `npm run gen:schema` from the zod schema so the reader needs no zod at run time.
 */

/**
 * How one scalar value is checked: the JSON Schema keywords zod's own converter writes
 * for the field, read with zod's meaning (`value-check.ts`): numbers are finite,
 * integers safe, lengths counted in characters (code points), as the database counts them.
 */
export interface ValueCheck {
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'null';
  readonly const?: string | number | boolean;
  readonly enum?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A regular expression's source, without flags. */
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  /** The value passes when one of these does. */
  readonly anyOf?: readonly ValueCheck[];
}

/** A scalar value's check and what it must be, in words (`<what> must be <expected>, not <found>`). */
export interface ValueContract {
  readonly check: ValueCheck;
  readonly expected: string;
}

/** One key of a mapping: whether it is required, its description (hover, completion), and, for a scalar, its value's contract. */
export interface KeyContract {
  readonly required: boolean;
  readonly description: string;
  /** Absent for lists and mappings: the reader walks those itself. */
  readonly value?: ValueContract;
}

/** The kinds of mapping a definition file holds. */
export type MappingKind = 'file' | 'phase' | 'activity' | 'claim';

/** The whole table: every mapping's keys in the schema's order, and the values checked outside a mapping's own keys. */
export interface DefinitionContract {
  readonly mappings: { readonly [K in MappingKind]: Readonly<Record<string, KeyContract>> };
  readonly values: {
    /** A phase name as text, before `unknown-phase` compares it with the nine. */
    readonly phaseNameText: ValueContract;
    /** A `test_cycles` / `reports` name or id. */
    readonly reference: ValueContract;
    /** A scalar inside `metadata`. */
    readonly metadataScalar: ValueContract;
    /** A key inside `metadata`, below its first level. */
    readonly metadataKey: ValueContract;
    /** A first-level key of `metadata`. */
    readonly metadataTopKey: ValueContract;
  };
}
