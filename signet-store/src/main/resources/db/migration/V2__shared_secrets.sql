-- Secrets every node of a deployment shares: the admin token's hash, the access-token signing key.
CREATE TABLE secrets (
  name        VARCHAR(64)   PRIMARY KEY,
  secret      VARCHAR(4096) NOT NULL,
  created_at  BIGINT        NOT NULL
);
