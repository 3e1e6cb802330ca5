-- When a session last signed an accepted request (unix s), written at most once a minute per session
-- by the node that saw it; null until first used. Listing users by name uses users_name.
ALTER TABLE sessions ADD COLUMN last_used_at BIGINT;
CREATE INDEX users_name ON users (name);
CREATE INDEX oauth_authorizations_user ON oauth_authorizations (user_id);
