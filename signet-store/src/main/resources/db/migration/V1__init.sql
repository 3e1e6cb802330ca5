-- Users, their sessions and keys, OAuth authorizations, service keys, PIN state.
CREATE TABLE users (
  user_id     VARCHAR(36)  PRIMARY KEY,
  name        VARCHAR(256),
  created_at  BIGINT       NOT NULL
);

CREATE TABLE sessions (
  session_id  VARCHAR(36)   PRIMARY KEY,
  user_id     VARCHAR(36)   NOT NULL REFERENCES users (user_id),
  algorithm   VARCHAR(8)    NOT NULL,
  public_key  VARCHAR(4096) NOT NULL,
  scopes      VARCHAR(2048),
  pin_key     VARCHAR(64)   NOT NULL,
  created_at  BIGINT        NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE oauth_authorizations (
  authorization_id VARCHAR(36)   PRIMARY KEY,
  app_id           VARCHAR(36)   NOT NULL,
  user_id          VARCHAR(36)   NOT NULL REFERENCES users (user_id),
  public_key       VARCHAR(256)  NOT NULL,
  scopes           VARCHAR(2048) NOT NULL,
  created_at       BIGINT        NOT NULL
);

CREATE TABLE service_keys (
  issuer      VARCHAR(256)  NOT NULL,
  kid         VARCHAR(256)  NOT NULL,
  public_key  VARCHAR(4096) NOT NULL,
  created_at  BIGINT        NOT NULL,
  PRIMARY KEY (issuer, kid)
);

CREATE TABLE pins (
  user_id       VARCHAR(36)    PRIMARY KEY REFERENCES users (user_id),
  pin_hash      VARCHAR(256)   NOT NULL,
  last_iterator DECIMAL(20, 0) NOT NULL DEFAULT 0,
  failures      INT            NOT NULL DEFAULT 0,
  locked_until  BIGINT         NOT NULL DEFAULT 0
);
