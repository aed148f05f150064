/**
 * Reads the database catalog once: tables of the current schema, their columns,
 * primary keys, foreign keys and which columns are indexed first.
 */
import type { Queryable } from '../database';

/** A column of a table. */
export interface CatalogColumn {
  readonly name: string;
  /** `information_schema` data type, e.g. `integer`, `character varying`. */
  readonly type: string;
}

/** A foreign key, single- or multi-column. */
export interface CatalogForeignKey {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly references: string;
  readonly referencedColumns: readonly string[];
}

/** A table of the current schema. */
export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  readonly primaryKey: readonly string[];
}

/** What the catalog holds, as read at the start of a migration. */
export interface Catalog {
  readonly schema: string;
  readonly tables: ReadonlyMap<string, CatalogTable>;
  readonly foreignKeys: readonly CatalogForeignKey[];
  /** `table.column` of every column that is the first column of some index. */
  readonly indexedFirst: ReadonlySet<string>;
}

/** Reads the catalog of the current schema in four queries. */
export async function readCatalog(db: Queryable): Promise<Catalog> {
  const schema = (await db.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
    [schema],
  );
  const keys = await db.query<{ kind: string; name: string; table_name: string; refs: string | null; cols: string[]; ref_cols: string[] | null }>(
    `SELECT con.contype AS kind, con.conname AS name, src.relname AS table_name, tgt.relname AS refs,
            array_agg(sa.attname::text ORDER BY k.ord) AS cols,
            array_agg(ta.attname::text ORDER BY k.ord) FILTER (WHERE ta.attname IS NOT NULL) AS ref_cols
       FROM pg_constraint con
       JOIN pg_class src ON src.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = src.relnamespace
       LEFT JOIN pg_class tgt ON tgt.oid = con.confrelid
       CROSS JOIN LATERAL unnest(con.conkey, COALESCE(con.confkey, con.conkey)) WITH ORDINALITY AS k(src_att, tgt_att, ord)
       JOIN pg_attribute sa ON sa.attrelid = con.conrelid AND sa.attnum = k.src_att
       LEFT JOIN pg_attribute ta ON con.contype = 'f' AND ta.attrelid = con.confrelid AND ta.attnum = k.tgt_att
      WHERE con.contype IN ('p', 'f') AND n.nspname = $1
        AND (con.contype = 'p' OR tgt.relnamespace = n.oid)
      GROUP BY con.contype, con.conname, src.relname, tgt.relname
      ORDER BY src.relname, con.conname`,
    [schema],
  );
  const indexes = await db.query<{ table_name: string; column_name: string }>(
    `SELECT c.relname AS table_name, a.attname::text AS column_name
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE n.nspname = $1`,
    [schema],
  );

  const tables = new Map<string, { name: string; columns: CatalogColumn[]; primaryKey: string[] }>();
  for (const row of columns.rows) {
    let table = tables.get(row.table_name);
    if (!table) tables.set(row.table_name, (table = { name: row.table_name, columns: [], primaryKey: [] }));
    table.columns.push({ name: row.column_name, type: row.data_type });
  }
  const foreignKeys: CatalogForeignKey[] = [];
  for (const row of keys.rows) {
    if (row.kind === 'p') {
      const table = tables.get(row.table_name);
      if (table) table.primaryKey = row.cols;
    } else if (row.refs) {
      foreignKeys.push({ name: row.name, table: row.table_name, columns: row.cols, references: row.refs, referencedColumns: row.ref_cols ?? [] });
    }
  }
  return {
    schema,
    tables,
    foreignKeys,
    indexedFirst: new Set(indexes.rows.map((r) => `${r.table_name}.${r.column_name}`)),
  };
}

/** The column called `name` of `table`, if any. */
export function columnOf(table: CatalogTable, name: string): CatalogColumn | undefined {
  return table.columns.find((c) => c.name === name);
}
