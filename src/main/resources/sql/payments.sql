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

-- Reconciliation (frl.services.payments.Reconciliation). A charge can outlive its order: orders
-- gave up on a slow payment and failed the order, and the payment completed anyway. Such an
-- orphan charge is refunded: one row here per refunded charge, the charge id as the primary key,
-- so running the reconciliation twice refunds once. order_outcome is what orders said of the
-- charge's order once it was final (CONFIRMED, FAILED, or UNKNOWN: no such order); NULL means not
-- yet asked, or still PENDING.
CREATE TABLE IF NOT EXISTS refunds (
    charge_id    bigint      PRIMARY KEY REFERENCES charges (id),
    order_id     uuid        NOT NULL,
    amount_cents bigint      NOT NULL CHECK (amount_cents > 0),
    reason       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE charges ADD COLUMN IF NOT EXISTS order_outcome text;
CREATE INDEX IF NOT EXISTS charges_unreconciled ON charges (id) WHERE order_outcome IS NULL;
