"""The SQL a PostgreSQL ledger carries (created by `ledger init`, see docs/ledger.md).

The database guards its own rows, whoever writes them (this program, psql, another tool):

- ``datacontract_ledger_guard``, BEFORE INSERT: under the ledger's lock, the line must parse as
  JSON, be canonical (the same form as ledger/canonical.py: sorted keys in code point order, no
  spaces, UTF-8, the same string escapes), have the shape of an event (event.py: its keys, kinds
  and value forms, time with an offset and not before the head's), name the row's seq, prev, hash
  and party, belong to the ledger's contract, continue the chain (seq = head + 1, prev = head's
  hash) and carry the hash the database computes itself: ``sha256`` of the canonical line
  without ``hash``. A row that fails is refused; the ledger stays whole for every other party.
- a role that is not the owner (or a member of it) inserts only in the name of its party (the
  role's name, or the party ``datacontract_ledger_roles`` maps it to): the guard checks it, and
  row-level security again (so a role given BYPASSRLS, or RLS disabled, changes nothing); every
  role reads every row;
- append-only: UPDATE, DELETE and TRUNCATE are refused for everyone, the owner included;
- the lock: ``datacontract_ledger_lock()`` (SECURITY DEFINER) locks a table no other role may
  touch, for a role that may INSERT into the ledger (or the owner) only, and only inside a
  transaction, which the time-outs of the waiting sessions bound (postgres.py).

Every function runs with a fixed search_path (pg_catalog, the ledger's schema, pg_temp last), so
that no role can shadow a table or function it uses (a temporary table named as the ledger, a
function in a schema named as the role). Messages name no value a row holds (a party or a line
could hold anything): only what is wrong.
"""

from __future__ import annotations

from datacontract.ledger.event import _KEYS_WITHOUT_MILESTONE, _REQUIRED, EVENT_KINDS


def _array(values: tuple[str, ...] | list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]::text[]"


_REQUIRED_BY_KIND = "\n".join(
    f"        WHEN '{kind}' THEN {_array(list(names))}" for kind, names in _REQUIRED.items()
)

SCHEMA = f"""
CREATE TABLE datacontract_ledger_meta (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    contract text NOT NULL,
    version text NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE datacontract_ledger (
    seq bigint PRIMARY KEY CHECK (seq >= 1),
    party text,
    prev text NOT NULL,
    hash text NOT NULL UNIQUE,
    line text NOT NULL,
    db_user text NOT NULL DEFAULT current_user,
    recorded timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE datacontract_ledger_roles (
    role text PRIMARY KEY,
    party text NOT NULL
);
CREATE TABLE datacontract_ledger_lock (one boolean PRIMARY KEY DEFAULT true CHECK (one));
REVOKE ALL ON datacontract_ledger_lock FROM PUBLIC;
GRANT SELECT ON datacontract_ledger_roles TO PUBLIC;

CREATE FUNCTION datacontract_ledger_append_only() RETURNS trigger LANGUAGE plpgsql
    SET search_path = @PATH@ AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON datacontract_ledger
    FOR EACH ROW EXECUTE FUNCTION datacontract_ledger_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON datacontract_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION datacontract_ledger_append_only();
CREATE TRIGGER meta_fixed BEFORE UPDATE OR DELETE ON datacontract_ledger_meta
    FOR EACH ROW EXECUTE FUNCTION datacontract_ledger_append_only();

CREATE FUNCTION datacontract_ledger_lock() RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = @PATH@ AS $$
BEGIN
    -- only a role that may append (or the owner) may hold the lock: session_user is the role
    -- that logged in, which no caller can change (current_user is the owner in here)
    IF NOT (has_table_privilege(session_user, 'datacontract_ledger', 'INSERT')
            OR pg_has_role(session_user, (SELECT c.relowner FROM pg_class c
                                          WHERE c.oid = 'datacontract_ledger'::regclass),
                           'MEMBER')) THEN
        RAISE EXCEPTION 'datacontract_ledger_lock: this role may not append to the ledger, '
            'so it may not take its lock' USING ERRCODE = 'insufficient_privilege';
    END IF;
    LOCK TABLE datacontract_ledger_lock IN EXCLUSIVE MODE;
END $$;

CREATE FUNCTION datacontract_ledger_canonical(j jsonb) RETURNS text LANGUAGE plpgsql
    IMMUTABLE STRICT SET search_path = @PATH@ AS $$
DECLARE out text;
BEGIN
    CASE jsonb_typeof(j)
    WHEN 'object' THEN
        SELECT '{{' || COALESCE(string_agg(to_json(k)::text || ':'
               || datacontract_ledger_canonical(v), ',' ORDER BY k COLLATE "C"), '') || '}}'
          INTO out FROM jsonb_each(j) AS e(k, v);
    WHEN 'array' THEN
        SELECT '[' || COALESCE(string_agg(datacontract_ledger_canonical(v), ',' ORDER BY n), '')
               || ']'
          INTO out FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, n);
    WHEN 'string' THEN
        out := to_json(j #>> '{{}}')::text;
    ELSE
        out := j::text;
    END CASE;
    RETURN out;
END $$;

CREATE FUNCTION datacontract_ledger_refuse(why text) RETURNS void LANGUAGE plpgsql
    SET search_path = @PATH@ AS $$
BEGIN
    RAISE EXCEPTION 'the ledger refuses this row: %', why;
END $$;

CREATE FUNCTION datacontract_ledger_guard() RETURNS trigger LANGUAGE plpgsql
    SET search_path = @PATH@ AS $$
DECLARE
    j jsonb;
    head record;
    k text;
    t timestamptz;
    timed text := '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}'
                  '(\\.[0-9]{{1,6}})?(Z|[+-][0-9]{{2}}:[0-9]{{2}})$';
    hex text := '^[0-9a-f]{{64}}$';
BEGIN
    PERFORM datacontract_ledger_lock();
    BEGIN
        j := NEW.line::jsonb;
    EXCEPTION WHEN others THEN
        PERFORM datacontract_ledger_refuse('its line is not JSON');
    END;
    IF jsonb_typeof(j) <> 'object' THEN
        PERFORM datacontract_ledger_refuse('its line is not a JSON object');
    END IF;
    IF datacontract_ledger_canonical(j) <> NEW.line THEN
        PERFORM datacontract_ledger_refuse('its line is not canonical JSON');
    END IF;
    FOREACH k IN ARRAY {_array(list(_KEYS_WITHOUT_MILESTONE))} LOOP
        IF NOT j ? k THEN
            PERFORM datacontract_ledger_refuse('its line lacks a field every event has');
        END IF;
    END LOOP;
    IF jsonb_typeof(j->'seq') <> 'number' OR (j->>'seq') !~ '^[1-9][0-9]{{0,17}}$'
       OR (j->>'seq')::bigint <> NEW.seq THEN
        PERFORM datacontract_ledger_refuse('its line and its seq column differ');
    END IF;
    IF jsonb_typeof(j->'prev') <> 'string' OR j->>'prev' <> NEW.prev
       OR jsonb_typeof(j->'hash') <> 'string' OR j->>'hash' <> NEW.hash
       OR NEW.hash !~ hex OR NEW.prev !~ hex THEN
        PERFORM datacontract_ledger_refuse('its line and its prev or hash column differ');
    END IF;
    IF j->'party' IS DISTINCT FROM COALESCE(to_jsonb(NEW.party), 'null'::jsonb) THEN
        PERFORM datacontract_ledger_refuse('its line names another party than its party column');
    END IF;
    IF NOT pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID),
                       'MEMBER')
       AND NEW.party IS DISTINCT FROM COALESCE(
           (SELECT r.party FROM datacontract_ledger_roles r WHERE r.role = current_user),
           current_user) THEN
        PERFORM datacontract_ledger_refuse('this database role may append only in the name of '
            || 'its own party (as row-level security says too)');
    END IF;
    IF encode(sha256(convert_to(datacontract_ledger_canonical(j - 'hash'), 'UTF8')), 'hex')
       <> NEW.hash THEN
        PERFORM datacontract_ledger_refuse('its hash is not the SHA-256 of its line');
    END IF;
    IF jsonb_typeof(j->'kind') <> 'string' OR NOT (j->>'kind') = ANY({_array(EVENT_KINDS)}) THEN
        PERFORM datacontract_ledger_refuse('its kind is not an event kind');
    END IF;
    FOREACH k IN ARRAY ARRAY['contract', 'contract_version'] LOOP
        IF jsonb_typeof(j->k) <> 'string' OR j->>k = '' THEN
            PERFORM datacontract_ledger_refuse('its contract or version is not a text');
        END IF;
    END LOOP;
    FOREACH k IN ARRAY ARRAY['party', 'dataset', 'hop', 'sender', 'receiver', 'milestone'] LOOP
        IF j ? k AND jsonb_typeof(j->k) <> 'null'
           AND (jsonb_typeof(j->k) <> 'string' OR j->>k = '') THEN
            PERFORM datacontract_ledger_refuse('a name in its line is not a text');
        END IF;
    END LOOP;
    FOREACH k IN ARRAY (CASE j->>'kind'
{_REQUIRED_BY_KIND}
        END) LOOP
        IF jsonb_typeof(j->k) IS DISTINCT FROM 'string'
           AND NOT (k = 'rows' AND jsonb_typeof(j->k) = 'number') THEN
            PERFORM datacontract_ledger_refuse('its line lacks what its kind must name');
        END IF;
    END LOOP;
    IF (j->>'kind' = 'sent' AND j->'party' <> j->'sender')
       OR (j->>'kind' = 'received' AND j->'party' <> j->'receiver') THEN
        PERFORM datacontract_ledger_refuse('its party is not the one its kind names');
    END IF;
    IF jsonb_typeof(j->'sha256') <> 'null' AND (jsonb_typeof(j->'sha256') <> 'string'
       OR j->>'sha256' !~ hex) THEN
        PERFORM datacontract_ledger_refuse('its sha256 is not a SHA-256');
    END IF;
    IF jsonb_typeof(j->'rows') <> 'null' AND (jsonb_typeof(j->'rows') <> 'number'
       OR j->>'rows' !~ '^(0|[1-9][0-9]*)$') THEN
        PERFORM datacontract_ledger_refuse('its rows is not a count');
    END IF;
    IF jsonb_typeof(j->'violation') <> 'boolean' THEN
        PERFORM datacontract_ledger_refuse('its violation is not true or false');
    END IF;
    IF jsonb_typeof(j->'findings') <> 'array' OR EXISTS (
        SELECT 1 FROM jsonb_array_elements(j->'findings') AS f(v)
         WHERE jsonb_typeof(v) <> 'object') THEN
        PERFORM datacontract_ledger_refuse('its findings are not a list of objects');
    END IF;
    IF (j ? 'milestone' AND jsonb_typeof(j->'milestone') NOT IN ('string', 'null'))
       OR (j ? 'keys' AND jsonb_typeof(j->'keys') <> 'null'
           AND coalesce(j->>'keys', '') !~ hex)
       OR (j ? 'reference' AND jsonb_typeof(j->'reference') <> 'null'
           AND coalesce(j->>'reference', '') !~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$')
       OR (j ? 'witness' AND jsonb_typeof(j->'witness') <> 'null'
           AND coalesce(j->>'witness', '') !~ '^(0|[1-9][0-9]*):[0-9a-f]{{64}}$')
       OR (j ? 'sig' AND jsonb_typeof(j->'sig') <> 'null'
           AND coalesce(j->>'sig', '') !~ '^[A-Za-z0-9+/]{{86}}==$') THEN
        PERFORM datacontract_ledger_refuse('an optional field of its line has the wrong form');
    END IF;
    IF jsonb_typeof(j->'time') <> 'string' OR j->>'time' !~ timed THEN
        PERFORM datacontract_ledger_refuse('its time is not an ISO 8601 time with an offset');
    END IF;
    BEGIN
        t := (j->>'time')::timestamptz;
        IF j ? 'reference' AND jsonb_typeof(j->'reference') = 'string' THEN
            PERFORM (j->>'reference')::date;
        END IF;
    EXCEPTION WHEN others THEN
        PERFORM datacontract_ledger_refuse('its time or reference is not a real date');
    END;
    IF NOT EXISTS (SELECT 1 FROM datacontract_ledger_meta m WHERE m.contract = j->>'contract')
    THEN
        PERFORM datacontract_ledger_refuse('it is not of the contract the ledger is bound to');
    END IF;
    SELECT l.seq, l.hash, l.line INTO head FROM datacontract_ledger l ORDER BY l.seq DESC LIMIT 1;
    IF NEW.seq <> COALESCE(head.seq, 0) + 1
       OR NEW.prev <> COALESCE(head.hash, repeat('0', 64)) THEN
        PERFORM datacontract_ledger_refuse('it does not extend the head of the ledger');
    END IF;
    IF head.line IS NOT NULL AND t < (head.line::jsonb->>'time')::timestamptz THEN
        PERFORM datacontract_ledger_refuse('its time is before the time of the head');
    END IF;
    NEW.db_user := current_user;
    NEW.recorded := clock_timestamp();
    RETURN NEW;
END $$;
CREATE TRIGGER guard BEFORE INSERT ON datacontract_ledger
    FOR EACH ROW EXECUTE FUNCTION datacontract_ledger_guard();

ALTER TABLE datacontract_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY parties_read ON datacontract_ledger FOR SELECT USING (true);
CREATE POLICY parties_append_their_own ON datacontract_ledger FOR INSERT
    WITH CHECK (party = COALESCE(
        (SELECT r.party FROM datacontract_ledger_roles r WHERE r.role = current_user),
        current_user));
"""


def schema_sql(schema: str) -> str:
    """SCHEMA for a ledger in `schema` (a name, quoted here): every function's search_path."""
    quoted = '"' + schema.replace('"', '""') + '"'
    return SCHEMA.replace("@PATH@", f"pg_catalog, {quoted}, pg_temp")
