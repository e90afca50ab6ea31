-- postgres-orders holds three databases (as `make run-stack` sets up): orders, payments and
-- notifications. Runs once, when the container's data directory is empty. Each service applies
-- its own schema (src/main/resources/sql/<db>.sql) when it starts.
CREATE DATABASE orders;
CREATE DATABASE payments;
CREATE DATABASE notifications;
