// Kysely driver for embedded PGlite that speaks the extended protocol itself. PGlite's query()
// sends Parse, Describe, Bind, Describe, Execute and Sync as six calls into its WebAssembly
// backend, parsing and planning the statement again every time. This driver prepares each
// statement text once as a named statement (Parse and Describe, which also give the parameter
// types PGlite's serializers need and the row description), then runs it with one call
// (Bind, Execute, Sync). The one PGlite session belongs to this process, so the prepared
// statements cannot be dropped under it; the schema can only change through this driver, so
// any statement other than select/insert/update/delete/with/values forgets them all.
// PGlite's query() also calls syncToFs() after each statement outside a transaction: for the file
// systems Keyflow opens (NodeFS on a data folder, MemoryFS for memory://) that does nothing,
// because Postgres's writes already go straight through to the files, so this driver skips it.
import { AbortedTransactionError, PGliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';

type Serialize = typeof import('@electric-sql/pglite').protocol.serialize;
type ParseType = typeof import('@electric-sql/pglite').types.parseType;

/** What one PGlite module gives the driver (passed in, so PGlite stays loaded lazily), and a statement counter. */
export interface PGliteProtocol {
  serialize: Serialize;
  parseType: ParseType;
  /** Called with each statement's text once it has run without error (begin, commit and rollback too). */
  onStatement?: (sql: string) => void;
}

interface Prepared {
  name: string;
  paramTypes: number[];
  /** Column names and type ids; empty when the statement returns no rows. */
  fields: { name: string; dataTypeID: number }[];
}

interface Message {
  name: string;
}

/** Statements kept prepared at once; the least recently used is closed past this. */
export const PREPARED_LIMIT = 256;
const DML = /^\s*(select|insert|update|delete|with|values)\b/i;

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The one PGlite session. */
class PGliteProtocolConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  readonly #protocol: PGliteProtocol;
  readonly #statements = new Map<string, Prepared>();
  #closing: string[] = [];
  #nextId = 0;
  /** Set when the driver is destroyed, before PGlite's close() starts. */
  closed = false;

  constructor(pglite: PGlite, protocol: PGliteProtocol) {
    this.#pglite = pglite;
    this.#protocol = protocol;
  }

  async #exchange(parts: Uint8Array[]): Promise<Message[]> {
    // PGlite's own close() marks it closed; its backend must not be entered after that.
    if (this.closed || this.#pglite.closed) throw new Error('PGlite is closed');
    const { messages } = await this.#pglite.execProtocol(concat(parts), { syncToFs: false });
    return messages as Message[];
  }

  /** Parse and describe `sql` under a new name, closing the statements evicted since the last one. */
  async #prepare(sql: string, name: string): Promise<Prepared> {
    const { serialize } = this.#protocol;
    const closes = this.#closing.map((n) => serialize.close({ type: 'S', name: n }));
    this.#closing = [];
    const messages = await this.#exchange([...closes, serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]);
    const params = messages.find((m) => m.name === 'parameterDescription') as { dataTypeIDs: number[] } | undefined;
    const rows = messages.find((m) => m.name === 'rowDescription') as { fields: { name: string; dataTypeID: number }[] } | undefined;
    return { name, paramTypes: params?.dataTypeIDs ?? [], fields: rows?.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) ?? [] };
  }

  async #statement(sql: string, cache: boolean): Promise<Prepared> {
    const known = this.#statements.get(sql);
    if (known) {
      // Most recently used last, so the eviction below takes the least recently used.
      this.#statements.delete(sql);
      this.#statements.set(sql, known);
      return known;
    }
    if (!cache) return this.#prepare(sql, '');
    const prepared = await this.#prepare(sql, `kf_${this.#nextId++}`);
    this.#statements.set(sql, prepared);
    if (this.#statements.size > PREPARED_LIMIT) {
      const [oldest, evicted] = this.#statements.entries().next().value!;
      this.#statements.delete(oldest);
      this.#closing.push(evicted.name);
    }
    return prepared;
  }

  /** Forgets every prepared statement (after DDL, or a rollback that may have undone some). */
  forgetStatements(): void {
    for (const s of this.#statements.values()) this.#closing.push(s.name);
    this.#statements.clear();
  }

  #serializeParams(values: readonly unknown[], types: number[]): (string | null)[] {
    const serializers = this.#pglite.serializers;
    return values.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = serializers[types[i]!];
      return serialize ? (serialize(value) as string) : String(value);
    });
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { serialize, parseType } = this.#protocol;
    const dml = DML.test(query.sql);
    const statement = await this.#statement(query.sql, dml);
    const messages = await this.#exchange([serialize.bind({ statement: statement.name, values: this.#serializeParams(query.parameters, statement.paramTypes) }), serialize.execute({}), serialize.sync()]);
    if (!dml) this.forgetStatements();
    this.#protocol.onStatement?.(query.sql);
    const parsers = this.#pglite.parsers;
    const { fields } = statement;
    const rows: R[] = [];
    let affected: bigint | undefined;
    for (const m of messages) {
      if (m.name === 'dataRow') {
        const values = (m as unknown as { fields: (string | null)[] }).fields;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < fields.length; i++) row[fields[i]!.name] = parseType(values[i] ?? null, fields[i]!.dataTypeID, parsers);
        rows.push(row as R);
      } else if (m.name === 'commandComplete') {
        // "INSERT 0 5", "UPDATE 3", "DELETE 1", "MERGE 2": the row count ends the tag.
        const tag = (m as unknown as { text: string }).text.split(' ');
        if (['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'].includes(tag[0]!)) affected = BigInt(tag[tag.length - 1]!);
      }
    }
    return { rows, numAffectedRows: affected ?? 0n };
  }

  /** A statement without parameters through the simple protocol (begin, commit, rollback). */
  async simple(sql: string): Promise<Message[]> {
    const messages = await this.#exchange([this.#protocol.serialize.query(sql)]);
    this.#protocol.onStatement?.(sql);
    return messages;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('Streaming is not supported by PGlite.');
  }
}

/**
 * The one connection. Kysely hands it to one caller at a time (PGliteAdapter says PGlite has no
 * second connection, so its connection mutex holds it for a query or a whole transaction).
 */
export class PGliteProtocolDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #connection: PGliteProtocolConnection;

  constructor(pglite: PGlite, protocol: PGliteProtocol) {
    this.#pglite = pglite;
    this.#connection = new PGliteProtocolConnection(pglite, protocol);
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(_connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const modes = [settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '', settings.accessMode ?? ''].filter(Boolean);
    await this.#connection.simple(modes.length ? `start transaction ${modes.join(', ')}` : 'begin');
  }

  async commitTransaction(): Promise<void> {
    const messages = await this.#connection.simple('commit');
    // COMMIT of a transaction aborted by an earlier error answers ROLLBACK.
    const done = messages.find((m) => m.name === 'commandComplete') as { text: string } | undefined;
    if (done?.text === 'ROLLBACK') {
      this.#connection.forgetStatements();
      throw new AbortedTransactionError();
    }
  }

  async rollbackTransaction(): Promise<void> {
    try {
      await this.#connection.simple('rollback');
    } finally {
      this.#connection.forgetStatements();
    }
  }

  async destroy(): Promise<void> {
    // Each exchange with the backend is synchronous, so none is under way here; none starts after.
    this.#connection.closed = true;
    if (!this.#pglite.closed) await this.#pglite.close();
  }
}

/** Kysely's PGlite dialect (Postgres SQL, adapter, introspection) with the driver above. */
export class PGliteProtocolDialect extends PGliteDialect {
  readonly #pglite: PGlite;
  readonly #protocol: PGliteProtocol;

  constructor(pglite: PGlite, protocol: PGliteProtocol) {
    super({ pglite });
    this.#pglite = pglite;
    this.#protocol = protocol;
  }

  override createDriver(): Driver {
    return new PGliteProtocolDriver(this.#pglite, this.#protocol);
  }
}
