-- Inventory database (PostgreSQL "inventory" on :5433).
-- Invariant the audit checks: stock + (quantities of RESERVED reservations) = initial_stock.

CREATE TABLE IF NOT EXISTS products (
    id            text   PRIMARY KEY,
    name          text   NOT NULL,
    stock         int    NOT NULL CHECK (stock >= 0),
    initial_stock int    NOT NULL CHECK (initial_stock >= 0)
);

CREATE TABLE IF NOT EXISTS reservations (
    id          bigserial   PRIMARY KEY,
    order_id    uuid        NOT NULL,
    product_id  text        NOT NULL REFERENCES products (id),
    quantity    int         NOT NULL CHECK (quantity > 0),
    config      char(1)     NOT NULL,
    status      text        NOT NULL CHECK (status IN ('RESERVED', 'RELEASED')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    released_at timestamptz
);
CREATE INDEX IF NOT EXISTS reservations_order ON reservations (order_id);
-- In F a reservation is idempotent per (order, product).
CREATE UNIQUE INDEX IF NOT EXISTS reservations_once_f ON reservations (order_id, product_id) WHERE config IN ('F', 'G');
