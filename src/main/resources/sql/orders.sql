-- Orders database (PostgreSQL "orders" on :5432). Applied at start-up; every statement is
-- idempotent so a restart against an existing database changes nothing.

CREATE TABLE IF NOT EXISTS orders (
    id              uuid        PRIMARY KEY,
    customer_id     text        NOT NULL,
    config          char(1)     NOT NULL,          -- the experiment configuration A..G that created it
    idempotency_key text,                          -- as sent by the client; only F acts on it
    status          text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED')),
    failure_reason  text,
    total_cents     bigint      NOT NULL CHECK (total_cents > 0),
    items           jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- In F the idempotency key is also a unique key: the database, not only Redis, refuses a second
-- order for one key (the duplicate detector lives inside the same transaction as the insert).
CREATE UNIQUE INDEX IF NOT EXISTS orders_idempotency_key_f
    ON orders (idempotency_key) WHERE config IN ('F', 'G') AND idempotency_key IS NOT NULL;

-- The recovery sweep looks for orders left PENDING by a crash.
CREATE INDEX IF NOT EXISTS orders_pending ON orders (updated_at) WHERE status = 'PENDING';

-- Transactional outbox: a row is inserted in the same transaction as the order's status change,
-- and a relay delivers it afterwards (at least once, in order per aggregate).
CREATE TABLE IF NOT EXISTS outbox (
    id              bigserial   PRIMARY KEY,
    aggregate_id    text        NOT NULL,          -- the order id: events of one order stay in order
    event_id        uuid        NOT NULL UNIQUE,   -- the consumer's deduplication key
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    sent_at         timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (aggregate_id, id) WHERE sent_at IS NULL;
