-- The user's access token from the SCA's code exchange, encrypted, so the submissions of an
-- authorised bundle can still be made after a restart.
alter table bundle add column access_token varchar(4000);
alter table bundle add column access_expires_at timestamp with time zone;
