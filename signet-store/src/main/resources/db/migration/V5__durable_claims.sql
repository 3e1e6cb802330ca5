-- Single-use credentials whose use a replay store that loses its marks (memory on restart, Redis
-- on failover) could not refuse by time alone: tokens future-dated when used, Graphene payloads.
CREATE TABLE durable_claims (
  id        VARCHAR(512) PRIMARY KEY,
  until_ms  BIGINT       NOT NULL
);
