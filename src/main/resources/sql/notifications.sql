-- Notifications database ("notifications" on the orders instance, :5432). Every delivery is
-- recorded so the audit can count deliveries per committed order.

CREATE TABLE IF NOT EXISTS deliveries (
    id          bigserial   PRIMARY KEY,
    event_id    uuid,                              -- set by the outbox relay (F); direct calls may omit it
    order_id    uuid        NOT NULL,
    kind        text        NOT NULL,              -- e.g. ORDER_CONFIRMED, ORDER_FAILED
    config      char(1)     NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS deliveries_order ON deliveries (order_id);
-- In F deliveries are deduplicated by event id: a redelivery by the relay is acknowledged, not stored twice.
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_event_f ON deliveries (event_id) WHERE config IN ('F', 'G') AND event_id IS NOT NULL;
