# One image for all five services; compose.yaml picks the service with LAB_SERVICE.
#
#   docker build -t failure-recovery-lab .
#   docker run -e LAB_SERVICE=payments -e LAB_PAYMENTS_DB_URL=jdbc:postgresql://... failure-recovery-lab

# ---- Build: compile, and copy the runtime dependencies next to the classes. ----------------------
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
# The embedded PostgreSQL binaries (four platforms) and the embedded Redis binary are runtime
# dependencies only for `make run-stack` (frl.stack.StackMain); in containers the services talk
# to the compose databases, so ~90 MB of them are left out of the image.
RUN mvn -B -ntp -DskipTests package dependency:copy-dependencies -DincludeScope=runtime \
 && rm -f target/dependency/embedded-postgres-binaries-*.jar target/dependency/embedded-redis-*.jar

# ---- Run: a JRE, the classes (with sql/ schemas) and the dependency jars. -------------------------
FROM eclipse-temurin:21-jre
RUN useradd --system --no-create-home --shell /usr/sbin/nologin lab
WORKDIR /app
COPY --from=build /src/target/dependency/ /app/lib/
COPY --from=build /src/target/classes/ /app/classes/
USER lab

# The same JVM flags `make run-stack` gives each service.
# The management listener (port + 100) binds every address inside the container, so Prometheus
# can scrape it; compose.yaml publishes it on the host's loopback only. ZGC and 1 GB as in
# `make run-stack` (see StackMain.launch: SerialGC's pauses under a storm stopped admin calls).
ENV LAB_BIND=0.0.0.0 \
    LAB_ADMIN_BIND=0.0.0.0 \
    JAVA_OPTS="-XX:+UseZGC -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
EXPOSE 8000 8001 8002 8003 8004 8100 8101 8102 8103 8104

# LAB_SERVICE -> main class; `exec` makes the JVM PID 1, so `docker stop` (SIGTERM) runs its
# shutdown hook and the service finishes its requests in flight.
CMD case "$LAB_SERVICE" in \
      payments)      main=frl.services.payments.PaymentsMain ;; \
      inventory)     main=frl.services.inventory.InventoryMain ;; \
      notifications) main=frl.services.notifications.NotificationsMain ;; \
      orders)        main=frl.services.orders.OrdersMain ;; \
      gateway)       main=frl.services.gateway.GatewayMain ;; \
      *) echo "LAB_SERVICE must be payments, inventory, notifications, orders or gateway (got '$LAB_SERVICE')" >&2; exit 64 ;; \
    esac; \
    exec java $JAVA_OPTS -cp "/app/classes:/app/lib/*" "$main"
