// The schema this package keeps in PostgreSQL, created and upgraded by `migrate()`: its own tables and
// functions in `<schema>` (default `octo_webhooks`), and graphile-worker's in `<schema>_jobs`.
import type { Logger } from "@octo-webhooks/core";
import { Logger as GraphileLogger, runMigrations } from "graphile-worker";
import pg from "pg";
import { configError, PREFIX } from "./errors.ts";
import { ident, type PostgresConnectionOption, poolConfig, schemaName } from "./open-pool.ts";

/** The schema graphile-worker's jobs live in, beside `schema`. */
export const jobsSchemaOf = (schema: string): string => `${schema}_jobs`;

/**
 * The migrations of this package's own schema, in order: each runs once, in a transaction, recorded in
 * `<schema>.migrations`. `S` is the schema and `J` graphile-worker's, both quoted.
 */
const MIGRATIONS: Array<(S: string, J: string) => string> = [
  (S, J) => `
-- Claims of delivery keys (dedupe): in progress (\`done\` false, held by \`token\`) until \`expires_at\`,
-- or processed (\`done\`) and remembered until \`expires_at\`.
create table ${S}.claims (
  namespace text collate "C" not null,
  key text collate "C" not null,
  token text not null default '',
  done boolean not null default false,
  expires_at timestamptz not null,
  primary key (namespace, key)
);
create index claims_expires_at on ${S}.claims (expires_at);

-- What the stale guard applied last, per resource: its utcUpdatedAt (epoch ms), content hash, status, id.
create table ${S}.states (
  namespace text collate "C" not null,
  key text collate "C" not null,
  instant bigint not null,
  hash text,
  status text,
  resource_id text,
  expires_at timestamptz not null,
  primary key (namespace, key)
);
create index states_expires_at on ${S}.states (expires_at);

-- Jobs that failed for good (out of attempts, or refused), kept until re-driven or deleted.
create table ${S}.dead_letters (
  job_id text collate "C" not null,
  queue text not null,
  payload json not null,
  resource_queue text,
  failed_reason text not null,
  attempts_made integer not null,
  enqueued_at timestamptz not null,
  failed_at timestamptz not null default now(),
  primary key (queue, job_id)
);
create index dead_letters_failed_at on ${S}.dead_letters (queue, failed_at desc, job_id);

-- Workers alive: each renews its row while it runs; the jobs a worker without a recent row still locks
-- are unlocked by the others (graphile-worker alone would wait 4 hours).
create table ${S}.workers (
  worker_id text primary key,
  seen_at timestamptz not null
);

-- Claims \`key\` for \`lease_ms\` unless it is claimed or done: 'claimed', 'processing' or 'done'.
create function ${S}.claim(p_namespace text, p_key text, p_lease_ms double precision, p_token text)
returns text language plpgsql as $$
declare
  v_done boolean;
  v_expires timestamptz;
begin
  loop
    insert into ${S}.claims (namespace, key, token, done, expires_at)
    values (p_namespace, p_key, p_token, false, clock_timestamp() + p_lease_ms * interval '1 millisecond')
    on conflict do nothing;
    if found then return 'claimed'; end if;
    select done, expires_at into v_done, v_expires from ${S}.claims
    where namespace = p_namespace and key = p_key for update;
    if found then
      if v_expires > clock_timestamp() then
        return case when v_done then 'done' else 'processing' end;
      end if;
      update ${S}.claims
      set token = p_token, done = false, expires_at = clock_timestamp() + p_lease_ms * interval '1 millisecond'
      where namespace = p_namespace and key = p_key;
      return 'claimed';
    end if;
    -- released in between: try again
  end loop;
end $$;

-- The accept path of a queue: claims \`key\` as done for \`ttl_ms\` and adds its job, in the caller's
-- transaction (one statement: both or neither), unless the key is claimed or done already.
create function ${S}.accept(
  p_namespace text, p_key text, p_ttl_ms double precision,
  p_task text, p_payload json, p_queue text, p_max_attempts integer, p_job_key text
) returns text language plpgsql as $$
declare
  v_done boolean;
  v_expires timestamptz;
begin
  loop
    insert into ${S}.claims (namespace, key, token, done, expires_at)
    values (p_namespace, p_key, '', true, clock_timestamp() + p_ttl_ms * interval '1 millisecond')
    on conflict do nothing;
    if not found then
      select done, expires_at into v_done, v_expires from ${S}.claims
      where namespace = p_namespace and key = p_key for update;
      if not found then continue; end if;
      if v_expires > clock_timestamp() then
        return case when v_done then 'done' else 'processing' end;
      end if;
      update ${S}.claims
      set token = '', done = true, expires_at = clock_timestamp() + p_ttl_ms * interval '1 millisecond'
      where namespace = p_namespace and key = p_key;
    end if;
    perform ${S}.enqueue(p_task, p_payload, p_queue, p_max_attempts, p_job_key);
    return 'claimed';
  end loop;
end $$;

-- Adds a delivery's job: one per job key while it exists (graphile-worker's 'unsafe_dedupe'), in the
-- named queue of its resource (run one at a time) when it has one.
create function ${S}.enqueue(p_task text, p_payload json, p_queue text, p_max_attempts integer, p_job_key text)
returns bigint language plpgsql as $$
begin
  return (${J}.add_job(
    identifier => p_task,
    payload => p_payload,
    queue_name => p_queue,
    max_attempts => p_max_attempts,
    job_key => p_job_key,
    job_key_mode => 'unsafe_dedupe'
  )).id;
end $$;

-- Puts dead letters of \`p_queue\` back as jobs (one, or all when \`p_job_id\` is null), each under its job
-- key: fails when that job still exists (it is finishing the attempt that made the letter).
create function ${S}.redrive(p_queue text, p_job_id text, p_max_attempts integer)
returns integer language plpgsql as $$
declare
  v_letter record;
  v_job record;
  v_count integer := 0;
begin
  for v_letter in
    delete from ${S}.dead_letters
    where queue = p_queue and (p_job_id is null or job_id = p_job_id)
    returning job_id, payload, resource_queue
  loop
    v_job := ${J}.add_job(
      identifier => p_queue,
      payload => v_letter.payload,
      queue_name => v_letter.resource_queue,
      max_attempts => p_max_attempts,
      job_key => v_letter.job_id,
      job_key_mode => 'unsafe_dedupe'
    );
    if v_job.revision <> 0 then
      raise exception 'job % is still finishing its last attempt; re-drive it again in a moment', v_letter.job_id;
    end if;
    v_count := v_count + 1;
  end loop;
  return v_count;
end $$;

-- Keeps the newest state of \`key\` and returns the one kept before (none when expired). A newer
-- instant replaces it and restarts its TTL; with \`p_same_instant\`, an equal instant with another hash
-- replaces its content and keeps its TTL.
create function ${S}.record_state(
  p_namespace text, p_key text, p_instant bigint, p_hash text, p_status text, p_id text,
  p_ttl_ms double precision, p_same_instant boolean
) returns table (instant bigint, hash text, status text, resource_id text) language plpgsql as $$
#variable_conflict use_column
declare
  v_old ${S}.states%rowtype;
  v_expires timestamptz := clock_timestamp() + p_ttl_ms * interval '1 millisecond';
begin
  loop
    select * into v_old from ${S}.states s where s.namespace = p_namespace and s.key = p_key for update;
    if not found then
      insert into ${S}.states (namespace, key, instant, hash, status, resource_id, expires_at)
      values (p_namespace, p_key, p_instant, p_hash, p_status, p_id, v_expires)
      on conflict do nothing;
      if found then return; end if;
      continue;
    end if;
    if v_old.expires_at <= clock_timestamp() then
      update ${S}.states s
      set instant = p_instant, hash = p_hash, status = p_status, resource_id = p_id, expires_at = v_expires
      where s.namespace = p_namespace and s.key = p_key;
      return;
    end if;
    if p_instant > v_old.instant then
      update ${S}.states s
      set instant = p_instant, hash = p_hash, status = p_status, resource_id = p_id, expires_at = v_expires
      where s.namespace = p_namespace and s.key = p_key;
    elsif p_same_instant and p_instant = v_old.instant and p_hash is distinct from v_old.hash then
      update ${S}.states s
      set hash = p_hash, status = p_status, resource_id = p_id
      where s.namespace = p_namespace and s.key = p_key;
    end if;
    return query select v_old.instant, v_old.hash, v_old.status, v_old.resource_id;
    return;
  end loop;
end $$;
`,
  (S) => `
-- The delivery log (createPostgresLog()): one row per attempt of a delivery, \`entry\` as core gave it
-- (credentials already removed), its filterable fields beside it. \`seq\` orders the rows appended.
create table ${S}.log_entries (
  seq bigint generated always as identity primary key,
  id text collate "C" not null unique,
  received_at timestamptz not null,
  supplier text collate "C",
  event text collate "C",
  resource_id text collate "C",
  delivery_key text collate "C",
  outcome text collate "C" not null,
  status integer,
  attempt integer not null,
  entry json not null
);
-- newest first (scanned backwards), and the filters that name a supplier, a delivery key or a resource
create index log_entries_received_at on ${S}.log_entries (received_at, seq);
create index log_entries_supplier on ${S}.log_entries (supplier, received_at, seq) where supplier is not null;
create index log_entries_delivery_key on ${S}.log_entries (delivery_key, received_at, seq) where delivery_key is not null;
create index log_entries_resource_id on ${S}.log_entries (resource_id, received_at, seq) where resource_id is not null;

-- The attempts of each delivery key so far, counted for as long as the log keeps entries.
create table ${S}.log_attempts (
  delivery_key text collate "C" primary key,
  attempts integer not null,
  expires_at timestamptz not null
);
create index log_attempts_expires_at on ${S}.log_attempts (expires_at);

-- Appends one entry and returns its attempt (1 + the attempts of its delivery key so far, counted under
-- that key's row lock), then deletes at most \`p_batch\` entries older than \`p_max_age_ms\`, at most
-- \`p_batch\` appended before the newest \`p_max_entries\`, and at most \`p_batch\` expired counters: each
-- append does a bounded amount of work, and the log keeps up since each adds one entry.
create function ${S}.log_append(
  p_id text, p_received_at timestamptz, p_supplier text, p_event text, p_resource_id text,
  p_delivery_key text, p_outcome text, p_status integer, p_entry json,
  p_max_entries bigint, p_max_age_ms double precision, p_batch integer
) returns integer language plpgsql as $$
declare
  v_attempt integer := 1;
  v_seq bigint;
  v_now timestamptz := clock_timestamp();
begin
  if p_delivery_key is not null then
    insert into ${S}.log_attempts as a (delivery_key, attempts, expires_at)
    values (p_delivery_key, 1, v_now + p_max_age_ms * interval '1 millisecond')
    on conflict (delivery_key) do update
    set attempts = case when a.expires_at > v_now then a.attempts + 1 else 1 end, expires_at = excluded.expires_at
    returning attempts into v_attempt;
  end if;
  insert into ${S}.log_entries
    (id, received_at, supplier, event, resource_id, delivery_key, outcome, status, attempt, entry)
  values
    (p_id, p_received_at, p_supplier, p_event, p_resource_id, p_delivery_key, p_outcome, p_status, v_attempt, p_entry)
  on conflict (id) do nothing
  returning seq into v_seq;
  delete from ${S}.log_entries where seq = any(array(
    select seq from ${S}.log_entries
    where received_at < v_now - p_max_age_ms * interval '1 millisecond'
    order by received_at, seq limit p_batch for update skip locked));
  if v_seq is not null then
    delete from ${S}.log_entries where seq = any(array(
      select seq from ${S}.log_entries where seq <= v_seq - p_max_entries
      order by seq limit p_batch for update skip locked));
  end if;
  delete from ${S}.log_attempts where delivery_key = any(array(
    select delivery_key from ${S}.log_attempts where expires_at < v_now
    limit p_batch for update skip locked));
  return v_attempt;
end $$;
`,
];

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Where PostgreSQL is: a URL, node-postgres `Pool` options, or a `Pool` (its options are reused). */
  connection: PostgresConnectionOption;
  /**
   * The schema of this package's tables (default `"octo_webhooks"`); graphile-worker's jobs go in
   * `<schema>_jobs`. Queues, workers and stores of one deployment must use the same.
   */
  schema?: string;
  /** Where graphile-worker's migration warnings go (default: `console`). */
  logger?: Logger;
}

/** Installs or upgrades this package's own schema on `client` (in a transaction). */
async function migrateOwn(client: pg.ClientBase, schema: string): Promise<void> {
  const S = ident(schema);
  const J = ident(jobsSchemaOf(schema));
  await client.query("begin");
  try {
    // one migration at a time per schema, whichever process runs it
    await client.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`octo-webhooks:${schema}`]);
    await client.query(`create schema if not exists ${S}`);
    await client.query(
      `create table if not exists ${S}.migrations (version integer primary key, applied_at timestamptz not null default now())`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `select max(version) as version from ${S}.migrations`,
    );
    const applied = rows[0]?.version ?? 0;
    if (applied > MIGRATIONS.length) {
      throw new Error(
        `schema "${schema}" is at migration ${applied}, newer than this version of @octo-webhooks/postgres knows (${MIGRATIONS.length}); upgrade the package`,
      );
    }
    for (let version = applied + 1; version <= MIGRATIONS.length; version++) {
      await client.query((MIGRATIONS[version - 1] as (S: string, J: string) => string)(S, J));
      await client.query(`insert into ${S}.migrations (version) values ($1)`, [version]);
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}

const graphileLogger = (logger: Logger | undefined) =>
  new GraphileLogger(() => (level, message) => {
    if (level === "error") logger?.error?.(`${PREFIX} graphile-worker: ${message}`, {});
    else if (level === "warning") logger?.warn?.(`${PREFIX} graphile-worker: ${message}`, {});
  });

/**
 * Creates or upgrades what this package keeps in PostgreSQL, and waits until it is done: its tables and
 * functions in `schema` (default `octo_webhooks`: claims, resource states, dead letters, live workers)
 * and graphile-worker's in `<schema>_jobs`. Idempotent, and safe to run from several processes at once.
 * Queues, workers and stores run it themselves before their first use (their `migrate` option); call it
 * from a deploy step instead when the application's database user may not create schemas.
 *
 * @example
 * ```ts
 * import { migrate } from "@octo-webhooks/postgres";
 *
 * await migrate({ connection: process.env.DATABASE_URL! });
 * ```
 */
export async function migrate(options: MigrateOptions): Promise<void> {
  if (typeof options !== "object" || options === null) configError("migrate() takes an options object");
  const schema = schemaName(options.schema);
  await migrateSchemas(options.connection, schema, { jobs: true, logger: options.logger });
}

/** {@link migrate}, with or without graphile-worker's schema (a store alone does not need it). */
export async function migrateSchemas(
  connection: PostgresConnectionOption,
  schema: string,
  { jobs, logger }: { jobs: boolean; logger?: Logger | undefined },
): Promise<void> {
  // a pool of its own: no statement timeout, and closed once done
  const pool = new pg.Pool(
    poolConfig(connection, { max: 2, statement_timeout: 0, application_name: "octo-webhooks migrate" }),
  );
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    try {
      await migrateOwn(client, schema);
      if (jobs) {
        // graphile-worker's migrations, under the same lock (its own guard against concurrent runs
        // does not cover creating its schema)
        await client.query("select pg_advisory_lock(hashtextextended($1, 0))", [`octo-webhooks:${schema}`]);
        try {
          await runMigrations({
            pgPool: pool,
            schema: jobsSchemaOf(schema),
            logger: graphileLogger(logger),
          });
        } finally {
          await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [
            `octo-webhooks:${schema}`,
          ]);
        }
      }
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

/**
 * `migrateSchemas` once per process and schema, shared by everything that needs it; a failure is
 * forgotten so that the next use tries again (PostgreSQL was down at startup).
 */
export function migrateOnce(
  connection: PostgresConnectionOption,
  schema: string,
  jobs: boolean,
  logger: Logger,
): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= migrateSchemas(connection, schema, { jobs, logger }).catch((error: unknown) => {
      done = undefined;
      throw error;
    });
    return done;
  };
}
