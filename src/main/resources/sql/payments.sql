-- Payments database ("payments" on the orders instance, :5432). The ledger is what the audit
-- counts: one row per successful charge.

CREATE TABLE IF NOT EXISTS charges (
    id           bigserial   PRIMARY KEY,
    order_id     uuid        NOT NULL,
    config       char(1)     NOT NULL,
    amount_cents bigint      NOT NULL CHECK (amount_cents > 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS charges_order ON charges (order_id);

-- In F a charge is idempotent on the order id: a second attempt for the same order finds the
-- first charge instead of making another.
CREATE UNIQUE INDEX IF NOT EXISTS charges_once_per_order_f ON charges (order_id) WHERE config IN ('F', 'G');
